/*
 * The main window; layout in weft-window.ui.
 */
#include "weft-window.h"

#include "weft-analysis-deadlocks.h"
#include "weft-export.h"
#include "weft-format.h"
#include "weft-loader.h"

#define N_RECENT 8
#define APP_NAME "weft-view"

struct _WeftWindow {
	GtkApplicationWindow parent_instance;
	GtkWidget *stack;
	GtkWidget *sidebar;
	GtkWidget *progress_revealer;
	GtkWidget *progress_bar;
	GtkWidget *progress_label;
	GtkWidget *warning_revealer;
	GtkWidget *warning_label;
	GtkWidget *warning_close;
	GtkWidget *deadlock_button;
	guint stuck_thread;   /* the first deadlocked wait's thread, G_MAXUINT: none */
	guint stuck_interval; /* its index in the thread's states */
	GtkWidget *notice_revealer;
	GtkWidget *notice_label;
	GtkWidget *notice_close;
	GMenu *recent_section;      /* from the template */
	WeftTimelinePage *timeline; /* owned by the stack */
	WeftSession *session;       /* owned, NULL before a load */
	GCancellable *cancellable;  /* owned, the running load */
	char *path;                 /* owned, of the shown trace */
};

G_DEFINE_FINAL_TYPE(WeftWindow, weft_window, GTK_TYPE_APPLICATION_WINDOW)

enum { SIGNAL_SESSION_CHANGED, SIGNAL_LOAD_FAILED, SIGNAL_EXPORT_DONE, N_SIGNALS };

static guint signals[N_SIGNALS];

static void update_title(WeftWindow *self)
{
	g_autofree char *base = self->path ? g_path_get_basename(self->path) : NULL;
	g_autofree char *title = base ? g_strdup_printf("%s — weft", base) : g_strdup("weft");

	gtk_window_set_title(GTK_WINDOW(self), title);
}

/*
 * One line on the first deadlock (docs/stats.md, "deadlocks"); remembers
 * its first stuck wait for the Show button.
 */
static void describe_deadlock(WeftWindow *self, const weft_model_t *model, GString *text)
{
	weft_analysis_options_t options = WEFT_ANALYSIS_OPTIONS_INIT;
	g_autoptr(GArray) found = weft_deadlock_analysis_new(model, &options);
	const weft_deadlock_t *d;
	const weft_deadlock_wait_t *w;
	char since[32];

	self->stuck_thread = G_MAXUINT;
	if (!found->len) {
		return;
	}
	d = &g_array_index(found, weft_deadlock_t, 0);
	w = &g_array_index(d->waits, weft_deadlock_wait_t, 0);
	self->stuck_thread = w->thread->index;
	self->stuck_interval = w->interval;
	weft_format_duration(since, sizeof(since), d->since - model->start);
	g_string_append_printf(text,
	                       "Deadlock: %u threads of %s (pid %" G_GINT64_FORMAT
	                       ") wait for each other's locks from +%s to the end of the trace%s.",
	                       d->waits->len, weft_model_borrow_string(model, d->process->name),
	                       (gint64) d->process->pid, since,
	                       found->len > 1 ? " (and more: see the Deadlocks analysis)" : "");
}

/* Says what the trace is missing (discarded events, empty or cut streams)
 * and whether it ends in a deadlock. */
static void update_warning(WeftWindow *self, const weft_model_t *model)
{
	g_autoptr(GString) text = g_string_new(NULL);

	describe_deadlock(self, model, text);
	if (model->n_discarded) {
		g_string_append_printf(text,
		                       "%sThe tracer discarded %" G_GUINT64_FORMAT
		                       " events: their time is drawn as data lost.",
		                       text->len ? "\n" : "", model->n_discarded);
	}
	for (guint i = 0; model->warnings && i < model->warnings->len; i++) {
		g_string_append_printf(text, "%s%s", text->len ? "\n" : "",
		                       (const char *) g_ptr_array_index(model->warnings, i));
	}
	gtk_label_set_text(GTK_LABEL(self->warning_label), text->str);
	gtk_widget_set_visible(self->deadlock_button, self->stuck_thread != G_MAXUINT);
	g_simple_action_set_enabled(
	    G_SIMPLE_ACTION(g_action_map_lookup_action(G_ACTION_MAP(self), "show-deadlock")),
	    self->stuck_thread != G_MAXUINT);
	gtk_revealer_set_reveal_child(GTK_REVEALER(self->warning_revealer), text->len > 0);
}

static void action_show_deadlock(GSimpleAction *action, GVariant *param, gpointer data)
{
	WeftWindow *self = data;
	weft_item_t item = {
	    .kind = WEFT_ITEM_STATE, .thread = self->stuck_thread, .index = self->stuck_interval};

	if (!self->session || self->stuck_thread == G_MAXUINT ||
	    !weft_session_resolve_item(self->session, &item)) {
		return;
	}
	weft_window_reveal(self, item.thread, item.start, item.end);
	weft_session_select(self->session, &item);
}

static void on_warning_close(WeftWindow *self)
{
	gtk_revealer_set_reveal_child(GTK_REVEALER(self->warning_revealer), FALSE);
}

static void on_notice_close(WeftWindow *self)
{
	gtk_revealer_set_reveal_child(GTK_REVEALER(self->notice_revealer), FALSE);
}

static void on_export_done(GtkWindow *window, const char *path, const GError *error)
{
	if (error) {
		weft_window_show_notice(WEFT_WINDOW(window), error->message);
	}
	g_signal_emit(window, signals[SIGNAL_EXPORT_DONE], 0, path, error == NULL);
}

static void export_selection(WeftWindow *self, weft_export_format_t format)
{
	if (!self->session || !weft_session_borrow_model(self->session)) {
		weft_window_show_notice(self, "No trace is loaded: nothing to export.");
		return;
	}
	weft_export_run_chooser(GTK_WINDOW(self), self->session, format, on_export_done);
}

static void action_export_pprof(GSimpleAction *action, GVariant *param, gpointer self)
{
	export_selection(self, WEFT_EXPORT_PPROF);
}

static void action_export_chrome(GSimpleAction *action, GVariant *param, gpointer self)
{
	export_selection(self, WEFT_EXPORT_CHROME);
}

static void rebuild_recent(WeftWindow *self)
{
	GList *items = gtk_recent_manager_get_items(gtk_recent_manager_get_default());
	guint n = 0;

	g_menu_remove_all(self->recent_section);
	for (GList *l = items; l && n < N_RECENT; l = l->next) {
		GtkRecentInfo *info = l->data;
		g_autofree char *path = NULL;
		g_autoptr(GMenuItem) item = NULL;

		if (!gtk_recent_info_has_application(info, APP_NAME) ||
		    !(path = g_filename_from_uri(gtk_recent_info_get_uri(info), NULL, NULL))) {
			continue;
		}
		item = g_menu_item_new(gtk_recent_info_get_display_name(info), NULL);
		g_menu_item_set_action_and_target_value(item, "win.open-recent",
		                                        g_variant_new_string(path));
		g_menu_append_item(self->recent_section, item);
		n++;
	}
	g_list_free_full(items, (GDestroyNotify) gtk_recent_info_unref);
}

static void add_recent(WeftWindow *self, const char *path)
{
	g_autofree char *uri = g_filename_to_uri(path, NULL, NULL);
	GtkRecentData data = {
	    .display_name = NULL,
	    .mime_type = g_file_test(path, G_FILE_TEST_IS_DIR) ? (char *) "inode/directory"
	                                                       : (char *) "application/json",
	    .app_name = (char *) APP_NAME,
	    .app_exec = (char *) APP_NAME " %f",
	};

	if (uri) {
		gtk_recent_manager_add_full(gtk_recent_manager_get_default(), uri, &data);
	}
}

static void show_error(WeftWindow *self, const GError *error)
{
	GtkWidget *dialog = gtk_message_dialog_new(
	    GTK_WINDOW(self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_ERROR,
	    GTK_BUTTONS_CLOSE, "Cannot open the trace");

	gtk_message_dialog_format_secondary_text(GTK_MESSAGE_DIALOG(dialog), "%s", error->message);
	gtk_widget_set_name(dialog, "weft-error-dialog");
	g_signal_connect(dialog, "response", G_CALLBACK(gtk_window_destroy), NULL);
	gtk_window_present(GTK_WINDOW(dialog));
}

static void on_progress(double fraction, gpointer data)
{
	WeftWindow *self = data;

	if (!self->progress_bar) {
		return; /* disposed while loading */
	}
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress_bar), CLAMP(fraction, 0, 1));
}

typedef struct {
	WeftWindow *window;        /* owned */
	GCancellable *cancellable; /* owned */
	char *path;
} open_data_t;

static void open_data_free(open_data_t *d)
{
	g_object_unref(d->window);
	g_object_unref(d->cancellable);
	g_free(d->path);
	g_free(d);
}

static void on_loaded(GObject *source, GAsyncResult *result, gpointer user_data)
{
	open_data_t *d = user_data;
	WeftWindow *self = d->window;
	g_autoptr(GError) error = NULL;
	weft_model_t *model = weft_loader_load_finish(result, &error);

	/* A cancelled load was replaced by another one or its window is
	 * going away: nothing to show. */
	if (g_cancellable_is_cancelled(d->cancellable)) {
		g_clear_pointer(&model, weft_model_free);
		open_data_free(d);
		return;
	}
	gtk_revealer_set_reveal_child(GTK_REVEALER(self->progress_revealer), FALSE);
	g_clear_object(&self->cancellable);
	if (!model) {
		show_error(self, error);
		g_signal_emit(self, signals[SIGNAL_LOAD_FAILED], 0, error);
	} else {
		add_recent(self, d->path);
		weft_window_set_model(self, model, d->path);
	}
	open_data_free(d);
}

static void open_file_response(GtkNativeDialog *dialog, int response, WeftWindow *self)
{
	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
		g_autofree char *path = file ? g_file_get_path(file) : NULL;

		if (path) {
			weft_window_open(self, path);
		}
	}
	g_object_unref(dialog);
}

static void choose(WeftWindow *self, GtkFileChooserAction action, const char *title)
{
	GtkFileChooserNative *chooser =
	    gtk_file_chooser_native_new(title, GTK_WINDOW(self), action, "_Open", "_Cancel");

	if (action == GTK_FILE_CHOOSER_ACTION_OPEN) {
		GtkFileFilter *filter = gtk_file_filter_new();

		gtk_file_filter_set_name(filter, "Chrome JSON traces");
		gtk_file_filter_add_pattern(filter, "*.json");
		gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(chooser), filter);
		g_object_unref(filter);
	}
	g_signal_connect(chooser, "response", G_CALLBACK(open_file_response), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(chooser));
}

static void action_open_file(GSimpleAction *action, GVariant *param, gpointer self)
{
	choose(self, GTK_FILE_CHOOSER_ACTION_OPEN, "Open a Chrome JSON trace");
}

static void action_open_folder(GSimpleAction *action, GVariant *param, gpointer self)
{
	choose(self, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "Open a CTF trace folder");
}

static void action_open_recent(GSimpleAction *action, GVariant *param, gpointer self)
{
	weft_window_open(self, g_variant_get_string(param, NULL));
}

static void forward(WeftWindow *self, const char *page_action)
{
	gtk_stack_set_visible_child_name(GTK_STACK(self->stack), "timeline");
	gtk_widget_activate_action(GTK_WIDGET(self->timeline), page_action, NULL);
}

static void action_fit_all(GSimpleAction *action, GVariant *param, gpointer self)
{
	forward(self, "timeline.fit-all");
}

static void action_zoom_selection(GSimpleAction *action, GVariant *param, gpointer self)
{
	forward(self, "timeline.zoom-selection");
}

static void action_critical_path(GSimpleAction *action, GVariant *param, gpointer self)
{
	forward(self, "timeline.critical-path");
}

static void action_clear_critical_path(GSimpleAction *action, GVariant *param, gpointer self)
{
	forward(self, "timeline.clear-critical-path");
}

static void action_search(GSimpleAction *action, GVariant *param, gpointer self)
{
	forward(self, "timeline.search");
}

static void action_show_all_flows(GSimpleAction *action, GVariant *state, gpointer data)
{
	WeftWindow *self = data;

	g_simple_action_set_state(action, state);
	g_object_set(self->timeline, "show-all-flows", g_variant_get_boolean(state), NULL);
}

static gboolean on_drop(GtkDropTarget *target, const GValue *value, double x, double y,
                        WeftWindow *self)
{
	GSList *files;
	g_autofree char *path = NULL;

	if (!G_VALUE_HOLDS(value, GDK_TYPE_FILE_LIST)) {
		return FALSE;
	}
	files = g_value_get_boxed(value);
	if (!files || !(path = g_file_get_path(files->data))) {
		return FALSE;
	}
	weft_window_open(self, path);
	return TRUE;
}

static gboolean on_key_pressed(GtkEventControllerKey *key, guint keyval, guint keycode,
                               GdkModifierType state, WeftWindow *self)
{
	const char *page = gtk_stack_get_visible_child_name(GTK_STACK(self->stack));

	if (g_strcmp0(page, "timeline") != 0) {
		return FALSE;
	}
	return weft_timeline_page_handle_key(self->timeline, keyval, state);
}

static void on_pages_changed(GtkSelectionModel *pages, guint position, guint removed, guint added,
                             WeftWindow *self)
{
	/* Pages also go away while the window is disposed. */
	if (self->sidebar) {
		gtk_widget_set_visible(self->sidebar,
		                       g_list_model_get_n_items(G_LIST_MODEL(pages)) > 1);
	}
}

static const GActionEntry win_actions[] = {
    {"open-file", action_open_file, NULL, NULL, NULL, {0}},
    {"open-folder", action_open_folder, NULL, NULL, NULL, {0}},
    {"open-recent", action_open_recent, "s", NULL, NULL, {0}},
    {"fit-all", action_fit_all, NULL, NULL, NULL, {0}},
    {"zoom-selection", action_zoom_selection, NULL, NULL, NULL, {0}},
    {"search", action_search, NULL, NULL, NULL, {0}},
    {"critical-path", action_critical_path, NULL, NULL, NULL, {0}},
    {"clear-critical-path", action_clear_critical_path, NULL, NULL, NULL, {0}},
    {"export-pprof", action_export_pprof, NULL, NULL, NULL, {0}},
    {"export-chrome", action_export_chrome, NULL, NULL, NULL, {0}},
    {"show-deadlock", action_show_deadlock, NULL, NULL, NULL, {0}},
    {"show-all-flows", NULL, NULL, "false", action_show_all_flows, {0}},
};

static void weft_window_dispose(GObject *object)
{
	WeftWindow *self = WEFT_WINDOW(object);

	if (self->cancellable) {
		g_cancellable_cancel(self->cancellable);
	}
	g_clear_object(&self->cancellable);
	g_clear_object(&self->session);
	g_clear_pointer(&self->path, g_free);
	gtk_widget_dispose_template(GTK_WIDGET(self), WEFT_TYPE_WINDOW);
	G_OBJECT_CLASS(weft_window_parent_class)->dispose(object);
}

static void weft_window_class_init(WeftWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = weft_window_dispose;
	gtk_widget_class_set_template_from_resource(widget_class, "/org/weft/View/weft-window.ui");
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, stack);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, sidebar);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, progress_revealer);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, progress_bar);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, progress_label);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, warning_revealer);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, warning_label);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, warning_close);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, deadlock_button);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, recent_section);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, notice_revealer);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, notice_label);
	gtk_widget_class_bind_template_child(widget_class, WeftWindow, notice_close);

	signals[SIGNAL_SESSION_CHANGED] =
	    g_signal_new("session-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
	                 NULL, NULL, G_TYPE_NONE, 0);
	/* export-done(path, ok): an export of the selection ended. */
	signals[SIGNAL_EXPORT_DONE] =
	    g_signal_new("export-done", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
	                 NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
	signals[SIGNAL_LOAD_FAILED] =
	    g_signal_new("load-failed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
	                 NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void weft_window_init(WeftWindow *self)
{
	GtkDropTarget *drop = gtk_drop_target_new(GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
	GtkEventController *key = gtk_event_controller_key_new();
	GtkSelectionModel *pages;

	gtk_widget_init_template(GTK_WIDGET(self));
	self->stuck_thread = G_MAXUINT;
	g_signal_connect_swapped(self->warning_close, "clicked", G_CALLBACK(on_warning_close),
	                         self);
	g_signal_connect_swapped(self->notice_close, "clicked", G_CALLBACK(on_notice_close), self);
	g_action_map_add_action_entries(G_ACTION_MAP(self), win_actions, G_N_ELEMENTS(win_actions),
	                                self);
	g_simple_action_set_enabled(
	    G_SIMPLE_ACTION(g_action_map_lookup_action(G_ACTION_MAP(self), "show-deadlock")),
	    FALSE);
	self->timeline = WEFT_TIMELINE_PAGE(weft_timeline_page_new());
	gtk_stack_add_titled(GTK_STACK(self->stack), GTK_WIDGET(self->timeline), "timeline",
	                     "Timeline");
	pages = gtk_stack_get_pages(GTK_STACK(self->stack));
	g_signal_connect_object(pages, "items-changed", G_CALLBACK(on_pages_changed), self, 0);
	g_object_unref(pages);
	g_signal_connect(drop, "drop", G_CALLBACK(on_drop), self);
	gtk_widget_add_controller(GTK_WIDGET(self), GTK_EVENT_CONTROLLER(drop));
	gtk_event_controller_set_name(key, "weft-timeline-keys");
	g_signal_connect(key, "key-pressed", G_CALLBACK(on_key_pressed), self);
	gtk_widget_add_controller(GTK_WIDGET(self), key);
	rebuild_recent(self);
}

WeftWindow *weft_window_new(GtkApplication *app)
{
	return g_object_new(WEFT_TYPE_WINDOW, "application", app, NULL);
}

void weft_window_open(WeftWindow *self, const char *path)
{
	open_data_t *d;
	g_autofree char *base = NULL;
	g_autofree char *label = NULL;

	g_return_if_fail(WEFT_IS_WINDOW(self));
	g_return_if_fail(path != NULL);

	if (self->cancellable) {
		g_cancellable_cancel(self->cancellable);
		g_clear_object(&self->cancellable);
	}
	self->cancellable = g_cancellable_new();
	base = g_path_get_basename(path);
	label = g_strdup_printf("Loading %s…", base);
	gtk_label_set_text(GTK_LABEL(self->progress_label), label);
	gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(self->progress_bar), 0);
	gtk_revealer_set_reveal_child(GTK_REVEALER(self->progress_revealer), TRUE);
	d = g_new0(open_data_t, 1);
	d->window = g_object_ref(self);
	d->cancellable = g_object_ref(self->cancellable);
	d->path = g_strdup(path);
	weft_loader_load_async(path, self->cancellable, on_progress, self, on_loaded, d);
}

void weft_window_set_model(WeftWindow *self, weft_model_t *model, const char *path)
{
	g_return_if_fail(WEFT_IS_WINDOW(self));

	g_clear_object(&self->session);
	self->session = weft_session_new(model);
	g_free(self->path);
	self->path = g_strdup(path);
	weft_timeline_page_set_session(self->timeline, self->session);
	update_title(self);
	update_warning(self, model);
	rebuild_recent(self);
	g_signal_emit(self, signals[SIGNAL_SESSION_CHANGED], 0);
}

void weft_window_add_page(WeftWindow *self, const char *name, const char *title, GtkWidget *page)
{
	g_return_if_fail(WEFT_IS_WINDOW(self));
	g_return_if_fail(name != NULL && title != NULL);
	g_return_if_fail(GTK_IS_WIDGET(page));

	gtk_stack_add_titled(GTK_STACK(self->stack), page, name, title);
}

void weft_window_reveal(WeftWindow *self, guint thread_index, weft_time_t start, weft_time_t end)
{
	g_return_if_fail(WEFT_IS_WINDOW(self));

	if (!self->session) {
		return;
	}
	gtk_stack_set_visible_child_name(GTK_STACK(self->stack), "timeline");
	weft_timeline_page_reveal(self->timeline, thread_index, start, end);
}

WeftSession *weft_window_get_session(WeftWindow *self)
{
	g_return_val_if_fail(WEFT_IS_WINDOW(self), NULL);
	return self->session;
}

const weft_model_t *weft_window_borrow_model(WeftWindow *self)
{
	g_return_val_if_fail(WEFT_IS_WINDOW(self), NULL);
	return self->session ? weft_session_borrow_model(self->session) : NULL;
}

const char *weft_window_get_warning(WeftWindow *self)
{
	g_return_val_if_fail(WEFT_IS_WINDOW(self), NULL);
	if (!gtk_revealer_get_reveal_child(GTK_REVEALER(self->warning_revealer))) {
		return NULL;
	}
	return gtk_label_get_text(GTK_LABEL(self->warning_label));
}

WeftTimelinePage *weft_window_get_timeline(WeftWindow *self)
{
	g_return_val_if_fail(WEFT_IS_WINDOW(self), NULL);
	return self->timeline;
}

void weft_window_show_notice(WeftWindow *self, const char *message)
{
	g_return_if_fail(WEFT_IS_WINDOW(self));

	gtk_label_set_text(GTK_LABEL(self->notice_label), message ? message : "");
	gtk_widget_set_tooltip_text(self->notice_label, message);
	gtk_revealer_set_reveal_child(GTK_REVEALER(self->notice_revealer), message != NULL);
}

const char *weft_window_get_notice(WeftWindow *self)
{
	g_return_val_if_fail(WEFT_IS_WINDOW(self), NULL);
	if (!gtk_revealer_get_reveal_child(GTK_REVEALER(self->notice_revealer))) {
		return NULL;
	}
	return gtk_label_get_text(GTK_LABEL(self->notice_label));
}

void weft_window_export(WeftWindow *self, weft_export_format_t format, const char *profile,
                        const char *path)
{
	g_return_if_fail(WEFT_IS_WINDOW(self));
	g_return_if_fail(self->session != NULL);

	weft_export_start(GTK_WINDOW(self), self->session, format, profile, path, on_export_done);
}
