/* The critical path of regions, tasks or a thread's range, aggregated. */
#include "weft-analysis-critical.h"

#include "weft-analysis-deadlocks.h"

#include "weft-analysis-private.h"

#include <string.h>

static const char *const kind_suffix[WEFT_CRITICAL_KIND_COUNT] = {
    [WEFT_CRITICAL_OWN] = "",
    [WEFT_CRITICAL_WOKEN] = " (woken)",
    [WEFT_CRITICAL_NO_WAKER] = " (no waker)",
    [WEFT_CRITICAL_UNTRACED] = " (untraced)",
    [WEFT_CRITICAL_DEADLOCK] = " (deadlock)",
};

gboolean weft_critical_wanted(const weft_analysis_options_t *options)
{
	return options &&
	       (options->critical_region || options->critical_task || options->critical_tid > 0);
}

char *weft_critical_dup_state_label(guint8 state, guint8 kind)
{
	if (kind == WEFT_CRITICAL_UNTRACED) {
		return g_strdup("untraced");
	}
	return g_strconcat(weft_state_name(state),
	                   kind < WEFT_CRITICAL_KIND_COUNT ? kind_suffix[kind] : "", NULL);
}

guint32 weft_critical_segment_site(const weft_model_t *model, guint32 stack, guint32 callsite)
{
	const guint32 *frames = NULL;
	const weft_stack_t *s = stack ? weft_model_borrow_stack(model, stack, &frames) : NULL;

	return s && s->depth ? frames[0] : callsite;
}

/* One interval to walk. */
typedef struct {
	guint thread;
	weft_time_t start, end;
} instance_t;

/* Outermost instances of the region on each selected thread. */
static void region_instances(const weft_model_t *model, const weft_analysis_options_t *options,
                             GArray *out)
{
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);
		const weft_slice_track_t *sl = &t->slices;
		weft_time_t covered = G_MININT64;

		if (!weft_analysis_wants_thread(options, t)) {
			continue;
		}
		for (guint j = 0; sl->start && j < sl->start->len; j++) {
			instance_t in = {i, g_array_index(sl->start, weft_time_t, j),
			                 g_array_index(sl->end, weft_time_t, j)};
			const char *name =
			    weft_model_borrow_string(model, g_array_index(sl->name, weft_str_t, j));

			if (strcmp(name, options->critical_region) || in.start < covered) {
				continue; /* another region, or nested in an instance of this one */
			}
			covered = in.end;
			g_array_append_val(out, in);
		}
	}
}

/* A task's path is walked back from its end, on the thread that ended it. */
static void task_instances(const weft_model_t *model, const weft_analysis_options_t *options,
                           GArray *out)
{
	for (guint i = 0; model->tasks && i < model->tasks->len; i++) {
		const weft_task_t *k = &g_array_index(model->tasks, weft_task_t, i);
		guint th = k->end_thread != G_MAXUINT ? k->end_thread : k->begin_thread;
		instance_t in = {th, k->start, k->end};

		if (th >= model->threads->len ||
		    !weft_analysis_wants_thread(options, g_ptr_array_index(model->threads, th)) ||
		    strcmp(weft_model_borrow_string(model, k->name), options->critical_task)) {
			continue;
		}
		g_array_append_val(out, in);
	}
}

static void thread_instance(const weft_model_t *model, const weft_analysis_options_t *options,
                            GArray *out)
{
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);
		instance_t in = {i, MAX(t->start, model->start + options->critical_from),
		                 options->critical_to
		                     ? MIN(t->end, model->start + options->critical_to)
		                     : t->end};

		if (t->tid == options->critical_tid && weft_analysis_wants_thread(options, t)) {
			g_array_append_val(out, in);
			return;
		}
	}
}

static char *dup_target(const weft_analysis_options_t *options)
{
	if (options->critical_region) {
		return g_strdup_printf("region %s", options->critical_region);
	} else if (options->critical_task) {
		return g_strdup_printf("task %s", options->critical_task);
	}
	return g_strdup_printf("thread %" G_GINT64_FORMAT, options->critical_tid);
}

static void add_segment(const weft_model_t *model, GHashTable *rows,
                        const weft_critical_segment_t *s)
{
	guint32 site = weft_critical_segment_site(model, s->stack, s->callsite);
	weft_key_t key = {s->thread, site, s->state, s->kind};
	weft_critical_row_t *r = g_hash_table_lookup(rows, &key);

	if (!r) {
		r = g_new0(weft_critical_row_t, 1);
		r->thread = s->thread;
		r->state = s->state;
		r->kind = s->kind;
		r->site = site;
		weft_key_table_insert(rows, &key, r);
	}
	r->total += s->duration;
	r->segments++;
	if (s->duration > r->example_end - r->example_start) {
		r->example_start = s->start;
		r->example_end = s->start + s->duration;
		r->stack = s->stack;
	}
}

static int cmp_row(gconstpointer pa, gconstpointer pb)
{
	const weft_critical_row_t *a = pa, *b = pb;

	if (a->total != b->total) {
		return a->total < b->total ? 1 : -1;
	}
	if (a->thread != b->thread) {
		return a->thread < b->thread ? -1 : 1;
	}
	if (a->site != b->site) {
		return a->site < b->site ? -1 : 1;
	}
	return (a->state * 16 + a->kind > b->state * 16 + b->kind) -
	       (a->state * 16 + a->kind < b->state * 16 + b->kind);
}

/*
 * A path that ends in a deadlock ends in a wait no one ended: named as
 * such when the wait is one of a cycle's (docs/stats.md, "deadlocks").
 */
static void mark_deadlocks(const weft_model_t *model, const weft_analysis_options_t *options,
                           GArray *segments)
{
	g_autoptr(GArray) found = weft_deadlock_analysis_new(model, options);

	for (guint i = 0; i < segments->len && found->len; i++) {
		weft_critical_segment_t *s = &g_array_index(segments, weft_critical_segment_t, i);

		for (guint d = 0; s->kind == WEFT_CRITICAL_NO_WAKER && d < found->len; d++) {
			const GArray *waits = g_array_index(found, weft_deadlock_t, d).waits;

			for (guint w = 0; w < waits->len; w++) {
				const weft_deadlock_wait_t *dw =
				    &g_array_index(waits, weft_deadlock_wait_t, w);

				if (dw->thread->index == s->thread && s->start >= dw->since) {
					s->kind = WEFT_CRITICAL_DEADLOCK;
				}
			}
		}
	}
}

weft_critical_analysis_t *weft_critical_analysis_new(const weft_model_t *model,
                                                     const weft_analysis_options_t *options)
{
	g_autoptr(GArray) instances = NULL;
	g_autoptr(weft_critical_index_t) index = NULL;
	weft_critical_analysis_t *a;

	if (!weft_critical_wanted(options)) {
		return NULL;
	}
	instances = g_array_new(FALSE, FALSE, sizeof(instance_t));
	if (options->critical_region) {
		region_instances(model, options, instances);
	} else if (options->critical_task) {
		task_instances(model, options, instances);
	} else {
		thread_instance(model, options, instances);
	}
	a = g_new0(weft_critical_analysis_t, 1);
	a->target = dup_target(options);
	a->segments = g_array_new(FALSE, FALSE, sizeof(weft_critical_segment_t));
	a->instance_first = g_array_new(FALSE, FALSE, sizeof(guint));
	index = weft_critical_index_new(model);
	for (guint i = 0; i < instances->len; i++) {
		const instance_t *in = &g_array_index(instances, instance_t, i);

		if (in->end <= in->start) {
			continue;
		}
		g_array_append_val(a->instance_first, a->segments->len);
		weft_critical_path(index, in->thread, in->start, in->end, a->segments);
		a->instances++;
		a->total += in->end - in->start;
	}
	mark_deadlocks(model, options, a->segments);
	a->rows = weft_critical_rows_new(model, a->segments);
	return a;
}

GArray *weft_critical_rows_new(const weft_model_t *model, const GArray *segments)
{
	g_autoptr(GHashTable) rows = weft_key_table_new(g_free);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(weft_critical_row_t));
	GHashTableIter it;
	gpointer v;

	for (guint i = 0; i < segments->len; i++) {
		add_segment(model, rows, &g_array_index(segments, weft_critical_segment_t, i));
	}
	g_hash_table_iter_init(&it, rows);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		g_array_append_vals(out, v, 1);
	}
	g_array_sort(out, cmp_row);
	return out;
}

void weft_critical_analysis_free(weft_critical_analysis_t *a)
{
	if (!a) {
		return;
	}
	g_free(a->target);
	g_array_unref(a->rows);
	g_array_unref(a->segments);
	g_array_unref(a->instance_first);
	g_free(a);
}

static const weft_column_t critical_columns[] = {
    {"thread", "thread", WEFT_CELL_STRING, 0},
    {"state", "state", WEFT_CELL_STRING, 0},
    {"function", "function", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"time", "time", WEFT_CELL_DURATION, 0},
    {"share", "share", WEFT_CELL_RATIO, 0},
    {"per_instance", "per inst", WEFT_CELL_DURATION, 0},
    {"segments", "segs", WEFT_CELL_COUNT, 0},
    {"site", "call site", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"tid", "tid", WEFT_CELL_COUNT, WEFT_COLUMN_WIDE},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
};

char *weft_critical_row_dup_function(const weft_model_t *model, const weft_critical_row_t *r)
{
	if (!r->site) {
		return g_strdup(r->kind == WEFT_CRITICAL_UNTRACED ? "(before the first event)"
		                                                  : "(between traced calls)");
	}
	return weft_analysis_dup_site_function(model, r->site);
}

static void add_table_row(weft_table_t *table, const weft_model_t *model,
                          const weft_critical_analysis_t *a, const weft_critical_row_t *r)
{
	const weft_thread_t *t = g_ptr_array_index(model->threads, r->thread);
	guint row = weft_table_add_row(table);

	weft_table_take_string(table, row, 0, weft_analysis_dup_thread_label(model, t));
	weft_table_take_string(table, row, 1, weft_critical_dup_state_label(r->state, r->kind));
	weft_table_take_string(table, row, 2, weft_critical_row_dup_function(model, r));
	weft_table_set_int(table, row, 3, r->total);
	weft_table_set_double(table, row, 4, a->total ? (double) r->total / (double) a->total : 0);
	weft_table_set_int(table, row, 5, a->instances ? r->total / (gint64) a->instances : 0);
	weft_table_set_int(table, row, 6, (gint64) r->segments);
	weft_table_take_string(
	    table, row, 7, r->site ? weft_analysis_dup_site_label(model, r->site) : g_strdup("-"));
	weft_table_set_int(table, row, 8, t->tid);
	weft_table_take_string(table, row, 9, weft_analysis_dup_process_label(model, t->process));
	weft_table_set_link(table, row, t, r->example_start, r->example_end);
}

weft_table_t *weft_critical_table_new(const weft_model_t *model,
                                      const weft_analysis_options_t *options)
{
	g_autoptr(weft_critical_analysis_t) a = weft_critical_analysis_new(model, options);
	weft_table_t *table = weft_table_new("critical-path", "Critical path", critical_columns,
	                                     G_N_ELEMENTS(critical_columns), model->start);
	g_autofree char *span = NULL;
	g_autofree char *note = NULL;

	if (!a) {
		weft_table_set_note(table,
		                    "no target: --critical-path=REGION, "
		                    "--critical-path-task=NAME or --critical-path-thread=TID");
		return table;
	}
	span = weft_table_format_duration(a->total);
	note = g_strdup_printf("%s: %u instance%s, %s on the path; each row: time on the path "
	                       "in that thread, state and function",
	                       a->target, a->instances, a->instances == 1 ? "" : "s", span);
	weft_table_set_note(table, note);
	for (guint i = 0; i < a->rows->len; i++) {
		add_table_row(table, model, a, &g_array_index(a->rows, weft_critical_row_t, i));
	}
	return table;
}
