/* Regions and tasks per name, with their slowest instances. */
#include "weft-analysis-regions.h"

#include "weft-analysis-private.h"

#define DEFAULT_INSTANCES 3

typedef struct {
	weft_str_t name;
	weft_dist_builder_t values;
	GArray *slowest; /* weft_span_instance_t, slowest first */
} span_acc_t;

static guint n_instances(const weft_analysis_options_t *options)
{
	return options && options->instances ? options->instances : DEFAULT_INSTANCES;
}

/* Keeps the k slowest instances, slowest first (earliest first among equals). */
static void keep_slowest(GArray *slowest, guint k, const weft_span_instance_t *in)
{
	weft_time_t d = in->end - in->start;
	guint pos = slowest->len;

	while (pos > 0) {
		const weft_span_instance_t *o =
		    &g_array_index(slowest, weft_span_instance_t, pos - 1);

		if (o->end - o->start >= d) {
			break;
		}
		pos--;
	}
	if (pos >= k) {
		return;
	}
	g_array_insert_val(slowest, pos, *in);
	if (slowest->len > k) {
		g_array_set_size(slowest, k);
	}
}

static span_acc_t *lookup(GHashTable *accs, weft_str_t name)
{
	span_acc_t *acc = g_hash_table_lookup(accs, GUINT_TO_POINTER(name + 1));

	if (!acc) {
		acc = g_new0(span_acc_t, 1);
		acc->name = name;
		weft_dist_builder_init(&acc->values);
		acc->slowest = g_array_new(FALSE, FALSE, sizeof(weft_span_instance_t));
		g_hash_table_insert(accs, GUINT_TO_POINTER(name + 1), acc);
	}
	return acc;
}

static void add_span(GHashTable *accs, guint k, weft_str_t name, const weft_span_instance_t *in)
{
	span_acc_t *acc = lookup(accs, name);

	weft_dist_builder_add(&acc->values, in->end - in->start);
	keep_slowest(acc->slowest, k, in);
}

static void scan_regions(const weft_model_t *model, const weft_analysis_options_t *options,
                         GHashTable *accs)
{
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);
		const weft_slice_track_t *sl = &t->slices;
		guint k = n_instances(options);

		if (!weft_analysis_wants_thread(options, t)) {
			continue;
		}
		for (guint j = 0; sl->start && j < sl->start->len; j++) {
			weft_span_instance_t in = {t, g_array_index(sl->start, weft_time_t, j),
			                           g_array_index(sl->end, weft_time_t, j),
			                           g_array_index(sl->flags, guint8, j)};

			add_span(accs, k, g_array_index(sl->name, weft_str_t, j), &in);
		}
	}
}

static void scan_tasks(const weft_model_t *model, const weft_analysis_options_t *options,
                       GHashTable *accs)
{
	for (guint i = 0; i < model->tasks->len; i++) {
		const weft_task_t *task = &g_array_index(model->tasks, weft_task_t, i);
		guint th = task->begin_thread != G_MAXUINT ? task->begin_thread : task->end_thread;
		weft_span_instance_t in = {
		    th < model->threads->len ? g_ptr_array_index(model->threads, th) : NULL,
		    task->start, task->end, task->flags};
		guint k = n_instances(options);

		if (options && options->pid &&
		    (!in.thread || !weft_analysis_wants_thread(options, in.thread))) {
			continue;
		}
		add_span(accs, k, task->name, &in);
	}
}

static int cmp_stats(gconstpointer pa, gconstpointer pb)
{
	const weft_span_stats_t *a = pa, *b = pb;

	if (a->dist.total != b->dist.total) {
		return a->dist.total < b->dist.total ? 1 : -1;
	}
	return (a->name > b->name) - (a->name < b->name);
}

GArray *weft_span_analysis_new(const weft_model_t *model, weft_span_kind_t kind,
                               const weft_analysis_options_t *options)
{
	g_autoptr(GHashTable) accs =
	    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	GArray *stats = g_array_new(FALSE, TRUE, sizeof(weft_span_stats_t));
	GHashTableIter it;
	gpointer v;

	if (kind == WEFT_SPAN_REGIONS) {
		scan_regions(model, options, accs);
	} else {
		scan_tasks(model, options, accs);
	}
	g_hash_table_iter_init(&it, accs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		span_acc_t *acc = v;
		weft_span_stats_t s = {acc->name, {0}, acc->slowest};

		weft_dist_builder_finish(&acc->values, &s.dist);
		g_array_append_val(stats, s);
	}
	g_array_sort(stats, cmp_stats);
	return stats;
}

void weft_span_stats_free(GArray *stats)
{
	if (!stats) {
		return;
	}
	for (guint i = 0; i < stats->len; i++) {
		g_array_free(g_array_index(stats, weft_span_stats_t, i).slowest, TRUE);
	}
	g_array_free(stats, TRUE);
}

static const weft_column_t span_columns[] = {
    {"name", "name", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"count", "count", WEFT_CELL_COUNT, 0},
    {"total", "total", WEFT_CELL_DURATION, 0},
    {"mean", "mean", WEFT_CELL_DURATION, 0},
    {"p50", "p50", WEFT_CELL_DURATION, 0},
    {"p99", "p99", WEFT_CELL_DURATION, 0},
    {"max", "max", WEFT_CELL_DURATION, 0},
    {"histogram", "histogram", WEFT_CELL_HISTOGRAM, 0},
};

weft_table_t *weft_span_table_new(const weft_model_t *model, weft_span_kind_t kind,
                                  const weft_analysis_options_t *options)
{
	GArray *stats = weft_span_analysis_new(model, kind, options);
	weft_table_t *table =
	    weft_table_new(kind == WEFT_SPAN_REGIONS ? "regions" : "tasks",
	                   kind == WEFT_SPAN_REGIONS ? "User regions" : "User tasks", span_columns,
	                   G_N_ELEMENTS(span_columns), model->start);

	weft_table_set_note(table, "histogram: log2 duration buckets from the shortest to the "
	                           "longest instance");
	for (guint i = 0; i < stats->len; i++) {
		const weft_span_stats_t *s = &g_array_index(stats, weft_span_stats_t, i);
		const weft_span_instance_t *worst =
		    &g_array_index(s->slowest, weft_span_instance_t, 0);
		guint row = weft_table_add_row(table);

		weft_table_set_string(table, row, 0, weft_model_borrow_string(model, s->name));
		weft_table_set_int(table, row, 1, (gint64) s->dist.count);
		weft_table_set_int(table, row, 2, s->dist.total);
		weft_table_set_int(table, row, 3, (gint64) (s->dist.mean + 0.5));
		weft_table_set_int(table, row, 4, s->dist.p50);
		weft_table_set_int(table, row, 5, s->dist.p99);
		weft_table_set_int(table, row, 6, s->dist.max);
		weft_table_set_histogram(table, row, 7, &s->dist.histogram);
		weft_table_set_link(table, row, worst->thread, worst->start, worst->end);
	}
	weft_span_stats_free(stats);
	return table;
}

static const weft_column_t instance_columns[] = {
    {"name", "name", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"rank", "rank", WEFT_CELL_COUNT, 0},
    {"duration", "duration", WEFT_CELL_DURATION, 0},
    {"start", "start", WEFT_CELL_TIME, 0},
    {"thread", "thread", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"clipped", "clipped", WEFT_CELL_STRING, 0},
};

weft_table_t *weft_span_instances_table_new(const weft_model_t *model, weft_span_kind_t kind,
                                            const weft_analysis_options_t *options)
{
	GArray *stats = weft_span_analysis_new(model, kind, options);
	weft_table_t *table =
	    weft_table_new(kind == WEFT_SPAN_REGIONS ? "region-instances" : "task-instances",
	                   kind == WEFT_SPAN_REGIONS ? "Slowest regions" : "Slowest tasks",
	                   instance_columns, G_N_ELEMENTS(instance_columns), model->start);

	for (guint i = 0; i < stats->len; i++) {
		const weft_span_stats_t *s = &g_array_index(stats, weft_span_stats_t, i);

		for (guint j = 0; j < s->slowest->len; j++) {
			const weft_span_instance_t *in =
			    &g_array_index(s->slowest, weft_span_instance_t, j);
			guint row = weft_table_add_row(table);
			gboolean clipped = in->flags & (WEFT_FLAG_UNFINISHED | WEFT_FLAG_UNSTARTED);

			weft_table_set_string(table, row, 0,
			                      weft_model_borrow_string(model, s->name));
			weft_table_set_int(table, row, 1, j + 1);
			weft_table_set_int(table, row, 2, in->end - in->start);
			weft_table_set_int(table, row, 3, in->start);
			if (in->thread) {
				weft_table_take_string(
				    table, row, 4,
				    weft_analysis_dup_thread_label(model, in->thread));
			}
			weft_table_set_string(table, row, 5, clipped ? "yes" : "no");
			weft_table_set_link(table, row, in->thread, in->start, in->end);
		}
	}
	weft_span_stats_free(stats);
	return table;
}
