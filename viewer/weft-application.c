/*
 * The application; see weft-application.h.
 */
#include "weft-application.h"

#include <stdio.h>

#include "weft-analysis-pages.h"
#include "weft-cpu-page.h"
#include "weft-format.h"
#include "weft-screenshot.h"
#include "weft-window.h"

#define SCREENSHOT_FRAMES 3
#define SCREENSHOT_MAX_FRAMES 120

struct _WeftApplication {
	GtkApplication parent_instance;
	char *screenshot;  /* owned, NULL when not asked */
	int width, height; /* --size, 0 when not given */
	char *range;       /* owned, --range text */
	int exit_status;
	guint frames;
};

G_DEFINE_FINAL_TYPE(WeftApplication, weft_application, GTK_TYPE_APPLICATION)

static const GOptionEntry options[] = {
    {"screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
     "Render the window to a PNG file once the trace is loaded, then exit", "OUT.png"},
    {"size", 0, 0, G_OPTION_ARG_STRING, NULL, "Window size for --screenshot", "WxH"},
    {"range", 0, 0, G_OPTION_ARG_STRING, NULL,
     "Visible time range from the trace start (e.g. 1ms:2.5ms)", "FROM:TO"},
    {NULL},
};

static void fail(WeftApplication *self, const char *message)
{
	fprintf(stderr, "weft-view: %s\n", message);
	self->exit_status = 1;
	g_application_quit(G_APPLICATION(self));
}

static gboolean apply_range(WeftApplication *self, WeftWindow *window)
{
	g_auto(GStrv) parts = NULL;
	weft_time_t from, to;
	WeftSession *session = weft_window_get_session(window);
	WeftTimeWindow *tw;

	if (!self->range) {
		return TRUE;
	}
	parts = g_strsplit(self->range, ":", 2);
	if (g_strv_length(parts) != 2 || !weft_time_parse(parts[0], &from) ||
	    !weft_time_parse(parts[1], &to) || to <= from) {
		return FALSE;
	}
	tw = weft_session_borrow_time_window(session);
	weft_time_window_set_range(tw, weft_time_window_get_bounds_start(tw) + from,
	                           weft_time_window_get_bounds_start(tw) + to);
	return TRUE;
}

/*
 * The window manager (or GTK itself) keeps a window within the screen and
 * takes the client-side decoration's shadow out of its size, so the
 * window may be smaller than --size. The picture is rendered offscreen
 * anyway: lay the window's widgets out at exactly the asked size (--size,
 * or the default 1280x800) before each frame and the snapshot. GTK
 * rewrites the window's default size as it is resized, so it is kept here.
 */
static void allocate_requested_size(WeftApplication *self, GtkWidget *widget)
{
	int w = self->width, h = self->height, min_w = 0, min_h = 0, dw = 0, dh = 0;
	GdkSurface *surface;

	gtk_widget_measure(widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
	gtk_widget_measure(widget, GTK_ORIENTATION_VERTICAL, MAX(w, min_w), &min_h, NULL, NULL,
	                   NULL);
	if (w <= 0 || h <= 0) {
		return;
	}
	/* The surface holds the window's CSS margins (the room for the
	 * decoration's shadow) around it: add them so the window itself is
	 * w x h. */
	surface = gtk_native_get_surface(GTK_NATIVE(widget));
	if (surface) {
		dw = MAX(gdk_surface_get_width(surface) - gtk_widget_get_width(widget), 0);
		dh = MAX(gdk_surface_get_height(surface) - gtk_widget_get_height(widget), 0);
	}
	if (gtk_widget_get_width(widget) != MAX(w, min_w - dw) ||
	    gtk_widget_get_height(widget) != MAX(h, min_h - dh)) {
		gtk_widget_allocate(widget, MAX(w + dw, min_w), MAX(h + dh, min_h), -1, NULL);
	}
}

static gboolean on_tick(GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
	WeftApplication *self = data;
	g_autoptr(GError) error = NULL;
	int w = 0, h = 0;

	/* A few frames: the first lays out (the ruler sets the time
	 * window's width), the next draw with it. */
	if (!gtk_widget_get_mapped(widget) || gtk_widget_get_width(widget) <= 1) {
		return G_SOURCE_CONTINUE;
	}
	allocate_requested_size(self, widget);
	if (++self->frames < SCREENSHOT_FRAMES) {
		gtk_widget_queue_draw(widget);
		return G_SOURCE_CONTINUE;
	}
	if (!weft_screenshot_save(widget, self->screenshot, &error)) {
		/* Right after a relayout the window may have no drawing yet:
		 * try again on the next frames before giving up. */
		if (self->frames < SCREENSHOT_MAX_FRAMES) {
			gtk_widget_queue_draw(widget);
			return G_SOURCE_CONTINUE;
		}
		fail(self, error->message);
		return G_SOURCE_REMOVE;
	}
	w = self->width;
	h = self->height;
	if (w != gtk_widget_get_width(widget) || h != gtk_widget_get_height(widget)) {
		fprintf(stderr,
		        "weft-view: warning: the window cannot be %dx%d; the picture is %dx%d\n", w,
		        h, gtk_widget_get_width(widget), gtk_widget_get_height(widget));
	}
	g_application_quit(G_APPLICATION(self));
	return G_SOURCE_REMOVE;
}

static void on_session_changed(WeftWindow *window, WeftApplication *self)
{
	if (!apply_range(self, window)) {
		fail(self, "invalid --range: expected FROM:TO, e.g. 1ms:2.5ms");
		return;
	}
	self->frames = 0;
	gtk_widget_add_tick_callback(GTK_WIDGET(window), on_tick, self, NULL);
}

static void on_load_failed(WeftWindow *window, GError *error, WeftApplication *self)
{
	fail(self, error->message);
}

static WeftWindow *new_window(WeftApplication *self)
{
	WeftWindow *window = weft_window_new(GTK_APPLICATION(self));

	weft_analysis_pages_install(window);
	weft_cpu_page_install(window);
	if (self->width <= 0 || self->height <= 0) {
		gtk_window_get_default_size(GTK_WINDOW(window), &self->width, &self->height);
	}
	gtk_window_set_default_size(GTK_WINDOW(window), self->width, self->height);
	if (self->screenshot) {
		g_signal_connect(window, "session-changed", G_CALLBACK(on_session_changed), self);
		g_signal_connect(window, "load-failed", G_CALLBACK(on_load_failed), self);
	}
	return window;
}

static void action_quit(GSimpleAction *action, GVariant *param, gpointer self)
{
	g_application_quit(G_APPLICATION(self));
}

static void action_about(GSimpleAction *action, GVariant *param, gpointer self)
{
	GtkWindow *parent = gtk_application_get_active_window(GTK_APPLICATION(self));

	gtk_show_about_dialog(parent, "program-name", "weft", "comments",
	                      "Timeline viewer for traces of C programs", "license-type",
	                      GTK_LICENSE_MIT_X11, "logo-icon-name", "utilities-system-monitor",
	                      NULL);
}

static const GActionEntry app_actions[] = {
    {"quit", action_quit, NULL, NULL, NULL, {0}},
    {"about", action_about, NULL, NULL, NULL, {0}},
};

static void weft_application_startup(GApplication *app)
{
	static const char *quit[] = {"<Control>q", NULL};
	static const char *open[] = {"<Control>o", NULL};
	static const char *search[] = {"<Control>f", NULL};
	static const char *fit[] = {"<Control>0", NULL};
	GtkCssProvider *css = gtk_css_provider_new();

	G_APPLICATION_CLASS(weft_application_parent_class)->startup(app);
	g_action_map_add_action_entries(G_ACTION_MAP(app), app_actions, G_N_ELEMENTS(app_actions),
	                                app);
	gtk_application_set_accels_for_action(GTK_APPLICATION(app), "app.quit", quit);
	gtk_application_set_accels_for_action(GTK_APPLICATION(app), "win.open-file", open);
	gtk_application_set_accels_for_action(GTK_APPLICATION(app), "win.search", search);
	gtk_application_set_accels_for_action(GTK_APPLICATION(app), "win.fit-all", fit);
	gtk_css_provider_load_from_resource(css, "/org/weft/View/style.css");
	gtk_style_context_add_provider_for_display(gdk_display_get_default(),
	                                           GTK_STYLE_PROVIDER(css),
	                                           GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
	g_object_unref(css);
}

static void weft_application_activate(GApplication *app)
{
	WeftApplication *self = WEFT_APPLICATION(app);

	if (self->screenshot) {
		fail(self, "--screenshot needs a TRACE to open");
		return;
	}
	gtk_window_present(GTK_WINDOW(new_window(self)));
}

static void weft_application_open(GApplication *app, GFile **files, int n_files, const char *hint)
{
	WeftApplication *self = WEFT_APPLICATION(app);

	for (int i = 0; i < n_files; i++) {
		WeftWindow *window = new_window(self);
		g_autofree char *path = g_file_get_path(files[i]);

		gtk_window_present(GTK_WINDOW(window));
		if (path) {
			weft_window_open(window, path);
		}
		if (self->screenshot) {
			break; /* one window, one picture */
		}
	}
}

static gboolean parse_size(const char *text, int *w, int *h)
{
	return text && sscanf(text, "%dx%d", w, h) == 2 && *w > 0 && *h > 0 && *w < 16384 &&
	       *h < 16384;
}

static int weft_application_handle_local_options(GApplication *app, GVariantDict *dict)
{
	WeftApplication *self = WEFT_APPLICATION(app);
	const char *size = NULL;

	g_variant_dict_lookup(dict, "screenshot", "^ay", &self->screenshot);
	g_variant_dict_lookup(dict, "range", "s", &self->range);
	if (g_variant_dict_lookup(dict, "size", "&s", &size) &&
	    !parse_size(size, &self->width, &self->height)) {
		fprintf(stderr, "weft-view: invalid --size \"%s\": expected WxH, e.g. 1280x800\n",
		        size);
		return 2;
	}
	/* GtkApplication's startup would only warn "cannot open display". */
	if (!gtk_init_check()) {
		fprintf(stderr,
		        "weft view: cannot open a display (set DISPLAY, or use weft convert "
		        "for Perfetto)\n");
		return 1;
	}
	return -1;
}

static void weft_application_finalize(GObject *object)
{
	WeftApplication *self = WEFT_APPLICATION(object);

	g_free(self->screenshot);
	g_free(self->range);
	G_OBJECT_CLASS(weft_application_parent_class)->finalize(object);
}

static void weft_application_class_init(WeftApplicationClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GApplicationClass *app_class = G_APPLICATION_CLASS(klass);

	object_class->finalize = weft_application_finalize;
	app_class->startup = weft_application_startup;
	app_class->activate = weft_application_activate;
	app_class->open = weft_application_open;
	app_class->handle_local_options = weft_application_handle_local_options;
}

static void weft_application_init(WeftApplication *self)
{
	g_application_add_main_option_entries(G_APPLICATION(self), options);
	g_application_set_option_context_parameter_string(G_APPLICATION(self), "[TRACE…]");
}

WeftApplication *weft_application_new(void)
{
	return g_object_new(WEFT_TYPE_APPLICATION, "application-id", "org.weft.View", "flags",
	                    G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
	                    "resource-base-path", "/org/weft/View", NULL);
}

int weft_application_get_exit_status(WeftApplication *self)
{
	g_return_val_if_fail(WEFT_IS_APPLICATION(self), 1);
	return self->exit_status;
}
