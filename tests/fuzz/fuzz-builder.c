/*
 * Fuzz target for the model builder: arbitrary bytes become an arbitrary
 * sequence of neutral events (weft_event_t), discarded-events notices and
 * unknown events; the builder must never crash, and the model it returns
 * must keep its invariants (checked here: a violation aborts).
 *
 * Built two ways:
 *   - with libFuzzer (clang -fsanitize=fuzzer): LLVMFuzzerTestOneInput;
 *   - standalone (-DWEFT_FUZZ_STANDALONE): `fuzz-builder FILE|DIR...`
 *     replays a corpus, `fuzz-builder --random SECONDS [--seed N]` feeds
 *     random inputs for that long.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft-builder-private.h"

typedef struct {
	const uint8_t *p;
	size_t n;
} input_t;

static uint8_t take(input_t *in)
{
	uint8_t v;

	if (!in->n) {
		return 0;
	}
	v = *in->p++;
	in->n--;
	return v;
}

static uint64_t take_u32(input_t *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 4; i++) {
		v = (v << 8) | take(in);
	}
	return v;
}

static const char *const strings[] = {
    "",     "a",         "b", "lock",
    "work", "x\"y\\z\n", "é", "a rather long name that goes on and on and on"};

/* Integers that matter to the builder: small ids, addresses, times near now, extremes. */
static int64_t take_int(input_t *in, weft_time_t now)
{
	uint8_t sel = take(in);

	switch (sel & 7) {
	case 0:
		return sel >> 3;
	case 1:
		return 0x10 * (sel >> 3);
	case 2:
		return now - (int64_t) take(in) * 10;
	case 3:
		return now + (int64_t) take(in) * 10;
	case 4:
		return -1;
	case 5:
		return (int64_t) take_u32(in);
	case 6:
		return sel & 8 ? INT64_MAX : INT64_MIN;
	default:
		return (int64_t) (take_u32(in) << 32 | take_u32(in));
	}
}

static void run(const uint8_t *data, size_t size);

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz-builder: model invariant broken: %s\n", what);
		abort();
	}
}

static void check_thread(const weft_model_t *m, const weft_thread_t *t)
{
	const weft_state_track_t *s = &t->states;
	const weft_slice_track_t *r = &t->slices;
	weft_time_t stack_end[4096];
	guint depth = 0;

	check(t->start <= t->end, "thread ends before it starts");
	for (guint i = 0; i < s->start->len; i++) {
		weft_time_t a = g_array_index(s->start, weft_time_t, i);
		weft_time_t b = g_array_index(s->end, weft_time_t, i);

		check(a <= b, "state ends before it starts");
		check(g_array_index(s->state, guint8, i) < WEFT_STATE_COUNT, "state out of range");
		check(g_array_index(s->state, guint8, i) != WEFT_STATE_RUNNING,
		      "explicit running state");
		check(i == 0 || g_array_index(s->end, weft_time_t, i - 1) <= a, "states overlap");
		check(g_array_index(s->callsite, guint32, i) < m->callsites->len, "bad callsite");
		check(weft_state_track_stack(s, i) < m->stacks->len, "bad stack");
	}
	/* slices: sorted by start, strictly nested, depth = nesting level */
	for (guint i = 0; i < r->start->len; i++) {
		weft_time_t a = g_array_index(r->start, weft_time_t, i);
		weft_time_t b = g_array_index(r->end, weft_time_t, i);
		guint d = g_array_index(r->depth, guint16, i);

		check(a <= b, "slice ends before it starts");
		check(i == 0 || g_array_index(r->start, weft_time_t, i - 1) <= a,
		      "slices not sorted");
		while (depth > 0 &&
		       (stack_end[depth - 1] < a || (stack_end[depth - 1] == a && depth > d))) {
			depth--;
		}
		check(d == depth, "slice depth is not its nesting level");
		check(depth == 0 || b <= stack_end[depth - 1], "slices overlap partially");
		check(d < r->max_depth, "max_depth too small");
		check(depth < G_N_ELEMENTS(stack_end), "nesting too deep");
		stack_end[depth++] = b;
	}
}

static void check_model(const weft_model_t *m)
{
	guint n = m->threads->len;

	check(m->start <= m->end, "model ends before it starts");
	for (guint i = 0; i < n; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);

		check(t->index == i, "thread index");
		check(i == 0 || ((const weft_thread_t *) g_ptr_array_index(m->threads, i - 1))
		                        ->process->index <= t->process->index,
		      "threads not grouped by process");
		check_thread(m, t);
	}
	for (guint i = 0; i < m->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(m->processes, i);

		check(p->index == i, "process index");
		for (guint j = 0; j < p->counters->len; j++) {
			const weft_counter_t *c = g_ptr_array_index(p->counters, j);

			check(c->ts->len == c->value->len, "counter arrays");
			for (guint k = 1; k < c->ts->len; k++) {
				check(g_array_index(c->ts, weft_time_t, k - 1) <
				          g_array_index(c->ts, weft_time_t, k),
				      "counter not sorted");
			}
		}
	}
	for (guint i = 0; i < m->flows->len; i++) {
		const weft_flow_t *f = &g_array_index(m->flows, weft_flow_t, i);

		check(f->from_thread < n && f->to_thread < n, "flow thread index");
		check(f->from_ts <= f->to_ts, "flow goes back in time");
		check(f->kind < WEFT_FLOW_COUNT, "flow kind");
	}
	for (guint i = 0; i < m->tasks->len; i++) {
		const weft_task_t *t = &g_array_index(m->tasks, weft_task_t, i);

		check(t->start <= t->end, "task ends before it starts");
		check(t->begin_thread < n || t->begin_thread == G_MAXUINT, "task thread");
		check(t->end_thread < n || t->end_thread == G_MAXUINT, "task thread");
	}
	for (guint i = 0; i < m->holds->len; i++) {
		const weft_lock_hold_t *h = &g_array_index(m->holds, weft_lock_hold_t, i);

		check(h->thread < n, "hold thread");
		check(h->wait_start <= h->start && h->start <= h->end, "hold times");
		check(h->stack < m->stacks->len && h->release_stack < m->stacks->len,
		      "hold stacks");
	}
	for (guint i = 0; i < m->flows->len; i++) {
		check(g_array_index(m->flows, weft_flow_t, i).stack < m->stacks->len, "flow stack");
	}
	for (guint k = 1; k < m->stacks->len; k++) {
		const guint32 *frames;
		const weft_stack_t *st = weft_model_borrow_stack(m, k, &frames);

		check(st && st->depth > 0, "empty stack");
		for (guint i = 0; st && i < st->depth; i++) {
			check(frames[i] < m->callsites->len, "stack frame callsite");
		}
	}
	for (guint c = 0; c < m->cpus->len; c++) {
		const weft_cpu_lane_t *lane = g_ptr_array_index(m->cpus, c);

		check(lane && lane->cpu == c, "cpu lanes dense");
		for (guint i = 0; i < lane->thread->len; i++) {
			check(g_array_index(lane->thread, guint, i) < n, "lane thread");
			check(g_array_index(lane->start, weft_time_t, i) <=
			          g_array_index(lane->end, weft_time_t, i),
			      "lane run times");
		}
	}
}

static void run(const uint8_t *data, size_t size)
{
	input_t in = {data, size};
	weft_builder_t *b = weft_builder_new();
	weft_time_t now = 1000000;
	weft_model_t *m;

	while (in.n) {
		uint8_t op = take(&in);
		weft_event_t ev = {0};
		uint64_t frames[4];

		now += (int64_t) take(&in) - 16; /* sometimes backwards */
		if (op >= 250) {
			weft_builder_add_discarded(b, take_int(&in, now), take_int(&in, now),
			                           take(&in), (int) take(&in) % 5 - 1,
			                           (int64_t) take(&in) % 4 - 1);
			continue;
		}
		if (op >= 240) {
			weft_builder_add_skipped(b, now);
			continue;
		}
		ev.ts = now;
		ev.id = (weft_event_id_t) (op % (WEFT_EV_COUNT + 1));
		ev.vpid = take(&in) % 4 - 1;
		ev.vtid = ev.vpid + take(&in) % 4;
		ev.cpu = (int) take(&in) % 5 - 1;
		ev.procname = strings[take(&in) % G_N_ELEMENTS(strings)];
		ev.ip = take(&in) % 4;
		if (ev.ip == 3) {
			ev.sym_func = "f+0x1";
			ev.sym_src = "file.c:12";
			ev.sym_bin = "/bin/x+0x10";
		}
		for (int i = 0; i < WEFT_EVENT_MAX_INTS; i++) {
			ev.i[i] = take_int(&in, now);
		}
		for (int i = 0; i < WEFT_EVENT_MAX_STRS; i++) {
			ev.s[i] = strings[take(&in) % G_N_ELEMENTS(strings)];
		}
		/* a few frames, ids small enough to repeat: weft:stack and its users meet */
		ev.n_frames = take(&in) % 5;
		for (guint i = 0; i < ev.n_frames; i++) {
			frames[i] = take(&in) % 8;
		}
		ev.frames = ev.n_frames ? frames : NULL;
		if (ev.id == WEFT_EV_STACK) {
			ev.i[0] = take(&in) % 4;
		}
		weft_builder_add_event(b, &ev);
	}
	m = weft_builder_finish(b);
	check_model(m);
	weft_model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size);
	return 0;
}

#ifdef WEFT_FUZZ_STANDALONE

static int replay(const char *path)
{
	gchar *data;
	gsize len;
	GDir *dir;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		const char *name;
		int n = 0;

		if (!(dir = g_dir_open(path, 0, NULL))) {
			return -1;
		}
		while ((name = g_dir_read_name(dir))) {
			g_autofree char *sub = g_build_filename(path, name, NULL);
			int r = replay(sub);

			if (r < 0) {
				g_dir_close(dir);
				return -1;
			}
			n += r;
		}
		g_dir_close(dir);
		return n;
	}
	if (!g_file_get_contents(path, &data, &len, NULL)) {
		fprintf(stderr, "fuzz-builder: cannot read %s\n", path);
		return -1;
	}
	run((const uint8_t *) data, len);
	g_free(data);
	return 1;
}

static void random_inputs(double seconds, guint32 seed)
{
	GRand *rand = g_rand_new_with_seed(seed);
	GTimer *timer = g_timer_new();
	guint64 runs = 0;
	uint8_t buf[4096];

	while (g_timer_elapsed(timer, NULL) < seconds) {
		size_t len = (size_t) g_rand_int_range(rand, 0, sizeof(buf));

		for (size_t i = 0; i < len; i++) {
			buf[i] = (uint8_t) g_rand_int(rand);
		}
		run(buf, len);
		runs++;
	}
	printf("fuzz-builder: %" G_GUINT64_FORMAT " random inputs (seed %u), no failure\n", runs,
	       seed);
	g_timer_destroy(timer);
	g_rand_free(rand);
}

int main(int argc, char **argv)
{
	int total = 0;

	if (argc >= 3 && !strcmp(argv[1], "--random")) {
		guint32 seed = argc >= 5 && !strcmp(argv[3], "--seed")
		                   ? (guint32) atoi(argv[4])
		                   : (guint32) g_get_real_time();

		random_inputs(g_ascii_strtod(argv[2], NULL), seed);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		int n = replay(argv[i]);

		if (n < 0) {
			return 1;
		}
		total += n;
	}
	if (total == 0) {
		fprintf(stderr, "fuzz-builder: no input replayed\n");
		return 1;
	}
	printf("fuzz-builder: %d inputs replayed, no failure\n", total);
	return 0;
}

#endif
