/*
 * The analyses on models built in code, with exact expected numbers.
 *
 * The "app" model (times in ns from 0):
 *   main   tid 100 [0, 1000]  joins [100, 900]
 *   worker tid 101 [10, 1000] mutex L1 [100,300] [400,450] at update_counter,
 *                             read fd 3 [500,600], sleep [700,800]
 *   worker tid 102 [10, 1000] mutex L1 [200,260] at flush_batch, condvar C1
 *                             [300,310] [311,320] [900,950] at wait_item
 *   logger tid 103 [0, 500]   only runs; holds L1 [50,260] and [400,450]
 */
#include <math.h>
#include <string.h>

#include "model-fixture.h"
#include "weft-analysis-private.h"
#include "weft-analysis.h"
#include "weft-schema.h"

/* Cell helpers: the value of column key in row. */
static gint64 cell_int(const weft_table_t *t, guint row, const char *key)
{
	int col = weft_table_find_column(t, key);
	const weft_cell_t *c;

	g_assert_cmpint(col, >=, 0);
	c = weft_table_borrow_cell(t, row, (guint) col);
	g_assert_true(c->set);
	return c->v.i;
}

static double cell_double(const weft_table_t *t, guint row, const char *key)
{
	int col = weft_table_find_column(t, key);

	g_assert_cmpint(col, >=, 0);
	return weft_table_borrow_cell(t, row, (guint) col)->v.d;
}

static const char *cell_str(const weft_table_t *t, guint row, const char *key)
{
	int col = weft_table_find_column(t, key);
	const weft_cell_t *c;

	g_assert_cmpint(col, >=, 0);
	c = weft_table_borrow_cell(t, row, (guint) col);
	return c->set ? c->v.s : NULL;
}

static const weft_analysis_options_t four_cpus = {.ncpus = 4, .rewait_window = 10};

static void test_threads(void)
{
	app_t app = app_new();
	g_autoptr(weft_thread_analysis_t) a = weft_thread_analysis_new(app.model, &four_cpus);
	g_autoptr(weft_table_t) groups = weft_thread_analysis_groups_table(a, app.model);
	g_autoptr(weft_table_t) list = weft_thread_analysis_threads_table(a, app.model);

	g_assert_cmpuint(groups->n_rows, ==, 3);
	g_assert_cmpstr(cell_str(groups, 0, "routine"), ==, "worker");
	g_assert_cmpint(cell_int(groups, 0, "threads"), ==, 2);
	g_assert_cmpint(cell_int(groups, 0, "total"), ==, 1980);
	g_assert_cmpint(cell_int(groups, 0, "running"), ==, 1401);
	g_assert_cmpint(cell_int(groups, 0, "runnable"), ==, 0);
	g_assert_cmpint(cell_int(groups, 0, "sync"), ==, 379);
	g_assert_cmpint(cell_int(groups, 0, "mutex"), ==, 310);
	g_assert_cmpint(cell_int(groups, 0, "condvar"), ==, 69);
	g_assert_cmpint(cell_int(groups, 0, "syscall"), ==, 100);
	g_assert_cmpint(cell_int(groups, 0, "sleep"), ==, 100);
	g_assert_cmpstr(cell_str(groups, 1, "routine"), ==, "main");
	g_assert_cmpint(cell_int(groups, 1, "join"), ==, 800);
	g_assert_cmpint(cell_int(groups, 1, "running"), ==, 200);
	g_assert_cmpstr(cell_str(groups, 2, "routine"), ==, "logger");
	g_assert_cmpint(cell_int(groups, 2, "running"), ==, 500);
	g_assert_cmpstr(cell_str(groups, 0, "process"), ==, "100 app");

	g_assert_cmpuint(list->n_rows, ==, 4);
	g_assert_cmpstr(cell_str(list, 0, "thread"), ==, "100");
	g_assert_cmpint(cell_int(list, 1, "running"), ==, 540); /* tid 101 */
	g_assert_cmpint(cell_int(list, 2, "running"), ==, 861); /* tid 102 */
	g_assert_cmpuint(weft_table_borrow_link(list, 1)->tid, ==, 101);
	weft_model_free(app.model);
}

/* A [0,300] runs; B sleeps [0,100] then runs to 300; C runs [100,200]. */
static weft_model_t *abc_new(void)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = fixture_process(m, 7, "abc", 0, 300);
	weft_thread_t *b;

	fixture_thread(m, p, 7, NULL, 0, 300);
	b = fixture_thread(m, p, 8, "b", 0, 300);
	fixture_thread(m, p, 9, "c", 100, 200);
	fixture_state(b, WEFT_STATE_SLEEP, 0, 100, 0, 0, 0);
	return m;
}

static void test_runnable_estimate(void)
{
	g_autoptr(weft_model_t) m = abc_new();
	weft_analysis_options_t two = {.ncpus = 2};
	g_autoptr(weft_thread_analysis_t) a = weft_thread_analysis_new(m, &two);

	/* Only during [100,200) do 3 threads run on 2 CPUs: each waits a third. */
	g_assert_true(a->runnable_estimated);
	for (guint i = 0; i < a->threads->len; i++) {
		const weft_thread_stats_t *ts = &g_array_index(a->threads, weft_thread_stats_t, i);

		g_assert_cmpint(ts->time[WEFT_STATE_RUNNABLE], ==, 33);
	}
	g_assert_cmpint(g_array_index(a->threads, weft_thread_stats_t, 0).time[WEFT_STATE_RUNNING],
	                ==, 267);
	/* Kernel states are the truth: nothing is estimated. */
	m->has_kernel = TRUE;
	{
		g_autoptr(weft_thread_analysis_t) k = weft_thread_analysis_new(m, &two);

		g_assert_false(k->runnable_estimated);
		g_assert_cmpint(
		    g_array_index(k->threads, weft_thread_stats_t, 0).time[WEFT_STATE_RUNNABLE], ==,
		    0);
	}
}

static void test_sync_profile(void)
{
	app_t app = app_new();
	g_autoptr(weft_table_t) t =
	    weft_blocking_table_new(app.model, WEFT_BLOCKING_SYNC, WEFT_BLOCKING_BY_SITE, NULL);

	g_assert_cmpstr(t->name, ==, "sync");
	g_assert_cmpuint(t->n_rows, ==, 4);
	g_assert_cmpstr(cell_str(t, 0, "function"), ==, "wait_all");
	g_assert_cmpstr(cell_str(t, 0, "kind"), ==, "join");
	g_assert_cmpint(cell_int(t, 0, "total"), ==, 800);
	g_assert_cmpstr(cell_str(t, 1, "function"), ==, "update_counter");
	g_assert_cmpstr(cell_str(t, 1, "site"), ==, "update_counter (app.c:20)");
	g_assert_cmpint(cell_int(t, 1, "count"), ==, 2);
	g_assert_cmpint(cell_int(t, 1, "total"), ==, 250);
	g_assert_cmpint(cell_int(t, 1, "mean"), ==, 125);
	g_assert_cmpint(cell_int(t, 1, "p50"), ==, 50);
	g_assert_cmpint(cell_int(t, 1, "p99"), ==, 200);
	g_assert_cmpint(cell_int(t, 1, "max"), ==, 200);
	g_assert_cmpstr(cell_str(t, 2, "function"), ==, "wait_item");
	g_assert_cmpint(cell_int(t, 2, "count"), ==, 3);
	g_assert_cmpint(cell_int(t, 2, "p50"), ==, 10);
	g_assert_cmpint(cell_int(t, 2, "mean"), ==, 23);
	g_assert_cmpstr(cell_str(t, 3, "function"), ==, "flush_batch");
	/* The row links to its longest wait. */
	g_assert_cmpint(weft_table_borrow_link(t, 1)->tid, ==, 101);
	g_assert_cmpint(weft_table_borrow_link(t, 1)->start, ==, 100);
	g_assert_cmpint(weft_table_borrow_link(t, 1)->end, ==, 300);
	weft_model_free(app.model);
}

static void test_object_profiles(void)
{
	app_t app = app_new();
	g_autoptr(weft_table_t) sync =
	    weft_blocking_table_new(app.model, WEFT_BLOCKING_SYNC, WEFT_BLOCKING_BY_OBJECT, NULL);
	g_autoptr(weft_table_t) sys = weft_blocking_table_new(app.model, WEFT_BLOCKING_SYSCALL,
	                                                      WEFT_BLOCKING_BY_OBJECT, NULL);
	g_autoptr(weft_table_t) sleep =
	    weft_blocking_table_new(app.model, WEFT_BLOCKING_SLEEP, WEFT_BLOCKING_BY_SITE, NULL);

	g_assert_cmpuint(sync->n_rows, ==, 3);
	g_assert_cmpstr(cell_str(sync, 1, "object"), ==, "mutex 0x5000");
	g_assert_cmpint(cell_int(sync, 1, "count"), ==, 3);
	g_assert_cmpint(cell_int(sync, 1, "total"), ==, 310);
	g_assert_cmpint(cell_int(sync, 1, "threads"), ==, 2);
	g_assert_cmpstr(cell_str(sync, 1, "function"), ==, "update_counter");
	g_assert_cmpstr(cell_str(sync, 2, "object"), ==, "condvar 0x6000");
	g_assert_cmpuint(sys->n_rows, ==, 1);
	g_assert_cmpstr(cell_str(sys, 0, "object"), ==, "read fd 3");
	g_assert_cmpint(cell_int(sys, 0, "total"), ==, 100);
	g_assert_cmpuint(sleep->n_rows, ==, 1);
	g_assert_cmpstr(cell_str(sleep, 0, "function"), ==, "throttle");
	weft_model_free(app.model);
}

static void test_locks(void)
{
	app_t app = app_new();
	g_autoptr(weft_table_t) t = weft_lock_table_new(app.model, NULL);

	g_assert_cmpuint(t->n_rows, ==, 1);
	g_assert_cmpstr(cell_str(t, 0, "lock"), ==, "mutex 0x5000");
	g_assert_cmpint(cell_int(t, 0, "acquisitions"), ==, 5);
	g_assert_cmpint(cell_int(t, 0, "contended"), ==, 3);
	g_assert_cmpint(cell_int(t, 0, "wait_total"), ==, 310);
	g_assert_cmpint(cell_int(t, 0, "wait_max"), ==, 200);
	g_assert_cmpint(cell_int(t, 0, "hold_total"), ==, 430);
	g_assert_cmpint(cell_int(t, 0, "hold_max"), ==, 210);
	g_assert_cmpint(cell_int(t, 0, "threads"), ==, 3);
	g_assert_cmpstr(cell_str(t, 0, "wait_function"), ==, "update_counter");
	g_assert_cmpstr(cell_str(t, 0, "hold_function"), ==, "log_write");
	g_assert_cmpstr(cell_str(t, 0, "thread_ids"), ==, "101, 102, 103");
	weft_model_free(app.model);
}

static void test_wakeups(void)
{
	app_t app = app_new();
	g_autoptr(weft_table_t) t = weft_wakeup_table_new(app.model, &four_cpus);

	/* Window 10 ns: only [300,310] -> [311,320] is a futile wake-up. */
	g_assert_cmpuint(t->n_rows, ==, 1);
	g_assert_cmpstr(cell_str(t, 0, "function"), ==, "wait_item");
	g_assert_cmpint(cell_int(t, 0, "wakeups"), ==, 3);
	g_assert_cmpint(cell_int(t, 0, "futile"), ==, 1);
	g_assert_cmpint(cell_int(t, 0, "mean_wait"), ==, 23);
	g_assert_cmpfloat_with_epsilon(cell_double(t, 0, "rate"), 3e6, 1e-3);
	weft_model_free(app.model);
}

static void test_allocs(void)
{
	app_t app = app_new();
	g_autoptr(weft_table_t) heap = weft_heap_table_new(app.model, NULL);
	g_autoptr(weft_table_t) sites = weft_alloc_site_table_new(app.model, NULL);
	g_autoptr(weft_table_t) leaks = weft_leak_table_new(app.model, NULL);
	g_autoptr(weft_table_t) sizes = weft_size_table_new(app.model, NULL);

	g_assert_false(heap->estimated);
	g_assert_cmpint(cell_int(heap, 0, "peak"), ==, 2050);
	g_assert_cmpint(cell_int(heap, 0, "peak_at"), ==, 310);
	g_assert_cmpint(cell_int(heap, 0, "allocs"), ==, 4);
	g_assert_cmpint(cell_int(heap, 0, "bytes"), ==, 2150);
	g_assert_cmpint(cell_int(heap, 0, "frees"), ==, 2);
	g_assert_cmpint(cell_int(heap, 0, "live_end"), ==, 2000);
	g_assert_cmpfloat_with_epsilon(cell_double(heap, 0, "alloc_rate"), 4e6, 1e-3);
	g_assert_cmpstr(cell_str(sites, 0, "function"), ==, "leaky_alloc");
	g_assert_cmpint(cell_int(sites, 0, "count"), ==, 2);
	g_assert_cmpint(cell_int(sites, 0, "live_bytes"), ==, 2000);
	g_assert_cmpstr(cell_str(sites, 1, "function"), ==, "make_buf");
	g_assert_cmpint(cell_int(sites, 1, "bytes"), ==, 150);
	g_assert_cmpint(cell_int(sites, 1, "live_count"), ==, 0);
	g_assert_cmpuint(leaks->n_rows, ==, 1);
	g_assert_cmpstr(cell_str(leaks, 0, "function"), ==, "leaky_alloc");
	g_assert_cmpint(cell_int(leaks, 0, "blocks"), ==, 2);
	g_assert_cmpint(cell_int(leaks, 0, "first"), ==, 150);
	g_assert_cmpint(weft_table_borrow_link(leaks, 0)->tid, ==, 101);
	g_assert_cmpuint(sizes->n_rows, ==, 3);
	g_assert_cmpint(cell_int(sizes, 0, "from"), ==, 32);
	g_assert_cmpint(cell_int(sizes, 2, "from"), ==, 512);
	g_assert_cmpint(cell_int(sizes, 2, "count"), ==, 2);
	g_assert_cmpint(cell_int(sizes, 2, "live_count"), ==, 2);
	weft_model_free(app.model);
}

static void test_allocs_sampled(void)
{
	g_autoptr(weft_model_t) m = weft_model_new();
	weft_process_t *p = fixture_process(m, 5, "s", 0, 1000000000);
	guint32 site = fixture_site(m, "alloc_small", "s.c", 3);
	weft_counter_t *heap = g_new0(weft_counter_t, 1);
	gint64 values[] = {0, 4096, 1024};
	weft_time_t ts[] = {0, 500, 900};
	g_autoptr(weft_table_t) t = NULL;
	g_autoptr(weft_table_t) h = NULL;

	fixture_thread(m, p, 5, NULL, 0, 1000000000);
	/* A 16-byte block standing for 512 bytes: 32 allocations. */
	fixture_alloc(p, 100, G_MAXINT64, 16, 512, 5, site);
	heap->is_heap = TRUE;
	heap->ts = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	heap->value = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_array_append_vals(heap->ts, ts, 3);
	g_array_append_vals(heap->value, values, 3);
	g_ptr_array_add(p->counters, heap);
	t = weft_alloc_site_table_new(m, NULL);
	h = weft_heap_table_new(m, NULL);
	g_assert_true(t->estimated);
	g_assert_true(t->columns[weft_table_find_column(t, "count")].flags & WEFT_COLUMN_ESTIMATE);
	g_assert_cmpint(cell_int(t, 0, "count"), ==, 32);
	g_assert_cmpint(cell_int(t, 0, "bytes"), ==, 512);
	/* The exact heap counter gives the peak. */
	g_assert_cmpint(cell_int(h, 0, "peak"), ==, 4096);
	g_assert_cmpint(cell_int(h, 0, "peak_at"), ==, 500);
	g_assert_cmpstr(cell_str(h, 0, "peak_exact"), ==, "heap counter");
}

static void test_regions_tasks(void)
{
	app_t app = app_new();
	g_autoptr(weft_table_t) r = weft_span_table_new(app.model, WEFT_SPAN_REGIONS, NULL);
	g_autoptr(weft_table_t) ri =
	    weft_span_instances_table_new(app.model, WEFT_SPAN_REGIONS, NULL);
	g_autoptr(weft_table_t) tasks = weft_span_table_new(app.model, WEFT_SPAN_TASKS, NULL);
	int hcol = weft_table_find_column(r, "histogram");
	const weft_histogram_t *h;

	g_assert_cmpuint(r->n_rows, ==, 2);
	g_assert_cmpstr(cell_str(r, 0, "name"), ==, "request");
	g_assert_cmpint(cell_int(r, 0, "count"), ==, 3);
	g_assert_cmpint(cell_int(r, 0, "total"), ==, 750);
	g_assert_cmpint(cell_int(r, 0, "mean"), ==, 250);
	g_assert_cmpint(cell_int(r, 0, "p50"), ==, 300);
	g_assert_cmpint(cell_int(r, 0, "p99"), ==, 400);
	g_assert_cmpint(cell_int(r, 0, "max"), ==, 400);
	h = weft_table_borrow_cell(r, 0, (guint) hcol)->v.h;
	g_assert_cmpuint(h->count[5], ==, 1); /* 50 */
	g_assert_cmpuint(h->count[8], ==, 2); /* 300, 400 */
	/* Three slowest "request"s, then the one "parse". */
	g_assert_cmpuint(ri->n_rows, ==, 4);
	g_assert_cmpint(cell_int(ri, 0, "duration"), ==, 400);
	g_assert_cmpint(cell_int(ri, 0, "start"), ==, 500);
	g_assert_cmpint(cell_int(ri, 1, "duration"), ==, 300);
	g_assert_cmpint(cell_int(ri, 2, "duration"), ==, 50);
	g_assert_cmpstr(cell_str(ri, 2, "thread"), ==, "102");
	g_assert_cmpint(weft_table_borrow_link(ri, 0)->tid, ==, 101);
	g_assert_cmpstr(cell_str(ri, 3, "name"), ==, "parse");
	g_assert_cmpuint(tasks->n_rows, ==, 1);
	g_assert_cmpint(cell_int(tasks, 0, "count"), ==, 2);
	g_assert_cmpint(cell_int(tasks, 0, "total"), ==, 700);
	g_assert_cmpint(cell_int(tasks, 0, "max"), ==, 600);
	weft_model_free(app.model);
}

static void test_mmu(void)
{
	g_autoptr(weft_model_t) m = abc_new();
	weft_analysis_options_t two = {.ncpus = 2};
	const weft_time_t windows[] = {300, 100, 200};
	g_autoptr(weft_mmu_t) mmu = weft_mmu_new_for_windows(m, &two, windows, 3);
	const weft_mmu_point_t *p = (const weft_mmu_point_t *) (const void *) mmu->points->data;

	/* u = 1/2 on [0,100) (B sleeps), then 1: 3 threads run on 2 CPUs, then 2 on 2. */
	g_assert_cmpuint(mmu->points->len, ==, 3);
	g_assert_cmpint(p[0].window, ==, 100);
	g_assert_cmpfloat_with_epsilon(p[0].mmu, 0.5, 1e-9);
	g_assert_cmpint(p[0].worst_at, ==, 0);
	g_assert_cmpfloat_with_epsilon(p[1].mmu, 0.75, 1e-9);
	g_assert_cmpint(p[1].worst_at, ==, 0);
	g_assert_cmpfloat_with_epsilon(p[2].mmu, 250.0 / 300, 1e-9);
	g_assert_cmpfloat_with_epsilon(mmu->mean_utilization, p[2].mmu, 1e-9);
}

/* Utilization at ns t, straight from the model's definition. */
static double util_at(const weft_model_t *m, weft_time_t t, guint cap)
{
	guint alive = 0, running = 0;

	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *th = g_ptr_array_index(m->threads, i);
		gboolean blocked = FALSE;

		if (t < th->start || t >= th->end) {
			continue;
		}
		alive++;
		for (guint j = 0; j < th->states.start->len; j++) {
			if (g_array_index(th->states.start, weft_time_t, j) <= t &&
			    t < g_array_index(th->states.end, weft_time_t, j)) {
				blocked = TRUE;
			}
		}
		running += !blocked;
	}
	return alive ? (double) MIN(running, cap) / MIN(alive, cap) : 1.0;
}

/* The MMU equals a brute-force minimum over every window start, on random models. */
static void test_mmu_brute_force(void)
{
	g_autoptr(GRand) rng = g_rand_new_with_seed(7);

	for (guint round = 0; round < 300; round++) {
		g_autoptr(weft_model_t) m = weft_model_new();
		weft_process_t *p = fixture_process(m, 1, "r", 0, 400);
		weft_analysis_options_t opt = {.ncpus = (guint) g_rand_int_range(rng, 1, 4)};
		const weft_time_t windows[] = {1, 3, 7, 15, 30, 55, 100, 170, 250, 399};
		g_autoptr(weft_mmu_t) mmu = NULL;
		double u[400], prefix[401] = {0};
		weft_time_t first = G_MAXINT64, last = 0;

		for (guint i = 0; i < 4; i++) {
			weft_time_t s = g_rand_int_range(rng, 0, 100),
			            e = g_rand_int_range(rng, 300, 401);
			weft_thread_t *t = fixture_thread(m, p, 10 + i, NULL, s, e);

			first = MIN(first, s);
			last = MAX(last, e);
			for (weft_time_t x = s; x < e;) {
				weft_time_t b = x + g_rand_int_range(rng, 1, 30);
				weft_time_t bend = MIN(b + g_rand_int_range(rng, 1, 40), e);

				if (b < e) {
					fixture_state(t, WEFT_STATE_MUTEX, b, bend, 0, 0, 0);
				}
				x = bend;
			}
		}
		for (weft_time_t t = 0; t < 400; t++) {
			u[t] = util_at(m, t, opt.ncpus);
			prefix[t + 1] = prefix[t] + u[t];
		}
		mmu = weft_mmu_new_for_windows(m, &opt, windows, G_N_ELEMENTS(windows));
		for (guint k = 0; k < mmu->points->len; k++) {
			const weft_mmu_point_t *pt =
			    &g_array_index(mmu->points, weft_mmu_point_t, k);
			double best = 2;

			for (weft_time_t x = first; x + pt->window <= last; x++) {
				best = MIN(best, (prefix[x + pt->window] - prefix[x]) / pt->window);
			}
			g_assert_cmpfloat_with_epsilon(pt->mmu, best, 1e-9);
		}
	}
}

static char *folded(const weft_model_t *m, weft_folded_kind_t kind)
{
	g_autoptr(GString) s = g_string_new(NULL);

	if (kind == WEFT_FOLDED_CRITICAL) {
		weft_analysis_options_t o = WEFT_ANALYSIS_OPTIONS_INIT;

		weft_folded_write_critical(m, &o, s);
	} else {
		weft_folded_write(m, kind, NULL, s);
	}
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static void test_folded(void)
{
	app_t app = app_new();
	g_autofree char *sync = folded(app.model, WEFT_FOLDED_SYNC);
	g_autofree char *regions = folded(app.model, WEFT_FOLDED_REGIONS);
	g_autofree char *leak = folded(app.model, WEFT_FOLDED_LEAK);
	g_autofree char *blocked = folded(app.model, WEFT_FOLDED_BLOCKED);
	weft_folded_kind_t k;

	g_assert_cmpstr(sync, ==,
	                "app;wait_all 800\n"
	                "app;worker;flush_batch 60\n"
	                "app;worker;update_counter 250\n"
	                "app;worker;wait_item 69\n");
	g_assert_cmpstr(regions, ==, "app;worker;request 690\napp;worker;request;parse 60\n");
	g_assert_cmpstr(leak, ==, "app;worker;leaky_alloc 2000\n");
	g_assert_nonnull(strstr(blocked, "app;worker;read_input;read 100\n"));
	g_assert_nonnull(strstr(blocked, "app;worker;throttle;sleep 100\n"));
	g_assert_true(weft_folded_kind_from_name("alloc", &k) && k == WEFT_FOLDED_ALLOC);
	g_assert_false(weft_folded_kind_from_name("nope", &k));
	weft_model_free(app.model);
}

/* Every text line fits 100 columns, even with very long names. */
static void test_text_width(void)
{
	app_t app = app_new();
	g_autoptr(GString) out = g_string_new(NULL);
	g_auto(GStrv) lines = NULL;

	fixture_site(app.model, "x", "y.c", 1);
	g_array_index(app.model->callsites, weft_callsite_t, 2).function = weft_model_intern(
	    app.model, "a_function_name_that_is_very_long_indeed_and_goes_on_and_on_forever_"
	               "and_ever_until_the_table_cannot_hold_it");
	weft_analysis_report_text(app.model, NULL, &four_cpus, 10, 100, out);
	g_test_message("%s", out->str);
	lines = g_strsplit(out->str, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		if (g_utf8_strlen(lines[i], -1) > 100) {
			g_error("line %u is %ld columns: %s", i, g_utf8_strlen(lines[i], -1),
			        lines[i]);
		}
	}
	g_assert_nonnull(strstr(out->str, "Synchronization blocking by call site (sync)"));
	g_assert_nonnull(strstr(out->str, "wait_all (app.c:90)"));
	weft_model_free(app.model);
}

static void test_json(void)
{
	app_t app = app_new();
	const char *const only[] = {"sync", "locks", NULL};
	json_object *root = weft_analysis_report_json(app.model, only, &four_cpus, 2);
	json_object *secs, *sync, *rows, *row, *v, *link;

	g_assert_true(json_object_object_get_ex(root, "sections", &secs));
	g_assert_cmpint(json_object_object_length(secs), ==, 2);
	g_assert_true(json_object_object_get_ex(secs, "sync", &sync));
	g_assert_true(json_object_object_get_ex(sync, "total_rows", &v));
	g_assert_cmpint(json_object_get_int(v), ==, 4);
	g_assert_true(json_object_object_get_ex(sync, "rows", &rows));
	g_assert_cmpint(json_object_array_length(rows), ==, 2);
	row = json_object_array_get_idx(rows, 1);
	g_assert_true(json_object_object_get_ex(row, "function", &v));
	g_assert_cmpstr(json_object_get_string(v), ==, "update_counter");
	g_assert_true(json_object_object_get_ex(row, "total", &v));
	g_assert_cmpint(json_object_get_int64(v), ==, 250);
	g_assert_true(json_object_object_get_ex(row, "link", &link));
	g_assert_true(json_object_object_get_ex(link, "tid", &v));
	g_assert_cmpint(json_object_get_int64(v), ==, 101);
	/* Round trip through text. */
	{
		json_object *back = json_tokener_parse(json_object_to_json_string(root));

		g_assert_nonnull(back);
		json_object_put(back);
	}
	json_object_put(root);
	weft_model_free(app.model);
}

static void test_sections(void)
{
	app_t app = app_new();
	guint n;
	const weft_section_info_t *s = weft_analysis_sections(&n);
	/* The critical path needs a target: main's whole life. */
	weft_analysis_options_t opt = {.critical_tid = 100};

	for (guint i = 0; i < n; i++) {
		g_autoptr(weft_table_t) t = weft_analysis_section_new(app.model, s[i].name, &opt);

		g_assert_nonnull(t);
		g_assert_cmpstr(t->name, ==, s[i].name);
		if (!strcmp(s[i].name, "deadlocks") || !strcmp(s[i].name, "cpu")) {
			/*
			 * the app has no deadlock and no CPU sample: an empty table
			 * that says so (test_deadlocks, tests/profile's cpu section)
			 */
			g_assert_cmpuint(t->n_rows, ==, 0);
			g_assert_nonnull(t->note);
			continue;
		}
		g_assert_cmpuint(t->n_rows, >, 0);
	}
	g_assert_null(weft_analysis_section_new(app.model, "nope", NULL));
	weft_model_free(app.model);
}

/* One table per fact: every state and every system call has a name. */
static void test_names(void)
{
	for (guint s = 0; s < WEFT_STATE_COUNT; s++) {
		const char *name = weft_state_name((weft_state_t) s);

		g_assert_nonnull(name);
		g_assert_cmpstr(name, !=, "");
	}
	for (gint32 k = 0; k < WEFT_SYSCALL_COUNT; k++) {
		g_assert_cmpstr(weft_analysis_syscall_name(k), !=, "syscall");
	}
	g_assert_cmpstr(weft_analysis_syscall_name(WEFT_SYSCALL_EPOLL_WAIT), ==, "epoll_wait");
	g_assert_cmpstr(weft_analysis_syscall_name(WEFT_SYSCALL_COUNT), ==, "syscall");
}

/* A lock wait still open at the end, on a lock tid holder holds. */
static void stuck(weft_thread_t *t, guint64 lock, gint32 holder, weft_time_t start, weft_time_t end,
                  guint32 site)
{
	fixture_state(t, WEFT_STATE_MUTEX, start, end, lock, holder, site);
	g_array_index(t->states.flags, guint8, t->states.flags->len - 1) |= WEFT_FLAG_UNFINISHED;
}

/*
 * Deadlocks: 10 and 11 wait for each other's lock (a cycle), 12 waits
 * for 10 (stuck behind the cycle, not in it), 13 waits for a lock it
 * holds itself, 14's wait ended (not stuck). Two cycles, the older first.
 */
static void test_deadlocks(void)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = fixture_process(m, 9, "bank", 0, 5000);
	guint32 site = fixture_site(m, "transfer", "bank.c", 7);
	weft_thread_t *t[5];
	g_autoptr(GArray) found = NULL;
	g_autoptr(weft_table_t) table = NULL;
	const weft_deadlock_t *d;

	m->start = 0;
	m->end = 5000;
	for (int i = 0; i < 5; i++) {
		t[i] = fixture_thread(m, p, 10 + i, "worker", 0, 5000);
	}
	stuck(t[0], 0xa, 11, 200, 5000, site);
	stuck(t[1], 0xb, 10, 300, 5000, site);
	stuck(t[2], 0xa, 10, 400, 5000, site);
	stuck(t[3], 0xc, 13, 100, 5000, site);
	fixture_state(t[4], WEFT_STATE_MUTEX, 100, 200, 0xd, 10, site);

	found = weft_deadlock_analysis_new(m, NULL);
	g_assert_cmpuint(found->len, ==, 2);
	d = &g_array_index(found, weft_deadlock_t, 0);
	g_assert_cmpuint(d->waits->len, ==, 1);
	g_assert_cmpint(g_array_index(d->waits, weft_deadlock_wait_t, 0).thread->tid, ==, 13);
	d = &g_array_index(found, weft_deadlock_t, 1);
	g_assert_cmpuint(d->waits->len, ==, 2);
	g_assert_cmpint(g_array_index(d->waits, weft_deadlock_wait_t, 0).thread->tid, ==, 10);
	g_assert_cmpint(g_array_index(d->waits, weft_deadlock_wait_t, 1).thread->tid, ==, 11);
	g_assert_cmpint(d->since, ==, 300);
	g_assert_true(weft_deadlocks_found(m, NULL));

	table = weft_deadlock_table_new(m, NULL);
	g_assert_cmpuint(table->n_rows, ==, 2);
	g_assert_cmpstr(weft_table_borrow_cell(table, 1, 0)->v.s, ==, "10 -> 11 -> 10");
	g_assert_cmpint(weft_table_borrow_cell(table, 1, 2)->v.i, ==, 4700);
	g_assert_nonnull(strstr(weft_table_borrow_cell(table, 1, 4)->v.s, "held by 11"));
	weft_model_free(m);
}

/* --pid: another process's longer waits and leaks disappear. */
static void test_pid_filter(void)
{
	app_t app = app_new();
	weft_process_t *other = fixture_process(app.model, 200, "other", 0, 1000);
	weft_thread_t *t = fixture_thread(app.model, other, 200, NULL, 0, 1000);
	guint32 site = fixture_site(app.model, "other_wait", "other.c", 5);
	weft_analysis_options_t only_app = {.ncpus = 4, .rewait_window = 10, .pid = 100};
	g_autoptr(weft_table_t) all =
	    weft_blocking_table_new(app.model, WEFT_BLOCKING_SYNC, WEFT_BLOCKING_BY_SITE, NULL);
	g_autoptr(weft_table_t) mine = NULL;
	g_autoptr(weft_table_t) leaks = NULL;
	g_autoptr(weft_table_t) threads = NULL;

	fixture_state(t, WEFT_STATE_MUTEX, 0, 1000, 0x9000, 0, site);
	fixture_alloc(other, 10, G_MAXINT64, 1 << 20, 1 << 20, 200, site);
	g_clear_pointer(&all, weft_table_free);
	all = weft_blocking_table_new(app.model, WEFT_BLOCKING_SYNC, WEFT_BLOCKING_BY_SITE, NULL);
	g_assert_cmpstr(cell_str(all, 0, "function"), ==, "other_wait");
	mine = weft_blocking_table_new(app.model, WEFT_BLOCKING_SYNC, WEFT_BLOCKING_BY_SITE,
	                               &only_app);
	g_assert_cmpuint(mine->n_rows, ==, 4);
	g_assert_cmpstr(cell_str(mine, 0, "function"), ==, "wait_all");
	leaks = weft_leak_table_new(app.model, &only_app);
	g_assert_cmpuint(leaks->n_rows, ==, 1);
	g_assert_cmpstr(cell_str(leaks, 0, "function"), ==, "leaky_alloc");
	threads = weft_analysis_section_new(app.model, "thread-list", &only_app);
	g_assert_cmpuint(threads->n_rows, ==, 4);
	weft_model_free(app.model);
}

/* An empty model gives empty tables, never a crash. */
static void test_empty(void)
{
	g_autoptr(weft_model_t) m = weft_model_new();
	g_autoptr(GString) out = g_string_new(NULL);
	json_object *j;

	weft_analysis_report_text(m, NULL, NULL, 0, 0, out);
	g_assert_nonnull(strstr(out->str, "(no data)"));
	j = weft_analysis_report_json(m, NULL, NULL, 0);
	g_assert_nonnull(j);
	json_object_put(j);
	for (guint k = 0; k < WEFT_FOLDED_COUNT; k++) {
		g_autofree char *f = folded(m, k);

		g_assert_cmpstr(f, ==, "");
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/stats/threads", test_threads);
	g_test_add_func("/stats/runnable-estimate", test_runnable_estimate);
	g_test_add_func("/stats/sync-profile", test_sync_profile);
	g_test_add_func("/stats/object-profiles", test_object_profiles);
	g_test_add_func("/stats/locks", test_locks);
	g_test_add_func("/stats/wakeups", test_wakeups);
	g_test_add_func("/stats/allocs", test_allocs);
	g_test_add_func("/stats/allocs-sampled", test_allocs_sampled);
	g_test_add_func("/stats/regions-tasks", test_regions_tasks);
	g_test_add_func("/stats/mmu", test_mmu);
	g_test_add_func("/stats/mmu-brute-force", test_mmu_brute_force);
	g_test_add_func("/stats/folded", test_folded);
	g_test_add_func("/stats/text-width", test_text_width);
	g_test_add_func("/stats/json", test_json);
	g_test_add_func("/stats/sections", test_sections);
	g_test_add_func("/stats/deadlocks", test_deadlocks);
	g_test_add_func("/stats/names", test_names);
	g_test_add_func("/stats/pid-filter", test_pid_filter);
	g_test_add_func("/stats/empty", test_empty);
	return g_test_run();
}
