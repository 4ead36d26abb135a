/*
 * Folded stacks for flame graphs. The stack kinds print a weft_profile_t
 * (weft-profile.c aggregates; this file only names frames); running and
 * regions have no call stacks and fold thread and region names.
 */
#include "weft-analysis-folded.h"

#include "weft-analysis-critical.h"
#include "weft-analysis-private.h"

#include <string.h>

typedef struct {
	const char *name;
	gboolean stacks;             /* printed from a profile */
	weft_profile_kind_t profile; /* when stacks */
	guint value;                 /* the profile value printed */
} kind_info_t;

static const kind_info_t kinds[WEFT_FOLDED_COUNT] = {
    [WEFT_FOLDED_SYNC] = {"sync", TRUE, WEFT_PROFILE_BLOCK, 1},
    [WEFT_FOLDED_SYSCALL] = {"syscall", TRUE, WEFT_PROFILE_SYSCALL, 1},
    [WEFT_FOLDED_SLEEP] = {"sleep", TRUE, WEFT_PROFILE_SLEEP, 1},
    [WEFT_FOLDED_BLOCKED] = {"blocked", TRUE, WEFT_PROFILE_BLOCKED, 1},
    [WEFT_FOLDED_RUNNING] = {"running", FALSE, 0, 0},
    [WEFT_FOLDED_ALLOC] = {"alloc", TRUE, WEFT_PROFILE_HEAP, 1},
    [WEFT_FOLDED_LEAK] = {"leak", TRUE, WEFT_PROFILE_LEAK, 1},
    [WEFT_FOLDED_REGIONS] = {"regions", FALSE, 0, 0},
    [WEFT_FOLDED_MUTEX] = {"mutex", TRUE, WEFT_PROFILE_MUTEX, 1},
    [WEFT_FOLDED_THREADCREATE] = {"threadcreate", TRUE, WEFT_PROFILE_THREADCREATE, 0},
    [WEFT_FOLDED_CPU] = {"cpu", TRUE, WEFT_PROFILE_CPU, 1},
    [WEFT_FOLDED_WALL] = {"wall", TRUE, WEFT_PROFILE_WALL, 0},
    [WEFT_FOLDED_CRITICAL] = {"critical-path", FALSE, 0, 0},
};

const char *weft_folded_kind_name(weft_folded_kind_t kind)
{
	return kind < WEFT_FOLDED_COUNT ? kinds[kind].name : "unknown";
}

gboolean weft_folded_kind_from_name(const char *name, weft_folded_kind_t *kind)
{
	for (guint k = 0; k < WEFT_FOLDED_COUNT; k++) {
		if (!g_strcmp0(name, kinds[k].name)) {
			*kind = k;
			return TRUE;
		}
	}
	return FALSE;
}

const char *weft_folded_kind_list(void)
{
	static gsize once;
	static char *list;

	if (g_once_init_enter(&once)) {
		GString *s = g_string_new(NULL);

		for (guint k = 0; k < WEFT_FOLDED_COUNT; k++) {
			g_string_append_printf(s, "%s%s", k ? ", " : "", kinds[k].name);
		}
		list = g_string_free(s, FALSE);
		g_once_init_leave(&once, 1);
	}
	return list;
}

weft_folded_kind_t weft_folded_default_kind(const weft_model_t *model)
{
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		if (t->samples.ts && t->samples.ts->len) {
			return WEFT_FOLDED_WALL;
		}
	}
	return WEFT_FOLDED_BLOCKED;
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

static void fold_profile(const weft_model_t *model, const kind_info_t *info,
                         const weft_profile_options_t *options, GHashTable *stacks)
{
	g_autoptr(weft_profile_t) prof = weft_profile_new(model, info->profile, options);
	g_autoptr(GString) s = g_string_new(NULL);
	/* frame names by callsite index, filled as needed */
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_set_size(names, (gint) model->callsites->len);
	for (guint i = 0; i < prof->samples->len; i++) {
		const weft_profile_sample_t *sm =
		    &g_array_index(prof->samples, weft_profile_sample_t, i);
		const weft_process_t *p = sm->process < model->processes->len
		                              ? g_ptr_array_index(model->processes, sm->process)
		                              : NULL;

		g_string_truncate(s, 0);
		append_frame(s, weft_analysis_process_name(model, p));
		for (guint f = 0; f < sm->depth; f++) {
			guint32 site = g_array_index(prof->frames, guint32, sm->first + f);

			if (!g_ptr_array_index(names, site)) {
				g_ptr_array_index(names, site) =
				    weft_analysis_dup_site_function(model, site);
			}
			append_frame(s, g_ptr_array_index(names, site));
		}
		if (info->profile == WEFT_PROFILE_BLOCKED && sm->tag) {
			append_frame(s, sm->tag);
		}
		add_value(stacks, s->str, sm->values[info->value]);
	}
}

static void thread_prefix(const weft_model_t *model, const weft_thread_t *t, GString *s)
{
	g_autofree char *routine = weft_analysis_dup_routine_label(model, t);

	g_string_truncate(s, 0);
	append_frame(s, weft_analysis_process_name(model, t->process));
	append_frame(s, routine);
}

typedef struct {
	GHashTable *stacks;
	const char *stack;
	const weft_profile_options_t *options;
} running_ctx_t;

static void add_running(weft_time_t start, weft_time_t end, gpointer data)
{
	running_ctx_t *ctx = data;
	weft_time_t d;

	if (weft_profile_options_clip(ctx->options, start, end, &d)) {
		add_value(ctx->stacks, ctx->stack, d);
	}
}

static void fold_running(const weft_model_t *model, const weft_profile_options_t *options,
                         GHashTable *stacks)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);
		g_autofree char *label = weft_analysis_dup_thread_label(model, t);
		running_ctx_t ctx = {stacks, NULL, options};

		if (!weft_profile_options_wants_thread(options, t)) {
			continue;
		}
		thread_prefix(model, t, s);
		append_frame(s, label);
		ctx.stack = s->str;
		weft_analysis_foreach_running(t, add_running, &ctx);
	}
}

/*
 * Self time of nested regions: each slice's time inside the window minus
 * its children's (a child lies inside its parent, so inside the window
 * the child's part lies inside the parent's part).
 */
static void fold_thread_regions(const weft_model_t *model, const weft_thread_t *t,
                                const weft_profile_options_t *options, GHashTable *stacks)
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
		weft_time_t d;

		weft_profile_options_clip(options, g_array_index(sl->start, weft_time_t, j),
		                          g_array_index(sl->end, weft_time_t, j), &d);
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
/* How many frames, from the leaf, are the thread's own (from its start routine down). */
static guint folded_root(const weft_model_t *model, const weft_thread_t *t, const guint32 *frames,
                         guint n)
{
	guint root = weft_profile_root_frame(model, t, frames, n);

	return root == G_MAXUINT ? n : root + 1;
}

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
		for (guint k = st ? folded_root(model, t, frames, st->depth) : 0; k > 0; k--) {
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

static void fold(const weft_model_t *model, weft_folded_kind_t kind,
                 const weft_profile_options_t *options, GHashTable *stacks)
{
	if (kinds[kind].stacks) {
		fold_profile(model, &kinds[kind], options, stacks);
	} else if (kind == WEFT_FOLDED_RUNNING) {
		fold_running(model, options, stacks);
	} else {
		for (guint i = 0; i < model->threads->len; i++) {
			const weft_thread_t *t = g_ptr_array_index(model->threads, i);

			if (weft_profile_options_wants_thread(options, t)) {
				fold_thread_regions(model, t, options, stacks);
			}
		}
	}
}

/* Appends the stacks, sorted, one line each; zero values are left out. */
static void write_sorted(GHashTable *stacks, GString *out)
{
	g_autofree gpointer *keys = NULL;
	guint n = 0;

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

void weft_folded_write(const weft_model_t *model, weft_folded_kind_t kind,
                       const weft_profile_options_t *options, GString *out)
{
	g_autoptr(GHashTable) stacks =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	weft_profile_options_t all = {0};

	g_return_if_fail(kind < WEFT_FOLDED_COUNT && kind != WEFT_FOLDED_CRITICAL);
	if (!options) {
		weft_profile_options_init(&all, model, NULL, NULL);
		options = &all;
	}
	fold(model, kind, options, stacks);
	write_sorted(stacks, out);
	weft_profile_options_clear(&all);
}

void weft_folded_write_critical(const weft_model_t *model, const weft_analysis_options_t *options,
                                GString *out)
{
	g_autoptr(GHashTable) stacks =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	fold_critical(model, options, stacks);
	write_sorted(stacks, out);
}
