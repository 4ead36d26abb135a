/*
 * Synthetic models for the viewer tests; see weft-test-model.h.
 */
#include "weft-test-model.h"

#define US WEFT_TEST_US
#define T0 WEFT_TEST_T0

static GArray *arr(guint size)
{
	return g_array_new(FALSE, TRUE, size);
}

static weft_thread_t *new_thread(weft_model_t *m, weft_process_t *p, int64_t tid, const char *name)
{
	weft_thread_t *t = weft_model_add_thread(m, p, tid, 0);

	t->name = weft_model_intern(m, name);
	return t;
}

static weft_process_t *new_process(weft_model_t *m, int64_t pid, const char *name)
{
	weft_process_t *p = weft_model_add_process(m, pid, 0);

	p->name = weft_model_intern(m, name);
	return p;
}

static void add_state_full(weft_thread_t *t, weft_time_t start, weft_time_t end, weft_state_t state,
                           guint64 object, guint32 callsite, guint8 flags, gint32 aux)
{
	guint8 s = (guint8) state;

	g_array_append_val(t->states.start, start);
	g_array_append_val(t->states.end, end);
	g_array_append_val(t->states.state, s);
	g_array_append_val(t->states.flags, flags);
	g_array_append_val(t->states.object, object);
	g_array_append_val(t->states.aux, aux);
	g_array_append_val(t->states.callsite, callsite);
}

static void add_state(weft_thread_t *t, weft_time_t start, weft_time_t end, weft_state_t state,
                      guint64 object, guint32 callsite)
{
	add_state_full(t, start, end, state, object, callsite, 0, 0);
}

static void add_slice(weft_thread_t *t, weft_time_t start, weft_time_t end, guint16 depth,
                      weft_str_t name)
{
	guint8 flags = 0;
	guint32 callsite = 0;

	g_array_append_val(t->slices.start, start);
	g_array_append_val(t->slices.end, end);
	g_array_append_val(t->slices.depth, depth);
	g_array_append_val(t->slices.flags, flags);
	g_array_append_val(t->slices.name, name);
	g_array_append_val(t->slices.callsite, callsite);
	t->slices.max_depth = MAX(t->slices.max_depth, (guint) depth + 1);
}

static void fill_thread(weft_model_t *m, weft_thread_t *t, guint32 callsite)
{
	weft_str_t request = weft_model_intern(m, "request");
	weft_str_t parse = weft_model_intern(m, "parse");

	t->start = T0;
	t->end = T0 + 10000 * US;
	for (weft_time_t p = T0; p < t->end; p += 1000 * US) {
		add_state(t, p, p + 300 * US, WEFT_STATE_RUNNING, 0, 0);
		add_state(t, p + 300 * US, p + 400 * US, WEFT_STATE_MUTEX, 0x1000, callsite);
		add_state(t, p + 400 * US, p + 700 * US, WEFT_STATE_RUNNING, 0, 0);
		add_state(t, p + 700 * US, p + 1000 * US, WEFT_STATE_CONDVAR, 0x2000, callsite);
	}
	for (weft_time_t p = T0; p < t->end; p += 2000 * US) {
		add_slice(t, p, p + 1000 * US, 0, request);
		add_slice(t, p, p + 400 * US, 1, parse);
	}
}

static void add_extras(weft_model_t *m, weft_process_t *p)
{
	weft_thread_t *main_thread = g_ptr_array_index(m->threads, 0);
	weft_time_t mark_ts = T0 + 5000 * US;
	guint8 kind = WEFT_INSTANT_MARK;
	weft_str_t mark = weft_model_intern(m, "checkpoint"), none = 0;
	guint32 cs = 0;
	weft_flow_t flow = {WEFT_FLOW_LOCK_HANDOFF, 0,      1, T0 + 1100 * US,
	                    T0 + 1200 * US,         0x1000, 0};
	weft_task_t task = {7, weft_model_intern(m, "job"), T0 + 500 * US, T0 + 6000 * US, 0, 1, 0,
	                    0};
	weft_lost_t lost = {T0 + 8000 * US, T0 + 8500 * US, 12, 0, -1};
	weft_counter_t *heap = g_new0(weft_counter_t, 1);
	weft_cpu_lane_t *cpu;

	g_array_append_val(main_thread->instants.ts, mark_ts);
	g_array_append_val(main_thread->instants.kind, kind);
	g_array_append_val(main_thread->instants.name, mark);
	g_array_append_val(main_thread->instants.message, none);
	g_array_append_val(main_thread->instants.callsite, cs);
	g_array_append_val(m->flows, flow);
	g_array_append_val(m->tasks, task);
	g_array_append_val(m->lost, lost);
	heap->name = weft_model_intern(m, "heap in use");
	heap->is_heap = TRUE;
	heap->ts = arr(sizeof(weft_time_t));
	heap->value = arr(sizeof(gint64));
	for (int i = 0; i < 100; i++) {
		weft_time_t ts = T0 + i * 100 * US;
		gint64 v = 1000 + (i % 10) * 500;

		g_array_append_val(heap->ts, ts);
		g_array_append_val(heap->value, v);
	}
	g_ptr_array_add(p->counters, heap);
	for (guint c = 0; c < 2; c++) {
		cpu = g_new0(weft_cpu_lane_t, 1);
		cpu->cpu = c;
		cpu->start = arr(sizeof(weft_time_t));
		cpu->end = arr(sizeof(weft_time_t));
		cpu->thread = arr(sizeof(guint));
		for (weft_time_t t = T0; t < T0 + 10000 * US; t += 500 * US) {
			weft_time_t e = t + 400 * US;
			guint th = (guint) ((t / (500 * US) + c) % WEFT_TEST_N_THREADS);

			g_array_append_val(cpu->start, t);
			g_array_append_val(cpu->end, e);
			g_array_append_val(cpu->thread, th);
		}
		g_ptr_array_add(m->cpus, cpu);
	}
}

weft_process_t *weft_test_model_add_process(weft_model_t *m, int64_t pid, const char *name)
{
	return new_process(m, pid, name);
}

weft_model_t *weft_test_model_new(void)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = new_process(m, 100, "demo");
	const char *names[WEFT_TEST_N_THREADS] = {"main", "worker-1", "worker-2"};
	weft_callsite_t site = {
	    0x401000, weft_model_intern(m, "take_lock"),     weft_model_intern(m, "demo.c"),
	    42,       weft_model_intern(m, "/usr/bin/demo"), 0x1000,
	    0};
	guint32 callsite;

	g_array_append_val(m->callsites, site);
	callsite = m->callsites->len - 1;
	for (int i = 0; i < WEFT_TEST_N_THREADS; i++) {
		fill_thread(m, new_thread(m, p, 100 + i, names[i]), callsite);
	}
	add_extras(m, p);
	p->start = m->start = T0;
	p->end = m->end = T0 + 10000 * US;
	m->n_events = 1000;
	return m;
}

weft_model_t *weft_test_model_dense(guint n_threads, guint n_states, weft_time_t dur)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = new_process(m, 200, "dense");
	weft_str_t name = weft_model_intern(m, "step");

	for (guint i = 0; i < n_threads; i++) {
		g_autofree char *tname = g_strdup_printf("dense-%u", i);
		weft_thread_t *t = new_thread(m, p, 200 + i, tname);

		g_array_set_size(t->states.start, 0);
		for (guint k = 0; k < n_states; k++) {
			weft_time_t s = T0 + (weft_time_t) k * dur;

			add_state(t, s, s + dur, k % 2 ? WEFT_STATE_MUTEX : WEFT_STATE_RUNNING, 0,
			          0);
			add_slice(t, s, s + dur / 2, 0, name);
		}
		t->start = T0;
		t->end = T0 + (weft_time_t) n_states * dur;
	}
	p->start = m->start = T0;
	p->end = m->end = T0 + (weft_time_t) n_states * dur;
	m->n_events = (guint64) n_threads * n_states * 4;
	return m;
}

static guint32 add_site(weft_model_t *m, const char *fn, const char *file, guint32 line,
                        const char *binary, guint64 offset, guint8 inlined)
{
	weft_callsite_t cs = {0x400000 + offset,
	                      fn ? weft_model_intern(m, fn) : 0,
	                      file ? weft_model_intern(m, file) : 0,
	                      line,
	                      weft_model_intern(m, binary),
	                      offset,
	                      inlined};

	g_array_append_val(m->callsites, cs);
	return m->callsites->len - 1;
}

static void set_stacks(weft_thread_t *t, guint32 mutex_stack, guint32 cond_stack)
{
	for (guint i = 0; i < t->states.start->len; i++) {
		weft_state_t s = g_array_index(t->states.state, guint8, i);

		if (s == WEFT_STATE_MUTEX || (s == WEFT_STATE_CONDVAR && cond_stack)) {
			weft_state_track_set_stack(
			    &t->states, i, s == WEFT_STATE_MUTEX ? mutex_stack : cond_stack);
		}
	}
}

/* 4 KiB from worker-1, never freed; 1 KiB from main, freed at +5 ms. */
static void add_allocs(weft_model_t *m, guint32 malloc_site, guint32 worker, guint32 main_site)
{
	weft_process_t *p = g_ptr_array_index(m->processes, 0);
	const guint32 s_worker[] = {malloc_site, worker};
	const guint32 s_main[] = {malloc_site, main_site};
	weft_alloc_t leak = {
	    T0 + 1000 * US, G_MAXINT64, 0x5000,
	    4096,           4096,       101,
	    malloc_site,    0,          weft_model_add_stack(m, s_worker, 2, FALSE)};
	weft_alloc_t freed = {T0 + 2000 * US,
	                      T0 + 5000 * US,
	                      0x6000,
	                      1024,
	                      1024,
	                      100,
	                      malloc_site,
	                      0,
	                      weft_model_add_stack(m, s_main, 2, FALSE)};

	g_array_append_val(p->allocs, leak);
	g_array_append_val(p->allocs, freed);
}

weft_model_t *weft_test_model_stacks(void)
{
	weft_model_t *m = weft_test_model_new();
	const char *demo = "/usr/bin/demo", *libc = "/lib/x86_64-linux-gnu/libc.so.6";
	guint32 take_lock = 1;
	guint32 main_site = add_site(m, "main", "/src/demo.c", 10, demo, 0x1100, 0);
	guint32 worker = add_site(m, "worker_loop", "/src/demo.c", 20, demo, 0x1200, 0);
	guint32 wait = add_site(m, "wait_work", "/src/demo.c", 30, demo, 0x1300, 0);
	guint32 inl = add_site(m, "lock_inline", "/src/lock.h", 7, demo, 0x1000, 1);
	guint32 lock = add_site(m, "pthread_mutex_lock", NULL, 0, libc, 0x9000, 0);
	guint32 unlock = add_site(m, "pthread_mutex_unlock", NULL, 0, libc, 0x9100, 0);
	guint32 cond = add_site(m, "pthread_cond_wait", NULL, 0, libc, 0x9200, 0);
	guint32 unknown = add_site(m, NULL, NULL, 0, "/usr/lib/libfoo.so", 0x1234, 0);
	const guint32 s_lock[] = {lock, inl, take_lock, worker};
	const guint32 s_cond[] = {cond, wait, worker};
	const guint32 s_trunc[] = {lock, unknown, main_site};
	const guint32 s_release[] = {unlock, main_site};
	weft_flow_t handoff = {WEFT_FLOW_LOCK_HANDOFF, 0,      2, T0 + 2350 * US,
	                       T0 + 2400 * US,         0x1000, 0};

	g_assert(weft_model_add_stack(m, s_lock, 4, FALSE) == WEFT_TEST_STACK_LOCK);
	g_assert(weft_model_add_stack(m, s_cond, 3, FALSE) == WEFT_TEST_STACK_COND);
	g_assert(weft_model_add_stack(m, s_trunc, 3, TRUE) == WEFT_TEST_STACK_TRUNC);
	g_assert(weft_model_add_stack(m, s_release, 2, FALSE) == WEFT_TEST_STACK_RELEASE);
	for (guint i = 1; i < WEFT_TEST_N_THREADS; i++) {
		weft_thread_t *t = g_ptr_array_index(m->threads, i);

		t->start_routine_site = worker;
		set_stacks(t, WEFT_TEST_STACK_LOCK, WEFT_TEST_STACK_COND);
	}
	set_stacks(g_ptr_array_index(m->threads, 0), WEFT_TEST_STACK_TRUNC, 0);
	handoff.stack = WEFT_TEST_STACK_RELEASE;
	g_array_append_val(m->flows, handoff);
	add_allocs(m, add_site(m, "malloc", NULL, 0, libc, 0x9300, 0), worker, main_site);
	return m;
}

/* A thread of p alive over [T0, T0 + 1 ms], with no state yet. */
static weft_thread_t *chain_thread(weft_model_t *m, weft_process_t *p, int64_t tid,
                                   const char *name)
{
	weft_thread_t *t = new_thread(m, p, tid, name);

	t->start = T0;
	t->end = T0 + 1000 * US;
	return t;
}

static void add_flow(weft_model_t *m, weft_flow_kind_t kind, const weft_thread_t *from,
                     weft_time_t from_us, const weft_thread_t *to, weft_time_t to_us,
                     guint64 object)
{
	weft_flow_t f = {kind, from->index, to->index, T0 + from_us * US, T0 + to_us * US, object,
	                 0};

	g_array_append_val(m->flows, f);
}

static void finish(weft_model_t *m, weft_process_t *p, weft_time_t end)
{
	p->start = m->start = T0;
	p->end = m->end = end;
	m->n_events = 100;
}

weft_model_t *weft_test_model_chain(void)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = new_process(m, 200, "chain");
	guint32 site = add_site(m, "handle_request", "server.c", 12, "/usr/bin/server", 0x100, 0);
	weft_thread_t *a = chain_thread(m, p, 201, "server");
	weft_thread_t *b = chain_thread(m, p, 202, "locker");
	weft_thread_t *c = chain_thread(m, p, 203, "signaller");

	add_state(a, T0, T0 + 300 * US, WEFT_STATE_RUNNING, 0, 0);
	add_state(a, T0 + 300 * US, T0 + 820 * US, WEFT_STATE_MUTEX, 0x1000, site);
	add_state(a, T0 + 820 * US, T0 + 1000 * US, WEFT_STATE_RUNNING, 0, 0);
	add_slice(a, T0 + 200 * US, T0 + 900 * US, 0, weft_model_intern(m, "request"));
	add_state(b, T0, T0 + 150 * US, WEFT_STATE_RUNNING, 0, 0);
	add_state(b, T0 + 150 * US, T0 + 720 * US, WEFT_STATE_CONDVAR, 0x2000, 0);
	add_state(b, T0 + 720 * US, T0 + 1000 * US, WEFT_STATE_RUNNING, 0, 0);
	add_state(c, T0, T0 + 100 * US, WEFT_STATE_RUNNING, 0, 0);
	add_state(c, T0 + 100 * US, T0 + 600 * US, WEFT_STATE_SLEEP, 0, 0);
	add_state(c, T0 + 600 * US, T0 + 1000 * US, WEFT_STATE_RUNNING, 0, 0);
	add_flow(m, WEFT_FLOW_COND_WAKE, c, 700, b, 720, 0x2000);
	add_flow(m, WEFT_FLOW_LOCK_HANDOFF, b, 800, a, 820, 0x1000);
	finish(m, p, T0 + 1000 * US);
	return m;
}

weft_model_t *weft_test_model_deadlock(void)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = new_process(m, 300, "stuck");
	weft_thread_t *a = chain_thread(m, p, 301, "first");
	weft_thread_t *b = chain_thread(m, p, 302, "second");

	add_state(a, T0, T0 + 400 * US, WEFT_STATE_RUNNING, 0, 0);
	add_state_full(a, T0 + 400 * US, T0 + 1000 * US, WEFT_STATE_MUTEX, 0xa000, 0,
	               WEFT_FLAG_UNFINISHED, 302);
	add_state(b, T0, T0 + 500 * US, WEFT_STATE_RUNNING, 0, 0);
	add_state_full(b, T0 + 500 * US, T0 + 1000 * US, WEFT_STATE_MUTEX, 0xb000, 0,
	               WEFT_FLAG_UNFINISHED, 301);
	finish(m, p, T0 + 1000 * US);
	return m;
}

void weft_test_model_add_samples(weft_thread_t *t, weft_time_t start, weft_time_t step, guint n,
                                 guint32 stack)
{
	for (guint i = 0; i < n; i++) {
		weft_time_t ts = start + (weft_time_t) i * step;

		g_array_append_val(t->samples.ts, ts);
		g_array_append_val(t->samples.stack, stack);
	}
}

/* per_run samples, step apart, in each running interval of t ([0, 300)
 * and [400, 700) us of every millisecond). */
static void sample_running(weft_thread_t *t, guint per_run, weft_time_t step, guint32 stack)
{
	for (weft_time_t ms = 0; ms < 10; ms++) {
		weft_test_model_add_samples(t, T0 + ms * 1000 * US + step / 2, step, per_run,
		                            stack);
		weft_test_model_add_samples(t, T0 + ms * 1000 * US + 400 * US + step / 2, step,
		                            per_run, stack);
	}
}

weft_model_t *weft_test_model_samples(void)
{
	weft_model_t *m = weft_test_model_stacks();
	const char *demo = "/usr/bin/demo";
	/* The workers start in worker_loop. */
	guint32 worker = ((weft_thread_t *) g_ptr_array_index(m->threads, 1))->start_routine_site;
	guint32 hot_a = add_site(m, "hot_a", "/src/demo.c", 50, demo, 0x1500, 0);
	guint32 hot_b = add_site(m, "hot_b", "/src/demo.c", 60, demo, 0x1600, 0);
	const guint32 s_a[] = {hot_a, worker};
	const guint32 s_b[] = {hot_b, worker};

	m->sample_period = WEFT_TEST_SAMPLE_PERIOD;
	sample_running(g_ptr_array_index(m->threads, 1), 15, 20 * US,
	               weft_model_add_stack(m, s_a, 2, FALSE));
	sample_running(g_ptr_array_index(m->threads, 2), 5, 60 * US,
	               weft_model_add_stack(m, s_b, 2, FALSE));
	return m;
}
