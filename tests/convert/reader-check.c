/*
 * reader-check SCENARIO VARIANT PID TRACE
 *
 * Loads TRACE with weft_reader_load() and checks the model of process PID
 * against what the program reader-prog-SCENARIO is known to do (see each
 * program's comment). Durations are checked within a tolerance: a sleep
 * lasts at least what was asked, and at most SLACK_MS more on a loaded
 * machine. Prints every failed check; exits 1 if any failed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft-reader.h"

#define MS 1000000LL
#define SLACK_MS 150

static int failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			failures++;                                            \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
		}                                                              \
	} while (0)

typedef struct {
	const weft_model_t *m;
	const weft_process_t *p;
	const char *variant;
} ctx_t;

static gboolean is(const ctx_t *c, const char *variant)
{
	return !strcmp(c->variant, variant);
}

static const weft_thread_t *thread_named(const ctx_t *c, const char *name)
{
	for (guint i = 0; i < c->p->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(c->p->threads, i);

		if (!strcmp(weft_model_borrow_string(c->m, t->name), name)) {
			return t;
		}
	}
	return NULL;
}

static const weft_thread_t *require_thread(const ctx_t *c, const char *name)
{
	const weft_thread_t *t = thread_named(c, name);

	CHECK(t != NULL, "no thread named \"%s\" in pid %" PRId64, name, c->p->pid);
	return t;
}

/* States of kind state on t lasting within [lo, hi] ns. */
static guint count_states(const weft_thread_t *t, weft_state_t state, int64_t lo, int64_t hi)
{
	const weft_state_track_t *s = &t->states;
	guint n = 0;

	for (guint i = 0; i < s->start->len; i++) {
		int64_t d =
		    g_array_index(s->end, weft_time_t, i) - g_array_index(s->start, weft_time_t, i);

		if (g_array_index(s->state, guint8, i) == state && d >= lo && d <= hi) {
			n++;
		}
	}
	return n;
}

/* States never overlap and are sorted. */
static void check_state_order(const weft_thread_t *t)
{
	const weft_state_track_t *s = &t->states;

	for (guint i = 0; i < s->start->len; i++) {
		weft_time_t a = g_array_index(s->start, weft_time_t, i);
		weft_time_t b = g_array_index(s->end, weft_time_t, i);

		CHECK(a <= b, "state %u of tid %" PRId64 " ends before it starts", i, t->tid);
		if (i) {
			CHECK(g_array_index(s->end, weft_time_t, i - 1) <= a,
			      "states %u and %u of tid %" PRId64 " overlap", i - 1, i, t->tid);
		}
	}
}

static guint count_regions(const ctx_t *c, const weft_thread_t *t, const char *name, int64_t lo,
                           int64_t hi)
{
	const weft_slice_track_t *s = &t->slices;
	guint n = 0;

	for (guint i = 0; i < s->start->len; i++) {
		int64_t d =
		    g_array_index(s->end, weft_time_t, i) - g_array_index(s->start, weft_time_t, i);
		const char *nm =
		    weft_model_borrow_string(c->m, g_array_index(s->name, weft_str_t, i));

		if (!strcmp(nm, name) && d >= lo && d <= hi) {
			n++;
		}
	}
	return n;
}

/* Holds by t (of any lock) lasting within [lo, hi]; contended ones only if asked. */
static guint count_holds(const ctx_t *c, const weft_thread_t *t, int64_t lo, int64_t hi,
                         gboolean contended)
{
	guint n = 0;

	for (guint i = 0; i < c->m->holds->len; i++) {
		const weft_lock_hold_t *h = &g_array_index(c->m->holds, weft_lock_hold_t, i);
		int64_t d = h->end - h->start;

		if (h->thread == t->index && d >= lo && d <= hi && (!contended || h->contended)) {
			n++;
		}
	}
	return n;
}

static guint count_flows(const ctx_t *c, weft_flow_kind_t kind, const weft_thread_t *from,
                         const weft_thread_t *to)
{
	guint n = 0;

	for (guint i = 0; i < c->m->flows->len; i++) {
		const weft_flow_t *f = &g_array_index(c->m->flows, weft_flow_t, i);

		if (f->kind == kind && (!from || f->from_thread == from->index) &&
		    (!to || f->to_thread == to->index) && f->from_ts <= f->to_ts) {
			n++;
		}
	}
	return n;
}

static const weft_counter_t *heap_counter(const ctx_t *c)
{
	for (guint i = 0; i < c->p->counters->len; i++) {
		const weft_counter_t *k = g_ptr_array_index(c->p->counters, i);

		if (k->is_heap) {
			return k;
		}
	}
	return NULL;
}

static int64_t counter_max(const weft_counter_t *k)
{
	int64_t max = G_MININT64;

	for (guint i = 0; k && i < k->value->len; i++) {
		max = MAX(max, g_array_index(k->value, gint64, i));
	}
	return max;
}

/* Some CPU lane shows t running. */
static gboolean on_some_cpu(const ctx_t *c, const weft_thread_t *t)
{
	for (guint i = 0; i < c->m->cpus->len; i++) {
		const weft_cpu_lane_t *lane = g_ptr_array_index(c->m->cpus, i);

		for (guint j = 0; j < lane->thread->len; j++) {
			if (g_array_index(lane->thread, guint, j) == t->index) {
				return TRUE;
			}
		}
	}
	return FALSE;
}

static void check_common(const ctx_t *c)
{
	for (guint i = 0; i < c->p->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(c->p->threads, i);

		check_state_order(t);
		CHECK(t->start <= t->end, "tid %" PRId64 " ends before it starts", t->tid);
	}
}

/* Some state of t of kind state has a call site in function fn of a file ending in file. */
static gboolean state_named(const ctx_t *c, const weft_thread_t *t, weft_state_t state,
                            const char *fn, const char *file)
{
	const weft_state_track_t *s = &t->states;

	for (guint i = 0; i < s->start->len; i++) {
		const weft_callsite_t *cs =
		    weft_model_borrow_callsite(c->m, g_array_index(s->callsite, guint32, i));

		if (g_array_index(s->state, guint8, i) == state &&
		    !strcmp(weft_model_borrow_string(c->m, cs->function), fn) &&
		    g_str_has_suffix(weft_model_borrow_string(c->m, cs->file), file) &&
		    cs->line > 0 && cs->binary) {
			return TRUE;
		}
	}
	return FALSE;
}

/* reader-prog-mutex: 2 workers x 5 holds of 20 ms on one lock. */
static void check_mutex(const ctx_t *c)
{
	const weft_thread_t *a = require_thread(c, "worker-a");
	const weft_thread_t *b = require_thread(c, "worker-b");
	weft_state_t wait = is(c, "ust") ? WEFT_STATE_MUTEX : WEFT_STATE_LOCK_CUSTOM;
	guint waits;

	if (!a || !b) {
		return;
	}
	for (int i = 0; i < 2; i++) {
		const weft_thread_t *t = i ? b : a;

		CHECK(count_holds(c, t, 20 * MS, (20 + SLACK_MS) * MS, FALSE) == 5,
		      "%u holds of 20 ms by %" PRId64 ", expected 5",
		      count_holds(c, t, 20 * MS, (20 + SLACK_MS) * MS, FALSE), t->tid);
		CHECK(on_some_cpu(c, t), "tid %" PRId64 " is on no CPU lane", t->tid);
		if (!is(c, "ust")) {
			CHECK(count_regions(c, t, "hold", 20 * MS, (20 + SLACK_MS) * MS) == 5,
			      "%u \"hold\" regions on %" PRId64 ", expected 5",
			      count_regions(c, t, "hold", 20 * MS, (20 + SLACK_MS) * MS), t->tid);
		}
	}
	/* The two contend: most acquisitions wait nearly a whole hold. */
	waits = count_states(a, wait, 10 * MS, (40 + SLACK_MS) * MS) +
	        count_states(b, wait, 10 * MS, (40 + SLACK_MS) * MS);
	CHECK(waits >= 4, "%u long %s waits, expected >= 4", waits, weft_state_name(wait));
	/* call sites named from the statedump: the wait is in worker() */
	CHECK(state_named(c, a, wait, "worker", "reader-prog-mutex.c"),
	      "no %s wait of worker-a symbolized as worker() in reader-prog-mutex.c:N",
	      weft_state_name(wait));
	CHECK(count_holds(c, a, 20 * MS, (20 + SLACK_MS) * MS, TRUE) +
	              count_holds(c, b, 20 * MS, (20 + SLACK_MS) * MS, TRUE) >=
	          4,
	      "fewer than 4 contended holds");
	CHECK(count_flows(c, WEFT_FLOW_LOCK_HANDOFF, a, b) +
	              count_flows(c, WEFT_FLOW_LOCK_HANDOFF, b, a) >=
	          4,
	      "fewer than 4 lock hand-offs between the workers");
	if (is(c, "ust")) {
		CHECK(heap_counter(c) != NULL, "no heap curve from lttng_ust_libc events");
	}
	if (is(c, "preload")) {
		const weft_thread_t *main_thread = require_thread(c, "main");
		const weft_callsite_t *routine =
		    weft_model_borrow_callsite(c->m, a->start_routine_site);

		/* the runtime sees pthread_create: parents, arrows and start routines */
		CHECK(main_thread &&
		          count_flows(c, WEFT_FLOW_THREAD_CREATE, main_thread, NULL) >= 2,
		      "fewer than 2 thread-create flows from main");
		CHECK(main_thread && a->parent_tid == main_thread->tid,
		      "worker-a's parent is not main");
		CHECK(!strcmp(weft_model_borrow_string(c->m, routine->function), "worker"),
		      "worker-a's start routine is not named worker");
	}
}

/* reader-prog-condvar: ping and pong alternate 6 times each, 10 ms per turn. */
static void check_condvar(const ctx_t *c)
{
	const weft_thread_t *ping = require_thread(c, "ping");
	const weft_thread_t *pong = require_thread(c, "pong");

	if (!ping || !pong) {
		return;
	}
	if (is(c, "ust")) {
		/* each round takes the mutex twice (plus re-locks inside cond_wait) */
		CHECK(count_holds(c, ping, 0, G_MAXINT64, FALSE) >= 12,
		      "ping: fewer than 12 holds");
		CHECK(count_holds(c, pong, 0, G_MAXINT64, FALSE) >= 12,
		      "pong: fewer than 12 holds");
		CHECK(on_some_cpu(c, ping) && on_some_cpu(c, pong), "a player is on no CPU lane");
		return;
	}
	CHECK(count_regions(c, ping, "ping", 10 * MS, (10 + SLACK_MS) * MS) == 6,
	      "%u ping turns of 10 ms",
	      count_regions(c, ping, "ping", 10 * MS, (10 + SLACK_MS) * MS));
	CHECK(count_regions(c, pong, "pong", 10 * MS, (10 + SLACK_MS) * MS) == 6,
	      "%u pong turns of 10 ms",
	      count_regions(c, pong, "pong", 10 * MS, (10 + SLACK_MS) * MS));
	/*
	 * pong waits for every ping turn, ping for 5 pong turns; the first wait
	 * may be short when a thread starts late on a loaded machine. With the
	 * preload runtime the condvar wait inside each TRACE_BLOCK is the long
	 * part (an inner wait interrupts the outer one), and its wakes are arrows.
	 */
	weft_state_t wait = is(c, "preload") ? WEFT_STATE_CONDVAR : WEFT_STATE_BLOCK_CUSTOM;

	CHECK(count_states(pong, wait, 5 * MS, (10 + SLACK_MS) * MS) >= 5,
	      "pong: %u %s waits of ~10 ms, expected 6",
	      count_states(pong, wait, 5 * MS, (10 + SLACK_MS) * MS), weft_state_name(wait));
	CHECK(count_states(ping, wait, 5 * MS, (10 + SLACK_MS) * MS) >= 4,
	      "ping: %u %s waits of ~10 ms, expected 5",
	      count_states(ping, wait, 5 * MS, (10 + SLACK_MS) * MS), weft_state_name(wait));
	if (is(c, "preload")) {
		CHECK(count_flows(c, WEFT_FLOW_COND_WAKE, ping, pong) >= 5, "%u wakes ping -> pong",
		      count_flows(c, WEFT_FLOW_COND_WAKE, ping, pong));
		CHECK(count_flows(c, WEFT_FLOW_COND_WAKE, pong, ping) >= 4, "%u wakes pong -> ping",
		      count_flows(c, WEFT_FLOW_COND_WAKE, pong, ping));
		CHECK(count_flows(c, WEFT_FLOW_JOIN, ping, NULL) == 1 &&
		          count_flows(c, WEFT_FLOW_JOIN, pong, NULL) == 1,
		      "expected one join arrow from each player");
		CHECK(count_states(ping, WEFT_STATE_SLEEP, 10 * MS, (10 + SLACK_MS) * MS) == 6,
		      "ping: %u nanosleeps of 10 ms, expected 6",
		      count_states(ping, WEFT_STATE_SLEEP, 10 * MS, (10 + SLACK_MS) * MS));
	}
	CHECK(count_flows(c, WEFT_FLOW_USER, ping, pong) == 6, "%u flows ping -> pong, expected 6",
	      count_flows(c, WEFT_FLOW_USER, ping, pong));
	CHECK(count_flows(c, WEFT_FLOW_USER, pong, ping) == 5, "%u flows pong -> ping, expected 5",
	      count_flows(c, WEFT_FLOW_USER, pong, ping));
}

/* reader-prog-pool: main queues 9 tasks, 3 workers run them (5 ms each). */
static void check_pool(const ctx_t *c)
{
	const weft_thread_t *main_thread =
	    require_thread(c, is(c, "ust") ? "reader-prog-poo" : "main");
	guint regions = 0, logs = 0, tasks = 0, task_flows = 0, workers_on_cpu = 0;
	const weft_counter_t *heap = heap_counter(c);

	if (!main_thread) {
		return;
	}
	for (int w = 0; w < 3; w++) {
		g_autofree char *name = g_strdup_printf("pool-%d", w);
		const weft_thread_t *t = require_thread(c, name);

		if (!t) {
			return;
		}
		regions += count_regions(c, t, "run task", 5 * MS, (5 + SLACK_MS) * MS);
		logs += t->instants.ts->len;
		task_flows += count_flows(c, WEFT_FLOW_TASK, main_thread, t);
		workers_on_cpu += on_some_cpu(c, t);
	}
	CHECK(workers_on_cpu == 3, "only %u workers on a CPU lane", workers_on_cpu);
	CHECK(heap && counter_max(heap) >= 1000, "heap curve missing or below one task's block");
	if (is(c, "ust")) {
		return;
	}
	for (guint i = 0; i < c->m->tasks->len; i++) {
		const weft_task_t *t = &g_array_index(c->m->tasks, weft_task_t, i);

		if (t->begin_thread == main_thread->index && t->end - t->start >= 5 * MS &&
		    !t->flags) {
			tasks++;
		}
	}
	CHECK(regions == 9, "%u \"run task\" regions of 5 ms, expected 9", regions);
	CHECK(logs == 9, "%u logs on the workers, expected 9", logs);
	CHECK(tasks == 9, "%u complete tasks from main, expected 9", tasks);
	CHECK(task_flows == 9, "%u task flows main -> worker, expected 9", task_flows);
	CHECK(main_thread->instants.ts->len == 9, "%u marks on main, expected 9",
	      main_thread->instants.ts->len);
	/* the preload runtime may record the allocations too */
	CHECK(c->p->allocs && (is(c, "preload") ? c->p->allocs->len >= 9 : c->p->allocs->len == 9),
	      "expected 9 allocation records");
}

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(weft_model_t) model = NULL;
	const char *paths[2];
	ctx_t c = {0};
	int64_t pid;

	if (argc != 5) {
		fprintf(stderr, "usage: reader-check SCENARIO VARIANT PID TRACE\n");
		return 2;
	}
	pid = g_ascii_strtoll(argv[3], NULL, 10);
	paths[0] = argv[4];
	paths[1] = NULL;
	model = weft_reader_load(paths, NULL, &error);
	if (!model) {
		printf("FAIL: %s\n", error->message);
		return 1;
	}
	c.m = model;
	c.variant = argv[2];
	for (guint i = 0; i < model->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(model->processes, i);

		if (p->pid == pid) {
			c.p = p;
		}
	}
	if (!c.p) {
		printf("FAIL: pid %" PRId64 " is not in the trace\n", pid);
		return 1;
	}
	check_common(&c);
	if (!strcmp(argv[1], "mutex")) {
		check_mutex(&c);
	} else if (!strcmp(argv[1], "condvar")) {
		check_condvar(&c);
	} else if (!strcmp(argv[1], "pool")) {
		check_pool(&c);
	} else {
		printf("FAIL: unknown scenario %s\n", argv[1]);
		return 2;
	}
	printf("%s %s: %s\n", argv[1], argv[2], failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
