/*
 * Call stacks in the viewer under Xvfb, on the stack fixture of
 * weft-test-model.h: the details pane lists a wait's stack (and the
 * releaser's), the flame graph lays frames out in proportion to their
 * values, zooms and merges narrow frames, and a click on a frame outlines
 * exactly the waits through it on the timeline. Screenshots go to the
 * temporary directory (their paths are printed with --verbose).
 */
#include <math.h>
#include <string.h>

#include "weft-analysis-page.h"
#include "weft-analysis-pages.h"
#include "weft-details-pane.h"
#include "weft-flame-graph.h"
#include "weft-highlight-bar.h"
#include "weft-palette.h"
#include "weft-screenshot.h"
#include "weft-test-gtk.h"
#include "weft-test-model.h"
#include "weft-thread-lane.h"
#include "weft-window.h"

#define US WEFT_TEST_US
#define T0 WEFT_TEST_T0

static WeftWindow *open_model(weft_model_t *model, int width, int height)
{
	WeftWindow *window = weft_window_new(NULL);

	gtk_window_set_default_size(GTK_WINDOW(window), width, height);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, model, "stacks");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 4, 10));
	return window;
}

static char *save_png(GtkWidget *widget, const char *name, GdkTexture **out)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GdkTexture) texture = weft_screenshot_texture(widget, &error);
	char *png = g_build_filename(g_get_tmp_dir(), name, NULL);

	g_assert_no_error(error);
	g_assert_true(gdk_texture_save_to_png(texture, png));
	g_test_message("screenshot: %s", png);
	if (out) {
		*out = g_steal_pointer(&texture);
	}
	return png;
}

/* Pixels of texture within 6/255 of c. */
static guint count_color(GdkTexture *texture, const GdkRGBA *c)
{
	int w = gdk_texture_get_width(texture), h = gdk_texture_get_height(texture);
	gsize stride = (gsize) w * 4;
	g_autofree guchar *data = g_malloc(stride * (gsize) h);

	gdk_texture_download(texture, data, stride);
	return weft_test_count_color(data, stride, w, h, c);
}

static char *stack_text_of(WeftWindow *window, guint thread, guint index)
{
	WeftSession *session = weft_window_get_session(window);
	weft_item_t item = {WEFT_ITEM_STATE, thread, 0, index, 0, 0};
	GtkWidget *details = weft_timeline_page_get_details(weft_window_get_timeline(window));

	g_assert_true(weft_session_resolve_item(session, &item));
	weft_session_select(session, &item);
	return weft_details_pane_dup_stack_text(WEFT_DETAILS_PANE(details));
}

static void test_details(void)
{
	WeftWindow *window = open_model(weft_test_model_stacks(), 1200, 700);
	GtkWidget *details = weft_timeline_page_get_details(weft_window_get_timeline(window));
	g_autofree char *lock = stack_text_of(window, 1, 1);
	g_autofree char *trunc = stack_text_of(window, 0, 1);
	g_autofree char *running = stack_text_of(window, 0, 0);
	g_autofree char *handoff = NULL;
	g_autofree char *no_stacks = NULL;
	g_autofree char *png = NULL;

	/* worker-1's first mutex wait: leaf first, the inline frame marked. */
	g_assert_cmpstr(lock, ==,
	                "Call stack\n"
	                "pthread_mutex_lock — libc.so.6\n"
	                "lock_inline [inlined] — lock.h:7 — demo\n"
	                "take_lock — demo.c:42 — demo\n"
	                "worker_loop — demo.c:20 — demo\n");
	g_assert_cmpstr(trunc, ==,
	                "Call stack\n"
	                "pthread_mutex_lock — libc.so.6\n"
	                "libfoo.so+0x1234 — libfoo.so\n"
	                "main — demo.c:10 — demo\n"
	                "… truncated\n");
	g_assert_cmpstr(running, ==, "Call stack\nnone recorded\n");
	/* worker-2's wait at +2.3 ms, ended by main's unlock: both stacks. */
	weft_time_window_set_range(weft_session_borrow_time_window(weft_window_get_session(window)),
	                           T0 + 2000 * US, T0 + 2600 * US);
	handoff = stack_text_of(window, 2, 9);
	g_assert_cmpstr(handoff, ==,
	                "Call stack\n"
	                "pthread_mutex_lock — libc.so.6\n"
	                "lock_inline [inlined] — lock.h:7 — demo\n"
	                "take_lock — demo.c:42 — demo\n"
	                "worker_loop — demo.c:20 — demo\n"
	                "Call stack of the lock hand-off by main (tid 100, pid 100)\n"
	                "pthread_mutex_unlock — libc.so.6\n"
	                "main — demo.c:10 — demo\n");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 3, 10));
	png = save_png(GTK_WIDGET(window), "weft-details-stack.png", NULL);
	/* A region has no stack section. */
	{
		weft_item_t slice = {WEFT_ITEM_SLICE, 1, 0, 0, 0, 0};
		g_autofree char *none = NULL;

		g_assert_true(weft_session_resolve_item(weft_window_get_session(window), &slice));
		weft_session_select(weft_window_get_session(window), &slice);
		none = weft_details_pane_dup_stack_text(WEFT_DETAILS_PANE(details));
		g_assert_cmpstr(none, ==, "");
	}
	gtk_window_destroy(GTK_WINDOW(window));

	/* A trace without stacks has no stack section at all. */
	window = open_model(weft_test_model_new(), 1200, 700);
	no_stacks = stack_text_of(window, 1, 1);
	g_assert_cmpstr(no_stacks, ==, "");
	gtk_window_destroy(GTK_WINDOW(window));
}

/* A window holding page (the sync section's) computed on model. */
static GtkWidget *page_window(const weft_model_t *model, const char *section, GtkWidget **page)
{
	GtkWidget *window = gtk_window_new();

	*page = weft_analysis_page_new(section);
	gtk_window_set_default_size(GTK_WINDOW(window), 1000, 500);
	gtk_window_set_child(GTK_WINDOW(window), *page);
	weft_analysis_page_set_model(WEFT_ANALYSIS_PAGE(*page), model, NULL);
	weft_analysis_page_show_flame_graph(WEFT_ANALYSIS_PAGE(*page), TRUE);
	gtk_window_present(GTK_WINDOW(window));
	g_assert_true(weft_test_pump_frames(window, 4, 10));
	return window;
}

static guint node_of(WeftFlameGraph *graph, const char *const *path)
{
	guint n = weft_flame_tree_find(weft_flame_graph_borrow_tree(graph), path);

	g_assert_cmpuint(n, !=, G_MAXUINT);
	return n;
}

static graphene_rect_t box_of(WeftFlameGraph *graph, const char *const *path)
{
	graphene_rect_t r;

	g_assert_true(weft_flame_graph_get_box(graph, node_of(graph, path), &r));
	return r;
}

/* The box of path is value/total of width w, at offset/total. */
static void assert_box(WeftFlameGraph *graph, const char *const *path, double offset, double value,
                       double total, guint depth)
{
	double w = gtk_widget_get_width(GTK_WIDGET(graph));
	graphene_rect_t r = box_of(graph, path);

	g_assert_cmpfloat(fabs(r.origin.x - w * offset / total), <, 0.5);
	g_assert_cmpfloat(fabs(r.size.width - w * value / total), <, 0.5);
	g_assert_cmpfloat(r.origin.y, ==, depth * WEFT_FLAME_GRAPH_ROW_H);
}

/* Escape through the graph's key controller, as GTK delivers it. */
static void press_escape(GtkWidget *widget)
{
	g_autoptr(GListModel) controllers = gtk_widget_observe_controllers(widget);
	gboolean handled = FALSE;

	for (guint i = 0; i < g_list_model_get_n_items(controllers); i++) {
		g_autoptr(GtkEventController) c = g_list_model_get_item(controllers, i);

		if (!g_strcmp0(gtk_event_controller_get_name(c), "weft-flame-keys")) {
			g_signal_emit_by_name(c, "key-pressed", GDK_KEY_Escape, 0, 0, &handled);
		}
	}
	g_assert_true(handled);
}

static void test_flame_layout(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_stacks();
	GtkWidget *page, *window = page_window(m, "sync", &page);
	WeftFlameGraph *graph =
	    WEFT_FLAME_GRAPH(weft_analysis_page_get_flame_graph(WEFT_ANALYSIS_PAGE(page)));
	const char *root[] = {NULL};
	const char *worker[] = {"worker_loop", NULL};
	const char *take[] = {"worker_loop", "take_lock", NULL};
	const char *lock[] = {"worker_loop", "take_lock", "lock_inline", "pthread_mutex_lock",
	                      NULL};
	const char *site[] = {"take_lock", NULL};
	const char *main_path[] = {"main", NULL};
	graphene_rect_t r;
	guint merged = 0;

	g_assert_cmpint(gtk_widget_get_width(GTK_WIDGET(graph)), >, 500);
	/* Widths in proportion to the values (ms of 12), children side by side. */
	assert_box(graph, root, 0, 12, 12, 0);
	assert_box(graph, main_path, 0, 1, 12, 1);
	assert_box(graph, site, 1, 3, 12, 1);
	assert_box(graph, worker, 4, 8, 12, 1);
	assert_box(graph, take, 4, 2, 12, 2);
	assert_box(graph, lock, 4, 2, 12, 4);
	/* Hit-testing finds what is drawn there. */
	r = box_of(graph, take);
	g_assert_cmpuint(
	    weft_flame_graph_pick(graph, r.origin.x + r.size.width / 2, r.origin.y + 5, &merged),
	    ==, node_of(graph, take));
	g_assert_cmpuint(merged, ==, 1);
	g_assert_cmpuint(weft_flame_graph_pick(graph, 5, 5 * WEFT_FLAME_GRAPH_ROW_H + 5, NULL), ==,
	                 G_MAXUINT);
	{
		g_autofree char *tip = weft_flame_graph_dup_tooltip(
		    graph, r.origin.x + r.size.width / 2, r.origin.y + 5);

		g_assert_cmpstr(tip, ==,
		                "take_lock\ndemo.c:42 — demo\ndelay 2.000 ms, 16.7% of the total");
	}

	/* A click selects and zooms: take_lock fills the width, its callers
	 * stay on top full width, its siblings are gone. */
	weft_flame_graph_click(graph, r.origin.x + r.size.width / 2, r.origin.y + 5, 1);
	g_assert_cmpuint(weft_flame_graph_get_selected(graph), ==, node_of(graph, take));
	g_assert_cmpuint(weft_flame_graph_get_zoom(graph), ==, node_of(graph, take));
	assert_box(graph, take, 0, 1, 1, 2);
	assert_box(graph, lock, 0, 1, 1, 4);
	assert_box(graph, worker, 0, 1, 1, 1);
	assert_box(graph, root, 0, 1, 1, 0);
	g_assert_false(weft_flame_graph_get_box(graph, node_of(graph, site), &r));
	g_assert_true(weft_test_pump_frames(window, 2, 10));
	/* A click on a caller zooms back out to it; a double click resets. */
	r = box_of(graph, worker);
	weft_flame_graph_click(graph, 10, r.origin.y + 5, 1);
	g_assert_cmpuint(weft_flame_graph_get_zoom(graph), ==, node_of(graph, worker));
	weft_flame_graph_click(graph, 10, r.origin.y + 5, 2);
	g_assert_cmpuint(weft_flame_graph_get_zoom(graph), ==, 0);
	/* So does Escape. */
	weft_flame_graph_select(graph, node_of(graph, take));
	g_assert_cmpuint(weft_flame_graph_get_zoom(graph), ==, node_of(graph, take));
	press_escape(GTK_WIDGET(graph));
	g_assert_cmpuint(weft_flame_graph_get_zoom(graph), ==, 0);
	g_assert_cmpuint(weft_flame_graph_get_selected(graph), ==, G_MAXUINT);
	assert_box(graph, site, 1, 3, 12, 1);
	gtk_window_destroy(GTK_WINDOW(window));
}

/* The locks and allocation pages show their profiles; syscall has none here. */
static void test_other_pages(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_stacks();
	const struct {
		const char *section;
		const char *path[3];
		gint64 total;
	} pages[] = {
	    {"locks", {"main", "pthread_mutex_unlock", NULL}, 100 * US},
	    {"allocs", {"worker_loop", "malloc", NULL}, 5120},
	    {"leaks", {"worker_loop", "malloc", NULL}, 4096},
	    {"syscall", {NULL}, 0},
	};
	GtkWidget *sizes;

	for (guint i = 0; i < G_N_ELEMENTS(pages); i++) {
		GtkWidget *page, *window = page_window(m, pages[i].section, &page);
		WeftFlameGraph *graph =
		    WEFT_FLAME_GRAPH(weft_analysis_page_get_flame_graph(WEFT_ANALYSIS_PAGE(page)));
		g_autofree char *name = g_strdup_printf("weft-%s-flame.png", pages[i].section);
		g_autofree char *png = NULL;
		graphene_rect_t r;

		g_assert_cmpint(weft_flame_tree_node(weft_flame_graph_borrow_tree(graph), 0)->value,
		                ==, pages[i].total);
		if (pages[i].total) {
			r = box_of(graph, pages[i].path);
			g_assert_cmpfloat(r.size.width, >, 0);
		}
		png = save_png(window, name, NULL);
		gtk_window_destroy(GTK_WINDOW(window));
	}
	/* Sections without stacks have no flame graph. */
	sizes = g_object_ref_sink(weft_analysis_page_new("sizes"));
	g_assert_null(weft_analysis_page_get_flame_graph(WEFT_ANALYSIS_PAGE(sizes)));
	g_object_unref(sizes);
}

/* One thread: a 10 ms wait at "big" and 3000 waits of 1 us at f0000..f2999. */
static weft_model_t *narrow_model(void)
{
	weft_model_t *m = weft_test_model_dense(1, 2, 10000 * US);
	weft_thread_t *t = g_ptr_array_index(m->threads, 0);
	weft_callsite_t cs = {0x1000, weft_model_intern(m, "big"), 0, 0, 0, 0, 0};
	guint8 mutex = WEFT_STATE_MUTEX, flags = 0;
	guint64 object = 0;
	gint32 aux = 0;

	g_array_append_val(m->callsites, cs);
	g_array_index(t->states.callsite, guint32, 1) = m->callsites->len - 1;
	for (guint i = 0; i < 3000; i++) {
		g_autofree char *name = g_strdup_printf("f%04u", i);
		weft_time_t s = T0 + 20000 * US + i * 2 * US, e = s + US;
		guint32 site;

		cs.function = weft_model_intern(m, name);
		g_array_append_val(m->callsites, cs);
		site = m->callsites->len - 1;
		g_array_append_val(t->states.start, s);
		g_array_append_val(t->states.end, e);
		g_array_append_val(t->states.state, mutex);
		g_array_append_val(t->states.flags, flags);
		g_array_append_val(t->states.object, object);
		g_array_append_val(t->states.aux, aux);
		g_array_append_val(t->states.callsite, site);
	}
	t->end = m->end = T0 + 30000 * US;
	return m;
}

static void test_flame_merge(void)
{
	g_autoptr(weft_model_t) m = narrow_model();
	GtkWidget *page, *window = page_window(m, "sync", &page);
	WeftFlameGraph *graph =
	    WEFT_FLAME_GRAPH(weft_analysis_page_get_flame_graph(WEFT_ANALYSIS_PAGE(page)));
	double w = gtk_widget_get_width(GTK_WIDGET(graph));
	const char *big[] = {"big", NULL};
	const char *tiny[] = {"f1500", NULL};
	graphene_rect_t r;
	guint merged = 0, node;

	/* 3000 frames of 1/13000 of the width each: one merged box after "big". */
	assert_box(graph, big, 0, 10000, 13000, 1);
	g_assert_false(weft_flame_graph_get_box(graph, node_of(graph, tiny), &r));
	node = weft_flame_graph_pick(graph, w * 11500 / 13000, WEFT_FLAME_GRAPH_ROW_H + 5, &merged);
	g_assert_cmpuint(merged, ==, 3000);
	g_assert_cmpstr(weft_flame_tree_node(weft_flame_graph_borrow_tree(graph), node)->name, ==,
	                "f0000");
	/* Clicking it zooms into their caller (the root here). */
	weft_flame_graph_click(graph, w * 11500 / 13000, WEFT_FLAME_GRAPH_ROW_H + 5, 1);
	g_assert_cmpuint(weft_flame_graph_get_zoom(graph), ==, 0);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void wait_computed(WeftAnalysisPage *page)
{
	for (guint i = 0; i < 1000 && weft_analysis_page_is_computing(page); i++) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(2000);
	}
	g_assert_false(weft_analysis_page_is_computing(page));
}

/* Shows page name of stack and waits for the transition to end. */
static void show_page(GtkWidget *window, GtkStack *stack, const char *name)
{
	gtk_stack_set_visible_child_name(stack, name);
	for (guint i = 0; i < 50 && (gtk_stack_get_transition_running(stack) || i < 3); i++) {
		g_assert_true(weft_test_pump_frames(window, 1, 10));
	}
	g_assert_false(gtk_stack_get_transition_running(stack));
}

static guint lane_highlights(WeftWindow *window, guint thread)
{
	GtkWidget *lane =
	    weft_timeline_page_get_thread_lane(weft_window_get_timeline(window), thread);

	return weft_thread_lane_get_n_highlighted(WEFT_THREAD_LANE(lane));
}

static void test_highlight(void)
{
	WeftWindow *window = open_model(weft_test_model_stacks(), 1400, 800);
	WeftSession *session = weft_window_get_session(window);
	GtkStack *stack =
	    GTK_STACK(gtk_widget_get_parent(GTK_WIDGET(weft_window_get_timeline(window))));
	WeftAnalysisPage *page;
	WeftFlameGraph *graph;
	const char *site[] = {"take_lock", NULL};
	const weft_stack_match_t *match;
	g_autofree char *flame_png = NULL;
	g_autofree char *timeline_png = NULL;
	g_autofree char *selected_png = NULL;
	g_autoptr(GdkTexture) selected_shot = NULL;
	g_autoptr(GdkTexture) flame_shot = NULL;
	g_autoptr(GdkTexture) timeline_shot = NULL;
	GtkWidget *bar;
	graphene_rect_t r;

	weft_analysis_pages_install(window);
	page = WEFT_ANALYSIS_PAGE(weft_analysis_pages_find(window, "sync"));
	weft_analysis_page_show_flame_graph(page, TRUE);
	show_page(GTK_WIDGET(window), stack, "analysis-blocking");
	wait_computed(page);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 3, 10));
	flame_png = save_png(GTK_WIDGET(window), "weft-blocking-flame.png", &flame_shot);
	graph = WEFT_FLAME_GRAPH(weft_analysis_page_get_flame_graph(page));

	/* A click on the take_lock frame highlights exactly its waits. */
	r = box_of(graph, site);
	weft_flame_graph_click(graph, r.origin.x + r.size.width / 2, r.origin.y + 5, 1);
	match = weft_session_borrow_highlight(session);
	g_assert_nonnull(match);
	g_assert_cmpstr(match->frame, ==, "take_lock");
	g_assert_cmpuint(match->n_intervals, ==, 30);
	for (guint i = 0; i < 40; i++) {
		g_assert_cmpint(weft_stack_match_has(match, 0, i), ==, i % 4 == 3);
		g_assert_cmpint(weft_stack_match_has(match, 1, i), ==, i % 4 == 1);
		g_assert_cmpint(weft_stack_match_has(match, 2, i), ==, i % 4 == 1);
	}

	/* The flame graph shows the selected frame zoomed in, outlined. */
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 3, 10));
	selected_png =
	    save_png(GTK_WIDGET(window), "weft-blocking-flame-selected.png", &selected_shot);
	g_assert_cmpuint(count_color(selected_shot, weft_palette_selection()), >, 1000);

	/* The timeline outlines them: ten waits on each thread. */
	show_page(GTK_WIDGET(window), stack, "timeline");
	for (guint t = 0; t < WEFT_TEST_N_THREADS; t++) {
		g_assert_cmpuint(lane_highlights(window, t), ==, 10);
	}
	bar = weft_test_find_type(GTK_WIDGET(weft_window_get_timeline(window)),
	                          WEFT_TYPE_HIGHLIGHT_BAR);
	g_assert_true(gtk_widget_get_visible(bar));
	g_assert_cmpstr(weft_highlight_bar_get_text(WEFT_HIGHLIGHT_BAR(bar)), ==,
	                "Outlined: 30 waits through take_lock");
	timeline_png = save_png(GTK_WIDGET(window), "weft-timeline-highlight.png", &timeline_shot);
	g_assert_cmpuint(count_color(timeline_shot, weft_palette_highlight()), >, 500);
	g_assert_cmpuint(count_color(flame_shot, weft_palette_highlight()), ==, 0);

	/* Reset clears it. */
	weft_flame_graph_reset(graph);
	g_assert_null(weft_session_borrow_highlight(session));
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	g_assert_cmpuint(lane_highlights(window, 1), ==, 0);
	g_assert_false(gtk_widget_get_visible(bar));
	gtk_window_destroy(GTK_WINDOW(window));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* No session bus on a test machine: keep the accessibility bridge quiet. */
	g_setenv("GTK_A11Y", "none", TRUE);
	gtk_init();
	g_test_add_func("/viewer/stacks/details", test_details);
	g_test_add_func("/viewer/stacks/flame-layout", test_flame_layout);
	g_test_add_func("/viewer/stacks/flame-merge", test_flame_merge);
	g_test_add_func("/viewer/stacks/other-pages", test_other_pages);
	g_test_add_func("/viewer/stacks/highlight", test_highlight);
	return g_test_run();
}
