/*
 * Viewer widget tests under Xvfb, on models built in code
 * (weft-test-model.c): lanes and names in the widget tree, a non-blank
 * rendering, keyboard zoom and pan, click selection filling the details
 * pane, flow arrows and their links, range summary, search, reveal,
 * extra pages, folded-box clicks and error dialogs.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "weft-details-pane.h"
#include "weft-flow-layer.h"
#include "weft-lane.h"
#include "weft-palette.h"
#include "weft-screenshot.h"
#include "weft-task-lane.h"
#include "weft-test-gtk.h"
#include "weft-test-model.h"
#include "weft-thread-lane.h"
#include "weft-window.h"

#define US WEFT_TEST_US
#define T0 WEFT_TEST_T0

static WeftWindow *open_model(weft_model_t *model)
{
	WeftWindow *window = weft_window_new(NULL);

	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, model, "synthetic");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 4, 10));
	return window;
}

static WeftTimeWindow *tw_of(WeftWindow *window)
{
	return weft_session_borrow_time_window(weft_window_get_session(window));
}

static WeftDetailsPane *details_of(WeftWindow *window)
{
	return WEFT_DETAILS_PANE(weft_timeline_page_get_details(weft_window_get_timeline(window)));
}

static void count_type(GtkWidget *widget, GType type, guint *n)
{
	if (G_TYPE_CHECK_INSTANCE_TYPE(widget, type)) {
		(*n)++;
	}
	for (GtkWidget *c = gtk_widget_get_first_child(widget); c;
	     c = gtk_widget_get_next_sibling(c)) {
		count_type(c, type, n);
	}
}

static void test_lanes(void)
{
	WeftWindow *window = open_model(weft_test_model_new());
	const weft_model_t *m = weft_window_borrow_model(window);
	guint n = 0;

	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);
		GtkWidget *lane =
		    weft_timeline_page_get_thread_lane(weft_window_get_timeline(window), i);
		GtkWidget *label = lane ? gtk_widget_get_prev_sibling(lane) : NULL;
		g_autofree char *expected = g_strdup_printf(
		    "%s %" G_GINT64_FORMAT, weft_model_borrow_string(m, t->name), t->tid);

		g_assert_true(WEFT_IS_THREAD_LANE(lane));
		g_assert_true(gtk_widget_get_mapped(lane));
		g_assert_cmpint(gtk_widget_get_height(lane), >, 20); /* states + 2 slice rows */
		g_assert_true(GTK_IS_LABEL(label));
		g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(label)), ==, expected);
	}
	count_type(GTK_WIDGET(window), WEFT_TYPE_THREAD_LANE, &n);
	g_assert_cmpuint(n, ==, WEFT_TEST_N_THREADS);
	n = 0;
	count_type(GTK_WIDGET(window), WEFT_TYPE_LANE, &n);
	/* 3 threads, 1 counter, 2 CPUs, 1 task lane. */
	g_assert_cmpuint(n, ==, 7);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void collect_expander_titles(GtkWidget *widget, GString *out)
{
	if (GTK_IS_EXPANDER(widget)) {
		g_string_append_printf(out, "%s\n", gtk_expander_get_label(GTK_EXPANDER(widget)));
	}
	for (GtkWidget *c = gtk_widget_get_first_child(widget); c;
	     c = gtk_widget_get_next_sibling(c)) {
		collect_expander_titles(c, out);
	}
}

/* A process with no lanes (seen only by its id) gets no group. */
static void test_empty_process(void)
{
	weft_model_t *model = weft_test_model_new();
	WeftWindow *window;
	g_autoptr(GString) titles = g_string_new(NULL);

	weft_test_model_add_process(model, 16432, "ghost");
	window = open_model(model);
	collect_expander_titles(GTK_WIDGET(window), titles);
	g_assert_nonnull(strstr(titles->str, "demo (pid 100, 3 threads)"));
	g_assert_null(strstr(titles->str, "ghost"));
	g_assert_null(strstr(titles->str, "pid 16432"));
	gtk_window_destroy(GTK_WINDOW(window));
}

/* Twelve tasks overlapping at once: three rows of single tasks and an
 * overflow row of merged boxes, not twelve rows. */
static void test_task_rows(void)
{
	weft_model_t *model = weft_test_model_new();
	WeftWindow *window;
	GtkWidget *lane;
	weft_item_t item;
	weft_time_t start = 0, end = 0;
	int h;

	g_array_set_size(model->tasks, 0);
	for (guint i = 0; i < 12; i++) {
		weft_task_t task = {100 + i,
		                    weft_model_intern(model, "request"),
		                    T0 + (100 + 10 * i) * US,
		                    T0 + 9000 * US,
		                    0,
		                    1,
		                    0,
		                    0};

		g_array_append_val(model->tasks, task);
	}
	window = open_model(model);
	lane = weft_test_find_type(GTK_WIDGET(window), WEFT_TYPE_TASK_LANE);
	g_assert_nonnull(lane);
	h = gtk_widget_get_height(lane);
	g_assert_cmpint(h, >=, 4 * 17);
	g_assert_cmpint(h, <=, 4 * 17 + 4);
	/* The first row holds one task; the last row the nine others, merged. */
	g_assert_cmpint(weft_lane_pick(WEFT_LANE(lane), gtk_widget_get_width(lane) / 2.0, 5, &item,
	                               &start, &end),
	                ==, WEFT_PICK_ITEM);
	g_assert_cmpint(weft_lane_pick(WEFT_LANE(lane), gtk_widget_get_width(lane) / 2.0,
	                               3 * 17 + 8, &item, &start, &end),
	                ==, WEFT_PICK_MERGED);
	g_assert_cmpint(start, ==, T0 + 130 * US);
	g_assert_cmpint(end, ==, T0 + 9000 * US);
	gtk_window_destroy(GTK_WINDOW(window));
}

/* At 800x500 the lanes get most of the width: the details pane shows
 * only once something is selected, the legend keeps to one line. */
static void test_small_window(void)
{
	WeftWindow *window = weft_window_new(NULL);
	GtkWidget *details, *lane;
	weft_item_t item = {0};

	gtk_window_set_default_size(GTK_WINDOW(window), 800, 500);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, weft_test_model_new(), "synthetic");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 4, 10));
	details = GTK_WIDGET(details_of(window));
	lane = weft_timeline_page_get_thread_lane(weft_window_get_timeline(window), 0);
	g_assert_false(gtk_widget_get_mapped(details));
	g_assert_cmpint(gtk_widget_get_width(lane), >,
	                gtk_widget_get_width(GTK_WIDGET(window)) / 2);
	item.kind = WEFT_ITEM_STATE;
	item.thread = 0;
	item.index = 0;
	item.start = T0;
	item.end = T0 + 300 * US;
	weft_session_select(weft_window_get_session(window), &item);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 3, 10));
	g_assert_true(gtk_widget_get_mapped(details));
	g_assert_cmpint(gtk_widget_get_width(details), >=, 200);
	weft_session_select(weft_window_get_session(window), NULL);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 3, 10));
	g_assert_false(gtk_widget_get_mapped(details));
	gtk_window_destroy(GTK_WINDOW(window));
}

static void test_screenshot(void)
{
	WeftWindow *window = open_model(weft_test_model_new());
	int w, h;
	gsize stride;
	g_autofree guchar *data =
	    weft_test_screenshot(GTK_WIDGET(window), "weft-viewer-widgets.png", &w, &h, &stride);

	/* Each state drawn in its own color over a good part of the lanes. */
	g_assert_cmpuint(
	    weft_test_count_color(data, stride, w, h, weft_palette_state(WEFT_STATE_RUNNING)), >,
	    3000);
	g_assert_cmpuint(
	    weft_test_count_color(data, stride, w, h, weft_palette_state(WEFT_STATE_MUTEX)), >,
	    300);
	g_assert_cmpuint(
	    weft_test_count_color(data, stride, w, h, weft_palette_state(WEFT_STATE_CONDVAR)), >,
	    1000);
	gtk_window_destroy(GTK_WINDOW(window));
}

static GtkEventController *key_controller(GtkWidget *widget)
{
	g_autoptr(GListModel) controllers = gtk_widget_observe_controllers(widget);

	for (guint i = 0; i < g_list_model_get_n_items(controllers); i++) {
		g_autoptr(GtkEventController) c = g_list_model_get_item(controllers, i);

		if (!g_strcmp0(gtk_event_controller_get_name(c), "weft-timeline-keys")) {
			return c;
		}
	}
	return NULL;
}

static gboolean press(GtkEventController *keys, guint keyval, GdkModifierType state)
{
	gboolean handled = FALSE;

	g_signal_emit_by_name(keys, "key-pressed", keyval, 0, state, &handled);
	return handled;
}

static void test_keys(void)
{
	WeftWindow *window = open_model(weft_test_model_new());
	WeftTimeWindow *tw = tw_of(window);
	GtkEventController *keys = key_controller(GTK_WIDGET(window));
	weft_time_t span0 = weft_time_window_get_span(tw), mid0, span, start;

	g_assert_nonnull(keys);
	g_assert_cmpint(span0, ==, 10000 * US);
	mid0 = weft_time_window_get_start(tw) + span0 / 2;
	/* W zooms in by WEFT_TIMELINE_ZOOM_STEP around the middle. */
	g_assert_true(press(keys, GDK_KEY_w, 0));
	span = weft_time_window_get_span(tw);
	g_assert_cmpint(ABS(span - (weft_time_t) (span0 * WEFT_TIMELINE_ZOOM_STEP)), <=, 1);
	g_assert_cmpint(ABS(weft_time_window_get_start(tw) + span / 2 - mid0), <=, 1);
	g_assert_true(press(keys, GDK_KEY_w, 0));
	g_assert_cmpint(
	    ABS(weft_time_window_get_span(tw) -
	        (weft_time_t) (span0 * WEFT_TIMELINE_ZOOM_STEP * WEFT_TIMELINE_ZOOM_STEP)),
	    <=, 2);
	/* S zooms back out. */
	g_assert_true(press(keys, GDK_KEY_s, 0));
	g_assert_cmpint(ABS(weft_time_window_get_span(tw) - span), <=, 2);
	/* D pans right by WEFT_TIMELINE_PAN_STEP of the span, A back. */
	weft_time_window_set_range(tw, T0 + 1000 * US, T0 + 3000 * US);
	span = weft_time_window_get_span(tw);
	start = weft_time_window_get_start(tw);
	g_assert_true(press(keys, GDK_KEY_d, 0));
	g_assert_cmpint(weft_time_window_get_start(tw) - start, ==,
	                (weft_time_t) (WEFT_TIMELINE_PAN_STEP * span));
	g_assert_cmpint(weft_time_window_get_span(tw), ==, span);
	g_assert_true(press(keys, GDK_KEY_a, 0));
	g_assert_cmpint(weft_time_window_get_start(tw), ==, start);
	/* Upper case works too; Ctrl+W is not ours. */
	g_assert_true(press(keys, GDK_KEY_D, GDK_SHIFT_MASK));
	g_assert_false(press(keys, GDK_KEY_w, GDK_CONTROL_MASK));
	/* Fit all. */
	gtk_widget_activate_action(GTK_WIDGET(weft_window_get_timeline(window)), "timeline.fit-all",
	                           NULL);
	g_assert_cmpint(weft_time_window_get_span(tw), ==, span0);
	gtk_window_destroy(GTK_WINDOW(window));
}

/* Clicks the middle of item as drawn in its thread's lane. */
static void click_item(WeftWindow *window, const weft_item_t *item, weft_time_t at)
{
	WeftTimelinePage *page = weft_window_get_timeline(window);
	GtkWidget *lane = weft_timeline_page_get_thread_lane(page, item->thread);
	graphene_point_t in, out;

	in.x = (float) weft_time_window_time_to_x(tw_of(window), at);
	in.y = (float) weft_thread_lane_item_y(WEFT_THREAD_LANE(lane), item);
	g_assert_true(gtk_widget_compute_point(lane, GTK_WIDGET(page), &in, &out));
	weft_timeline_page_click_at(page, out.x, out.y);
}

static void test_select(void)
{
	WeftWindow *window = open_model(weft_test_model_new());
	WeftSession *session = weft_window_get_session(window);
	WeftDetailsPane *details = details_of(window);
	weft_item_t parse = {WEFT_ITEM_SLICE, 1, 0, 1, 0, 0};
	weft_item_t state = {WEFT_ITEM_STATE, 1, 0, 0, 0, 0};
	const weft_item_t *sel;

	weft_time_window_set_range(tw_of(window), T0, T0 + 2000 * US);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	g_assert_cmpstr(weft_details_pane_get_title(details), ==, "Nothing selected");

	/* The "parse" region of worker-1 at [T0, T0 + 400 us]. */
	click_item(window, &parse, T0 + 200 * US);
	sel = weft_session_get_selection(session);
	g_assert_cmpint(sel->kind, ==, WEFT_ITEM_SLICE);
	g_assert_cmpuint(sel->thread, ==, 1);
	g_assert_cmpuint(sel->index, ==, 1);
	g_assert_cmpstr(weft_details_pane_get_title(details), ==, "parse");
	g_assert_cmpstr(weft_details_pane_get_field(details, "duration"), ==, "400.0 µs");
	g_assert_nonnull(strstr(weft_details_pane_get_field(details, "thread"), "worker-1"));
	g_assert_nonnull(strstr(weft_details_pane_get_field(details, "start"), "+0 ns"));

	/* The mutex wait at [T0 + 300 us, T0 + 400 us]: object, call site. */
	click_item(window, &state, T0 + 350 * US);
	sel = weft_session_get_selection(session);
	g_assert_cmpint(sel->kind, ==, WEFT_ITEM_STATE);
	g_assert_cmpstr(weft_details_pane_get_title(details), ==, "mutex");
	g_assert_cmpstr(weft_details_pane_get_field(details, "object"), ==, "0x1000");
	g_assert_cmpstr(weft_details_pane_get_field(details, "callsite"), ==,
	                "take_lock (demo.c:42)");
	g_assert_cmpstr(weft_details_pane_get_field(details, "start"), ==,
	                "+300.0 µs (1000300000 ns)");

	/* Escape clears it. */
	g_assert_true(
	    weft_timeline_page_handle_key(weft_window_get_timeline(window), GDK_KEY_Escape, 0));
	g_assert_cmpint(weft_session_get_selection(session)->kind, ==, WEFT_ITEM_NONE);
	g_assert_cmpstr(weft_details_pane_get_title(details), ==, "Nothing selected");
	gtk_window_destroy(GTK_WINDOW(window));
}

static GtkWidget *first_link(WeftWindow *window)
{
	GtkWidget *w = GTK_WIDGET(details_of(window));
	GPtrArray *stack = g_ptr_array_new();
	GtkWidget *found = NULL;

	g_ptr_array_add(stack, w);
	while (stack->len && !found) {
		w = g_ptr_array_steal_index(stack, stack->len - 1);
		if (GTK_IS_BUTTON(w) && g_object_get_data(G_OBJECT(w), "weft-ts")) {
			found = w;
		}
		for (GtkWidget *c = gtk_widget_get_first_child(w); c;
		     c = gtk_widget_get_next_sibling(c)) {
			g_ptr_array_add(stack, c);
		}
	}
	g_ptr_array_unref(stack);
	return found;
}

static void test_flows(void)
{
	WeftWindow *window = open_model(weft_test_model_new());
	WeftSession *session = weft_window_get_session(window);
	WeftFlowLayer *layer =
	    WEFT_FLOW_LAYER(weft_test_find_type(GTK_WIDGET(window), WEFT_TYPE_FLOW_LAYER));
	weft_item_t src;
	GtkWidget *link;

	g_assert_nonnull(layer);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	g_assert_cmpuint(weft_flow_layer_get_n_drawn(layer), ==, 0);
	/* main's running interval [T0 + 1 ms, T0 + 1.3 ms] holds the hand-off's
	 * source: its arrow is drawn and the details link to worker-1. */
	g_assert_true(weft_session_item_at(session, 0, T0 + 1100 * US, &src));
	g_assert_cmpint(src.kind, ==, WEFT_ITEM_STATE);
	weft_session_select(session, &src);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	g_assert_cmpuint(weft_flow_layer_get_n_drawn(layer), ==, 1);
	{
		g_autofree char *png =
		    g_build_filename(g_get_tmp_dir(), "weft-viewer-flows.png", NULL);

		g_assert_true(weft_screenshot_save(GTK_WIDGET(window), png, NULL));
		g_test_message("screenshot: %s", png);
	}
	link = first_link(window);
	g_assert_nonnull(link);
	g_assert_nonnull(strstr(gtk_button_get_label(GTK_BUTTON(link)), "lock hand-off"));
	g_assert_nonnull(strstr(gtk_button_get_label(GTK_BUTTON(link)), "worker-1"));
	g_signal_emit_by_name(link, "clicked");
	g_assert_cmpuint(weft_session_get_selection(session)->thread, ==, 1);
	g_assert_cmpint(weft_session_get_selection(session)->start, <=, T0 + 1200 * US);
	g_assert_cmpint(weft_session_get_selection(session)->end, >=, T0 + 1200 * US);
	/* All arrows when toggled, with nothing selected. */
	weft_session_select(session, NULL);
	g_object_set(weft_window_get_timeline(window), "show-all-flows", TRUE, NULL);
	weft_time_window_fit_all(tw_of(window));
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	g_assert_cmpuint(weft_flow_layer_get_n_drawn(layer), ==, 1);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void test_range(void)
{
	WeftWindow *window = open_model(weft_test_model_new());
	const char *text;

	weft_session_select_range(weft_window_get_session(window), T0 + 250 * US, T0 + 1250 * US);
	text = weft_details_pane_get_range_text(details_of(window));
	g_test_message("%s", text);
	g_assert_nonnull(strstr(text, "Length 1.000 ms"));
	g_assert_nonnull(strstr(text, "worker-2 (102)"));
	g_assert_nonnull(strstr(text, "running           600.0 µs   60.0%"));
	g_assert_nonnull(strstr(text, "mutex             100.0 µs   10.0%"));
	g_assert_nonnull(strstr(text, "condvar           300.0 µs   30.0%"));
	/* F zooms to the range. */
	g_assert_true(
	    weft_timeline_page_handle_key(weft_window_get_timeline(window), GDK_KEY_f, 0));
	g_assert_cmpint(weft_time_window_get_start(tw_of(window)), ==, T0 + 250 * US);
	g_assert_cmpint(weft_time_window_get_end(tw_of(window)), ==, T0 + 1250 * US);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void assert_visible(WeftWindow *window, const weft_item_t *item)
{
	g_assert_cmpint(weft_time_window_get_start(tw_of(window)), <=, item->start);
	g_assert_cmpint(weft_time_window_get_end(tw_of(window)), >=, item->end);
}

static void test_search(void)
{
	WeftWindow *window = open_model(weft_test_model_new());
	WeftTimelinePage *page = weft_window_get_timeline(window);
	WeftSession *session = weft_window_get_session(window);
	const weft_model_t *m = weft_window_borrow_model(window);
	weft_item_t first;
	const weft_thread_t *t;

	g_assert_cmpuint(weft_timeline_page_search(page, "PAR"), ==, 5 * WEFT_TEST_N_THREADS);
	g_assert_cmpuint(weft_timeline_page_search(page, "checkpoint"), ==, 1);
	g_assert_cmpuint(weft_timeline_page_search(page, "nothing like it"), ==, 0);
	g_assert_cmpuint(weft_timeline_page_search(page, "pars"), ==, 5 * WEFT_TEST_N_THREADS);
	weft_timeline_page_find_next(page, FALSE);
	first = *weft_session_get_selection(session);
	g_assert_cmpint(first.kind, ==, WEFT_ITEM_SLICE);
	t = g_ptr_array_index(m->threads, first.thread);
	g_assert_cmpstr(
	    weft_model_borrow_string(m, g_array_index(t->slices.name, weft_str_t, first.index)), ==,
	    "parse");
	assert_visible(window, &first);
	weft_timeline_page_find_next(page, FALSE);
	g_assert_false(weft_session_get_selection(session)->thread == first.thread &&
	               weft_session_get_selection(session)->index == first.index);
	assert_visible(window, weft_session_get_selection(session));
	weft_timeline_page_find_next(page, TRUE);
	g_assert_cmpuint(weft_session_get_selection(session)->index, ==, first.index);
	g_assert_cmpuint(weft_session_get_selection(session)->thread, ==, first.thread);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void test_pages_and_reveal(void)
{
	WeftWindow *window = open_model(weft_test_model_new());
	GtkWidget *stack = weft_test_find_type(GTK_WIDGET(window), GTK_TYPE_STACK);
	GtkWidget *sidebar = weft_test_find_type(GTK_WIDGET(window), GTK_TYPE_STACK_SIDEBAR);
	g_autoptr(GtkSelectionModel) pages = NULL;
	g_autoptr(GObject) first = NULL;
	const weft_item_t *sel;

	g_assert_false(gtk_widget_get_visible(sidebar));
	weft_window_add_page(window, "extra", "Extra", gtk_label_new("an analysis"));
	g_assert_true(gtk_widget_get_visible(sidebar));
	pages = gtk_stack_get_pages(GTK_STACK(stack));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(pages)), ==, 2);
	first = g_list_model_get_item(G_LIST_MODEL(pages), 0);
	g_assert_cmpstr(gtk_stack_page_get_name(GTK_STACK_PAGE(first)), ==, "timeline");
	g_assert_cmpstr(gtk_stack_page_get_title(GTK_STACK_PAGE(first)), ==, "Timeline");
	gtk_stack_set_visible_child_name(GTK_STACK(stack), "extra");

	/* worker-2's "request" region [T0 + 4 ms, T0 + 5 ms]. */
	weft_window_reveal(window, 2, T0 + 4000 * US, T0 + 5000 * US);
	g_assert_cmpstr(gtk_stack_get_visible_child_name(GTK_STACK(stack)), ==, "timeline");
	sel = weft_session_get_selection(weft_window_get_session(window));
	g_assert_cmpint(sel->kind, ==, WEFT_ITEM_SLICE);
	g_assert_cmpuint(sel->thread, ==, 2);
	g_assert_cmpint(sel->start, ==, T0 + 4000 * US);
	g_assert_cmpint(sel->end, ==, T0 + 5000 * US);
	assert_visible(window, sel);
	g_assert_cmpint(weft_time_window_get_span(tw_of(window)), <, 2000 * US);
	g_assert_cmpstr(weft_details_pane_get_title(details_of(window)), ==, "request");
	/* An unknown thread changes nothing. */
	weft_window_reveal(window, 99, T0, T0 + 1);
	g_assert_cmpuint(weft_session_get_selection(weft_window_get_session(window))->thread, ==,
	                 2);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void test_merged_click(void)
{
	/* 200000 intervals of 100 ns: at fit-all they fold into boxes. */
	WeftWindow *window = open_model(weft_test_model_dense(1, 200000, 100));
	weft_item_t slice = {WEFT_ITEM_SLICE, 0, 0, 0, 0, 0};
	weft_time_t span = weft_time_window_get_span(tw_of(window));

	click_item(window, &slice, T0 + span / 2);
	/* The click zoomed into the folded box instead of selecting. */
	g_assert_cmpint(weft_session_get_selection(weft_window_get_session(window))->kind, ==,
	                WEFT_ITEM_NONE);
	g_assert_cmpint(weft_time_window_get_span(tw_of(window)), <, span / 10);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void on_load_failed(WeftWindow *window, GError *error, char **message)
{
	*message = g_strdup(error->message);
}

static void on_session_changed(WeftWindow *window, char **message)
{
	*message = g_strdup("loaded");
}

static GtkWidget *error_dialog(void)
{
	GListModel *toplevels = gtk_window_get_toplevels(); /* borrowed */

	for (guint i = 0; i < g_list_model_get_n_items(toplevels); i++) {
		g_autoptr(GtkWidget) w = g_list_model_get_item(toplevels, i);

		if (GTK_IS_MESSAGE_DIALOG(w) &&
		    !g_strcmp0(gtk_widget_get_name(w), "weft-error-dialog")) {
			return w;
		}
	}
	return NULL;
}

static void expect_error(const char *path, const char *reason)
{
	WeftWindow *window = weft_window_new(NULL);
	char *message = NULL;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	GtkWidget *dialog;

	gtk_window_present(GTK_WINDOW(window));
	g_signal_connect(window, "load-failed", G_CALLBACK(on_load_failed), &message);
	g_signal_connect(window, "session-changed", G_CALLBACK(on_session_changed), &message);
	weft_window_open(window, path);
	while (!message && g_get_monotonic_time() < deadline) {
		g_main_context_iteration(NULL, TRUE);
	}
	g_test_message("%s: %s", path, message);
	g_assert_nonnull(message);
	g_assert_nonnull(strstr(message, path));
	g_assert_nonnull(strstr(message, reason));
	dialog = error_dialog();
	g_assert_nonnull(dialog);
	g_assert_null(weft_window_get_session(window));
	gtk_window_destroy(GTK_WINDOW(dialog));
	gtk_window_destroy(GTK_WINDOW(window));
	g_free(message);
}

static void test_errors(void)
{
	g_autofree char *dir = g_dir_make_tmp("weft-viewer-XXXXXX", NULL);
	g_autofree char *bad = g_build_filename(dir, "bad.json", NULL);
	g_autofree char *other = g_build_filename(dir, "other.json", NULL);
	g_autofree char *folder = g_build_filename(dir, "not-a-trace", NULL);
	g_autofree char *junk = g_build_filename(folder, "notes.txt", NULL);
	g_autofree char *missing = g_build_filename(dir, "missing", NULL);

	g_assert_true(g_file_set_contents(bad, "{\"traceEvents\": [{\"ph\": \"X\",", -1, NULL));
	g_assert_true(g_file_set_contents(other, "{\"hello\": \"world\"}", -1, NULL));
	g_assert_cmpint(g_mkdir(folder, 0700), ==, 0);
	g_assert_true(g_file_set_contents(junk, "not CTF", -1, NULL));
	expect_error(bad, "malformed JSON");
	expect_error(other, "not a Chrome trace");
	expect_error(folder, "reason=");
	expect_error(missing, "no such file");
	g_unlink(bad);
	g_unlink(other);
	g_unlink(junk);
	g_rmdir(folder);
	g_rmdir(dir);
}

/* A second open replaces the first: only the second one's outcome shows
 * (no error dialog for the abandoned bad file). */
static void test_reopen(void)
{
	g_autofree char *dir = g_dir_make_tmp("weft-viewer-XXXXXX", NULL);
	g_autofree char *bad = g_build_filename(dir, "bad.json", NULL);
	g_autofree char *good = g_build_filename(dir, "good.json", NULL);
	WeftWindow *window = weft_window_new(NULL);
	char *message = NULL;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	g_assert_true(g_file_set_contents(bad, "{\"traceEvents\": [", -1, NULL));
	g_assert_true(g_file_set_contents(
	    good, "[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"tid\":1,\"ts\":1,\"dur\":2}]", -1,
	    NULL));
	gtk_window_present(GTK_WINDOW(window));
	g_signal_connect(window, "load-failed", G_CALLBACK(on_load_failed), &message);
	g_signal_connect(window, "session-changed", G_CALLBACK(on_session_changed), &message);
	weft_window_open(window, bad);
	weft_window_open(window, good);
	while (!message && g_get_monotonic_time() < deadline) {
		g_main_context_iteration(NULL, TRUE);
	}
	g_assert_cmpstr(message, ==, "loaded");
	/* Let the abandoned load finish too: it must stay silent. */
	for (int i = 0; i < 50; i++) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(2000);
	}
	g_assert_null(error_dialog());
	g_assert_cmpuint(weft_window_borrow_model(window)->threads->len, ==, 1);
	gtk_window_destroy(GTK_WINDOW(window));
	g_free(message);
	g_unlink(bad);
	g_unlink(good);
	g_rmdir(dir);
}

/* Discarded events and stream warnings show above the pages, and can be dismissed. */
static void test_data_loss_warning(void)
{
	weft_model_t *model = weft_test_model_new();
	WeftWindow *window;

	model->n_discarded = 42;
	if (!model->warnings) {
		model->warnings = g_ptr_array_new_with_free_func(g_free);
	}
	g_ptr_array_add(model->warnings,
	                g_strdup("stream weft_1 is empty: its events are missing"));
	window = open_model(model);
	g_assert_nonnull(weft_window_get_warning(window));
	g_assert_nonnull(strstr(weft_window_get_warning(window), "discarded 42 events"));
	g_assert_nonnull(strstr(weft_window_get_warning(window), "weft_1 is empty"));
	gtk_window_destroy(GTK_WINDOW(window));

	window = open_model(weft_test_model_new());
	g_assert_null(weft_window_get_warning(window));
	gtk_window_destroy(GTK_WINDOW(window));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* The accessibility bridge wants a session bus, which a test
	 * machine may lack (and then GTK warns). */
	g_setenv("GTK_A11Y", "none", TRUE);
	gtk_init();
	g_test_add_func("/viewer/widgets/lanes", test_lanes);
	g_test_add_func("/viewer/widgets/empty-process", test_empty_process);
	g_test_add_func("/viewer/widgets/task-rows", test_task_rows);
	g_test_add_func("/viewer/widgets/small-window", test_small_window);
	g_test_add_func("/viewer/widgets/screenshot", test_screenshot);
	g_test_add_func("/viewer/widgets/keys", test_keys);
	g_test_add_func("/viewer/widgets/select", test_select);
	g_test_add_func("/viewer/widgets/flows", test_flows);
	g_test_add_func("/viewer/widgets/range", test_range);
	g_test_add_func("/viewer/widgets/search", test_search);
	g_test_add_func("/viewer/widgets/pages-and-reveal", test_pages_and_reveal);
	g_test_add_func("/viewer/widgets/merged-click", test_merged_click);
	g_test_add_func("/viewer/widgets/errors", test_errors);
	g_test_add_func("/viewer/widgets/reopen", test_reopen);
	g_test_add_func("/viewer/widgets/data-loss-warning", test_data_loss_warning);
	return g_test_run();
}
