/*
 * The critical path's controls and breakdown; see weft-critical-pane.h.
 */
#include "weft-critical-pane.h"

#include "weft-analysis-critical.h"
#include "weft-critical-job.h"
#include "weft-format.h"

#define MAX_ROWS 12

struct _WeftCriticalPane {
	GtkBox parent_instance;
	WeftSession *session;      /* borrowed, NULL when detached */
	GCancellable *cancellable; /* owned, the running walk */
	GtkWidget *status;
	GtkWidget *clear;
	GtkWidget *grid;
	GString *text; /* owned: the rows as text */
};

G_DEFINE_FINAL_TYPE(WeftCriticalPane, weft_critical_pane, GTK_TYPE_BOX)

/* The breakdown as text, for tests: a line per row, "\t" between cells. */
static const char *const headings[] = {"Thread", "State", "Function", "Time", "Share"};

/* Grid columns: thread, time, share; state and function on a line of their own below. */
static GtkWidget *add_cell(WeftCriticalPane *self, int col, int row, int width, const char *text)
{
	GtkWidget *label = gtk_label_new(text);

	gtk_label_set_xalign(GTK_LABEL(label), col >= 1 ? 1.0f : 0.0f);
	gtk_label_set_ellipsize(GTK_LABEL(label), PANGO_ELLIPSIZE_END);
	gtk_widget_set_hexpand(label, col == 0);
	gtk_widget_set_tooltip_text(label, text);
	gtk_grid_attach(GTK_GRID(self->grid), label, col, row, width, 1);
	return label;
}

static void clear_grid(WeftCriticalPane *self)
{
	GtkWidget *c;

	while ((c = gtk_widget_get_first_child(self->grid))) {
		gtk_grid_remove(GTK_GRID(self->grid), c);
	}
	if (self->text) {
		g_string_truncate(self->text, 0);
	}
}

static void add_text_row(WeftCriticalPane *self, const char *const cells[5])
{
	for (guint c = 0; c < 5; c++) {
		g_string_append_printf(self->text, "%s%s", c ? "\t" : "", cells[c]);
	}
	g_string_append_c(self->text, '\n');
}

static void add_row(WeftCriticalPane *self, const weft_model_t *m, const weft_critical_row_t *r,
                    weft_time_t total, int row)
{
	const weft_thread_t *t = g_ptr_array_index(m->threads, r->thread);
	g_autofree char *thread = g_strdup_printf(
	    "%s (%" G_GINT64_FORMAT ")", weft_model_borrow_string(m, t->name), (gint64) t->tid);
	g_autofree char *state = weft_critical_dup_state_label(r->state, r->kind);
	g_autofree char *function = weft_critical_row_dup_function(m, r);
	char time[32], share[16];
	const char *cells[5] = {thread, state, function, time, share};
	GtkWidget *fn;

	g_autofree char *what = g_strdup_printf("%s · %s", state, function);

	weft_format_duration(time, sizeof(time), r->total);
	g_snprintf(share, sizeof(share), "%.1f%%",
	           total ? 100.0 * (double) r->total / (double) total : 0.0);
	add_cell(self, 0, row, 1, thread);
	add_cell(self, 1, row, 1, time);
	add_cell(self, 2, row, 1, share);
	fn = add_cell(self, 0, row + 1, 3, what);
	gtk_widget_set_margin_start(fn, 12);
	gtk_widget_add_css_class(fn, "dim-label");
	add_text_row(self, cells);
}

static void fill_rows(WeftCriticalPane *self, const weft_model_t *m, const GArray *segments)
{
	g_autoptr(GArray) rows = weft_critical_rows_new(m, segments);
	const char *titles[3] = {"Thread", "Time", "Share"};
	weft_time_t total = 0;

	for (guint i = 0; i < segments->len; i++) {
		total += g_array_index(segments, weft_critical_segment_t, i).duration;
	}
	for (int c = 0; c < 3; c++) {
		gtk_widget_add_css_class(add_cell(self, c, 0, 1, titles[c]), "dim-label");
	}
	add_text_row(self, headings);
	for (guint i = 0; i < rows->len && i < MAX_ROWS; i++) {
		add_row(self, m, &g_array_index(rows, weft_critical_row_t, i), total,
		        1 + 2 * (int) i);
	}
	if (rows->len > MAX_ROWS) {
		g_autofree char *more = g_strdup_printf("… %u more", rows->len - MAX_ROWS);

		add_cell(self, 0, 1 + 2 * MAX_ROWS, 3, more);
	}
}

static void on_path_changed(WeftSession *session, WeftCriticalPane *self)
{
	const char *target = NULL;
	const GArray *segments = weft_session_borrow_critical_path(session, &target);
	const weft_model_t *m = weft_session_borrow_model(session);
	weft_time_t total = 0;
	char span[32];
	g_autofree char *text = NULL;

	clear_grid(self);
	gtk_widget_set_sensitive(self->clear, segments != NULL);
	if (!segments) {
		gtk_label_set_text(GTK_LABEL(self->status), "");
		return;
	}
	for (guint i = 0; i < segments->len; i++) {
		total += g_array_index(segments, weft_critical_segment_t, i).duration;
	}
	weft_format_duration(span, sizeof(span), total);
	text = g_strdup_printf("%s: %s, %u segments", target, span, segments->len);
	gtk_label_set_text(GTK_LABEL(self->status), text);
	fill_rows(self, m, segments);
}

static void on_walked(GObject *source, GAsyncResult *result, gpointer data)
{
	WeftCriticalPane *self = data; /* a reference held by the walk */
	g_autoptr(GError) error = NULL;
	GArray *segments = weft_critical_job_run_finish(result, &error);
	weft_critical_target_t *target = g_task_get_task_data(G_TASK(result));

	if (segments && self->session == WEFT_SESSION(source)) {
		weft_session_set_critical_path(self->session, segments, target->label);
	} else if (segments) {
		g_array_unref(segments);
	}
	g_object_unref(self);
}

gboolean weft_critical_pane_run(WeftCriticalPane *self)
{
	weft_critical_target_t target;

	g_return_val_if_fail(WEFT_IS_CRITICAL_PANE(self), FALSE);
	if (!self->session || !weft_critical_target_init(&target, self->session)) {
		gtk_label_set_text(GTK_LABEL(self->status),
		                   "Select a region, a task, or a thread's item and a time range.");
		return FALSE;
	}
	if (self->cancellable) {
		g_cancellable_cancel(self->cancellable);
		g_clear_object(&self->cancellable);
	}
	self->cancellable = g_cancellable_new();
	gtk_label_set_text(GTK_LABEL(self->status), "Computing the critical path…");
	weft_critical_job_run_async(self->session, &target, self->cancellable, on_walked,
	                            g_object_ref(self));
	weft_critical_target_clear(&target);
	return TRUE;
}

void weft_critical_pane_clear(WeftCriticalPane *self)
{
	g_return_if_fail(WEFT_IS_CRITICAL_PANE(self));
	if (self->cancellable) {
		g_cancellable_cancel(self->cancellable);
		g_clear_object(&self->cancellable);
	}
	if (self->session) {
		weft_session_set_critical_path(self->session, NULL, NULL);
	}
}

void weft_critical_pane_set_session(WeftCriticalPane *self, WeftSession *session)
{
	g_return_if_fail(WEFT_IS_CRITICAL_PANE(self));

	if (self->session) {
		g_signal_handlers_disconnect_by_data(self->session, self);
	}
	if (self->cancellable) {
		g_cancellable_cancel(self->cancellable);
		g_clear_object(&self->cancellable);
	}
	self->session = session;
	clear_grid(self);
	gtk_label_set_text(GTK_LABEL(self->status), "");
	gtk_widget_set_sensitive(self->clear, FALSE);
	if (session) {
		g_signal_connect(session, "critical-path-changed", G_CALLBACK(on_path_changed),
		                 self);
		on_path_changed(session, self);
	}
}

char *weft_critical_pane_dup_text(WeftCriticalPane *self)
{
	g_return_val_if_fail(WEFT_IS_CRITICAL_PANE(self), NULL);
	return g_strdup_printf("%s\n%s", gtk_label_get_text(GTK_LABEL(self->status)),
	                       self->text->str);
}

static void on_show(GtkButton *button, WeftCriticalPane *self)
{
	weft_critical_pane_run(self);
}

static void on_clear(GtkButton *button, WeftCriticalPane *self)
{
	weft_critical_pane_clear(self);
}

static void weft_critical_pane_dispose(GObject *object)
{
	WeftCriticalPane *self = WEFT_CRITICAL_PANE(object);

	weft_critical_pane_set_session(self, NULL);
	if (self->text) {
		g_string_free(self->text, TRUE);
		self->text = NULL;
	}
	G_OBJECT_CLASS(weft_critical_pane_parent_class)->dispose(object);
}

static void weft_critical_pane_class_init(WeftCriticalPaneClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = weft_critical_pane_dispose;
	gtk_widget_class_set_css_name(GTK_WIDGET_CLASS(klass), "weftcriticalpane");
}

static GtkWidget *build_buttons(WeftCriticalPane *self)
{
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	GtkWidget *title = gtk_label_new("Critical path");
	GtkWidget *show = gtk_button_new_with_mnemonic("_Show");

	gtk_widget_add_css_class(title, "heading");
	gtk_widget_set_hexpand(title, TRUE);
	gtk_label_set_xalign(GTK_LABEL(title), 0);
	gtk_widget_set_tooltip_text(show, "The critical path of the selected region, task or "
	                                  "thread range");
	self->clear = gtk_button_new_with_mnemonic("C_lear");
	g_signal_connect(show, "clicked", G_CALLBACK(on_show), self);
	g_signal_connect(self->clear, "clicked", G_CALLBACK(on_clear), self);
	gtk_box_append(GTK_BOX(row), title);
	gtk_box_append(GTK_BOX(row), show);
	gtk_box_append(GTK_BOX(row), self->clear);
	return row;
}

static void weft_critical_pane_init(WeftCriticalPane *self)
{
	gtk_orientable_set_orientation(GTK_ORIENTABLE(self), GTK_ORIENTATION_VERTICAL);
	gtk_box_set_spacing(GTK_BOX(self), 6);
	self->status = gtk_label_new("");
	gtk_label_set_xalign(GTK_LABEL(self->status), 0);
	gtk_label_set_wrap(GTK_LABEL(self->status), TRUE);
	gtk_label_set_selectable(GTK_LABEL(self->status), TRUE);
	self->text = g_string_new(NULL);
	self->grid = gtk_grid_new();
	gtk_grid_set_column_spacing(GTK_GRID(self->grid), 8);
	gtk_box_append(GTK_BOX(self), build_buttons(self));
	gtk_box_append(GTK_BOX(self), self->status);
	gtk_box_append(GTK_BOX(self), self->grid);
	gtk_widget_set_sensitive(self->clear, FALSE);
}

GtkWidget *weft_critical_pane_new(void)
{
	return g_object_new(WEFT_TYPE_CRITICAL_PANE, NULL);
}
