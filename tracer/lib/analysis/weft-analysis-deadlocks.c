/* Deadlocks: cycles of lock waits still open at the end of the recording. */
#include "weft-analysis-deadlocks.h"

#include "weft-analysis-blocking.h"
#include "weft-analysis-private.h"
#include "weft-analysis-sites.h"

/* The wait thread t is stuck in at the end, if any: its last state, unfinished, on a lock. */
static gboolean stuck_wait(const weft_thread_t *t, weft_deadlock_wait_t *out)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;
	guint8 state;

	if (!n) {
		return FALSE;
	}
	state = g_array_index(st->state, guint8, n - 1);
	if (!(g_array_index(st->flags, guint8, n - 1) & WEFT_FLAG_UNFINISHED) ||
	    !weft_analysis_is_lock_state(state) || g_array_index(st->aux, gint32, n - 1) <= 0) {
		return FALSE;
	}
	*out = (weft_deadlock_wait_t){
	    .thread = t,
	    .interval = n - 1,
	    .lock = g_array_index(st->object, guint64, n - 1),
	    .state = state,
	    .holder = g_array_index(st->aux, gint32, n - 1),
	    .stack = weft_state_track_stack(st, n - 1),
	    .site = g_array_index(st->callsite, guint32, n - 1),
	    .since = g_array_index(st->start, weft_time_t, n - 1),
	};
	return TRUE;
}

static void deadlock_clear(gpointer p)
{
	weft_deadlock_t *d = p;

	g_clear_pointer(&d->waits, g_array_unref);
}

/*
 * Follows the waits of one process from each stuck thread; a walk that
 * comes back to a thread it passed is a cycle, kept once (from the thread
 * with the lowest tid).
 */
static void cycles_of_process(const weft_process_t *p, const weft_analysis_options_t *options,
                              GArray *out)
{
	g_autoptr(GHashTable) waits =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);

	for (guint i = 0; i < p->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(p->threads, i);
		weft_deadlock_wait_t w;

		if (weft_analysis_wants_thread(options, t) && stuck_wait(t, &w)) {
			weft_deadlock_wait_t *copy = g_memdup2(&w, sizeof(w));

			g_hash_table_replace(waits, (gpointer) &copy->thread->tid, copy);
		}
	}
	for (guint i = 0; i < p->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(p->threads, i);
		const weft_deadlock_wait_t *w = g_hash_table_lookup(waits, &t->tid);
		weft_deadlock_t d = {p, NULL, 0};
		guint steps = 0;

		/* walk at most as many steps as there are waits: back to t, or not a cycle */
		while (w && steps++ <= g_hash_table_size(waits)) {
			if (!d.waits) {
				d.waits = g_array_new(FALSE, FALSE, sizeof(weft_deadlock_wait_t));
			}
			g_array_append_val(d.waits, *w);
			d.since = MAX(d.since, w->since);
			if (w->holder == t->tid || w->holder < t->tid) {
				break;
			}
			w = g_hash_table_lookup(waits, &w->holder);
		}
		if (w && w->holder == t->tid) {
			g_array_append_val(out, d);
		} else if (d.waits) {
			g_array_unref(d.waits);
		}
	}
}

static int cmp_since(gconstpointer a, gconstpointer b)
{
	const weft_deadlock_t *x = a, *y = b;

	return (x->since > y->since) - (x->since < y->since);
}

GArray *weft_deadlock_analysis_new(const weft_model_t *model,
                                   const weft_analysis_options_t *options)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(weft_deadlock_t));

	g_array_set_clear_func(out, deadlock_clear);
	for (guint i = 0; i < model->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(model->processes, i);

		if (weft_analysis_wants_process(options, p)) {
			cycles_of_process(p, options, out);
		}
	}
	g_array_sort(out, cmp_since);
	return out;
}

gboolean weft_deadlocks_found(const weft_model_t *model, const weft_analysis_options_t *options)
{
	g_autoptr(GArray) found = weft_deadlock_analysis_new(model, options);

	return found->len > 0;
}

static const weft_column_t deadlock_columns[] = {
    {"cycle", "threads (each waits for the next)", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"since", "since", WEFT_CELL_TIME, 0},
    {"stuck", "stuck for", WEFT_CELL_DURATION, 0},
    {"waits", "waiting at", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"locks", "locks", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"stacks", "stacks", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
};

/* The cycle's threads, locks, callers and stacks, one string per column. */
static void describe(const weft_model_t *model, weft_sites_t *callers, weft_sites_t *whole,
                     const weft_deadlock_t *d, GString *cycle, GString *waits, GString *locks,
                     GString *stacks)
{
	for (guint i = 0; i < d->waits->len; i++) {
		const weft_deadlock_wait_t *w = &g_array_index(d->waits, weft_deadlock_wait_t, i);
		g_autofree char *who = weft_analysis_dup_thread_label(model, w->thread);
		g_autofree char *site =
		    weft_analysis_dup_site_label(model, weft_sites_key(callers, w->stack, w->site));
		g_autofree char *stack =
		    weft_analysis_dup_site_label(model, weft_sites_key(whole, w->stack, w->site));
		const char *sep = i ? "; " : "";

		g_string_append_printf(cycle, "%s -> ", who);
		g_string_append_printf(waits, "%s%s", sep, site);
		g_string_append_printf(
		    locks, "%s%s 0x%" G_GINT64_MODIFIER "x held by %" G_GINT64_FORMAT, sep,
		    weft_blocking_object_class(w->state), w->lock, w->holder);
		g_string_append_printf(stacks, "%s%s", sep, stack);
	}
	g_string_append_printf(cycle, "%" G_GINT64_FORMAT,
	                       g_array_index(d->waits, weft_deadlock_wait_t, 0).thread->tid);
}

weft_table_t *weft_deadlock_table_new(const weft_model_t *model,
                                      const weft_analysis_options_t *options)
{
	g_autoptr(GArray) found = weft_deadlock_analysis_new(model, options);
	/* each resolver reads every hold once: made once for all the rows */
	g_autoptr(weft_sites_t) callers = weft_sites_new(model, WEFT_GROUP_CALLER);
	g_autoptr(weft_sites_t) whole = weft_sites_new(model, WEFT_GROUP_STACK);
	weft_table_t *table = weft_table_new("deadlocks", "Deadlocks", deadlock_columns,
	                                     G_N_ELEMENTS(deadlock_columns), model->start);

	if (!found->len) {
		weft_table_set_note(table, "no deadlock: no cycle of lock waits was open when the "
		                           "recording ended");
	}
	for (guint i = 0; i < found->len; i++) {
		const weft_deadlock_t *d = &g_array_index(found, weft_deadlock_t, i);
		const weft_deadlock_wait_t *first =
		    &g_array_index(d->waits, weft_deadlock_wait_t, 0);
		GString *cycle = g_string_new(NULL), *waits = g_string_new(NULL);
		GString *locks = g_string_new(NULL), *stacks = g_string_new(NULL);
		guint row = weft_table_add_row(table);

		describe(model, callers, whole, d, cycle, waits, locks, stacks);
		weft_table_take_string(table, row, 0, g_string_free(cycle, FALSE));
		weft_table_set_int(table, row, 1, d->since);
		weft_table_set_int(table, row, 2, model->end - d->since);
		weft_table_take_string(table, row, 3, g_string_free(waits, FALSE));
		weft_table_take_string(table, row, 4, g_string_free(locks, FALSE));
		weft_table_take_string(table, row, 5, g_string_free(stacks, FALSE));
		weft_table_take_string(table, row, 6,
		                       weft_analysis_dup_process_label(model, d->process));
		weft_table_set_link(table, row, first->thread, first->since, model->end);
	}
	return table;
}
