/*
 * The CPU profile in the viewer, under Xvfb, on models built in code
 * (weft_test_model_samples(): 300 samples in hot_a on worker-1, 100 in
 * hot_b on worker-2): the selection's profile, summary and functions, the
 * CPU page's flame graph and table following the selected range, thread
 * and the CPU | Wall switch, the one line of a trace without samples, and the sample ticks
 * of the thread lanes at every zoom.
 */
#include <math.h>
#include <string.h>

#include "weft-cpu-page.h"
#include "weft-cpu-table.h"
#include "weft-format.h"
#include "weft-sample-ticks.h"
#include "weft-screenshot.h"
#include "weft-test-gtk.h"
#include "weft-test-model.h"
#include "weft-thread-lane.h"
#include "weft-window.h"

#define US WEFT_TEST_US
#define T0 WEFT_TEST_T0
#define P WEFT_TEST_SAMPLE_PERIOD

static const char *const path_a[] = {"worker_loop", "hot_a", NULL};
static const char *const path_b[] = {"worker_loop", "hot_b", NULL};

static gint64 value_at(const weft_flame_tree_t *tree, const char *const *path)
{
	guint n = weft_flame_tree_find(tree, path);

	return n == G_MAXUINT ? 0 : weft_flame_tree_node(tree, n)->value;
}

static void assert_function(const weft_cpu_result_t *r, guint i, const char *name, gint64 self,
                            gint64 total)
{
	const weft_cpu_function_t *f;

	g_assert_cmpuint(i, <, r->functions->len);
	f = &g_array_index(r->functions, weft_cpu_function_t, i);
	g_assert_cmpstr(f->name, ==, name);
	g_assert_cmpint(f->self, ==, self);
	g_assert_cmpint(f->total, ==, total);
}

/* A recursive function counts once in its total, every time in its self. */
static void test_recursion(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_samples();
	weft_thread_t *t = g_ptr_array_index(m->threads, 0);
	weft_cpu_scope_t scope = {0, 0, 0, FALSE};
	const weft_stack_t *lock = &g_array_index(m->stacks, weft_stack_t, WEFT_TEST_STACK_LOCK);
	const weft_stack_t *trunc = &g_array_index(m->stacks, weft_stack_t, WEFT_TEST_STACK_TRUNC);
	guint32 take = g_array_index(m->stack_frames, guint32, lock->first + 2);
	guint32 main_site = g_array_index(m->stack_frames, guint32, trunc->first + 2);
	/* Leaf first: main calls take_lock, which calls itself. */
	const guint32 frames[] = {take, take, main_site};
	g_autoptr(weft_cpu_result_t) r = NULL;

	weft_test_model_add_samples(t, T0 + 10 * US, 20 * US, 10,
	                            weft_model_add_stack(m, frames, 3, FALSE));
	r = weft_cpu_result_new(m, &scope);
	assert_function(r, 0, "take_lock", 10 * P, 10 * P);
}

static void test_result(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_samples();
	weft_cpu_scope_t whole = {0, 0, G_MAXUINT, FALSE};
	weft_cpu_scope_t half = {T0 + 5000 * US, T0 + 10000 * US, G_MAXUINT, FALSE};
	weft_cpu_scope_t one = {T0 + 5000 * US, T0 + 10000 * US, 1, FALSE};
	weft_cpu_scope_t wall = {0, 0, G_MAXUINT, TRUE};
	g_autoptr(weft_cpu_result_t) r = weft_cpu_result_new(m, &whole);
	char dur[32], expect[96];

	g_assert_cmpint(value_at(r->tree, path_a), ==, 300 * P);
	g_assert_cmpint(value_at(r->tree, path_b), ==, 100 * P);
	g_assert_cmpint(r->total, ==, 400 * P);
	g_assert_cmpint(r->n_samples, ==, 400);
	g_assert_cmpuint(r->n_threads, ==, 2);
	g_assert_true(g_str_has_prefix(r->summary, "Whole trace: "));
	assert_function(r, 0, "hot_a", 300 * P, 300 * P);
	assert_function(r, 1, "hot_b", 100 * P, 100 * P);
	assert_function(r, 2, "worker_loop", 0, 400 * P);
	g_assert_cmpuint(r->functions->len, ==, 3);
	g_clear_pointer(&r, weft_cpu_result_free);

	r = weft_cpu_result_new(m, &half);
	g_assert_cmpint(value_at(r->tree, path_a), ==, 150 * P);
	g_assert_cmpint(value_at(r->tree, path_b), ==, 50 * P);
	g_assert_cmpint(r->n_samples, ==, 200);
	g_assert_cmpint(r->duration, ==, 5000 * US);
	weft_format_duration(dur, sizeof dur, 5000 * US);
	g_snprintf(expect, sizeof expect, "Selection: %s on 2 threads, 200 samples", dur);
	g_assert_true(g_str_has_prefix(r->summary, expect));
	g_clear_pointer(&r, weft_cpu_result_free);

	r = weft_cpu_result_new(m, &one);
	g_assert_cmpint(value_at(r->tree, path_a), ==, 150 * P);
	g_assert_cmpint(value_at(r->tree, path_b), ==, 0);
	g_assert_cmpuint(r->n_threads, ==, 1);
	g_clear_pointer(&r, weft_cpu_result_free);

	/* Wall: the samples plus every off-CPU wait of the three threads. */
	r = weft_cpu_result_new(m, &wall);
	g_assert_cmpint(value_at(r->tree, path_a), ==, 300 * P);
	g_assert_cmpint(r->total, >, 400 * P);
	g_assert_cmpint(r->n_samples, ==, 400);
	g_assert_cmpuint(r->n_threads, ==, 3);
	g_clear_pointer(&r, weft_cpu_result_free);

	/* An empty model: an empty profile, no crash. */
	g_clear_pointer(&m, weft_model_free);
	m = weft_model_new();
	r = weft_cpu_result_new(m, &half);
	g_assert_cmpint(r->total, ==, 0);
	g_assert_cmpuint(r->functions->len, ==, 0);
}

static WeftWindow *open_model(weft_model_t *model)
{
	WeftWindow *window = weft_window_new(NULL);

	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, model, "samples");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 4, 10));
	return window;
}

static void save_png(GtkWidget *widget, const char *name)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *png = g_build_filename(g_get_tmp_dir(), name, NULL);

	g_assert_true(weft_screenshot_save(widget, png, &error));
	g_assert_no_error(error);
	g_test_message("screenshot: %s", png);
}

/* Waits for the page's worker, then for the graph to be laid out. */
static void wait_computed(WeftWindow *window, WeftCpuPage *page)
{
	for (guint i = 0; i < 2000 && weft_cpu_page_is_computing(page); i++) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(2000);
	}
	g_assert_false(weft_cpu_page_is_computing(page));
	g_assert_nonnull(weft_cpu_page_borrow_result(page));
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 3, 10));
}

static WeftCpuPage *show_cpu_page(WeftWindow *window)
{
	GtkStack *stack =
	    GTK_STACK(gtk_widget_get_parent(GTK_WIDGET(weft_window_get_timeline(window))));
	WeftCpuPage *page;

	weft_cpu_page_install(window);
	weft_cpu_page_install(window); /* once only */
	page = weft_cpu_page_find(window);
	g_assert_nonnull(page);
	gtk_stack_set_transition_type(stack, GTK_STACK_TRANSITION_TYPE_NONE);
	gtk_stack_set_visible_child_name(stack, "cpu");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	wait_computed(window, page);
	return page;
}

static double box_width(WeftCpuPage *page, const char *const *path)
{
	WeftFlameGraph *graph = weft_cpu_page_get_flame_graph(page);
	guint n = weft_flame_tree_find(weft_flame_graph_borrow_tree(graph), path);
	graphene_rect_t r;

	g_assert_cmpuint(n, !=, G_MAXUINT);
	g_assert_true(weft_flame_graph_get_box(graph, n, &r));
	return r.size.width;
}

static gint64 shown_total(WeftCpuPage *page)
{
	return weft_flame_tree_node(
	           weft_flame_graph_borrow_tree(weft_cpu_page_get_flame_graph(page)), 0)
	    ->value;
}

static void test_page(void)
{
	WeftWindow *window = open_model(weft_test_model_samples());
	WeftSession *session = weft_window_get_session(window);
	WeftCpuPage *page = show_cpu_page(window);
	weft_item_t item = {WEFT_ITEM_STATE, 2, 0, 0, 0, 0};
	double wa, wb;
	char dur[32];

	/* Boxes 3:1, within a pixel of rounding. */
	wa = box_width(page, path_a);
	wb = box_width(page, path_b);
	g_assert_cmpfloat(wb, >, 50);
	g_assert_cmpfloat(fabs(wa - 3 * wb), <, 2.0);
	g_assert_cmpint(shown_total(page), ==, 400 * P);
	g_assert_true(g_str_has_prefix(weft_cpu_page_get_summary(page), "Whole trace: "));
	save_png(GTK_WIDGET(window), "weft-cpu-page.png");

	/* The second half: half of each, still 3:1. */
	weft_session_select_range(session, T0 + 5000 * US, T0 + 10000 * US);
	wait_computed(window, page);
	g_assert_cmpint(shown_total(page), ==, 200 * P);
	g_assert_cmpfloat(fabs(box_width(page, path_a) - 3 * box_width(page, path_b)), <, 2.0);
	g_assert_nonnull(strstr(weft_cpu_page_get_summary(page), "on 2 threads, 200 samples"));
	save_png(GTK_WIDGET(window), "weft-cpu-page-selection.png");

	/* The table: hot_a first, with half its samples. */
	weft_cpu_page_show_table(page, TRUE);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	weft_format_value(dur, sizeof dur, 150 * P, "nanoseconds");
	g_assert_cmpstr(weft_cpu_table_get_text(weft_cpu_page_get_table(page), 1, 0), ==, "hot_a");
	g_assert_cmpstr(weft_cpu_table_get_text(weft_cpu_page_get_table(page), 1, 1), ==, dur);
	g_assert_cmpstr(weft_cpu_table_get_text(weft_cpu_page_get_table(page), 1, 2), ==, "75.0%");
	g_assert_cmpstr(weft_cpu_table_get_text(weft_cpu_page_get_table(page), 2, 0), ==, "hot_b");
	save_png(GTK_WIDGET(window), "weft-cpu-page-table.png");
	weft_cpu_page_show_table(page, FALSE);

	/* Only worker-2, the selected item's thread: hot_b fills the graph. */
	weft_cpu_page_set_thread_only(page, TRUE);
	weft_session_select(session, &item);
	wait_computed(window, page);
	g_assert_cmpint(shown_total(page), ==, 50 * P);
	g_assert_nonnull(strstr(weft_cpu_page_get_summary(page), "on 1 thread, 50 samples"));
	weft_cpu_page_set_thread_only(page, FALSE);
	wait_computed(window, page);
	g_assert_cmpint(shown_total(page), ==, 200 * P);

	/* Wall: the off-CPU waits of the half join the samples. */
	weft_cpu_page_set_wall(page, TRUE);
	wait_computed(window, page);
	g_assert_true(weft_cpu_page_borrow_result(page)->scope.wall);
	g_assert_cmpint(shown_total(page), >, 200 * P);
	g_assert_nonnull(strstr(weft_cpu_page_get_summary(page), "of wall-clock time"));
	save_png(GTK_WIDGET(window), "weft-cpu-page-wall.png");
	weft_cpu_page_set_wall(page, FALSE);
	wait_computed(window, page);
	g_assert_cmpint(shown_total(page), ==, 200 * P);

	/* Cleared: the whole trace again. */
	weft_session_select_range(session, 0, 0);
	wait_computed(window, page);
	g_assert_cmpint(shown_total(page), ==, 400 * P);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void test_no_samples(void)
{
	WeftWindow *window = open_model(weft_test_model_stacks());
	WeftCpuPage *page = show_cpu_page(window);

	g_assert_cmpstr(weft_cpu_page_get_summary(page), ==, "This trace has no CPU samples.");
	g_assert_null(weft_flame_graph_borrow_tree(weft_cpu_page_get_flame_graph(page)));
	gtk_window_destroy(GTK_WINDOW(window));
}

/* A page gone before its session: the session's signals no longer reach it. */
static void test_page_gone(void)
{
	g_autoptr(WeftSession) session = weft_session_new(weft_test_model_samples());
	GtkWidget *page = g_object_ref_sink(weft_cpu_page_new());

	weft_cpu_page_set_session(WEFT_CPU_PAGE(page), session);
	g_object_unref(page);
	weft_session_select_range(session, T0, T0 + 1000 * US);
	weft_session_select(session, NULL);
	g_assert_true(weft_session_get_range(session, &(weft_time_t){0}, &(weft_time_t){0}));
}

static GtkWidget *lane_of(WeftWindow *window, guint thread)
{
	return weft_timeline_page_get_thread_lane(weft_window_get_timeline(window), thread);
}

static double luminance(const guchar *p)
{
	return (0.3 * p[2] + 0.59 * p[1] + 0.11 * p[0]) / 255.0; /* B G R A */
}

/*
 * Pixels of lane's tick band darker than the state track just above the
 * band: the state track is one colour from top to bottom, so only a tick
 * makes a band pixel darker.
 */
static guint tick_pixels(GtkWidget *lane)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GdkTexture) texture = weft_screenshot_texture(lane, &error);
	int w, h,
	    band = WEFT_THREAD_LANE_STATE_Y + WEFT_THREAD_LANE_STATE_H - WEFT_SAMPLE_TICKS_H_PX;
	gsize stride;
	g_autofree guchar *data = NULL;
	guint n = 0;

	g_assert_no_error(error);
	w = gdk_texture_get_width(texture);
	h = gdk_texture_get_height(texture);
	g_assert_cmpint(h, >, band + WEFT_SAMPLE_TICKS_H_PX);
	stride = (gsize) w * 4;
	data = g_malloc(stride * (gsize) h);
	gdk_texture_download(texture, data, stride);
	for (int y = band; y < band + WEFT_SAMPLE_TICKS_H_PX; y++) {
		for (int x = 0; x < w; x++) {
			const guchar *above = data + (gsize) (band - 2) * stride + (gsize) x * 4;

			if (luminance(data + (gsize) y * stride + (gsize) x * 4) <
			    luminance(above) - 0.1) {
				n++;
			}
		}
	}
	return n;
}

static guint marks_of(GtkWidget *lane)
{
	return weft_thread_lane_get_n_sample_marks(WEFT_THREAD_LANE(lane));
}

static void test_ticks(void)
{
	WeftWindow *window = open_model(weft_test_model_samples());
	WeftTimeWindow *tw = weft_session_borrow_time_window(weft_window_get_session(window));
	GtkWidget *main_lane = lane_of(window, 0), *w1 = lane_of(window, 1);
	guint pixels;

	/* One mark a sample where they are pixels apart (20 us at ~10 us/px). */
	g_assert_cmpfloat(weft_time_window_ns_per_px(tw), <, 20 * US / 1.2);
	g_assert_cmpuint(marks_of(w1), ==, 300);
	g_assert_cmpuint(marks_of(main_lane), ==, 0);
	pixels = tick_pixels(w1);
	g_assert_cmpuint(pixels, >=, 300 * (WEFT_SAMPLE_TICKS_H_PX - 1));
	g_assert_cmpuint(pixels, <=, 300 * WEFT_SAMPLE_TICKS_H_PX * 2);
	g_assert_cmpuint(tick_pixels(main_lane), ==, 0);

	/* Zoomed into one millisecond: the ticks of the running intervals. */
	weft_time_window_set_range(tw, T0 + 2000 * US, T0 + 3000 * US);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 3, 10));
	g_assert_cmpuint(marks_of(w1), ==, 30);
	g_assert_cmpuint(marks_of(lane_of(window, 2)), ==, 10);
	save_png(GTK_WIDGET(window), "weft-cpu-ticks.png");
	gtk_window_destroy(GTK_WINDOW(window));
}

/* 200000 samples 5 us apart on a 1 s thread: at most one mark a column. */
static void test_ticks_zoomed_out(void)
{
	weft_model_t *m = weft_test_model_dense(1, 2000, 500 * US);
	WeftWindow *window;
	WeftTimeWindow *tw;
	GtkWidget *lane;
	guint width, marks;

	m->sample_period = 5 * US;
	weft_test_model_add_samples(g_ptr_array_index(m->threads, 0), T0, 5 * US, 200000, 0);
	window = open_model(m);
	tw = weft_session_borrow_time_window(weft_window_get_session(window));
	lane = lane_of(window, 0);
	width = (guint) gtk_widget_get_width(lane);
	marks = marks_of(lane);
	g_assert_cmpuint(marks, <=, width);
	g_assert_cmpuint(marks, >=, width / 2);
	g_assert_cmpuint(tick_pixels(lane), <=, width * WEFT_SAMPLE_TICKS_H_PX);
	save_png(GTK_WIDGET(window), "weft-cpu-ticks-dense.png");

	/* Zoomed into 100 us: each of the 20 samples is its own mark. */
	weft_time_window_set_range(tw, T0 + 500000 * US, T0 + 500100 * US);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 3, 10));
	g_assert_cmpuint(marks_of(lane), ==, 20);
	gtk_window_destroy(GTK_WINDOW(window));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* No session bus on a test machine: keep the accessibility bridge quiet. */
	g_setenv("GTK_A11Y", "none", TRUE);
	gtk_init();
	g_test_add_func("/cpu/result", test_result);
	g_test_add_func("/cpu/recursion", test_recursion);
	g_test_add_func("/cpu/page", test_page);
	g_test_add_func("/cpu/no-samples", test_no_samples);
	g_test_add_func("/cpu/page-gone", test_page_gone);
	g_test_add_func("/cpu/ticks", test_ticks);
	g_test_add_func("/cpu/ticks-zoomed-out", test_ticks_zoomed_out);
	return g_test_run();
}
