/*
 * The analysis pages of a window: sections grouped into notebooks, one
 * sidebar entry per group. A page recomputes its table lazily: when a
 * trace loads, shown pages update at once and hidden ones when mapped,
 * each in a worker thread (the page shows a spinner until it is done).
 * A frame selected in a page's flame graph becomes the session's stack
 * highlight: the timeline outlines the waits that went through it.
 */
#include "weft-analysis-pages.h"

#include "weft-analysis-page.h"
#include "weft-flame-graph.h"

#define PAGES_KEY "weft-analysis-pages"
#define DIRTY_KEY "weft-analysis-dirty"

static const struct {
	const char *group;
	const char *title;
} groups[] = {
    {"threads", "Threads"},         {"blocking", "Blocking"},       {"locks", "Locks"},
    {"allocations", "Allocations"}, {"regions", "Regions & tasks"}, {"utilization", "Utilization"},
};

/* The pages' window is the ancestor WeftWindow (pages live inside it). */
static WeftWindow *window_of(GtkWidget *page)
{
	GtkWidget *w = gtk_widget_get_ancestor(page, WEFT_TYPE_WINDOW);

	return w ? WEFT_WINDOW(w) : NULL;
}

static void refresh(WeftAnalysisPage *page, WeftWindow *window)
{
	g_object_set_data(G_OBJECT(page), DIRTY_KEY, NULL);
	/* Off the UI thread: the session owns the model and is kept until done. */
	weft_analysis_page_compute(page, weft_window_borrow_model(window), NULL,
	                           G_OBJECT(weft_window_get_session(window)));
}

static void on_page_map(GtkWidget *page, gpointer data)
{
	WeftWindow *window = window_of(page);

	if (window && g_object_get_data(G_OBJECT(page), DIRTY_KEY)) {
		refresh(WEFT_ANALYSIS_PAGE(page), window);
	}
}

static void on_session_changed(WeftWindow *window, gpointer data)
{
	GPtrArray *pages = g_object_get_data(G_OBJECT(window), PAGES_KEY);

	for (guint i = 0; i < pages->len; i++) {
		GtkWidget *page = g_ptr_array_index(pages, i);

		g_object_set_data(G_OBJECT(page), DIRTY_KEY, GINT_TO_POINTER(1));
		if (gtk_widget_get_mapped(page)) {
			refresh(WEFT_ANALYSIS_PAGE(page), window);
		}
	}
}

/* A row names a thread's instance (reveal it) or a time range (zoom to it). */
static void on_reveal(WeftAnalysisPage *page, guint thread, gint64 start, gint64 end, gpointer data)
{
	WeftWindow *window = window_of(GTK_WIDGET(page));
	GtkWidget *timeline;
	WeftSession *session;

	if (!window || !(session = weft_window_get_session(window))) {
		return;
	}
	if (thread != G_MAXUINT) {
		weft_window_reveal(window, thread, start, end);
		return;
	}
	timeline = GTK_WIDGET(weft_window_get_timeline(window));
	if (GTK_IS_STACK(gtk_widget_get_parent(timeline))) {
		gtk_stack_set_visible_child(GTK_STACK(gtk_widget_get_parent(timeline)), timeline);
	}
	weft_session_select_range(session, start, end);
	weft_time_window_set_range(weft_session_borrow_time_window(session), start,
	                           MAX(end, start + 1));
}

/* A frame selected in a flame graph (G_MAXUINT: none): highlight its waits. */
static void on_frame_selected(WeftFlameGraph *graph, guint node, gpointer data)
{
	WeftWindow *window = window_of(GTK_WIDGET(graph));
	WeftSession *session = window ? weft_window_get_session(window) : NULL;
	const weft_model_t *model = window ? weft_window_borrow_model(window) : NULL;
	const weft_flame_tree_t *tree = weft_flame_graph_borrow_tree(graph);
	const weft_flame_node_t *n = tree ? weft_flame_tree_node(tree, node) : NULL;

	if (!session) {
		return;
	}
	if (!model || !n || node == 0) {
		weft_session_set_highlight(session, NULL);
		return;
	}
	weft_session_set_highlight(session, weft_stack_match_new(model, n->name));
}

static GtkWidget *group_notebook(const char *group, GPtrArray *pages)
{
	GtkWidget *notebook = gtk_notebook_new();
	guint n;
	const weft_section_info_t *sections = weft_analysis_sections(&n);

	gtk_notebook_set_scrollable(GTK_NOTEBOOK(notebook), TRUE);
	for (guint i = 0; i < n; i++) {
		GtkWidget *page;

		if (g_strcmp0(sections[i].group, group)) {
			continue;
		}
		page = weft_analysis_page_new(sections[i].name);
		gtk_widget_set_name(page, sections[i].name);
		g_object_set_data(G_OBJECT(page), DIRTY_KEY, GINT_TO_POINTER(1));
		g_signal_connect(page, "map", G_CALLBACK(on_page_map), NULL);
		g_signal_connect(page, "reveal", G_CALLBACK(on_reveal), NULL);
		if (weft_analysis_page_get_flame_graph(WEFT_ANALYSIS_PAGE(page))) {
			g_signal_connect(
			    weft_analysis_page_get_flame_graph(WEFT_ANALYSIS_PAGE(page)),
			    "frame-selected", G_CALLBACK(on_frame_selected), NULL);
		}
		gtk_notebook_append_page(GTK_NOTEBOOK(notebook), page,
		                         gtk_label_new(sections[i].title));
		g_ptr_array_add(pages, page);
	}
	return notebook;
}

void weft_analysis_pages_install(WeftWindow *window)
{
	GPtrArray *pages;

	g_return_if_fail(WEFT_IS_WINDOW(window));
	if (g_object_get_data(G_OBJECT(window), PAGES_KEY)) {
		return;
	}
	pages = g_ptr_array_new(); /* weak: the notebooks own the pages */
	g_object_set_data_full(G_OBJECT(window), PAGES_KEY, pages,
	                       (GDestroyNotify) g_ptr_array_unref);
	for (guint i = 0; i < G_N_ELEMENTS(groups); i++) {
		g_autofree char *name = g_strconcat("analysis-", groups[i].group, NULL);

		weft_window_add_page(window, name, groups[i].title,
		                     group_notebook(groups[i].group, pages));
	}
	g_signal_connect(window, "session-changed", G_CALLBACK(on_session_changed), NULL);
	if (weft_window_borrow_model(window)) {
		on_session_changed(window, NULL);
	}
}

GtkWidget *weft_analysis_pages_find(WeftWindow *window, const char *section)
{
	GPtrArray *pages;

	g_return_val_if_fail(WEFT_IS_WINDOW(window), NULL);
	pages = g_object_get_data(G_OBJECT(window), PAGES_KEY);
	for (guint i = 0; pages && i < pages->len; i++) {
		GtkWidget *page = g_ptr_array_index(pages, i);

		if (!g_strcmp0(weft_analysis_page_get_section(WEFT_ANALYSIS_PAGE(page)), section)) {
			return page;
		}
	}
	return NULL;
}
