/*
 * The analysis pages under a display (xvfb-run): sorting by a column's
 * values, activation revealing the row's instance, and a screenshot of
 * the "sync" page saved as PNG.
 */
#include <gtk/gtk.h>

#include "model-fixture.h"
#include "weft-analysis-page.h"
#include "weft-analysis-pages.h"

typedef struct {
	guint calls;
	guint thread;
	gint64 start, end;
} reveal_t;

static void on_reveal(WeftAnalysisPage *page, guint thread, gint64 start, gint64 end, reveal_t *r)
{
	r->calls++;
	r->thread = thread;
	r->start = start;
	r->end = end;
}

static void test_sort_and_reveal(void)
{
	app_t app = app_new();
	GtkWidget *page = g_object_ref_sink(weft_analysis_page_new("sync"));
	WeftAnalysisPage *p = WEFT_ANALYSIS_PAGE(page);
	reveal_t r = {0};

	weft_analysis_page_set_model(p, app.model, NULL);
	g_assert_cmpuint(weft_analysis_page_borrow_table(p)->n_rows, ==, 4);
	/* Unsorted: the table's order, longest total first. */
	g_assert_cmpuint(weft_analysis_page_get_row_at(p, 0), ==, 0);
	/* By count, descending: wait_item (3 waits) is table row 2. */
	g_assert_true(weft_analysis_page_sort_by(p, "count", GTK_SORT_DESCENDING));
	g_assert_cmpuint(weft_analysis_page_get_row_at(p, 0), ==, 2);
	/* By mean, ascending: by value (23 ns), not by text. */
	g_assert_true(weft_analysis_page_sort_by(p, "mean", GTK_SORT_ASCENDING));
	g_assert_cmpuint(weft_analysis_page_get_row_at(p, 0), ==, 2);
	g_assert_cmpuint(weft_analysis_page_get_row_at(p, 3), ==, 0);
	/* By call site text: flush_batch first. */
	g_assert_true(weft_analysis_page_sort_by(p, "site", GTK_SORT_ASCENDING));
	g_assert_cmpuint(weft_analysis_page_get_row_at(p, 0), ==, 3);
	g_assert_false(weft_analysis_page_sort_by(p, "nope", GTK_SORT_ASCENDING));

	/* Activating wait_item's row reveals its longest wait: tid 102, [900, 950]. */
	g_signal_connect(p, "reveal", G_CALLBACK(on_reveal), &r);
	weft_analysis_page_sort_by(p, "count", GTK_SORT_DESCENDING);
	weft_analysis_page_activate(p, 0);
	g_assert_cmpuint(r.calls, ==, 1);
	g_assert_cmpuint(r.thread, ==, app.w2->index);
	g_assert_cmpint(r.start, ==, 900);
	g_assert_cmpint(r.end, ==, 950);

	/* A new model replaces the table; none empties it. */
	weft_analysis_page_set_model(p, NULL, NULL);
	g_assert_null(weft_analysis_page_borrow_table(p));
	weft_analysis_page_activate(p, 0);
	g_assert_cmpuint(r.calls, ==, 1);
	g_object_unref(page);
	weft_model_free(app.model);
}

/* Runs the main loop until page's worker is done (at most 10 s). */
static void wait_computed(WeftAnalysisPage *page)
{
	gint64 until = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	while (weft_analysis_page_is_computing(page) && g_get_monotonic_time() < until) {
		g_main_context_iteration(NULL, FALSE);
	}
	g_assert_false(weft_analysis_page_is_computing(page));
}

/* The table is computed in a worker: empty while it runs, filled after. */
static void test_async(void)
{
	app_t app = app_new();
	GtkWidget *page = g_object_ref_sink(weft_analysis_page_new("sync"));
	WeftAnalysisPage *p = WEFT_ANALYSIS_PAGE(page);
	GObject *keeper = g_object_new(G_TYPE_OBJECT, NULL);
	gint64 until;

	weft_analysis_page_compute(p, app.model, NULL, keeper);
	/* Nothing yet: the result comes back through the main loop. */
	g_assert_true(weft_analysis_page_is_computing(p));
	g_assert_null(weft_analysis_page_borrow_table(p));
	/* The keeper is held while the worker may read the model. */
	g_assert_cmpuint(keeper->ref_count, >, 1);
	wait_computed(p);
	g_assert_nonnull(weft_analysis_page_borrow_table(p));
	g_assert_cmpuint(weft_analysis_page_borrow_table(p)->n_rows, ==, 4);
	g_assert_true(weft_analysis_page_sort_by(p, "count", GTK_SORT_DESCENDING));
	g_assert_cmpuint(weft_analysis_page_get_row_at(p, 0), ==, 2);

	/* A later request wins: the earlier result is dropped. */
	weft_analysis_page_compute(p, app.model, NULL, keeper);
	weft_analysis_page_set_model(p, NULL, NULL);
	g_assert_false(weft_analysis_page_is_computing(p));
	until = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
	while (g_get_monotonic_time() < until) {
		g_main_context_iteration(NULL, FALSE);
	}
	g_assert_null(weft_analysis_page_borrow_table(p));
	/* Every worker is done and has let the keeper go. */
	until = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (keeper->ref_count > 1 && g_get_monotonic_time() < until) {
		g_main_context_iteration(NULL, FALSE);
	}
	g_assert_cmpuint(keeper->ref_count, ==, 1);
	g_object_unref(keeper);
	g_object_unref(page);
	weft_model_free(app.model);
}

typedef struct {
	gboolean mapped, computing, had_table;
} map_seen_t;

/* Connected after the pages' own "map" handler, which starts the worker. */
static void on_map_seen(GtkWidget *page, map_seen_t *seen)
{
	seen->mapped = TRUE;
	seen->computing = weft_analysis_page_is_computing(WEFT_ANALYSIS_PAGE(page));
	seen->had_table = weft_analysis_page_borrow_table(WEFT_ANALYSIS_PAGE(page)) != NULL;
}

static void wait_frames(GtkWidget *widget)
{
	gint64 until = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;

	while (g_get_monotonic_time() < until &&
	       (!gtk_widget_get_mapped(widget) || gtk_widget_get_width(widget) == 0)) {
		g_main_context_iteration(NULL, FALSE);
	}
	/* A few more frames for the list rows to be created and laid out. */
	until = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
	while (g_get_monotonic_time() < until) {
		g_main_context_iteration(NULL, FALSE);
	}
}

static GdkTexture *render(GtkWidget *widget)
{
	g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(widget);
	GtkSnapshot *snapshot = gtk_snapshot_new();
	int w = gtk_widget_get_width(widget), h = gtk_widget_get_height(widget);
	g_autoptr(GskRenderNode) node = NULL;
	GskRenderer *renderer = gtk_native_get_renderer(gtk_widget_get_native(widget));

	gdk_paintable_snapshot(paintable, snapshot, w, h);
	node = gtk_snapshot_free_to_node(snapshot);
	g_assert_nonnull(node);
	return gsk_renderer_render_texture(renderer, node, &GRAPHENE_RECT_INIT(0, 0, w, h));
}

/* Opaque pixels clearly darker than the background: text and lines. */
static guint ink(GdkTexture *texture)
{
	int w = gdk_texture_get_width(texture), h = gdk_texture_get_height(texture);
	g_autofree guchar *px = g_malloc((gsize) w * h * 4);
	guint n = 0;

	gdk_texture_download(texture, px, (gsize) w * 4);
	for (int i = 0; i < w * h; i++) {
		const guchar *p = px + (gsize) i * 4;

		n += p[3] > 128 && (p[0] + p[1] + p[2]) < 3 * 128;
	}
	return n;
}

static GdkTexture *screenshot(const weft_model_t *model, const char *png)
{
	GtkWidget *window = gtk_window_new();
	GtkWidget *page = weft_analysis_page_new("sync");
	GdkTexture *texture;

	weft_analysis_page_set_model(WEFT_ANALYSIS_PAGE(page), model, NULL);
	gtk_window_set_default_size(GTK_WINDOW(window), 900, 300);
	gtk_window_set_child(GTK_WINDOW(window), page);
	gtk_window_present(GTK_WINDOW(window));
	wait_frames(page);
	texture = render(page);
	if (png) {
		g_assert_true(gdk_texture_save_to_png(texture, png));
	}
	gtk_window_destroy(GTK_WINDOW(window));
	return texture;
}

static void test_screenshot(void)
{
	app_t app = app_new();
	const char *dir = g_getenv("WEFT_BUILD_ROOT");
	g_autofree char *png =
	    g_build_filename(dir ? dir : ".", "tests", "stats", "analysis-page-sync.png", NULL);
	g_autoptr(GdkTexture) full = screenshot(app.model, png);
	g_autoptr(GdkTexture) empty = screenshot(NULL, NULL);

	g_assert_true(g_file_test(png, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpint(gdk_texture_get_width(full), >=, 600);
	/* Four rows of text and numbers draw far more than an empty page. */
	g_test_message("ink: %u with rows, %u empty; saved %s", ink(full), ink(empty), png);
	g_assert_cmpuint(ink(full), >, 2 * ink(empty) + 500);
	weft_model_free(app.model);
}

static GtkWidget *find_type(GtkWidget *w, GType type)
{
	if (G_TYPE_CHECK_INSTANCE_TYPE(w, type)) {
		return w;
	}
	for (GtkWidget *c = gtk_widget_get_first_child(w); c; c = gtk_widget_get_next_sibling(c)) {
		GtkWidget *found = find_type(c, type);

		if (found) {
			return found;
		}
	}
	return NULL;
}

/* In a window: pages beside the timeline, filled on load, rows reveal slices. */
static void test_window_pages(void)
{
	app_t app = app_new();
	WeftWindow *window = weft_window_new(NULL);
	GtkWidget *stack, *regions, *mmu, *notebook;
	map_seen_t seen = {FALSE, FALSE, FALSE};
	const weft_item_t *sel;
	const char *dir = g_getenv("WEFT_BUILD_ROOT");
	g_autofree char *png = g_build_filename(dir ? dir : ".", "tests", "stats",
	                                        "analysis-window-regions.png", NULL);
	g_autoptr(GdkTexture) shot = NULL;
	weft_analysis_pages_install(window);
	weft_analysis_pages_install(window); /* once only */
	gtk_window_set_default_size(GTK_WINDOW(window), 1100, 500);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, app.model, "app");
	stack = find_type(GTK_WIDGET(window), GTK_TYPE_STACK);
	{
		g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages(GTK_STACK(stack));

		/* The timeline and six groups. */
		g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(pages)), ==, 7);
	}
	regions = weft_analysis_pages_find(window, "region-instances");
	g_assert_nonnull(regions);
	g_signal_connect(regions, "map", G_CALLBACK(on_map_seen), &seen);
	gtk_stack_set_visible_child_name(GTK_STACK(stack), "analysis-regions");
	notebook = gtk_widget_get_ancestor(regions, GTK_TYPE_NOTEBOOK);
	gtk_notebook_set_current_page(GTK_NOTEBOOK(notebook),
	                              gtk_notebook_page_num(GTK_NOTEBOOK(notebook), regions));
	wait_frames(regions);
	/* Computed when shown, in a worker: nothing at the moment it maps... */
	g_assert_true(seen.mapped);
	g_assert_true(seen.computing);
	g_assert_false(seen.had_table);
	/* ...filled once the worker is done: the slowest "request" is on tid 101 at [500, 900]. */
	wait_computed(WEFT_ANALYSIS_PAGE(regions));
	wait_frames(regions);
	g_assert_nonnull(weft_analysis_page_borrow_table(WEFT_ANALYSIS_PAGE(regions)));
	shot = render(GTK_WIDGET(window));
	g_assert_true(gdk_texture_save_to_png(shot, png));
	weft_analysis_page_activate(WEFT_ANALYSIS_PAGE(regions), 0);
	g_assert_cmpstr(gtk_stack_get_visible_child_name(GTK_STACK(stack)), ==, "timeline");
	sel = weft_session_get_selection(weft_window_get_session(window));
	g_assert_cmpint(sel->kind, ==, WEFT_ITEM_SLICE);
	g_assert_cmpuint(sel->thread, ==, app.w1->index);
	g_assert_cmpint(sel->start, ==, 500);
	g_assert_cmpint(sel->end, ==, 900);

	/* A row without a thread (utilization) selects its time range. */
	mmu = weft_analysis_pages_find(window, "mmu");
	weft_analysis_page_set_model(WEFT_ANALYSIS_PAGE(mmu), weft_window_borrow_model(window),
	                             NULL);
	weft_analysis_page_activate(WEFT_ANALYSIS_PAGE(mmu), 0);
	{
		weft_time_t s = 0, e = 0;

		g_assert_true(weft_session_get_range(weft_window_get_session(window), &s, &e));
		g_assert_cmpint(e - s, ==, 1000);
	}
	gtk_window_destroy(GTK_WINDOW(window));
}

int main(int argc, char **argv)
{
	/* No accessibility bus: without D-Bus it only warns (fatally in tests). */
	g_setenv("GTK_A11Y", "none", TRUE);
	g_test_init(&argc, &argv, NULL);
	if (!gtk_init_check()) {
		g_printerr("test-analysis-page: no display (run it under xvfb-run -a)\n");
		return 1;
	}
	g_test_add_func("/stats/page/sort-reveal", test_sort_and_reveal);
	g_test_add_func("/stats/page/async", test_async);
	g_test_add_func("/stats/page/screenshot", test_screenshot);
	g_test_add_func("/stats/page/window", test_window_pages);
	return g_test_run();
}
