/*
 * Which call site a "by call site" row stands for: the caller that
 * matters, the leaf, or the whole stack (weft-analysis-sites.h).
 */
#include <string.h>

#include "weft-analysis-sites.h"

struct weft_sites {
	const weft_model_t *model; /* borrowed */
	weft_group_t group;
	GHashTable *wrappers; /* weft_str_t function -> 1: lock wrappers */
	GHashTable *by_stack; /* stack index -> key + 1 (caller mode), owned */
	guint8 *skip;         /* per callsite: 0 not yet known, 1 keep, 2 pass over; owned */
};

static const char *const group_names[WEFT_GROUP_COUNT] = {
    [WEFT_GROUP_CALLER] = "caller",
    [WEFT_GROUP_LEAF] = "leaf",
    [WEFT_GROUP_STACK] = "stack",
};

const char *weft_group_name(weft_group_t group)
{
	return (guint) group < WEFT_GROUP_COUNT ? group_names[group] : NULL;
}

gboolean weft_group_parse(const char *name, weft_group_t *out)
{
	for (guint g = 0; g < WEFT_GROUP_COUNT; g++) {
		if (name && !strcmp(name, group_names[g])) {
			*out = (weft_group_t) g;
			return TRUE;
		}
	}
	return FALSE;
}

/* Counts, per function, holds that began or ended in it and ended or began elsewhere. */
static void count_hold(GHashTable *other, GHashTable *same, weft_str_t acq, weft_str_t rel)
{
	GHashTable *t = acq == rel ? same : other;

	g_hash_table_insert(
	    t, GUINT_TO_POINTER(acq),
	    GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(t, GUINT_TO_POINTER(acq))) + 1));
	if (acq != rel) {
		g_hash_table_insert(
		    t, GUINT_TO_POINTER(rel),
		    GUINT_TO_POINTER(
		        GPOINTER_TO_UINT(g_hash_table_lookup(t, GUINT_TO_POINTER(rel))) + 1));
	}
}

/*
 * A lock wrapper returns holding the lock it took, or releases one taken
 * by another function: most holds that begin or end in it end or begin
 * in a different function.
 */
static void find_wrappers(weft_sites_t *s)
{
	const weft_model_t *m = s->model;
	g_autoptr(GHashTable) other = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autoptr(GHashTable) same = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTableIter it;
	gpointer fn, n;

	for (guint i = 0; i < m->holds->len; i++) {
		const weft_lock_hold_t *h = &g_array_index(m->holds, weft_lock_hold_t, i);
		weft_str_t acq = weft_model_borrow_callsite(m, h->callsite)->function;
		weft_str_t rel = weft_model_borrow_callsite(m, h->release_callsite)->function;

		if (h->callsite && h->release_callsite && acq && rel) {
			count_hold(other, same, acq, rel);
		}
	}
	g_hash_table_iter_init(&it, other);
	while (g_hash_table_iter_next(&it, &fn, &n)) {
		if (GPOINTER_TO_UINT(n) > GPOINTER_TO_UINT(g_hash_table_lookup(same, fn))) {
			g_hash_table_add(s->wrappers, fn);
		}
	}
}

weft_sites_t *weft_sites_new(const weft_model_t *model, weft_group_t group)
{
	weft_sites_t *s = g_new0(weft_sites_t, 1);

	s->model = model;
	s->group = group;
	s->wrappers = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->by_stack = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->skip = g_new0(guint8, model->callsites->len + 1);
	find_wrappers(s);
	return s;
}

void weft_sites_free(weft_sites_t *sites)
{
	if (!sites) {
		return;
	}
	g_hash_table_destroy(sites->wrappers);
	g_hash_table_destroy(sites->by_stack);
	g_free(sites->skip);
	g_free(sites);
}

gboolean weft_sites_is_wrapper(const weft_sites_t *sites, weft_str_t function)
{
	return function && g_hash_table_contains(sites->wrappers, GUINT_TO_POINTER(function));
}

/* A shared library of the system (/lib, /usr/lib, ...) or one of weft's own. */
static gboolean is_system_binary(const char *path)
{
	static const char *const dirs[] = {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/"};
	g_autofree char *base = g_path_get_basename(path);

	if (g_str_has_prefix(base, "libweft")) {
		return TRUE;
	}
	if (!strstr(base, ".so")) {
		return FALSE; /* an executable is the program, wherever it lives */
	}
	for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
		if (g_str_has_prefix(path, dirs[i])) {
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean passed_over(weft_sites_t *s, guint32 site)
{
	const weft_callsite_t *cs;

	if (site >= s->model->callsites->len) {
		return FALSE;
	}
	if (!s->skip[site]) {
		cs = weft_model_borrow_callsite(s->model, site);
		s->skip[site] =
		    (cs->binary &&
		     is_system_binary(weft_model_borrow_string(s->model, cs->binary))) ||
		            weft_sites_is_wrapper(s, cs->function)
		        ? 2
		        : 1;
	}
	return s->skip[site] == 2;
}

/* The first frame of the program's own code, else the leaf. */
static guint32 caller_of(weft_sites_t *s, const guint32 *frames, guint n)
{
	for (guint i = 0; i < n; i++) {
		if (!passed_over(s, frames[i])) {
			return frames[i];
		}
	}
	return frames[0];
}

guint32 weft_sites_key(weft_sites_t *sites, guint32 stack, guint32 callsite)
{
	const guint32 *frames = NULL;
	const weft_stack_t *st =
	    stack ? weft_model_borrow_stack(sites->model, stack, &frames) : NULL;
	gpointer found;
	guint32 key;

	if (!st || !st->depth || sites->group == WEFT_GROUP_LEAF) {
		return callsite ? callsite : st && st->depth ? frames[0] : 0;
	}
	if (sites->group == WEFT_GROUP_STACK) {
		return stack | WEFT_SITE_KEY_STACK;
	}
	found = g_hash_table_lookup(sites->by_stack, GUINT_TO_POINTER(stack));
	if (found) {
		return GPOINTER_TO_UINT(found) - 1;
	}
	key = caller_of(sites, frames, st->depth);
	g_hash_table_insert(sites->by_stack, GUINT_TO_POINTER(stack), GUINT_TO_POINTER(key + 1));
	return key;
}
