/*
 * bench-stats: times every `weft stats` section on a synthetic model of
 * THREADS x INTERVALS state intervals (plus regions, lock holds and
 * allocations in proportion), against a baseline measured in the same run:
 * one pass over every state interval summing durations per state, the
 * least any analysis of the state tracks must do.
 *
 *     bench-stats [THREADS [INTERVALS_PER_THREAD [SECTION]]]  (default 32 62500: 2M)
 *
 * Mutex and semaphore waits are woken by the next thread (a flow), so the
 * critical-path section (of every instance of region "request") jumps.
 *
 * Every figure is the CPU time (user + kernel) of the computing thread,
 * the best of ROUNDS runs (the baseline of 5 * ROUNDS): other processes on
 * a shared machine only ever make a run slower.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "weft-analysis.h"

#define N_SITES 200
#define N_LOCKS 50
#define ROUNDS 3

static weft_thread_t *add_thread(weft_model_t *m, weft_process_t *p, guint i, weft_time_t end)
{
	weft_thread_t *t = g_new0(weft_thread_t, 1);
	GArray **arrays[] = {&t->states.start, &t->states.end, &t->slices.start, &t->slices.end};
	guint sizes[] = {sizeof(weft_time_t), sizeof(weft_time_t), sizeof(weft_time_t),
	                 sizeof(weft_time_t)};

	for (guint k = 0; k < G_N_ELEMENTS(arrays); k++) {
		*arrays[k] = g_array_new(FALSE, FALSE, sizes[k]);
	}
	t->states.state = g_array_new(FALSE, FALSE, sizeof(guint8));
	t->states.flags = g_array_new(FALSE, TRUE, sizeof(guint8));
	t->states.object = g_array_new(FALSE, FALSE, sizeof(guint64));
	t->states.aux = g_array_new(FALSE, FALSE, sizeof(gint32));
	t->states.callsite = g_array_new(FALSE, FALSE, sizeof(guint32));
	t->slices.depth = g_array_new(FALSE, FALSE, sizeof(guint16));
	t->slices.flags = g_array_new(FALSE, TRUE, sizeof(guint8));
	t->slices.name = g_array_new(FALSE, FALSE, sizeof(weft_str_t));
	t->slices.callsite = g_array_new(FALSE, TRUE, sizeof(guint32));
	t->index = m->threads->len;
	t->tid = p->pid + i;
	t->process = p;
	t->start = 0;
	t->end = end;
	t->start_routine_site = 1 + i % 4;
	g_ptr_array_add(m->threads, t);
	g_ptr_array_add(p->threads, t);
	return t;
}

static const guint8 kinds[] = {WEFT_STATE_MUTEX,     WEFT_STATE_CONDVAR,      WEFT_STATE_SYSCALL,
                               WEFT_STATE_SLEEP,     WEFT_STATE_RWLOCK_WRITE, WEFT_STATE_JOIN,
                               WEFT_STATE_SEMAPHORE, WEFT_STATE_MUTEX};

/* Every 1000 ns: 600 ns running, then a 400 ns wait of some kind. */
static void fill_thread(weft_model_t *m, weft_thread_t *t, guint n, guint n_threads, GRand *rng)
{
	weft_str_t names[] = {weft_model_intern(m, "request"), weft_model_intern(m, "parse")};

	for (guint j = 0; j < n; j++) {
		weft_time_t s = (weft_time_t) j * 1000 + 600, e = s + g_rand_int_range(rng, 1, 400);
		guint8 st = kinds[g_rand_int_range(rng, 0, G_N_ELEMENTS(kinds))];
		guint64 obj = 0x1000 + (guint64) g_rand_int_range(rng, 0, N_LOCKS) * 64;
		gint32 aux = st == WEFT_STATE_SYSCALL ? g_rand_int_range(rng, 0, 5) : 0;
		guint32 cs = 5 + (guint32) g_rand_int_range(rng, 0, N_SITES);

		g_array_append_val(t->states.start, s);
		g_array_append_val(t->states.end, e);
		g_array_append_val(t->states.state, st);
		g_array_append_val(t->states.object, obj);
		g_array_append_val(t->states.aux, aux);
		g_array_append_val(t->states.callsite, cs);
		if (j % 10 == 0) {
			weft_time_t rs = (weft_time_t) j * 1000, re = rs + 5000, ps = rs + 100,
			            pe = rs + 500;
			guint16 d0 = 0, d1 = 1;

			g_array_append_val(t->slices.start, rs);
			g_array_append_val(t->slices.end, re);
			g_array_append_val(t->slices.depth, d0);
			g_array_append_val(t->slices.name, names[0]);
			g_array_append_val(t->slices.start, ps);
			g_array_append_val(t->slices.end, pe);
			g_array_append_val(t->slices.depth, d1);
			g_array_append_val(t->slices.name, names[1]);
		}
		if (st == WEFT_STATE_MUTEX) {
			weft_lock_hold_t h = {obj, st, 1, t->index, s, e, e + 100, cs, 0, 0, 0};

			g_array_append_val(m->holds, h);
		}
		if (st == WEFT_STATE_MUTEX || st == WEFT_STATE_SEMAPHORE) {
			/* woken by the next thread: the critical path jumps there */
			weft_flow_t f = {st == WEFT_STATE_MUTEX ? WEFT_FLOW_LOCK_HANDOFF
			                                        : WEFT_FLOW_SEM_WAKE,
			                 (t->index + 1) % n_threads,
			                 t->index,
			                 e - 1,
			                 e,
			                 obj,
			                 0};

			g_array_append_val(m->flows, f);
		}
	}
	g_array_set_size(t->states.flags, t->states.start->len);
	g_array_set_size(t->slices.flags, t->slices.start->len);
	g_array_set_size(t->slices.callsite, t->slices.start->len);
	t->slices.max_depth = 2;
}

static int cmp_hold(gconstpointer a, gconstpointer b)
{
	const weft_lock_hold_t *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static weft_model_t *build(guint n_threads, guint n)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = g_new0(weft_process_t, 1);
	g_autoptr(GRand) rng = g_rand_new_with_seed(42);
	weft_time_t end = (weft_time_t) n * 1000 + 1000;

	p->pid = 1000;
	p->name = weft_model_intern(m, "bench");
	p->end = end;
	p->threads = g_ptr_array_new();
	p->counters = g_ptr_array_new();
	p->allocs = g_array_new(FALSE, FALSE, sizeof(weft_alloc_t));
	g_ptr_array_add(m->processes, p);
	for (guint s = 0; s < N_SITES + 5; s++) {
		g_autofree char *fn = g_strdup_printf("function_%u", s);
		weft_callsite_t cs = {0x400000 + s * 16, weft_model_intern(m, fn), 0, 0, 0, 0, 0};

		g_array_append_val(m->callsites, cs);
	}
	for (guint i = 0; i < n_threads; i++) {
		fill_thread(m, add_thread(m, p, i, end), n, n_threads, rng);
	}
	g_array_sort(m->holds, cmp_hold);
	for (guint i = 0; i < n_threads * n / 10; i++) {
		weft_alloc_t a = {(weft_time_t) i * 10,
		                  i % 7 ? (weft_time_t) i * 10 + 5000 : G_MAXINT64,
		                  0x10000 + i * 64ull,
		                  16u << (i % 8),
		                  16u << (i % 8),
		                  1000 + i % n_threads,
		                  5 + i % N_SITES,
		                  0,
		                  0};

		g_array_append_val(p->allocs, a);
	}
	m->start = 0;
	m->end = end;
	return m;
}

/*
 * CPU time of this thread in microseconds, kernel time (page faults)
 * included: on a shared, loaded machine wall-clock time measures the other
 * work as much as this one.
 */
static gint64 cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The floor: one pass over every state interval, summing durations per state. */
static gint64 baseline(const weft_model_t *m)
{
	gint64 per_state[WEFT_STATE_COUNT] = {0}, sum = 0;

	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);
		const weft_time_t *s = (const weft_time_t *) (const void *) t->states.start->data;
		const weft_time_t *e = (const weft_time_t *) (const void *) t->states.end->data;
		const guint8 *st = (const guint8 *) t->states.state->data;

		for (guint j = 0; j < t->states.start->len; j++) {
			per_state[st[j]] += e[j] - s[j];
		}
	}
	for (guint k = 0; k < WEFT_STATE_COUNT; k++) {
		sum += per_state[k];
	}
	return sum;
}

int main(int argc, char **argv)
{
	guint n_threads = argc > 1 ? (guint) atoi(argv[1]) : 32;
	guint n = argc > 2 ? (guint) atoi(argv[2]) : 62500;
	g_autoptr(weft_model_t) m = NULL;
	guint64 n_states = (guint64) n_threads * n;
	guint n_sections;
	const weft_section_info_t *sections = weft_analysis_sections(&n_sections);
	weft_analysis_options_t options = WEFT_ANALYSIS_OPTIONS_INIT;
	gint64 t0, base_us, sink, total_us = 0;

	if (n_threads == 0 || n == 0) {
		fprintf(stderr, "usage: bench-stats [THREADS [INTERVALS_PER_THREAD]]\n");
		return 2;
	}
	options.ncpus = 8;
	/* the critical path of every instance of the region "request" (one per 10 intervals) */
	options.critical_region = "request";
	m = build(n_threads, n);
	base_us = G_MAXINT64;
	for (guint r = 0; r < 5 * ROUNDS; r++) {
		t0 = cpu_us();
		sink = baseline(m);
		base_us = MAX(MIN(base_us, cpu_us() - t0), 1);
	}
	printf("model: %u threads, %" G_GUINT64_FORMAT " state intervals, %u holds, %u allocs\n",
	       n_threads, n_states, m->holds->len,
	       ((weft_process_t *) g_ptr_array_index(m->processes, 0))->allocs->len);
	printf("%-18s %10s %12s %10s\n", "section", "ms", "ns/interval", "x baseline");
	printf("%-18s %10.1f %12.2f %10.1f   (checksum %" G_GINT64_FORMAT ")\n", "baseline",
	       base_us / 1e3, base_us * 1e3 / (double) n_states, 1.0, sink);
	for (guint i = 0; i < n_sections; i++) {
		weft_table_t *table;
		gint64 us;

		if (argc > 3 && g_strcmp0(argv[3], sections[i].name)) {
			continue;
		}
		us = G_MAXINT64;
		for (guint r = 0; r < ROUNDS; r++) {
			t0 = cpu_us();
			table = weft_analysis_section_new(m, sections[i].name, &options);
			us = MIN(us, cpu_us() - t0);
			if (r + 1 < ROUNDS) {
				weft_table_free(table);
			}
		}
		total_us += us;
		printf("%-18s %10.1f %12.2f %10.1f\n", sections[i].name, us / 1e3,
		       us * 1e3 / (double) n_states, (double) us / (double) base_us);
		weft_table_free(table);
	}
	printf("%-18s %10.1f %12.2f %10.1f\n", "all sections", total_us / 1e3,
	       total_us * 1e3 / (double) n_states, (double) total_us / (double) base_us);
	return 0;
}
