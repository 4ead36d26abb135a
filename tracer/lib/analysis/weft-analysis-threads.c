/* Thread analysis: per-thread state totals and start-routine groups. */
#include "weft-analysis-threads.h"

#include "weft-analysis-private.h"

#include <string.h>

static void thread_times(const weft_thread_t *t, weft_thread_stats_t *out)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;
	weft_time_t blocked = 0;

	out->total = MAX(t->end - t->start, 0);
	for (guint i = 0; i < n; i++) {
		weft_time_t s = MAX(g_array_index(st->start, weft_time_t, i), t->start);
		weft_time_t e = MIN(g_array_index(st->end, weft_time_t, i), t->end);
		guint8 state = g_array_index(st->state, guint8, i);

		if (e <= s || state == WEFT_STATE_RUNNING || state >= WEFT_STATE_COUNT) {
			continue;
		}
		out->time[state] += e - s;
		blocked += e - s;
	}
	out->time[WEFT_STATE_RUNNING] = MAX(out->total - blocked, 0);
}

/* Integral of the share of running threads that had no CPU, up to each step. */
static double *oversubscription_integral(const weft_steps_t *steps, guint ncpus)
{
	guint n = steps->t->len;
	double *acc = g_new0(double, n ? n : 1);

	for (guint i = 1; i < n; i++) {
		guint32 k = g_array_index(steps->running, guint32, i - 1);
		double dt = (double) (g_array_index(steps->t, weft_time_t, i) -
		                      g_array_index(steps->t, weft_time_t, i - 1));
		double share = k > ncpus ? (double) (k - ncpus) / k : 0.0;

		acc[i] = acc[i - 1] + dt * share;
	}
	return acc;
}

typedef struct {
	const weft_time_t *t; /* step times */
	guint n;
	const double *acc;
	guint hint; /* the thread's stretches come in time order: search forward from here */
	double sum;
} estimate_t;

/* First i >= from with t[i] >= x, galloping then bisecting (n when none). */
static guint gallop(const weft_time_t *t, guint n, guint from, weft_time_t x)
{
	guint lo = from, hi = from, step = 1;

	while (hi < n && t[hi] < x) {
		lo = hi + 1;
		hi = from + step;
		step *= 2;
	}
	hi = MIN(hi, n);
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (t[mid] < x) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static void add_estimate(weft_time_t start, weft_time_t end, gpointer data)
{
	estimate_t *e = data;
	guint i = gallop(e->t, e->n, e->hint, start);
	guint j = gallop(e->t, e->n, i, end);

	e->hint = i;
	if (i < e->n && j < e->n) {
		e->sum += e->acc[j] - e->acc[i];
	}
}

static void estimate_runnable(const weft_model_t *model, weft_thread_analysis_t *a)
{
	weft_steps_t steps;
	g_autofree double *acc = NULL;

	/* CPUs are shared machine-wide: every process's threads compete. */
	weft_steps_init(&steps, model, NULL);
	acc = oversubscription_integral(&steps, a->ncpus);
	for (guint i = 0; i < a->threads->len; i++) {
		weft_thread_stats_t *ts = &g_array_index(a->threads, weft_thread_stats_t, i);
		estimate_t e = {(const weft_time_t *) (const void *) steps.t->data, steps.t->len,
		                acc, 0, 0};
		weft_time_t est;

		weft_analysis_foreach_running(g_ptr_array_index(model->threads, ts->thread),
		                              add_estimate, &e);
		est = MIN((weft_time_t) (e.sum + 0.5), ts->time[WEFT_STATE_RUNNING]);
		ts->time[WEFT_STATE_RUNNING] -= est;
		ts->time[WEFT_STATE_RUNNABLE] += est;
	}
	weft_steps_clear(&steps);
}

static int cmp_thread_stats(gconstpointer pa, gconstpointer pb)
{
	const weft_thread_stats_t *a = pa, *b = pb;

	if (a->total != b->total) {
		return a->total < b->total ? 1 : -1;
	}
	return (a->thread > b->thread) - (a->thread < b->thread);
}

static int cmp_group(gconstpointer pa, gconstpointer pb)
{
	const weft_thread_group_t *a = pa, *b = pb;

	if (a->total != b->total) {
		return a->total < b->total ? 1 : -1;
	}
	return strcmp(a->routine, b->routine);
}

static void build_groups(const weft_model_t *model, weft_thread_analysis_t *a)
{
	g_autoptr(GHashTable) index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < a->threads->len; i++) {
		const weft_thread_stats_t *ts = &g_array_index(a->threads, weft_thread_stats_t, i);
		const weft_thread_t *t = g_ptr_array_index(model->threads, ts->thread);
		g_autofree char *routine = weft_analysis_dup_routine_label(model, t);
		char *key = g_strdup_printf("%" G_GINT64_FORMAT "\t%s",
		                            t->process ? t->process->pid : -1, routine);
		gpointer found;
		weft_thread_group_t *g;

		if (g_hash_table_lookup_extended(index, key, NULL, &found)) {
			g_free(key);
			g = &g_array_index(a->groups, weft_thread_group_t, GPOINTER_TO_UINT(found));
		} else {
			weft_thread_group_t fresh = {0};

			fresh.routine = g_steal_pointer(&routine);
			fresh.process = t->process;
			fresh.longest_thread = ts->thread;
			g_hash_table_insert(index, key, GUINT_TO_POINTER(a->groups->len));
			g_array_append_val(a->groups, fresh);
			g = &g_array_index(a->groups, weft_thread_group_t, a->groups->len - 1);
		}
		g->n_threads++;
		g->total += ts->total;
		for (guint s = 0; s < WEFT_STATE_COUNT; s++) {
			g->time[s] += ts->time[s];
		}
	}
	g_array_sort(a->groups, cmp_group);
}

static void group_clear(gpointer p)
{
	g_free(((weft_thread_group_t *) p)->routine);
}

weft_thread_analysis_t *weft_thread_analysis_new(const weft_model_t *model,
                                                 const weft_analysis_options_t *options)
{
	weft_thread_analysis_t *a = g_new0(weft_thread_analysis_t, 1);

	a->threads = g_array_new(FALSE, TRUE, sizeof(weft_thread_stats_t));
	a->groups = g_array_new(FALSE, TRUE, sizeof(weft_thread_group_t));
	g_array_set_clear_func(a->groups, group_clear);
	a->ncpus = weft_analysis_ncpus(model, options, &a->ncpus_source);
	a->runnable_estimated = !model->has_kernel;
	for (guint i = 0; i < model->threads->len; i++) {
		weft_thread_stats_t ts = {0};

		if (!weft_analysis_wants_thread(options, g_ptr_array_index(model->threads, i))) {
			continue;
		}
		ts.thread = i;
		thread_times(g_ptr_array_index(model->threads, i), &ts);
		g_array_append_val(a->threads, ts);
	}
	if (a->runnable_estimated) {
		estimate_runnable(model, a);
	}
	/* Groups keep the longest thread first: the array is sorted before. */
	g_array_sort(a->threads, cmp_thread_stats);
	build_groups(model, a);
	return a;
}

void weft_thread_analysis_free(weft_thread_analysis_t *analysis)
{
	if (!analysis) {
		return;
	}
	g_array_free(analysis->threads, TRUE);
	g_array_free(analysis->groups, TRUE);
	g_free(analysis);
}

weft_time_t weft_thread_time_sync(const weft_time_t *time)
{
	weft_time_t sum = 0;

	for (guint s = 0; s < WEFT_STATE_COUNT; s++) {
		if (weft_analysis_is_sync_state(s)) {
			sum += time[s];
		}
	}
	return sum;
}

weft_time_t weft_thread_time_other(const weft_time_t *time)
{
	return time[WEFT_STATE_BLOCKED_KERNEL] + time[WEFT_STATE_DATA_LOST];
}

/* Columns shared by both tables after the leading label columns. */
#define TIME_COLUMNS(est)                                                                         \
	{"total", "total", WEFT_CELL_DURATION, 0}, {"running", "running", WEFT_CELL_DURATION, 0}, \
	    {"runnable", "runnable", WEFT_CELL_DURATION, est},                                    \
	    {"sync", "sync", WEFT_CELL_DURATION, 0},                                              \
	    {"syscall", "syscall", WEFT_CELL_DURATION, 0},                                        \
	    {"sleep", "sleep", WEFT_CELL_DURATION, 0},                                            \
	    {"other", "other", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},                             \
	    {"mutex", "mutex", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},                             \
	    {"rwlock", "rwlock", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},                           \
	    {"lock", "spin/lock", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},                          \
	    {"condvar", "condvar", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},                         \
	    {"semaphore", "semaphore", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},                     \
	    {"barrier", "barrier", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},                         \
	    {"join", "join", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE},                               \
	{                                                                                         \
		"blocked", "blocked", WEFT_CELL_DURATION, WEFT_COLUMN_WIDE                        \
	}
#define N_TIME_COLUMNS 15

static void set_times(weft_table_t *table, guint row, guint col, weft_time_t total,
                      const weft_time_t *time)
{
	const gint64 values[N_TIME_COLUMNS] = {
	    total,
	    time[WEFT_STATE_RUNNING],
	    time[WEFT_STATE_RUNNABLE],
	    weft_thread_time_sync(time),
	    time[WEFT_STATE_SYSCALL],
	    time[WEFT_STATE_SLEEP],
	    weft_thread_time_other(time),
	    time[WEFT_STATE_MUTEX],
	    time[WEFT_STATE_RWLOCK_READ] + time[WEFT_STATE_RWLOCK_WRITE],
	    time[WEFT_STATE_SPIN] + time[WEFT_STATE_LOCK_CUSTOM],
	    time[WEFT_STATE_CONDVAR],
	    time[WEFT_STATE_SEMAPHORE],
	    time[WEFT_STATE_BARRIER],
	    time[WEFT_STATE_JOIN],
	    time[WEFT_STATE_BLOCK_CUSTOM],
	};

	for (guint i = 0; i < N_TIME_COLUMNS; i++) {
		weft_table_set_int(table, row, col + i, values[i]);
	}
}

static const weft_column_t group_columns[] = {
    {"routine", "start routine", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"threads", "thr", WEFT_CELL_COUNT, 0},
    TIME_COLUMNS(0),
};

static const weft_column_t group_columns_est[] = {
    {"routine", "start routine", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"threads", "thr", WEFT_CELL_COUNT, 0},
    TIME_COLUMNS(WEFT_COLUMN_ESTIMATE),
};

static void set_estimate_note(weft_table_t *table, const weft_thread_analysis_t *a)
{
	g_autofree char *note = NULL;

	if (!a->runnable_estimated) {
		return;
	}
	note = g_strdup_printf("~runnable: no kernel scheduling events, so estimated as each "
	                       "thread's share of the time more threads ran than the %u CPU%s (%s)",
	                       a->ncpus, a->ncpus == 1 ? "" : "s", a->ncpus_source);
	weft_table_set_note(table, note);
}

weft_table_t *weft_thread_analysis_groups_table(const weft_thread_analysis_t *a,
                                                const weft_model_t *model)
{
	weft_table_t *table =
	    weft_table_new("threads", "Threads by start routine",
	                   a->runnable_estimated ? group_columns_est : group_columns,
	                   G_N_ELEMENTS(group_columns), model->start);

	set_estimate_note(table, a);
	for (guint i = 0; i < a->groups->len; i++) {
		const weft_thread_group_t *g = &g_array_index(a->groups, weft_thread_group_t, i);
		const weft_thread_t *t = g_ptr_array_index(model->threads, g->longest_thread);
		guint row = weft_table_add_row(table);

		weft_table_set_string(table, row, 0, g->routine);
		weft_table_take_string(table, row, 1,
		                       weft_analysis_dup_process_label(model, g->process));
		weft_table_set_int(table, row, 2, g->n_threads);
		set_times(table, row, 3, g->total, g->time);
		weft_table_set_link(table, row, t, t->start, t->end);
	}
	return table;
}

static const weft_column_t thread_columns[] = {
    {"thread", "thread", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"routine", "start routine", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"pid", "pid", WEFT_CELL_COUNT, WEFT_COLUMN_WIDE},
    TIME_COLUMNS(0),
};

static const weft_column_t thread_columns_est[] = {
    {"thread", "thread", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"routine", "start routine", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"pid", "pid", WEFT_CELL_COUNT, WEFT_COLUMN_WIDE},
    TIME_COLUMNS(WEFT_COLUMN_ESTIMATE),
};

weft_table_t *weft_thread_analysis_threads_table(const weft_thread_analysis_t *a,
                                                 const weft_model_t *model)
{
	weft_table_t *table = weft_table_new(
	    "thread-list", "Threads", a->runnable_estimated ? thread_columns_est : thread_columns,
	    G_N_ELEMENTS(thread_columns), model->start);

	set_estimate_note(table, a);
	for (guint i = 0; i < a->threads->len; i++) {
		const weft_thread_stats_t *ts = &g_array_index(a->threads, weft_thread_stats_t, i);
		const weft_thread_t *t = g_ptr_array_index(model->threads, ts->thread);
		guint row = weft_table_add_row(table);

		weft_table_take_string(table, row, 0, weft_analysis_dup_thread_label(model, t));
		weft_table_take_string(table, row, 1, weft_analysis_dup_routine_label(model, t));
		if (t->process) {
			weft_table_set_int(table, row, 2, t->process->pid);
		}
		set_times(table, row, 3, ts->total, ts->time);
		weft_table_set_link(table, row, t, t->start, t->end);
	}
	return table;
}
