/*
 * The cpu section: the cpu profile (weft-profile.h, so the numbers are
 * those of `weft pprof --profile=cpu`) summed by function. A function that
 * appears twice in one stack (recursion) counts once in cum.
 */
#include "weft-analysis-cpu.h"

#include "weft-analysis-private.h"
#include "weft-profile.h"

typedef struct {
	char *function; /* owned */
	gint64 flat, cum;
} cpu_row_t;

static void cpu_row_free(gpointer data)
{
	cpu_row_t *r = data;

	g_free(r->function);
	g_free(r);
}

static cpu_row_t *row_for(GHashTable *rows, char *function)
{
	cpu_row_t *r = g_hash_table_lookup(rows, function);

	if (r) {
		g_free(function);
		return r;
	}
	r = g_new0(cpu_row_t, 1);
	r->function = function;
	g_hash_table_insert(rows, r->function, r);
	return r;
}

/* One sample's value: flat to its leaf, cum once to every function of its stack. */
static void add_sample(const weft_profile_t *prof, const weft_profile_sample_t *sm, gint64 ns,
                       GHashTable *rows)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);

	if (sm->depth == 0) {
		cpu_row_t *r = row_for(rows, g_strdup("(no stack)"));

		r->flat += ns;
		r->cum += ns;
		return;
	}
	for (guint k = 0; k < sm->depth; k++) {
		guint32 site = g_array_index(prof->frames, guint32, sm->first + k);
		cpu_row_t *r = row_for(rows, weft_analysis_dup_site_function(prof->model, site));

		if (k == sm->depth - 1) {
			r->flat += ns;
		}
		if (g_hash_table_add(seen, r)) {
			r->cum += ns;
		}
	}
}

static gint cmp_rows(gconstpointer a, gconstpointer b)
{
	const cpu_row_t *x = *(cpu_row_t *const *) a, *y = *(cpu_row_t *const *) b;

	if (x->flat != y->flat) {
		return x->flat > y->flat ? -1 : 1;
	}
	if (x->cum != y->cum) {
		return x->cum > y->cum ? -1 : 1;
	}
	return g_strcmp0(x->function, y->function);
}

gboolean weft_cpu_has_samples(const weft_model_t *model, const weft_analysis_options_t *options)
{
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		if (t->samples.ts->len > 0 && weft_analysis_wants_thread(options, t)) {
			return TRUE;
		}
	}
	return FALSE;
}

static const weft_column_t cpu_columns[] = {
    {"flat", "flat", WEFT_CELL_DURATION, 0},
    {"flat_ratio", "flat%", WEFT_CELL_RATIO, 0},
    {"sum_ratio", "sum%", WEFT_CELL_RATIO, 0},
    {"cum", "cum", WEFT_CELL_DURATION, 0},
    {"cum_ratio", "cum%", WEFT_CELL_RATIO, 0},
    {"function", "function", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
};

static void fill_table(weft_table_t *table, GPtrArray *sorted, gint64 total)
{
	gint64 sum = 0;

	for (guint i = 0; i < sorted->len; i++) {
		const cpu_row_t *r = g_ptr_array_index(sorted, i);
		guint row = weft_table_add_row(table);

		sum += r->flat;
		weft_table_set_int(table, row, 0, r->flat);
		weft_table_set_double(table, row, 1, (double) r->flat / (double) total);
		weft_table_set_double(table, row, 2, (double) sum / (double) total);
		weft_table_set_int(table, row, 3, r->cum);
		weft_table_set_double(table, row, 4, (double) r->cum / (double) total);
		weft_table_set_string(table, row, 5, r->function);
	}
}

weft_table_t *weft_cpu_table_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	weft_profile_request_t request = {.pid = options ? options->pid : 0};
	weft_profile_options_t popts;
	g_autoptr(weft_profile_t) prof = NULL;
	g_autoptr(GHashTable) rows =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, cpu_row_free);
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	weft_table_t *table = weft_table_new("cpu", "CPU time by function", cpu_columns,
	                                     G_N_ELEMENTS(cpu_columns), model->start);
	g_autofree char *note = NULL;
	gint64 total;

	if (!weft_profile_options_init(&popts, model, &request, NULL)) {
		return table;
	}
	prof = weft_profile_new(model, WEFT_PROFILE_CPU, &popts);
	/* values: samples/count, cpu/nanoseconds */
	for (guint i = 0; i < prof->samples->len; i++) {
		const weft_profile_sample_t *sm =
		    &g_array_index(prof->samples, weft_profile_sample_t, i);

		add_sample(prof, sm, sm->values[1], rows);
	}
	weft_profile_options_clear(&popts);
	total = weft_profile_total(prof, 1);
	note = total > 0 ? g_strdup_printf("%" G_GINT64_FORMAT " CPU samples, one per %.3g ms of a "
	                                   "thread's CPU time (estimates)",
	                                   weft_profile_total(prof, 0), (double) prof->period / 1e6)
	                 : g_strdup("no CPU samples (weft record --preload samples at --cpu-hz, "
	                            "default 99)");
	weft_table_set_note(table, note);
	if (total <= 0) {
		return table;
	}
	{
		GHashTableIter it;
		gpointer value;

		g_hash_table_iter_init(&it, rows);
		while (g_hash_table_iter_next(&it, NULL, &value)) {
			g_ptr_array_add(sorted, value);
		}
	}
	g_ptr_array_sort(sorted, cmp_rows);
	fill_table(table, sorted, total);
	table->estimated = TRUE;
	return table;
}
