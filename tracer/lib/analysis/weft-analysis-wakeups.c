/* Wake-ups of condvar and semaphore waits, and the futile ones. */
#include "weft-analysis-wakeups.h"

#include "weft-analysis-private.h"

#define DEFAULT_REWAIT_WINDOW 1000000 /* 1 ms */

typedef struct {
	weft_wakeup_row_t row;
	GHashTable *threads; /* thread index + 1 set, owned */
} wake_acc_t;

static void wake_acc_free(wake_acc_t *acc)
{
	g_hash_table_destroy(acc->threads);
	g_free(acc);
}

static gboolean is_wait(guint8 state)
{
	return state == WEFT_STATE_CONDVAR || state == WEFT_STATE_SEMAPHORE;
}

static wake_acc_t *lookup(GHashTable *accs, const weft_thread_t *t, guint8 state, guint64 object,
                          guint32 site)
{
	weft_key_t key = {t->process ? t->process->pid : -1, object, state, site};
	wake_acc_t *acc = g_hash_table_lookup(accs, &key);

	if (!acc) {
		acc = g_new0(wake_acc_t, 1);
		acc->row.process = t->process;
		acc->row.object = object;
		acc->row.state = state;
		acc->row.callsite = site;
		acc->threads = g_hash_table_new(g_direct_hash, g_direct_equal);
		weft_key_table_insert(accs, &key, acc);
	}
	return acc;
}

/* Index of the next non-running interval after i, or n. */
static guint next_blocked(const weft_state_track_t *st, guint i, guint n)
{
	for (guint j = i + 1; j < n; j++) {
		if (g_array_index(st->state, guint8, j) != WEFT_STATE_RUNNING) {
			return j;
		}
	}
	return n;
}

static void scan_thread(const weft_thread_t *t, weft_time_t window, GHashTable *accs)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;

	for (guint i = 0; i < n; i++) {
		guint8 state = g_array_index(st->state, guint8, i);
		guint64 object;
		weft_time_t s, e;
		wake_acc_t *acc;
		guint j;
		gboolean futile;

		if (!is_wait(state) ||
		    (g_array_index(st->flags, guint8, i) & WEFT_FLAG_UNFINISHED)) {
			continue;
		}
		object = g_array_index(st->object, guint64, i);
		s = g_array_index(st->start, weft_time_t, i);
		e = g_array_index(st->end, weft_time_t, i);
		j = next_blocked(st, i, n);
		futile = j < n && g_array_index(st->state, guint8, j) == state &&
		         g_array_index(st->object, guint64, j) == object &&
		         g_array_index(st->start, weft_time_t, j) - e <= window;
		acc = lookup(accs, t, state, object, g_array_index(st->callsite, guint32, i));
		acc->row.wakeups++;
		acc->row.futile += futile;
		acc->row.wait_total += e - s;
		g_hash_table_add(acc->threads, GUINT_TO_POINTER(t->index + 1));
		if (!acc->row.example_thread || (futile && acc->row.futile == 1)) {
			acc->row.example_thread = t;
			acc->row.example_start = s;
			acc->row.example_end = futile ? g_array_index(st->end, weft_time_t, j) : e;
		}
	}
}

static int cmp_wake(gconstpointer pa, gconstpointer pb)
{
	const weft_wakeup_row_t *a = pa, *b = pb;

	if (a->futile != b->futile) {
		return a->futile < b->futile ? 1 : -1;
	}
	if (a->wakeups != b->wakeups) {
		return a->wakeups < b->wakeups ? 1 : -1;
	}
	if (a->object != b->object) {
		return a->object < b->object ? -1 : 1;
	}
	return (a->callsite > b->callsite) - (a->callsite < b->callsite);
}

GArray *weft_wakeup_analysis_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	g_autoptr(GHashTable) accs = weft_key_table_new((GDestroyNotify) wake_acc_free);
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(weft_wakeup_row_t));
	weft_time_t window =
	    options && options->rewait_window ? options->rewait_window : DEFAULT_REWAIT_WINDOW;
	GHashTableIter it;
	gpointer v;

	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		if (weft_analysis_wants_thread(options, t)) {
			scan_thread(t, window, accs);
		}
	}
	g_hash_table_iter_init(&it, accs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		wake_acc_t *acc = v;

		acc->row.n_threads = g_hash_table_size(acc->threads);
		g_array_append_val(rows, acc->row);
	}
	g_array_sort(rows, cmp_wake);
	return rows;
}

static const weft_column_t wake_columns[] = {
    {"site", "wait call site", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"object", "object", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"wakeups", "wakeups", WEFT_CELL_COUNT, 0},
    {"futile", "futile", WEFT_CELL_COUNT, 0},
    {"futile_ratio", "futile%", WEFT_CELL_RATIO, 0},
    {"rate", "wakes/s", WEFT_CELL_RATE, 0},
    {"mean_wait", "mean wait", WEFT_CELL_DURATION, 0},
    {"threads", "thr", WEFT_CELL_COUNT, 0},
    {"function", "function", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"wait_total", "total wait", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
};

weft_table_t *weft_wakeup_table_new(const weft_model_t *model,
                                    const weft_analysis_options_t *options)
{
	g_autoptr(GArray) rows = weft_wakeup_analysis_new(model, options);
	weft_table_t *table =
	    weft_table_new("wakeups", "Condvar and semaphore wake-ups", wake_columns,
	                   G_N_ELEMENTS(wake_columns), model->start);
	double seconds = (double) MAX(model->end - model->start, 1) / 1e9;
	weft_time_t window =
	    options && options->rewait_window ? options->rewait_window : DEFAULT_REWAIT_WINDOW;
	g_autofree char *span = weft_table_format_duration(window);
	g_autofree char *note = g_strdup_printf("futile: woken, then waiting again on the same "
	                                        "object within %s with no other wait between",
	                                        span);

	weft_table_set_note(table, note);
	for (guint i = 0; i < rows->len; i++) {
		const weft_wakeup_row_t *r = &g_array_index(rows, weft_wakeup_row_t, i);
		guint row = weft_table_add_row(table);

		weft_table_take_string(table, row, 0,
		                       weft_analysis_dup_site_label(model, r->callsite));
		weft_table_take_string(table, row, 1,
		                       g_strdup_printf("%s 0x%" G_GINT64_MODIFIER "x",
		                                       weft_state_name(r->state), r->object));
		weft_table_set_int(table, row, 2, (gint64) r->wakeups);
		weft_table_set_int(table, row, 3, (gint64) r->futile);
		weft_table_set_double(table, row, 4,
		                      r->wakeups ? (double) r->futile / (double) r->wakeups : 0);
		weft_table_set_double(table, row, 5, (double) r->wakeups / seconds);
		weft_table_set_int(table, row, 6,
		                   r->wakeups ? r->wait_total / (gint64) r->wakeups : 0);
		weft_table_set_int(table, row, 7, r->n_threads);
		weft_table_take_string(table, row, 8,
		                       weft_analysis_dup_site_function(model, r->callsite));
		weft_table_set_int(table, row, 9, r->wait_total);
		weft_table_take_string(table, row, 10,
		                       weft_analysis_dup_process_label(model, r->process));
		weft_table_set_link(table, row, r->example_thread, r->example_start,
		                    r->example_end);
	}
	return table;
}
