/* Wake-ups of condvar and semaphore waits, and the futile ones. */
#include "weft-analysis-wakeups.h"

#include "weft-analysis-private.h"

#include <string.h>

/*
 * A futile wake-up: the thread, once woken, waits again on the same
 * object having done no work in between. "No work": no other wait than
 * for a lock (re-acquiring the condvar's mutex), no region entered or
 * left, and at most this much running time between the wake and the next
 * wait (checking the predicate and calling wait again, tracing included).
 */
#define DEFAULT_FUTILE_WORK 5000 /* 5 us */

typedef struct {
	weft_wakeup_row_t row;
	guint last_thread; /* index + 1 of the last thread counted in row.n_threads */
} wake_acc_t;

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
		weft_key_table_insert(accs, &key, acc);
	}
	return acc;
}

/* Region boundaries of one thread, both sorted, read with forward cursors. */
typedef struct {
	const weft_time_t *starts;
	GArray *ends; /* sorted copy, reused from thread to thread */
	guint n, next_start, next_end;
} bounds_t;

static void bounds_reset(bounds_t *b, const weft_thread_t *t)
{
	const weft_slice_track_t *sl = &t->slices;

	b->n = sl->start ? sl->start->len : 0;
	b->starts = b->n ? (const weft_time_t *) (const void *) sl->start->data : NULL;
	b->next_start = b->next_end = 0;
	g_array_set_size(b->ends, b->n);
	if (b->n) {
		weft_time_t *e = (weft_time_t *) (void *) b->ends->data;

		memcpy(e, sl->end->data, sizeof(*e) * b->n);
		/* Times are nanoseconds since the epoch: sorting them as unsigned is exact. */
		weft_analysis_sort_u64((guint64 *) (void *) e, b->n);
	}
}

/* Does a region start or end in (from, to)? Calls come with from increasing. */
static gboolean bounds_within(bounds_t *b, weft_time_t from, weft_time_t to)
{
	const weft_time_t *e = (const weft_time_t *) (const void *) b->ends->data;

	while (b->next_start < b->n && b->starts[b->next_start] <= from) {
		b->next_start++;
	}
	while (b->next_end < b->n && e[b->next_end] <= from) {
		b->next_end++;
	}
	return (b->next_start < b->n && b->starts[b->next_start] < to) ||
	       (b->next_end < b->n && e[b->next_end] < to);
}

/*
 * After the wait i that ended at e: is the thread's next wait, lock waits
 * aside, on the same object with no work in between?
 */
static gboolean is_futile(const weft_state_track_t *st, guint i, guint n, weft_time_t limit,
                          bounds_t *b)
{
	const guint8 *state = (const guint8 *) (const void *) st->state->data;
	const weft_time_t *start = (const weft_time_t *) (const void *) st->start->data;
	const weft_time_t *end = (const weft_time_t *) (const void *) st->end->data;
	weft_time_t e = end[i], locked = 0;

	for (guint j = i + 1; j < n; j++) {
		if (start[j] - e - locked > limit) {
			return FALSE; /* ran too long already */
		}
		if (state[j] == WEFT_STATE_RUNNING) {
			continue;
		}
		if (weft_analysis_is_lock_state(state[j])) {
			locked += end[j] - start[j];
			continue;
		}
		return state[j] == state[i] &&
		       g_array_index(st->object, guint64, j) ==
		           g_array_index(st->object, guint64, i) &&
		       !bounds_within(b, e, start[j]);
	}
	return FALSE;
}

static void scan_thread(const weft_thread_t *t, weft_time_t limit, GHashTable *accs, bounds_t *b)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;

	bounds_reset(b, t);
	for (guint i = 0; i < n; i++) {
		guint8 state = g_array_index(st->state, guint8, i);
		weft_time_t s, e;
		wake_acc_t *acc;
		gboolean futile;

		if (!is_wait(state) ||
		    (g_array_index(st->flags, guint8, i) & WEFT_FLAG_UNFINISHED)) {
			continue;
		}
		s = g_array_index(st->start, weft_time_t, i);
		e = g_array_index(st->end, weft_time_t, i);
		futile = is_futile(st, i, n, limit, b);
		acc = lookup(accs, t, state, g_array_index(st->object, guint64, i),
		             g_array_index(st->callsite, guint32, i));
		acc->row.wakeups++;
		acc->row.futile += futile;
		acc->row.wait_total += e - s;
		if (acc->last_thread != t->index + 1) {
			acc->last_thread = t->index + 1;
			acc->row.n_threads++;
		}
		if (!acc->row.example_thread || (futile && acc->row.futile == 1)) {
			guint j = i + 1;

			/* A futile example spans the wait, the wake and the next wait. */
			while (futile && g_array_index(st->state, guint8, j) != state) {
				j++;
			}
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
	g_autoptr(GHashTable) accs = weft_key_table_new(g_free);
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(weft_wakeup_row_t));
	weft_time_t limit =
	    options && options->rewait_window ? options->rewait_window : DEFAULT_FUTILE_WORK;
	bounds_t b = {NULL, g_array_new(FALSE, FALSE, sizeof(weft_time_t)), 0, 0, 0};
	GHashTableIter it;
	gpointer v;

	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		if (weft_analysis_wants_thread(options, t)) {
			scan_thread(t, limit, accs, &b);
		}
	}
	g_array_free(b.ends, TRUE);
	g_hash_table_iter_init(&it, accs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		wake_acc_t *acc = v;

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
	weft_time_t limit =
	    options && options->rewait_window ? options->rewait_window : DEFAULT_FUTILE_WORK;
	g_autofree char *span = weft_table_format_duration(limit);
	g_autofree char *note =
	    g_strdup_printf("futile: woken, then waiting again on the same object after at most "
	                    "%s of running, no region entered or left, no wait but for a lock",
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
