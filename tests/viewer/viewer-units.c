/*
 * Viewer view-model tests, no display: the time window's zoom/pan
 * arithmetic, the level-of-detail walk, time formatting, the ruler's
 * tick steps, per-state times in a range, and the Chrome JSON import.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "weft-details-pane.h"
#include "weft-format.h"
#include "weft-json-import.h"
#include "weft-lod.h"
#include "weft-palette.h"
#include "weft-ruler.h"
#include "weft-test-model.h"
#include "weft-time-window.h"

static void test_time_window_zoom_pan(void)
{
	g_autoptr(WeftTimeWindow) tw = weft_time_window_new();

	weft_time_window_set_bounds(tw, 1000, 1000 + 1000000);
	weft_time_window_set_width(tw, 1000);
	g_assert_cmpint(weft_time_window_get_start(tw), ==, 1000);
	g_assert_cmpint(weft_time_window_get_span(tw), ==, 1000000);
	g_assert_cmpfloat_with_epsilon(weft_time_window_ns_per_px(tw), 1000.0, 1e-9);

	/* Zoom in by 0.5 around the middle: the middle stays put. */
	weft_time_window_zoom(tw, 0.5, 0.5);
	g_assert_cmpint(weft_time_window_get_span(tw), ==, 500000);
	g_assert_cmpint(weft_time_window_get_start(tw), ==, 1000 + 250000);

	/* Around the left edge: the start stays put. */
	weft_time_window_zoom(tw, 0.5, 0.0);
	g_assert_cmpint(weft_time_window_get_start(tw), ==, 1000 + 250000);
	g_assert_cmpint(weft_time_window_get_span(tw), ==, 250000);

	/* Pan by a fraction of the span; clamped at the bounds. */
	weft_time_window_pan(tw, 0.2);
	g_assert_cmpint(weft_time_window_get_start(tw), ==, 1000 + 250000 + 50000);
	weft_time_window_pan(tw, -100);
	g_assert_cmpint(weft_time_window_get_start(tw), ==, 1000);
	g_assert_cmpint(weft_time_window_get_span(tw), ==, 250000);
	weft_time_window_pan(tw, 100);
	g_assert_cmpint(weft_time_window_get_end(tw), ==, 1000 + 1000000);

	/* Zoom out past the bounds: fits all. */
	weft_time_window_zoom(tw, 100, 0.5);
	g_assert_cmpint(weft_time_window_get_start(tw), ==, 1000);
	g_assert_cmpint(weft_time_window_get_span(tw), ==, 1000000);

	/* Zoom in past the minimum span. */
	weft_time_window_zoom(tw, 1e-9, 0.5);
	g_assert_cmpint(weft_time_window_get_span(tw), ==, WEFT_TIME_WINDOW_MIN_SPAN);

	/* x <-> time round-trips. */
	weft_time_window_set_range(tw, 2000, 12000);
	g_assert_cmpfloat_with_epsilon(weft_time_window_time_to_x(tw, 7000), 500.0, 1e-9);
	g_assert_cmpint(weft_time_window_x_to_time(tw, 250.0), ==, 4500);
}

static void count_signal(WeftTimeWindow *tw, guint *count)
{
	(*count)++;
}

static void test_time_window_signal(void)
{
	g_autoptr(WeftTimeWindow) tw = weft_time_window_new();
	guint changed = 0;

	weft_time_window_set_bounds(tw, 0, 1000000);
	g_signal_connect(tw, "changed", G_CALLBACK(count_signal), &changed);
	weft_time_window_set_range(tw, 0, 1000000); /* no change */
	g_assert_cmpuint(changed, ==, 0);
	weft_time_window_set_range(tw, 0, 500000);
	g_assert_cmpuint(changed, ==, 1);
}

/* Walks with the iterator and checks it against brute force: boxes cover
 * every visible interval exactly once, in order. */
static void check_lod(const GArray *starts, const GArray *ends, weft_time_t t0, weft_time_t t1,
                      weft_time_t merge, weft_lod_mode_t mode, guint *n_boxes)
{
	weft_lod_iter_t it;
	weft_lod_box_t box;
	guint covered = 0, first_visible = G_MAXUINT, last_visible = 0;

	for (guint i = 0; i < starts->len; i++) {
		if (g_array_index(ends, weft_time_t, i) > t0 &&
		    g_array_index(starts, weft_time_t, i) < t1) {
			first_visible = MIN(first_visible, i);
			last_visible = i;
		}
	}
	*n_boxes = 0;
	weft_lod_iter_init(&it, starts, ends, NULL, starts->len, t0, t1, merge, mode);
	while (weft_lod_iter_next(&it, &box)) {
		if (*n_boxes == 0) {
			g_assert_cmpuint(box.first, ==, first_visible);
		} else {
			g_assert_cmpuint(box.first, ==, covered);
		}
		g_assert_cmpuint(box.count, >=, 1);
		g_assert_cmpint(box.start, ==, g_array_index(starts, weft_time_t, box.first));
		g_assert_cmpint(box.end, ==,
		                g_array_index(ends, weft_time_t, box.first + box.count - 1));
		covered = box.first + box.count;
		(*n_boxes)++;
	}
	g_assert_cmpuint(covered, >=, last_visible + 1);
}

static void test_lod(void)
{
	GArray *starts = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	GArray *ends = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	guint n_boxes;

	/* 100000 intervals of 10 ns with 5 ns gaps, then one of 1 ms. */
	for (weft_time_t t = 0; t < 1500000; t += 15) {
		weft_time_t e = t + 10;

		g_array_append_val(starts, t);
		g_array_append_val(ends, e);
	}
	{
		weft_time_t s = 2000000, e = 3000000;

		g_array_append_val(starts, s);
		g_array_append_val(ends, e);
	}
	/* Zoomed in (merge 1 ns): every interval is its own box. */
	check_lod(starts, ends, 1000, 2000, 1, WEFT_LOD_EXTEND, &n_boxes);
	g_assert_cmpuint(n_boxes, ==, 67);
	/* Fit-all, 1000 px, 3 px merge: the dense run is one box (EXTEND),
	 * the long interval another. */
	check_lod(starts, ends, 0, 3000000, 9000, WEFT_LOD_EXTEND, &n_boxes);
	g_assert_cmpuint(n_boxes, ==, 2);
	/* BUCKET: about one box per merge width, not per interval. */
	check_lod(starts, ends, 0, 3000000, 9000, WEFT_LOD_BUCKET, &n_boxes);
	g_assert_cmpuint(n_boxes, >=, 1500000 / 9000);
	g_assert_cmpuint(n_boxes, <=, 1500000 / 9000 + 3);
	/* A window starting inside an interval includes it. */
	check_lod(starts, ends, 2500000, 2600000, 100, WEFT_LOD_EXTEND, &n_boxes);
	g_assert_cmpuint(n_boxes, ==, 1);
	/* Hit-test helper. */
	g_assert_cmpuint(weft_lod_find(starts, NULL, starts->len, 31), ==, 2);
	g_assert_cmpuint(weft_lod_find(starts, NULL, starts->len, -1), ==, G_MAXUINT);
	g_array_unref(starts);
	g_array_unref(ends);
}

static void test_lod_index(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_new();
	const weft_thread_t *t = g_ptr_array_index(m->threads, 0);
	guint32 depth1[16];
	guint n = 0;
	weft_lod_iter_t it;
	weft_lod_box_t box;
	guint boxes = 0;

	for (guint i = 0; i < t->slices.start->len; i++) {
		if (g_array_index(t->slices.depth, guint16, i) == 1) {
			depth1[n++] = i;
		}
	}
	g_assert_cmpuint(n, ==, 5);
	weft_lod_iter_init(&it, t->slices.start, t->slices.end, depth1, n, WEFT_TEST_T0,
	                   WEFT_TEST_T0 + 10000 * WEFT_TEST_US, 10, WEFT_LOD_EXTEND);
	while (weft_lod_iter_next(&it, &box)) {
		guint i = weft_lod_iter_model_index(&it, box.first);

		g_assert_cmpint(g_array_index(t->slices.start, weft_time_t, i), ==, box.start);
		boxes++;
	}
	g_assert_cmpuint(boxes, ==, 5);
}

static void test_format(void)
{
	char buf[64];
	weft_time_t t;

	weft_format_duration(buf, sizeof buf, 830);
	g_assert_cmpstr(buf, ==, "830 ns");
	weft_format_duration(buf, sizeof buf, 1250000);
	g_assert_cmpstr(buf, ==, "1.250 ms");
	weft_format_duration(buf, sizeof buf, 25000);
	g_assert_cmpstr(buf, ==, "25.00 µs");
	weft_format_tick(buf, sizeof buf, 2500000, 500000);
	g_assert_cmpstr(buf, ==, "2.5 ms");
	weft_format_tick(buf, sizeof buf, 3000000000, 1000000000);
	g_assert_cmpstr(buf, ==, "3 s");
	weft_format_counter_caption(buf, sizeof buf, "heap in use", TRUE, 162560);
	g_assert_cmpstr(buf, ==, "heap in use (max 158.8 KiB)");
	weft_format_counter_caption(buf, sizeof buf, "heap in use", TRUE, 3 * 1024 * 1024);
	g_assert_cmpstr(buf, ==, "heap in use (max 3.0 MiB)");
	weft_format_counter_caption(buf, sizeof buf, "queue depth", FALSE, 16);
	g_assert_cmpstr(buf, ==, "queue depth (max 16)");
	g_assert_true(weft_time_parse("1.5ms", &t));
	g_assert_cmpint(t, ==, 1500000);
	/* The same rules as weft convert --from/--to: a bare number is seconds. */
	g_assert_true(weft_time_parse("250", &t));
	g_assert_cmpint(t, ==, 250000000000);
	g_assert_true(weft_time_parse("1.5s", &t));
	g_assert_cmpint(t, ==, 1500000000);
	g_assert_true(weft_time_parse("10ns", &t));
	g_assert_cmpint(t, ==, 10);
	g_assert_true(weft_time_parse("750us", &t));
	g_assert_cmpint(t, ==, 750000);
	g_assert_true(weft_time_parse("2min", &t));
	g_assert_cmpint(t, ==, 120000000000);
	g_assert_false(weft_time_parse("-1ms", &t));
	g_assert_false(weft_time_parse("1 ms", &t));
	g_assert_true(weft_time_parse("2us", &t));
	g_assert_cmpint(t, ==, 2000);
	g_assert_false(weft_time_parse("abc", &t));
	g_assert_false(weft_time_parse("3 weeks", &t));
}

/* Region colors stay far from every state color, whatever the name. */
static void test_region_palette(void)
{
	for (guint i = 0; i < 200; i++) {
		g_autofree char *name = g_strdup_printf("region-%u", i);
		const GdkRGBA *c = weft_palette_region(name);

		for (int s = 0; s < WEFT_STATE_COUNT; s++) {
			const GdkRGBA *st = weft_palette_state((weft_state_t) s);
			double dr = c->red - st->red, dg = c->green - st->green,
			       db = c->blue - st->blue;

			g_assert_cmpfloat(sqrt(dr * dr + dg * dg + db * db), >, 0.2);
		}
		g_assert_true(weft_palette_text_on(c) ==
		              weft_palette_text_on(&(GdkRGBA){1, 1, 1, 1}));
	}
	g_assert_true(weft_palette_region("request") == weft_palette_region("request"));
}

static void test_tick_step(void)
{
	g_assert_cmpint(weft_ruler_tick_step(1000, 100), ==, 100000);
	g_assert_cmpint(weft_ruler_tick_step(1500, 100), ==, 200000);
	g_assert_cmpint(weft_ruler_tick_step(3000, 100), ==, 500000);
	g_assert_cmpint(weft_ruler_tick_step(0.01, 100), ==, 1);
}

static void test_state_times(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_new();
	const weft_thread_t *t = g_ptr_array_index(m->threads, 1);
	weft_time_t times[WEFT_STATE_COUNT];

	/* [T0 + 250 us, T0 + 1250 us): running 50 + 300 + 250, mutex 100,
	 * condvar 300. */
	weft_details_pane_state_times(t, WEFT_TEST_T0 + 250 * WEFT_TEST_US,
	                              WEFT_TEST_T0 + 1250 * WEFT_TEST_US, times);
	g_assert_cmpint(times[WEFT_STATE_RUNNING], ==, 600 * WEFT_TEST_US);
	g_assert_cmpint(times[WEFT_STATE_MUTEX], ==, 100 * WEFT_TEST_US);
	g_assert_cmpint(times[WEFT_STATE_CONDVAR], ==, 300 * WEFT_TEST_US);
	g_assert_cmpint(times[WEFT_STATE_SLEEP], ==, 0);
}

static const char *json_trace =
    "{\"traceEvents\": ["
    "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":7,\"tid\":7,\"args\":{\"name\":\"app\"}},"
    "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":7,\"tid\":8,\"args\":{\"name\":\"worker\"}},"
    "{\"ph\":\"X\",\"name\":\"inner\",\"pid\":7,\"tid\":7,\"ts\":2,\"dur\":3},"
    "{\"ph\":\"X\",\"name\":\"outer\",\"pid\":7,\"tid\":7,\"ts\":1,\"dur\":10,"
    "\"bind_id\":\"0x5\",\"flow_out\":true},"
    "{\"ph\":\"X\",\"cat\":\"state\",\"name\":\"mutex\",\"pid\":7,\"tid\":8,\"ts\":4,\"dur\":2,"
    "\"args\":{\"object\":\"0x10\"}},"
    "{\"ph\":\"X\",\"name\":\"got it\",\"pid\":7,\"tid\":8,\"ts\":6,\"dur\":1,"
    "\"bind_id\":\"0x5\",\"flow_in\":true},"
    "{\"ph\":\"B\",\"name\":\"b-slice\",\"pid\":7,\"tid\":8,\"ts\":10},"
    "{\"ph\":\"E\",\"pid\":7,\"tid\":8,\"ts\":12.5},"
    "{\"ph\":\"b\",\"cat\":\"task\",\"name\":\"job\",\"id\":\"0x9\",\"pid\":7,\"tid\":7,\"ts\":1},"
    "{\"ph\":\"e\",\"cat\":\"task\",\"name\":\"job\",\"id\":\"0x9\",\"pid\":7,\"tid\":8,\"ts\":9},"
    "{\"ph\":\"C\",\"name\":\"heap\",\"pid\":7,\"ts\":3,\"args\":{\"bytes\":4096}},"
    "{\"ph\":\"i\",\"name\":\"tick\",\"pid\":7,\"tid\":8,\"ts\":5,\"s\":\"t\"},"
    "{\"ph\":\"s\",\"name\":\"wake\",\"cat\":\"condvar wake\",\"id\":1,\"pid\":7,\"tid\":8,"
    "\"ts\":7},"
    "{\"ph\":\"f\",\"name\":\"wake\",\"cat\":\"condvar wake\",\"id\":1,\"pid\":7,\"tid\":7,"
    "\"ts\":8,\"bp\":\"e\"},"
    "{\"ph\":\"Q\",\"name\":\"unknown\",\"pid\":7,\"tid\":7,\"ts\":1}"
    "]}";

static const weft_thread_t *thread_named(const weft_model_t *m, const char *name)
{
	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);

		if (!strcmp(weft_model_borrow_string(m, t->name), name)) {
			return t;
		}
	}
	return NULL;
}

static void test_json_import(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(weft_model_t) m = weft_json_import_string(json_trace, -1, &error);
	const weft_thread_t *main_t, *worker;
	const weft_process_t *p;
	const weft_flow_t *f;
	const weft_counter_t *c;

	g_assert_no_error(error);
	g_assert_nonnull(m);
	g_assert_cmpuint(m->processes->len, ==, 1);
	p = g_ptr_array_index(m->processes, 0);
	g_assert_cmpstr(weft_model_borrow_string(m, p->name), ==, "app");
	g_assert_cmpuint(m->threads->len, ==, 2);
	worker = thread_named(m, "worker");
	g_assert_nonnull(worker);
	main_t = g_ptr_array_index(m->threads, worker->index == 0 ? 1 : 0);
	g_assert_cmpint(main_t->tid, ==, 7);
	g_assert_cmpint(m->start, ==, 1000);
	g_assert_cmpint(m->end, ==, 12500);
	/* Nesting from intervals: outer (depth 0) then inner (depth 1). */
	g_assert_cmpuint(main_t->slices.start->len, ==, 2);
	g_assert_cmpuint(main_t->slices.max_depth, ==, 2);
	g_assert_cmpstr(
	    weft_model_borrow_string(m, g_array_index(main_t->slices.name, weft_str_t, 0)), ==,
	    "outer");
	g_assert_cmpuint(g_array_index(main_t->slices.depth, guint16, 1), ==, 1);
	/* A "state" slice named after a state is a state interval. */
	g_assert_cmpuint(worker->states.start->len, ==, 1);
	g_assert_cmpuint(g_array_index(worker->states.state, guint8, 0), ==, WEFT_STATE_MUTEX);
	g_assert_cmpuint(g_array_index(worker->states.object, guint64, 0), ==, 0x10);
	/* B/E became a slice with the begin's name. */
	g_assert_cmpuint(worker->slices.start->len, ==, 2);
	g_assert_cmpint(g_array_index(worker->slices.end, weft_time_t, 1), ==, 12500);
	/* Task crossing threads. */
	g_assert_cmpuint(m->tasks->len, ==, 1);
	g_assert_cmpuint(g_array_index(m->tasks, weft_task_t, 0).begin_thread, ==, main_t->index);
	g_assert_cmpuint(g_array_index(m->tasks, weft_task_t, 0).end_thread, ==, worker->index);
	/* Flows: v2 bind_id and v1 s/f, sorted by source time. */
	g_assert_cmpuint(m->flows->len, ==, 2);
	f = &g_array_index(m->flows, weft_flow_t, 0);
	g_assert_cmpuint(f->from_thread, ==, main_t->index);
	g_assert_cmpuint(f->to_thread, ==, worker->index);
	g_assert_cmpint(f->to_ts, ==, 6000);
	f = &g_array_index(m->flows, weft_flow_t, 1);
	g_assert_cmpint(f->kind, ==, WEFT_FLOW_COND_WAKE);
	g_assert_cmpuint(f->to_thread, ==, main_t->index);
	/* Counter and instant. */
	g_assert_cmpuint(p->counters->len, ==, 1);
	c = g_ptr_array_index(p->counters, 0);
	g_assert_cmpint(g_array_index(c->value, gint64, 0), ==, 4096);
	g_assert_true(c->is_heap);
	g_assert_cmpuint(worker->instants.ts->len, ==, 1);
	g_assert_cmpuint(m->n_skipped, ==, 1);
}

/* Stacks: weft's sf + stackFrames, catapult's inline stack, args.stack,
 * a dangling sf and a cycle (a file weft did not write). */
static const char json_stacks[] =
    "{\"traceEvents\":["
    "{\"ph\":\"X\",\"pid\":7,\"tid\":7,\"ts\":1,\"dur\":1,\"name\":\"mutex\",\"sf\":3,"
    "\"args\":{\"stack\":[\"ignored\"]}},"
    "{\"ph\":\"X\",\"pid\":7,\"tid\":7,\"ts\":3,\"dur\":1,\"name\":\"condvar\","
    "\"stack\":[\"main\",\"wait_here (w.c:5)\"]},"
    "{\"ph\":\"X\",\"pid\":7,\"tid\":7,\"ts\":5,\"dur\":1,\"name\":\"sleep\","
    "\"args\":{\"stack\":[\"nap (n.c:2)\",\"main\"]}},"
    "{\"ph\":\"X\",\"pid\":7,\"tid\":7,\"ts\":7,\"dur\":1,\"name\":\"join\",\"sf\":99},"
    "{\"ph\":\"X\",\"pid\":7,\"tid\":7,\"ts\":9,\"dur\":1,\"name\":\"barrier\",\"sf\":5},"
    "{\"ph\":\"X\",\"pid\":7,\"tid\":7,\"ts\":11,\"dur\":1,\"name\":\"semaphore\"}],"
    "\"stackFrames\":{"
    "\"1\":{\"name\":\"libc.so.6+0x29d90\",\"category\":\"libc.so.6\"},"
    "\"2\":{\"name\":\"main (app.c:30)\",\"category\":\"app\",\"parent\":\"1\"},"
    "\"3\":{\"name\":\"take (lock.h:7) [inlined]\",\"category\":\"app\","
    "\"file\":\"/src/lock.h\",\"parent\":\"2\"},"
    "\"4\":{\"name\":\"a\",\"parent\":\"5\"},\"5\":{\"name\":\"b\",\"parent\":\"4\"}}}";

/* The function (or binary) names of state i's stack, leaf first, joined by '<'. */
static char *stack_names(const weft_model_t *m, const weft_thread_t *t, guint i)
{
	const guint32 *frames = NULL;
	const weft_stack_t *st =
	    weft_model_borrow_stack(m, weft_state_track_stack(&t->states, i), &frames);
	GString *out = g_string_new(NULL);

	for (guint k = 0; st && k < st->depth && k < 4; k++) {
		const weft_callsite_t *cs = weft_model_borrow_callsite(m, frames[k]);

		g_string_append_printf(
		    out, "%s%s", k ? "<" : "",
		    weft_model_borrow_string(m, cs->function ? cs->function : cs->binary));
	}
	return g_string_free(out, FALSE);
}

static void test_json_stacks(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(weft_model_t) m = weft_json_import_string(json_stacks, -1, &error);
	const weft_thread_t *t;
	const weft_callsite_t *cs;
	const weft_stack_t *st;
	const guint32 *frames = NULL;
	char *names;

	g_assert_no_error(error);
	t = g_ptr_array_index(m->threads, 0);
	g_assert_cmpuint(t->states.start->len, ==, 6);
	/* sf wins over args.stack; the chain gives leaf-first frames. */
	st = weft_model_borrow_stack(m, weft_state_track_stack(&t->states, 0), &frames);
	g_assert_nonnull(st);
	g_assert_cmpuint(st->depth, ==, 3);
	cs = weft_model_borrow_callsite(m, frames[0]);
	g_assert_cmpstr(weft_model_borrow_string(m, cs->function), ==, "take");
	g_assert_cmpstr(weft_model_borrow_string(m, cs->file), ==, "/src/lock.h");
	g_assert_cmpstr(weft_model_borrow_string(m, cs->binary), ==, "app");
	g_assert_cmpuint(cs->line, ==, 7);
	g_assert_true(cs->inlined);
	cs = weft_model_borrow_callsite(m, frames[2]);
	g_assert_null(cs->function ? "function" : NULL);
	g_assert_cmpstr(weft_model_borrow_string(m, cs->binary), ==, "libc.so.6");
	g_assert_cmphex(cs->offset, ==, 0x29d90);
	/* catapult's inline stack is root first; args.stack leaf first. */
	names = stack_names(m, t, 1);
	g_assert_cmpstr(names, ==, "wait_here<main");
	g_free(names);
	names = stack_names(m, t, 2);
	g_assert_cmpstr(names, ==, "nap<main");
	g_free(names);
	/* A dangling sf and no stack at all: none; a cycle is cut, marked truncated. */
	g_assert_cmpuint(weft_state_track_stack(&t->states, 3), ==, 0);
	g_assert_cmpuint(weft_state_track_stack(&t->states, 5), ==, 0);
	st = weft_model_borrow_stack(m, weft_state_track_stack(&t->states, 4), NULL);
	g_assert_nonnull(st);
	g_assert_true(st->truncated);
}

static void test_json_errors(void)
{
	const char *bad[] = {
	    "{\"traceEvents\": [",             /* truncated */
	    "{\"traceEvents\": [}",            /* malformed */
	    "{\"foo\": 1}",                    /* no traceEvents */
	    "{\"traceEvents\": 3}",            /* not an array */
	    "{\"traceEvents\": []}",           /* empty */
	    "[{\"ph\":\"X\",\"name\":\"a\"}]", /* no timestamps */
	    "\x01\x02garbage",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		weft_model_t *m = weft_json_import_string(bad[i], -1, &error);

		g_assert_null(m);
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
	}
}

static void test_json_file_error(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("weft-view-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "bad.json", NULL);
	weft_model_t *m;

	g_assert_true(g_file_set_contents(path, "{\"traceEvents\": [1, 2", -1, NULL));
	m = weft_json_import_file(path, NULL, NULL, NULL, &error);
	g_assert_null(m);
	g_assert_nonnull(strstr(error->message, "Failed to read Chrome JSON trace: path=\""));
	g_assert_nonnull(strstr(error->message, "reason=\"malformed JSON"));
	g_unlink(path);
	g_rmdir(dir);
}

/* One table per fact: every state has an opaque colour and every flow kind one. */
static void test_palette_states(void)
{
	for (guint s = 0; s < WEFT_STATE_COUNT; s++) {
		const GdkRGBA *c = weft_palette_state((weft_state_t) s);

		g_assert_nonnull(c);
		g_assert_cmpfloat(c->alpha, >, 0.5);
	}
	for (guint k = 0; k < WEFT_FLOW_COUNT; k++) {
		g_assert_cmpfloat(weft_palette_flow((weft_flow_kind_t) k)->alpha, >, 0.0);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/viewer/palette/every-state", test_palette_states);
	g_test_add_func("/viewer/time-window/zoom-pan", test_time_window_zoom_pan);
	g_test_add_func("/viewer/time-window/signal", test_time_window_signal);
	g_test_add_func("/viewer/lod/walk", test_lod);
	g_test_add_func("/viewer/palette/regions", test_region_palette);
	g_test_add_func("/viewer/lod/index", test_lod_index);
	g_test_add_func("/viewer/format", test_format);
	g_test_add_func("/viewer/ruler/tick-step", test_tick_step);
	g_test_add_func("/viewer/range/state-times", test_state_times);
	g_test_add_func("/viewer/json/import", test_json_import);
	g_test_add_func("/viewer/json/stacks", test_json_stacks);
	g_test_add_func("/viewer/json/errors", test_json_errors);
	g_test_add_func("/viewer/json/file-error", test_json_file_error);
	return g_test_run();
}
