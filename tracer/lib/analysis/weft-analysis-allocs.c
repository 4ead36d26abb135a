/* Allocation analyses over each process's allocation records. */
#include "weft-analysis-allocs.h"

#include "weft-analysis-private.h"
#include "weft-analysis-sites.h"

/* How many allocations one record stands for. */
static double record_scale(const weft_alloc_t *a)
{
	if (a->size == 0 || a->weight == a->size) {
		return 1.0;
	}
	return (double) a->weight / (double) a->size;
}

static gboolean never_freed(const weft_alloc_t *a)
{
	return a->free_ts == G_MAXINT64;
}

typedef struct {
	weft_time_t t;
	gint64 delta;
} heap_step_t;

static int cmp_step(gconstpointer pa, gconstpointer pb)
{
	const heap_step_t *a = pa, *b = pb;

	if (a->t != b->t) {
		return (a->t > b->t) - (a->t < b->t);
	}
	/* Frees first at equal times: a block freed and reused is not counted twice. */
	return (a->delta > b->delta) - (a->delta < b->delta);
}

static void peak_from_records(const weft_process_t *p, weft_heap_row_t *row)
{
	g_autoptr(GArray) steps = g_array_new(FALSE, FALSE, sizeof(heap_step_t));
	gint64 cur = 0;

	for (guint i = 0; i < p->allocs->len; i++) {
		const weft_alloc_t *a = &g_array_index(p->allocs, weft_alloc_t, i);
		heap_step_t s = {a->ts, (gint64) a->weight};

		g_array_append_val(steps, s);
		if (!never_freed(a)) {
			s.t = a->free_ts;
			s.delta = -(gint64) a->weight;
			g_array_append_val(steps, s);
		}
	}
	g_array_sort(steps, cmp_step);
	for (guint i = 0; i < steps->len; i++) {
		cur += g_array_index(steps, heap_step_t, i).delta;
		if (cur > row->peak) {
			row->peak = cur;
			row->peak_ts = g_array_index(steps, heap_step_t, i).t;
		}
	}
}

static gboolean peak_from_counter(const weft_process_t *p, weft_heap_row_t *row)
{
	for (guint i = 0; i < p->counters->len; i++) {
		const weft_counter_t *c = g_ptr_array_index(p->counters, i);

		if (!c->is_heap || !c->ts || !c->ts->len) {
			continue;
		}
		for (guint j = 0; j < c->ts->len; j++) {
			gint64 v = g_array_index(c->value, gint64, j);

			if (v > row->peak || j == 0) {
				row->peak = v;
				row->peak_ts = g_array_index(c->ts, weft_time_t, j);
			}
		}
		return TRUE;
	}
	return FALSE;
}

static gboolean process_has_heap_data(const weft_process_t *p)
{
	if (p->allocs && p->allocs->len) {
		return TRUE;
	}
	for (guint i = 0; i < p->counters->len; i++) {
		if (((const weft_counter_t *) g_ptr_array_index(p->counters, i))->is_heap) {
			return TRUE;
		}
	}
	return FALSE;
}

GArray *weft_heap_analysis_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(weft_heap_row_t));

	for (guint i = 0; i < model->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(model->processes, i);
		weft_heap_row_t row = {0};
		guint n = p->allocs ? p->allocs->len : 0;
		double seconds = (double) MAX(p->end - p->start, 1) / 1e9;

		if (!process_has_heap_data(p) || !weft_analysis_wants_process(options, p)) {
			continue;
		}
		row.process = p;
		row.estimated = p->alloc_sampled;
		for (guint j = 0; j < n; j++) {
			const weft_alloc_t *a = &g_array_index(p->allocs, weft_alloc_t, j);

			row.allocs += record_scale(a);
			row.bytes += (gint64) a->weight;
			if (never_freed(a)) {
				row.live_end += (gint64) a->weight;
			} else {
				row.frees += record_scale(a);
			}
		}
		row.peak_exact = peak_from_counter(p, &row);
		if (!row.peak_exact) {
			peak_from_records(p, &row);
		}
		row.alloc_rate = row.allocs / seconds;
		row.byte_rate = (double) row.bytes / seconds;
		g_array_append_val(rows, row);
	}
	return rows;
}

static int cmp_site(gconstpointer pa, gconstpointer pb)
{
	const weft_alloc_site_row_t *a = pa, *b = pb;

	if (a->bytes != b->bytes) {
		return a->bytes < b->bytes ? 1 : -1;
	}
	return (a->callsite > b->callsite) - (a->callsite < b->callsite);
}

static int cmp_live(gconstpointer pa, gconstpointer pb)
{
	const weft_alloc_site_row_t *a = pa, *b = pb;

	if (a->live_bytes != b->live_bytes) {
		return a->live_bytes < b->live_bytes ? 1 : -1;
	}
	return cmp_site(pa, pb);
}

static void add_to_site(weft_alloc_site_row_t *r, const weft_alloc_t *a)
{
	r->count += record_scale(a);
	r->bytes += (gint64) a->weight;
	r->largest = MAX(r->largest, (gint64) a->size);
	if (never_freed(a)) {
		r->live_count += record_scale(a);
		r->live_bytes += (gint64) a->weight;
		if (a->ts < r->first_live_ts) {
			r->first_live_ts = a->ts;
			r->first_live_tid = a->tid;
		}
	}
}

static void sites_of_process(const weft_process_t *p, gboolean live_only, weft_sites_t *sites,
                             GArray *rows)
{
	g_autoptr(GHashTable) index = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint n = p->allocs ? p->allocs->len : 0;

	for (guint j = 0; j < n; j++) {
		const weft_alloc_t *a = &g_array_index(p->allocs, weft_alloc_t, j);
		gpointer found;
		weft_alloc_site_row_t *r;
		guint32 site;

		if (live_only && !never_freed(a)) {
			continue;
		}
		site = weft_sites_key(sites, a->stack, a->callsite);
		if (g_hash_table_lookup_extended(index, GUINT_TO_POINTER(site), NULL, &found)) {
			r = &g_array_index(rows, weft_alloc_site_row_t, GPOINTER_TO_UINT(found));
		} else {
			weft_alloc_site_row_t fresh = {0};

			fresh.process = p;
			fresh.callsite = site;
			fresh.estimated = p->alloc_sampled;
			fresh.first_live_ts = G_MAXINT64;
			fresh.first_live_tid = -1;
			g_hash_table_insert(index, GUINT_TO_POINTER(site),
			                    GUINT_TO_POINTER(rows->len));
			g_array_append_val(rows, fresh);
			r = &g_array_index(rows, weft_alloc_site_row_t, rows->len - 1);
		}
		add_to_site(r, a);
	}
}

GArray *weft_alloc_site_analysis_new(const weft_model_t *model, gboolean live_only,
                                     const weft_analysis_options_t *options)
{
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(weft_alloc_site_row_t));
	g_autoptr(weft_sites_t) sites =
	    weft_sites_new(model, options ? options->group : WEFT_GROUP_CALLER);

	for (guint i = 0; i < model->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(model->processes, i);

		if (weft_analysis_wants_process(options, p)) {
			sites_of_process(p, live_only, sites, rows);
		}
	}
	g_array_sort(rows, live_only ? cmp_live : cmp_site);
	return rows;
}

static gboolean model_sampled(const weft_model_t *model, const weft_analysis_options_t *options)
{
	for (guint i = 0; i < model->processes->len; i++) {
		if (((const weft_process_t *) g_ptr_array_index(model->processes, i))
		        ->alloc_sampled) {
			return TRUE;
		}
	}
	return FALSE;
}

static void mark_estimates(weft_table_t *table, const guint *cols, guint n)
{
	for (guint i = 0; i < n; i++) {
		weft_table_mark_estimate(table, cols[i]);
	}
	weft_table_set_note(table, "allocations were sampled: ~ columns are scaled estimates");
}

static const weft_column_t heap_columns[] = {
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"peak", "peak", WEFT_CELL_BYTES, 0},
    {"peak_at", "peak at", WEFT_CELL_TIME, 0},
    {"allocs", "allocs", WEFT_CELL_COUNT, 0},
    {"bytes", "allocated", WEFT_CELL_BYTES, 0},
    {"frees", "frees", WEFT_CELL_COUNT, 0},
    {"live_end", "live at end", WEFT_CELL_BYTES, 0},
    {"alloc_rate", "allocs/s", WEFT_CELL_RATE, 0},
    {"byte_rate", "bytes/s", WEFT_CELL_RATE, WEFT_COLUMN_WIDE},
    {"peak_exact", "peak from", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
};

static const weft_thread_t *thread_of(const weft_process_t *p, gint64 tid)
{
	for (guint i = 0; p && i < p->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(p->threads, i);

		if (t->tid == tid) {
			return t;
		}
	}
	return NULL;
}

weft_table_t *weft_heap_table_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	g_autoptr(GArray) rows = weft_heap_analysis_new(model, options);
	weft_table_t *table =
	    weft_table_new("heap", "Heap", heap_columns, G_N_ELEMENTS(heap_columns), model->start);

	if (model_sampled(model, options)) {
		static const guint est[] = {3, 4, 5, 6, 7, 8};

		mark_estimates(table, est, G_N_ELEMENTS(est));
	}
	for (guint i = 0; i < rows->len; i++) {
		const weft_heap_row_t *r = &g_array_index(rows, weft_heap_row_t, i);
		const weft_thread_t *main = thread_of(r->process, r->process->pid);
		guint row = weft_table_add_row(table);

		weft_table_take_string(table, row, 0,
		                       weft_analysis_dup_process_label(model, r->process));
		weft_table_set_int(table, row, 1, r->peak);
		weft_table_set_int(table, row, 2, r->peak_ts);
		/* Without records (sampling kept none) only the heap counter is known. */
		if (r->process->allocs && r->process->allocs->len) {
			weft_table_set_int(table, row, 3, (gint64) (r->allocs + 0.5));
			weft_table_set_int(table, row, 4, r->bytes);
			weft_table_set_int(table, row, 5, (gint64) (r->frees + 0.5));
			weft_table_set_int(table, row, 6, r->live_end);
			weft_table_set_double(table, row, 7, r->alloc_rate);
			weft_table_set_double(table, row, 8, r->byte_rate);
		}
		weft_table_set_string(table, row, 9, r->peak_exact ? "heap counter" : "records");
		if (!main && r->process->threads->len) {
			main = g_ptr_array_index(r->process->threads, 0);
		}
		weft_table_set_link(table, row, main, r->peak_ts, r->peak_ts);
	}
	return table;
}

static const weft_column_t site_columns[] = {
    {"site", "call site", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"count", "count", WEFT_CELL_COUNT, 0},
    {"bytes", "bytes", WEFT_CELL_BYTES, 0},
    {"mean", "mean size", WEFT_CELL_BYTES, 0},
    {"live_count", "live", WEFT_CELL_COUNT, 0},
    {"live_bytes", "live bytes", WEFT_CELL_BYTES, 0},
    {"function", "function", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"largest", "largest", WEFT_CELL_BYTES, WEFT_COLUMN_WIDE},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
};

static void set_site_cells(weft_table_t *table, guint row, const weft_model_t *model,
                           const weft_alloc_site_row_t *r)
{
	weft_table_take_string(table, row, 0, weft_analysis_dup_site_label(model, r->callsite));
	weft_table_take_string(table, row, 6, weft_analysis_dup_site_function(model, r->callsite));
	weft_table_set_int(table, row, 7, r->largest);
	weft_table_take_string(table, row, 8, weft_analysis_dup_process_label(model, r->process));
	if (r->first_live_ts != G_MAXINT64) {
		weft_table_set_link(table, row, thread_of(r->process, r->first_live_tid),
		                    r->first_live_ts, r->first_live_ts);
	}
}

weft_table_t *weft_alloc_site_table_new(const weft_model_t *model,
                                        const weft_analysis_options_t *options)
{
	g_autoptr(GArray) rows = weft_alloc_site_analysis_new(model, FALSE, options);
	weft_table_t *table = weft_table_new("allocs", "Allocations by call site", site_columns,
	                                     G_N_ELEMENTS(site_columns), model->start);

	if (model_sampled(model, options)) {
		static const guint est[] = {1, 2, 3, 4, 5};

		mark_estimates(table, est, G_N_ELEMENTS(est));
	}
	for (guint i = 0; i < rows->len; i++) {
		const weft_alloc_site_row_t *r = &g_array_index(rows, weft_alloc_site_row_t, i);
		guint row = weft_table_add_row(table);

		weft_table_set_int(table, row, 1, (gint64) (r->count + 0.5));
		weft_table_set_int(table, row, 2, r->bytes);
		weft_table_set_int(table, row, 3,
		                   r->count > 0 ? (gint64) (r->bytes / r->count) : 0);
		weft_table_set_int(table, row, 4, (gint64) (r->live_count + 0.5));
		weft_table_set_int(table, row, 5, r->live_bytes);
		set_site_cells(table, row, model, r);
	}
	return table;
}

static const weft_column_t leak_columns[] = {
    {"site", "allocated at (never freed)", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"blocks", "blocks", WEFT_CELL_COUNT, 0},
    {"bytes", "bytes", WEFT_CELL_BYTES, 0},
    {"first", "first at", WEFT_CELL_TIME, 0},
    {"largest", "largest", WEFT_CELL_BYTES, 0},
    {"function", "function", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
};

weft_table_t *weft_leak_table_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	g_autoptr(GArray) rows = weft_alloc_site_analysis_new(model, TRUE, options);
	weft_table_t *table =
	    weft_table_new("leaks", "Blocks never freed (possible leaks)", leak_columns,
	                   G_N_ELEMENTS(leak_columns), model->start);

	if (model_sampled(model, options)) {
		static const guint est[] = {1, 2};

		mark_estimates(table, est, G_N_ELEMENTS(est));
	}
	for (guint i = 0; i < rows->len; i++) {
		const weft_alloc_site_row_t *r = &g_array_index(rows, weft_alloc_site_row_t, i);
		guint row = weft_table_add_row(table);

		weft_table_take_string(table, row, 0,
		                       weft_analysis_dup_site_label(model, r->callsite));
		weft_table_set_int(table, row, 1, (gint64) (r->live_count + 0.5));
		weft_table_set_int(table, row, 2, r->live_bytes);
		weft_table_set_int(table, row, 3, r->first_live_ts);
		weft_table_set_int(table, row, 4, r->largest);
		weft_table_take_string(table, row, 5,
		                       weft_analysis_dup_site_function(model, r->callsite));
		weft_table_take_string(table, row, 6,
		                       weft_analysis_dup_process_label(model, r->process));
		weft_table_set_link(table, row, thread_of(r->process, r->first_live_tid),
		                    r->first_live_ts, r->first_live_ts);
	}
	return table;
}

static const weft_column_t size_columns[] = {
    {"from", "size from", WEFT_CELL_BYTES, 0}, {"to", "below", WEFT_CELL_BYTES, 0},
    {"count", "count", WEFT_CELL_COUNT, 0},    {"share", "share", WEFT_CELL_RATIO, 0},
    {"bytes", "bytes", WEFT_CELL_BYTES, 0},    {"live_count", "never freed", WEFT_CELL_COUNT, 0},
};

weft_table_t *weft_size_table_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	double count[WEFT_HISTOGRAM_BUCKETS] = {0}, live[WEFT_HISTOGRAM_BUCKETS] = {0}, all = 0;
	gint64 bytes[WEFT_HISTOGRAM_BUCKETS] = {0};
	weft_table_t *table = weft_table_new("sizes", "Allocation sizes", size_columns,
	                                     G_N_ELEMENTS(size_columns), model->start);

	if (model_sampled(model, options)) {
		static const guint est[] = {2, 4, 5};

		mark_estimates(table, est, G_N_ELEMENTS(est));
	}
	for (guint i = 0; i < model->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(model->processes, i);

		if (!weft_analysis_wants_process(options, p)) {
			continue;
		}
		for (guint j = 0; p->allocs && j < p->allocs->len; j++) {
			const weft_alloc_t *a = &g_array_index(p->allocs, weft_alloc_t, j);
			guint b = weft_histogram_bucket(a->size);

			count[b] += record_scale(a);
			all += record_scale(a);
			bytes[b] += (gint64) a->weight;
			live[b] += never_freed(a) ? record_scale(a) : 0;
		}
	}
	for (guint b = 0; b < WEFT_HISTOGRAM_BUCKETS - 1; b++) {
		guint row;

		if (count[b] == 0) {
			continue;
		}
		row = weft_table_add_row(table);
		weft_table_set_int(table, row, 0, b ? (gint64) 1 << b : 0);
		weft_table_set_int(table, row, 1, (gint64) 1 << (b + 1));
		weft_table_set_int(table, row, 2, (gint64) (count[b] + 0.5));
		weft_table_set_double(table, row, 3, count[b] / all);
		weft_table_set_int(table, row, 4, bytes[b]);
		weft_table_set_int(table, row, 5, (gint64) (live[b] + 0.5));
	}
	return table;
}
