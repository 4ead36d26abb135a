/*
 * The CPU page. Any change of the session's range or selected item, of
 * the CPU | Wall switch or of the thread filter starts a worker
 * (weft-cpu-profile.h); a newer one cancels the older, whose result is
 * dropped. While the page is hidden, changes only mark it stale: it
 * recomputes when shown.
 */
#include "weft-cpu-page.h"

#include "weft-cpu-table.h"

struct _WeftCpuPage {
	GtkBox parent_instance;
	GtkWidget *summary;     /* the selection line */
	GtkWidget *wall_button; /* "Wall" of the CPU | Wall switch */
	GtkWidget *thread_only; /* check button */
	GtkWidget *spinner;
	GtkStack *views;  /* "table" and "flame" */
	GtkWidget *table; /* weft-cpu-table.h */
	WeftFlameGraph *graph;
	WeftSession *session;      /* owned, NULL when none */
	weft_cpu_result_t *result; /* owned, NULL while computing */
	GCancellable *computing;   /* owned, the running worker's; NULL when none */
	gboolean stale;            /* changed while hidden */
};

G_DEFINE_FINAL_TYPE(WeftCpuPage, weft_cpu_page, GTK_TYPE_BOX)

/* What the worker needs: the session owns the model and is kept until done. */
typedef struct {
	WeftSession *session; /* owned */
	weft_cpu_scope_t scope;
} compute_t;

static void compute_free(gpointer data)
{
	compute_t *c = data;

	g_clear_object(&c->session);
	g_free(c);
}

static void compute_in_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
	compute_t *c = data;

	if (g_cancellable_is_cancelled(cancel)) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	g_task_return_pointer(task,
	                      weft_cpu_result_new(weft_session_borrow_model(c->session), &c->scope),
	                      (GDestroyNotify) weft_cpu_result_free);
}

static void set_summary(WeftCpuPage *self, const char *text)
{
	gtk_label_set_text(GTK_LABEL(self->summary), text);
}

static void show_result(WeftCpuPage *self, weft_cpu_result_t *r)
{
	const weft_model_t *model = weft_session_borrow_model(self->session);

	g_clear_pointer(&self->result, weft_cpu_result_free);
	self->result = r;
	gtk_spinner_set_spinning(GTK_SPINNER(self->spinner), FALSE);
	gtk_widget_set_visible(self->spinner, FALSE);
	if (!r->scope.wall && !weft_cpu_model_has_samples(model)) {
		set_summary(self, "This trace has no CPU samples.");
	} else if (r->total <= 0) {
		g_autofree char *text = g_strconcat(r->summary, ": nothing to show", NULL);

		set_summary(self, text);
	} else {
		set_summary(self, r->summary);
	}
	gtk_widget_set_visible(GTK_WIDGET(self->views), r->total > 0);
	weft_cpu_table_fill(self->table, r->functions, r->total);
	weft_flame_graph_set_tree(self->graph, r->total > 0 ? g_steal_pointer(&r->tree) : NULL);
}

static void compute_done(GObject *source, GAsyncResult *result, gpointer data)
{
	WeftCpuPage *self = WEFT_CPU_PAGE(source);
	GCancellable *cancel = g_task_get_cancellable(G_TASK(result));
	weft_cpu_result_t *r = g_task_propagate_pointer(G_TASK(result), NULL);

	/* Superseded or disposed: drop the result. */
	if (!self->computing || cancel != self->computing || !self->session) {
		g_clear_pointer(&r, weft_cpu_result_free);
		return;
	}
	g_clear_object(&self->computing);
	show_result(self, r);
}

static void cancel_compute(WeftCpuPage *self)
{
	if (self->computing) {
		g_cancellable_cancel(self->computing);
		g_clear_object(&self->computing);
	}
}

static void scope_of(WeftCpuPage *self, weft_cpu_scope_t *scope)
{
	const weft_item_t *item = weft_session_get_selection(self->session);

	if (!weft_session_get_range(self->session, &scope->start, &scope->end)) {
		scope->start = scope->end = 0;
	}
	scope->wall = gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->wall_button));
	scope->thread = G_MAXUINT;
	if (gtk_check_button_get_active(GTK_CHECK_BUTTON(self->thread_only)) && item &&
	    item->kind != WEFT_ITEM_NONE && item->thread != G_MAXUINT) {
		scope->thread = item->thread;
	}
}

static void recompute(WeftCpuPage *self)
{
	g_autoptr(GTask) task = NULL;
	compute_t *c;

	cancel_compute(self);
	g_clear_pointer(&self->result, weft_cpu_result_free);
	self->stale = FALSE;
	if (!self->session || !weft_session_borrow_model(self->session)) {
		weft_flame_graph_set_tree(self->graph, NULL);
		set_summary(self, "No trace loaded.");
		return;
	}
	c = g_new0(compute_t, 1);
	c->session = g_object_ref(self->session);
	scope_of(self, &c->scope);
	self->computing = g_cancellable_new();
	gtk_widget_set_visible(self->spinner, TRUE);
	gtk_spinner_set_spinning(GTK_SPINNER(self->spinner), TRUE);
	task = g_task_new(self, self->computing, compute_done, NULL);
	/* The result of a cancelled task is dropped in compute_done, not here. */
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_task_data(task, c, compute_free);
	g_task_run_in_thread(task, compute_in_thread);
}

/* Recomputes now if shown, else when shown. */
static void changed(WeftCpuPage *self)
{
	if (gtk_widget_get_mapped(GTK_WIDGET(self))) {
		recompute(self);
	} else {
		self->stale = TRUE;
	}
}

static void on_map(GtkWidget *widget, gpointer data)
{
	WeftCpuPage *self = WEFT_CPU_PAGE(widget);

	if (self->stale) {
		recompute(self);
	}
}

static void on_selection_changed(WeftCpuPage *self)
{
	if (gtk_check_button_get_active(GTK_CHECK_BUTTON(self->thread_only))) {
		changed(self);
	}
}

static GtkWidget *scrolled(GtkWidget *child)
{
	GtkWidget *scroller = gtk_scrolled_window_new();

	gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scroller), GTK_POLICY_NEVER,
	                               GTK_POLICY_AUTOMATIC);
	gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(scroller), child);
	return scroller;
}

/* The views and their "Table | Flame graph" switcher, the flame graph shown. */
static GtkWidget *switcher_of(WeftCpuPage *self)
{
	GtkWidget *switcher = gtk_stack_switcher_new();

	self->views = GTK_STACK(gtk_stack_new());
	self->table = weft_cpu_page_table_new();
	self->graph = WEFT_FLAME_GRAPH(weft_flame_graph_new());
	gtk_stack_add_titled(self->views, scrolled(self->table), "table", "Table");
	gtk_stack_add_titled(self->views, scrolled(GTK_WIDGET(self->graph)), "flame",
	                     "Flame graph");
	gtk_stack_set_visible_child_name(self->views, "flame");
	gtk_widget_set_vexpand(GTK_WIDGET(self->views), TRUE);
	gtk_stack_switcher_set_stack(GTK_STACK_SWITCHER(switcher), self->views);
	return switcher;
}

static GtkWidget *build_header(WeftCpuPage *self)
{
	GtkWidget *bar = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	GtkWidget *switcher = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 0);
	GtkWidget *cpu = gtk_toggle_button_new_with_label("CPU");

	self->wall_button = gtk_toggle_button_new_with_label("Wall");
	gtk_toggle_button_set_group(GTK_TOGGLE_BUTTON(self->wall_button), GTK_TOGGLE_BUTTON(cpu));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(cpu), TRUE);
	gtk_widget_set_tooltip_text(cpu, "CPU time: the CPU samples");
	gtk_widget_set_tooltip_text(self->wall_button,
	                            "Wall-clock time: CPU samples plus every off-CPU interval");
	gtk_widget_add_css_class(switcher, "linked");
	gtk_box_append(GTK_BOX(switcher), cpu);
	gtk_box_append(GTK_BOX(switcher), self->wall_button);
	self->thread_only = gtk_check_button_new_with_label("Selected thread only");
	self->summary = gtk_label_new("No trace loaded.");
	gtk_label_set_xalign(GTK_LABEL(self->summary), 0);
	gtk_label_set_ellipsize(GTK_LABEL(self->summary), PANGO_ELLIPSIZE_END);
	gtk_widget_set_hexpand(self->summary, TRUE);
	self->spinner = gtk_spinner_new();
	gtk_widget_set_visible(self->spinner, FALSE);
	gtk_box_append(GTK_BOX(bar), switcher);
	gtk_box_append(GTK_BOX(bar), self->summary);
	gtk_box_append(GTK_BOX(bar), self->spinner);
	gtk_box_append(GTK_BOX(bar), self->thread_only);
	gtk_box_append(GTK_BOX(bar), switcher_of(self));
	g_signal_connect_swapped(self->wall_button, "toggled", G_CALLBACK(changed), self);
	g_signal_connect_swapped(self->thread_only, "toggled", G_CALLBACK(changed), self);
	return bar;
}

static void weft_cpu_page_dispose(GObject *object)
{
	WeftCpuPage *self = WEFT_CPU_PAGE(object);

	cancel_compute(self);
	if (self->session) {
		g_signal_handlers_disconnect_by_data(self->session, self);
	}
	g_clear_object(&self->session);
	g_clear_pointer(&self->result, weft_cpu_result_free);
	G_OBJECT_CLASS(weft_cpu_page_parent_class)->dispose(object);
}

static void weft_cpu_page_class_init(WeftCpuPageClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = weft_cpu_page_dispose;
}

static void weft_cpu_page_init(WeftCpuPage *self)
{
	GtkWidget *header = build_header(self);

	gtk_orientable_set_orientation(GTK_ORIENTABLE(self), GTK_ORIENTATION_VERTICAL);
	gtk_box_set_spacing(GTK_BOX(self), 6);
	gtk_widget_set_margin_start(header, 12);
	gtk_widget_set_margin_end(header, 12);
	gtk_widget_set_margin_top(header, 6);
	gtk_box_append(GTK_BOX(self), header);
	gtk_box_append(GTK_BOX(self), GTK_WIDGET(self->views));
	g_signal_connect(self, "map", G_CALLBACK(on_map), NULL);
}

GtkWidget *weft_cpu_page_new(void)
{
	return g_object_new(WEFT_TYPE_CPU_PAGE, NULL);
}

void weft_cpu_page_set_session(WeftCpuPage *self, WeftSession *session)
{
	g_return_if_fail(WEFT_IS_CPU_PAGE(self));

	if (self->session) {
		g_signal_handlers_disconnect_by_data(self->session, self);
	}
	g_set_object(&self->session, session);
	if (session) {
		g_signal_connect_swapped(session, "range-changed", G_CALLBACK(changed), self);
		g_signal_connect_swapped(session, "selection-changed",
		                         G_CALLBACK(on_selection_changed), self);
	}
	changed(self);
}

void weft_cpu_page_set_wall(WeftCpuPage *self, gboolean wall)
{
	g_return_if_fail(WEFT_IS_CPU_PAGE(self));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->wall_button), wall);
	if (!wall) {
		gtk_toggle_button_set_active(
		    GTK_TOGGLE_BUTTON(gtk_widget_get_prev_sibling(self->wall_button)), TRUE);
	}
}

void weft_cpu_page_set_thread_only(WeftCpuPage *self, gboolean only)
{
	g_return_if_fail(WEFT_IS_CPU_PAGE(self));
	gtk_check_button_set_active(GTK_CHECK_BUTTON(self->thread_only), only);
}

void weft_cpu_page_show_table(WeftCpuPage *self, gboolean table)
{
	g_return_if_fail(WEFT_IS_CPU_PAGE(self));
	gtk_stack_set_visible_child_name(self->views, table ? "table" : "flame");
}

GtkWidget *weft_cpu_page_get_table(WeftCpuPage *self)
{
	g_return_val_if_fail(WEFT_IS_CPU_PAGE(self), NULL);
	return self->table;
}

gboolean weft_cpu_page_is_computing(WeftCpuPage *self)
{
	g_return_val_if_fail(WEFT_IS_CPU_PAGE(self), FALSE);
	return self->computing != NULL;
}

const weft_cpu_result_t *weft_cpu_page_borrow_result(WeftCpuPage *self)
{
	g_return_val_if_fail(WEFT_IS_CPU_PAGE(self), NULL);
	return self->result;
}

WeftFlameGraph *weft_cpu_page_get_flame_graph(WeftCpuPage *self)
{
	g_return_val_if_fail(WEFT_IS_CPU_PAGE(self), NULL);
	return self->graph;
}

const char *weft_cpu_page_get_summary(WeftCpuPage *self)
{
	g_return_val_if_fail(WEFT_IS_CPU_PAGE(self), NULL);
	return gtk_label_get_text(GTK_LABEL(self->summary));
}

#define PAGE_KEY "weft-cpu-page"

static void on_window_session_changed(WeftWindow *window, gpointer data)
{
	weft_cpu_page_set_session(WEFT_CPU_PAGE(data), weft_window_get_session(window));
}

void weft_cpu_page_install(WeftWindow *window)
{
	GtkWidget *page;

	g_return_if_fail(WEFT_IS_WINDOW(window));
	if (weft_cpu_page_find(window)) {
		return;
	}
	page = weft_cpu_page_new();
	gtk_widget_set_name(page, "cpu");
	/* Weak: the window's stack owns the page. */
	g_object_set_data(G_OBJECT(window), PAGE_KEY, page);
	weft_window_add_page(window, "cpu", "CPU", page);
	g_signal_connect_object(window, "session-changed", G_CALLBACK(on_window_session_changed),
	                        page, 0);
	on_window_session_changed(window, page);
}

WeftCpuPage *weft_cpu_page_find(WeftWindow *window)
{
	g_return_val_if_fail(WEFT_IS_WINDOW(window), NULL);
	return g_object_get_data(G_OBJECT(window), PAGE_KEY);
}
