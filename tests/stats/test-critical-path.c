/*
 * The critical path on models built in code: planted wake-up chains
 * through a lock, a condvar, a semaphore and a join, and a region with no
 * wait at all.
 */
#include "model-fixture.h"
#include "weft-analysis.h"

static void flow(weft_model_t *m, weft_flow_kind_t kind, weft_thread_t *from, weft_time_t from_ts,
                 weft_thread_t *to, weft_time_t to_ts, guint64 object)
{
	weft_flow_t f = {kind, from->index, to->index, from_ts, to_ts, object, 0};

	g_array_append_val(m->flows, f);
}

static weft_time_t sum(const GArray *segs)
{
	weft_time_t total = 0;

	for (guint i = 0; i < segs->len; i++) {
		total += g_array_index(segs, weft_critical_segment_t, i).duration;
	}
	return total;
}

/*
 * request (tid 1) region "request" [0, 1000]: runs, waits on mutex L [100, 900].
 * holder (tid 2) holds L, waits on condvar C [50, 800], unlocks at 850.
 * reader (tid 3) reads fd 4 [100, 700] in slow_read, signals C at 750.
 */
static weft_model_t *chain_model(void)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = fixture_process(m, 10, "app", 0, 1000);
	weft_thread_t *req = fixture_thread(m, p, 1, "serve", 0, 1000);
	weft_thread_t *hold = fixture_thread(m, p, 2, "holder", 0, 1000);
	weft_thread_t *rd = fixture_thread(m, p, 3, "reader", 0, 1000);

	fixture_slice(req, "request", m, 0, 0, 1000);
	fixture_state(req, WEFT_STATE_MUTEX, 100, 900, 0xA, 0,
	              fixture_site(m, "take_lock", "a.c", 1));
	fixture_state(hold, WEFT_STATE_CONDVAR, 50, 800, 0xC, 0,
	              fixture_site(m, "wait_ready", "a.c", 2));
	fixture_state(rd, WEFT_STATE_SYSCALL, 100, 700, 4, 0,
	              fixture_site(m, "slow_read", "a.c", 3));
	flow(m, WEFT_FLOW_COND_WAKE, rd, 750, hold, 800, 0xC);
	flow(m, WEFT_FLOW_LOCK_HANDOFF, hold, 850, req, 900, 0xA);
	return m;
}

static void test_chain(void)
{
	g_autoptr(weft_model_t) m = chain_model();
	g_autoptr(weft_critical_index_t) index = weft_critical_index_new(m);
	g_autoptr(GArray) segs = g_array_new(FALSE, FALSE, sizeof(weft_critical_segment_t));
	const weft_critical_segment_t *s;
	weft_analysis_options_t opt = {.critical_region = "request"};
	g_autoptr(weft_table_t) table = NULL;
	g_autofree char *fn = NULL;

	weft_critical_path(index, 0, 0, 1000, segs);
	g_assert_cmpint(sum(segs), ==, 1000);
	/* request runs [0, 100], reader reads [100, 700] and runs to 750, holder is woken
	 * [750, 800] and runs to 850, request is woken [850, 900] and runs to 1000. */
	s = &g_array_index(segs, weft_critical_segment_t, 0);
	g_assert_cmpuint(s->thread, ==, 0);
	g_assert_cmpint(s->duration, ==, 100);
	s = &g_array_index(segs, weft_critical_segment_t, 1);
	g_assert_cmpuint(s->thread, ==, 2);
	g_assert_cmpint(s->state, ==, WEFT_STATE_SYSCALL);
	g_assert_cmpint(s->start, ==, 100);
	g_assert_cmpint(s->duration, ==, 600);
	s = &g_array_index(segs, weft_critical_segment_t, segs->len - 1);
	g_assert_cmpuint(s->thread, ==, 0);
	g_assert_cmpint(s->start + s->duration, ==, 1000);
	for (guint i = 1; i < segs->len; i++) {
		const weft_critical_segment_t *a =
		    &g_array_index(segs, weft_critical_segment_t, i - 1);
		const weft_critical_segment_t *b = &g_array_index(segs, weft_critical_segment_t, i);

		g_assert_cmpint(a->start + a->duration, ==, b->start);
		if (b->kind == WEFT_CRITICAL_WOKEN) { /* an arrow from the waker */
			g_assert_cmpuint(a->flow, <, m->flows->len);
			g_assert_cmpuint(g_array_index(m->flows, weft_flow_t, a->flow).from_thread,
			                 ==, a->thread);
		}
	}
	table = weft_analysis_section_new(m, "critical-path", &opt);
	g_assert_cmpuint(table->n_rows, >, 2);
	fn = weft_table_dup_cell_text(table, 0, 2);
	g_assert_cmpstr(fn, ==, "slow_read");
	g_assert_cmpfloat(weft_table_borrow_cell(table, 0, 4)->v.d, ==, 0.6);
}

/* main joins a worker [100, 900] that waits on a semaphore posted by a sleeper. */
static void test_sem_join(void)
{
	g_autoptr(weft_model_t) m = weft_model_new();
	weft_process_t *p = fixture_process(m, 10, "app", 0, 1000);
	weft_thread_t *main_t = fixture_thread(m, p, 1, NULL, 0, 1000);
	weft_thread_t *w = fixture_thread(m, p, 2, "worker", 0, 880);
	weft_thread_t *poster = fixture_thread(m, p, 3, "poster", 0, 1000);
	g_autoptr(weft_critical_index_t) index = NULL;
	g_autoptr(GArray) segs = g_array_new(FALSE, FALSE, sizeof(weft_critical_segment_t));
	gboolean slept = FALSE;

	fixture_state(main_t, WEFT_STATE_JOIN, 100, 900, 2, 0, 0);
	fixture_state(w, WEFT_STATE_SEMAPHORE, 0, 600, 0x5, 0, 0);
	fixture_state(poster, WEFT_STATE_SLEEP, 0, 500, 0, 0, fixture_site(m, "nap", "a.c", 9));
	flow(m, WEFT_FLOW_SEM_WAKE, poster, 550, w, 600, 0x5);
	flow(m, WEFT_FLOW_JOIN, w, 880, main_t, 900, 2);
	index = weft_critical_index_new(m);
	weft_critical_path(index, 0, 0, 1000, segs);
	g_assert_cmpint(sum(segs), ==, 1000);
	for (guint i = 0; i < segs->len; i++) {
		const weft_critical_segment_t *s = &g_array_index(segs, weft_critical_segment_t, i);

		if (s->thread == 2 && s->state == WEFT_STATE_SLEEP) {
			g_assert_cmpint(s->start, ==, 100);
			g_assert_cmpint(s->duration, ==, 400);
			slept = TRUE;
		}
		g_assert_cmpint(s->kind, !=, WEFT_CRITICAL_NO_WAKER);
	}
	g_assert_true(slept);
}

/* A wait nobody ended stays on its own thread; a region with no wait is all its own. */
static void test_own_thread(void)
{
	g_autoptr(weft_model_t) m = weft_model_new();
	weft_process_t *p = fixture_process(m, 10, "app", 0, 1000);
	weft_thread_t *t = fixture_thread(m, p, 1, NULL, 0, 1000);
	g_autoptr(weft_critical_index_t) index = NULL;
	g_autoptr(GArray) segs = g_array_new(FALSE, FALSE, sizeof(weft_critical_segment_t));

	fixture_state(t, WEFT_STATE_SLEEP, 200, 300, 0, 0, 0);
	fixture_state(t, WEFT_STATE_MUTEX, 600, 700, 0xA, 0, 0);
	index = weft_critical_index_new(m);
	weft_critical_path(index, 0, 0, 500, segs);
	g_assert_cmpint(sum(segs), ==, 500);
	for (guint i = 0; i < segs->len; i++) {
		g_assert_cmpuint(g_array_index(segs, weft_critical_segment_t, i).thread, ==, 0);
	}
	g_array_set_size(segs, 0);
	weft_critical_path(index, 0, 650, 1000, segs);
	g_assert_cmpint(sum(segs), ==, 350);
	g_assert_cmpint(g_array_index(segs, weft_critical_segment_t, 0).kind, ==,
	                WEFT_CRITICAL_NO_WAKER);
	g_assert_cmpint(g_array_index(segs, weft_critical_segment_t, 0).duration, ==, 50);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/critical-path/chain", test_chain);
	g_test_add_func("/critical-path/sem-join", test_sem_join);
	g_test_add_func("/critical-path/own-thread", test_own_thread);
	return g_test_run();
}
