/* Folded stacks for flame graphs. */
#include "weft-analysis-folded.h"

#include "weft-analysis-blocking.h"
#include "weft-analysis-critical.h"
#include "weft-analysis-private.h"

#include <string.h>

static const char *const kind_names[WEFT_FOLDED_COUNT] = {
    [WEFT_FOLDED_SYNC] = "sync",
    [WEFT_FOLDED_SYSCALL] = "syscall",
    [WEFT_FOLDED_SLEEP] = "sleep",
    [WEFT_FOLDED_BLOCKED] = "blocked",
    [WEFT_FOLDED_RUNNING] = "running",
    [WEFT_FOLDED_ALLOC] = "alloc",
    [WEFT_FOLDED_LEAK] = "leak",
    [WEFT_FOLDED_REGIONS] = "regions",
    [WEFT_FOLDED_CRITICAL] = "critical-path",
};

const char *weft_folded_kind_name(weft_folded_kind_t kind)
{
	return kind < WEFT_FOLDED_COUNT ? kind_names[kind] : "unknown";
}

gboolean weft_folded_kind_from_name(const char *name, weft_folded_kind_t *kind)
{
	for (guint k = 0; k < WEFT_FOLDED_COUNT; k++) {
		if (!g_strcmp0(name, kind_names[k])) {
			*kind = k;
			return TRUE;
		}
	}
	return FALSE;
}

/* Appends a frame: ';' separates frames and a newline ends a line, so neither may appear. */
static void append_frame(GString *s, const char *frame)
{
	if (s->len) {
		g_string_append_c(s, ';');
	}
	for (const char *p = frame; *p; p++) {
		g_string_append_c(s, *p == ';' ? ':' : (*p == '\n' || *p == '\r') ? ' ' : *p);
	}
}

static void add_value(GHashTable *stacks, const char *stack, gint64 value)
{
	gint64 *sum = g_hash_table_lookup(stacks, stack);

	if (!sum) {
		sum = g_new0(gint64, 1);
		g_hash_table_insert(stacks, g_strdup(stack), sum);
	}
	*sum += value;
}

static void thread_prefix(const weft_model_t *model, const weft_thread_t *t, GString *s)
{
	g_autofree char *routine = weft_analysis_dup_routine_label(model, t);

	g_string_truncate(s, 0);
	append_frame(s, weft_analysis_process_name(model, t->process));
	append_frame(s, routine);
}

static gboolean kind_has_state(weft_folded_kind_t kind, weft_state_t state)
{
	switch (kind) {
	case WEFT_FOLDED_SYNC:
		return weft_blocking_family_has_state(WEFT_BLOCKING_SYNC, state);
	case WEFT_FOLDED_SYSCALL:
		return weft_blocking_family_has_state(WEFT_BLOCKING_SYSCALL, state);
	case WEFT_FOLDED_SLEEP:
		return weft_blocking_family_has_state(WEFT_BLOCKING_SLEEP, state);
	case WEFT_FOLDED_BLOCKED:
		for (guint f = 0; f < WEFT_BLOCKING_COUNT; f++) {
			if (weft_blocking_family_has_state(f, state)) {
				return TRUE;
			}
		}
		return FALSE;
	default:
		return FALSE;
	}
}

static void fold_states(const weft_model_t *model, weft_folded_kind_t kind,
                        const weft_analysis_options_t *options, GHashTable *stacks)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);
		const weft_state_track_t *st = &t->states;
		gsize prefix;

		if (!weft_analysis_wants_thread(options, t)) {
			continue;
		}
		thread_prefix(model, t, s);
		prefix = s->len;
		for (guint j = 0; st->start && j < st->start->len; j++) {
			weft_state_t state = g_array_index(st->state, guint8, j);
			g_autofree char *fn = NULL;

			if (!kind_has_state(kind, state)) {
				continue;
			}
			fn = weft_analysis_dup_site_function(
			    model, g_array_index(st->callsite, guint32, j));
			g_string_truncate(s, prefix);
			append_frame(s, fn);
			if (kind == WEFT_FOLDED_BLOCKED) {
				append_frame(s, state == WEFT_STATE_SYSCALL
				                    ? weft_analysis_syscall_name(
				                          g_array_index(st->aux, gint32, j))
				                    : weft_state_name(state));
			}
			add_value(stacks, s->str,
			          g_array_index(st->end, weft_time_t, j) -
			              g_array_index(st->start, weft_time_t, j));
		}
	}
}

typedef struct {
	GHashTable *stacks;
	const char *stack;
} running_ctx_t;

static void add_running(weft_time_t start, weft_time_t end, gpointer data)
{
	running_ctx_t *ctx = data;

	add_value(ctx->stacks, ctx->stack, end - start);
}

static void fold_running(const weft_model_t *model, const weft_analysis_options_t *options,
                         GHashTable *stacks)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);
		g_autofree char *label = weft_analysis_dup_thread_label(model, t);
		running_ctx_t ctx = {stacks, NULL};

		if (!weft_analysis_wants_thread(options, t)) {
			continue;
		}
		thread_prefix(model, t, s);
		append_frame(s, label);
		ctx.stack = s->str;
		weft_analysis_foreach_running(t, add_running, &ctx);
	}
}

static void fold_allocs(const weft_model_t *model, gboolean leaks_only,
                        const weft_analysis_options_t *options, GHashTable *stacks)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (guint i = 0; i < model->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(model->processes, i);
		g_autoptr(GHashTable) by_tid = g_hash_table_new(g_int64_hash, g_int64_equal);

		if (!weft_analysis_wants_process(options, p)) {
			continue;
		}
		for (guint j = 0; j < p->threads->len; j++) {
			weft_thread_t *t = g_ptr_array_index(p->threads, j);

			g_hash_table_insert(by_tid, &t->tid, t);
		}
		for (guint j = 0; p->allocs && j < p->allocs->len; j++) {
			const weft_alloc_t *a = &g_array_index(p->allocs, weft_alloc_t, j);
			const weft_thread_t *t = g_hash_table_lookup(by_tid, &a->tid);
			g_autofree char *routine =
			    t ? weft_analysis_dup_routine_label(model, t) : g_strdup("(unknown)");
			g_autofree char *fn = weft_analysis_dup_site_function(model, a->callsite);

			if (leaks_only && a->free_ts != G_MAXINT64) {
				continue;
			}
			g_string_truncate(s, 0);
			append_frame(s, weft_analysis_process_name(model, p));
			append_frame(s, routine);
			append_frame(s, fn);
			add_value(stacks, s->str, (gint64) a->weight);
		}
	}
}

/* Self time of nested regions: each slice's duration minus its children's. */
static void fold_thread_regions(const weft_model_t *model, const weft_thread_t *t,
                                GHashTable *stacks)
{
	const weft_slice_track_t *sl = &t->slices;
	guint n = sl->start ? sl->start->len : 0;
	g_autoptr(GString) s = g_string_new(NULL);
	g_autoptr(GArray) open = g_array_new(FALSE, FALSE, sizeof(guint)); /* slice index */
	g_autoptr(GArray) lens = g_array_new(FALSE, FALSE, sizeof(gsize)); /* path length */
	g_autofree gint64 *self = g_new0(gint64, n ? n : 1);
	g_autofree char **paths = g_new0(char *, n ? n : 1);
	gsize base;

	thread_prefix(model, t, s);
	base = s->len;
	for (guint j = 0; j < n; j++) {
		guint depth = g_array_index(sl->depth, guint16, j);
		gint64 d = g_array_index(sl->end, weft_time_t, j) -
		           g_array_index(sl->start, weft_time_t, j);

		if (open->len > depth) {
			g_array_set_size(open, depth);
			g_array_set_size(lens, depth);
		}
		if (open->len) {
			self[g_array_index(open, guint, open->len - 1)] -= d;
		}
		g_string_truncate(s, lens->len ? g_array_index(lens, gsize, lens->len - 1) : base);
		append_frame(
		    s, weft_model_borrow_string(model, g_array_index(sl->name, weft_str_t, j)));
		self[j] += d;
		paths[j] = g_strdup(s->str);
		g_array_append_val(open, j);
		g_array_append_val(lens, s->len);
	}
	for (guint j = 0; j < n; j++) {
		add_value(stacks, paths[j], self[j]);
		g_free(paths[j]);
	}
}

/*
 * The critical path as target;process;thread;stack frames root first (or
 * the call site's function);state: each thread's share of the path is a
 * tower of its own, the waits it sat in at its top.
 */
static void fold_critical(const weft_model_t *model, const weft_analysis_options_t *options,
                          GHashTable *stacks)
{
	g_autoptr(weft_critical_analysis_t) a = weft_critical_analysis_new(model, options);
	g_autoptr(GString) s = g_string_new(NULL);

	for (guint i = 0; a && i < a->segments->len; i++) {
		const weft_critical_segment_t *seg =
		    &g_array_index(a->segments, weft_critical_segment_t, i);
		const weft_thread_t *t = g_ptr_array_index(model->threads, seg->thread);
		g_autofree char *label = weft_analysis_dup_thread_label(model, t);
		g_autofree char *state = weft_critical_dup_state_label(seg->state, seg->kind);
		const guint32 *frames = NULL;
		const weft_stack_t *st =
		    seg->stack ? weft_model_borrow_stack(model, seg->stack, &frames) : NULL;

		g_string_truncate(s, 0);
		append_frame(s, a->target);
		append_frame(s, weft_analysis_process_name(model, t->process));
		append_frame(s, label);
		for (guint k = st ? st->depth : 0; k > 0; k--) {
			g_autofree char *fn = weft_analysis_dup_site_function(model, frames[k - 1]);

			append_frame(s, fn);
		}
		if (!st && seg->callsite) {
			g_autofree char *fn = weft_analysis_dup_site_function(model, seg->callsite);

			append_frame(s, fn);
		}
		append_frame(s, state);
		add_value(stacks, s->str, seg->duration);
	}
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

void weft_folded_write(const weft_model_t *model, weft_folded_kind_t kind,
                       const weft_analysis_options_t *options, GString *out)
{
	g_autoptr(GHashTable) stacks =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gpointer *keys = NULL;
	guint n = 0;

	switch (kind) {
	case WEFT_FOLDED_RUNNING:
		fold_running(model, options, stacks);
		break;
	case WEFT_FOLDED_ALLOC:
	case WEFT_FOLDED_LEAK:
		fold_allocs(model, kind == WEFT_FOLDED_LEAK, options, stacks);
		break;
	case WEFT_FOLDED_REGIONS:
		for (guint i = 0; i < model->threads->len; i++) {
			const weft_thread_t *t = g_ptr_array_index(model->threads, i);

			if (weft_analysis_wants_thread(options, t)) {
				fold_thread_regions(model, t, stacks);
			}
		}
		break;
	case WEFT_FOLDED_CRITICAL:
		fold_critical(model, options, stacks);
		break;
	default:
		fold_states(model, kind, options, stacks);
		break;
	}
	keys = g_hash_table_get_keys_as_array(stacks, &n);
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (guint i = 0; i < n; i++) {
		gint64 v = *(gint64 *) g_hash_table_lookup(stacks, keys[i]);

		if (v > 0) {
			g_string_append_printf(out, "%s %" G_GINT64_FORMAT "\n", (char *) keys[i],
			                       v);
		}
	}
}
