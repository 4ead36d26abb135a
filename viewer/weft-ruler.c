/*
 * The time ruler; see weft-ruler.h.
 */
#include "weft-ruler.h"

#include "weft-format.h"
#include "weft-palette.h"

#define HEIGHT 26
#define LABEL_PX 96.0

struct _WeftRuler {
	GtkWidget parent_instance;
	WeftSession *session; /* owned */
	PangoLayout *layout;  /* owned */
	weft_time_t drag_origin;
};

G_DEFINE_FINAL_TYPE(WeftRuler, weft_ruler, GTK_TYPE_WIDGET)

static void draw_text(WeftRuler *self, GtkSnapshot *snapshot, const char *text, double x,
                      const GdkRGBA *color)
{
	pango_layout_set_text(self->layout, text, -1);
	gtk_snapshot_save(snapshot);
	gtk_snapshot_translate(snapshot, &GRAPHENE_POINT_INIT((float) x, 2));
	gtk_snapshot_append_layout(snapshot, self->layout, color);
	gtk_snapshot_restore(snapshot);
}

static void draw_range(WeftRuler *self, GtkSnapshot *snapshot, WeftTimeWindow *tw, int width,
                       int height)
{
	weft_time_t start, end;
	double x0, x1;
	GdkRGBA sel = *weft_palette_selection();
	char text[64];
	int text_w;

	if (!weft_session_get_range(self->session, &start, &end)) {
		return;
	}
	x0 = weft_time_window_time_to_x(tw, start);
	x1 = weft_time_window_time_to_x(tw, end);
	sel.alpha = 0.3f;
	gtk_snapshot_append_color(snapshot, &sel,
	                          &GRAPHENE_RECT_INIT((float) x0, 0, (float) (x1 - x0), height));
	weft_format_duration(text, sizeof text, end - start);
	pango_layout_set_text(self->layout, text, -1);
	pango_layout_get_pixel_size(self->layout, &text_w, NULL);
	draw_text(self, snapshot, text, CLAMP((x0 + x1 - text_w) / 2, 0, width - text_w),
	          weft_palette_selection());
}

static void weft_ruler_snapshot(GtkWidget *widget, GtkSnapshot *snapshot)
{
	WeftRuler *self = WEFT_RULER(widget);
	WeftTimeWindow *tw = weft_session_borrow_time_window(self->session);
	int width = gtk_widget_get_width(widget), height = gtk_widget_get_height(widget);
	weft_time_t origin = weft_time_window_get_bounds_start(tw);
	weft_time_t step = weft_ruler_tick_step(weft_time_window_ns_per_px(tw), LABEL_PX);
	weft_time_t rel0 = weft_time_window_get_start(tw) - origin;
	GdkRGBA fg;
	char text[64];

	gtk_style_context_get_color(gtk_widget_get_style_context(widget), &fg);
	for (weft_time_t rel = rel0 - rel0 % step;
	     rel < rel0 + weft_time_window_get_span(tw) + step; rel += step) {
		double x = weft_time_window_time_to_x(tw, origin + rel);

		if (x < -LABEL_PX || x > width) {
			continue;
		}
		for (int minor = 1; minor < 5; minor++) {
			double mx = x + minor * (double) step / 5 / weft_time_window_ns_per_px(tw);

			gtk_snapshot_append_color(
			    snapshot, &fg, &GRAPHENE_RECT_INIT((float) mx, height - 4, 1, 4));
		}
		gtk_snapshot_append_color(snapshot, &fg,
		                          &GRAPHENE_RECT_INIT((float) x, 0, 1, (float) height));
		weft_format_tick(text, sizeof text, rel, step);
		draw_text(self, snapshot, text, x + 3, &fg);
	}
	gtk_snapshot_append_color(snapshot, &fg,
	                          &GRAPHENE_RECT_INIT(0, (float) height - 1, (float) width, 1));
	draw_range(self, snapshot, tw, width, height);
}

static void weft_ruler_measure(GtkWidget *widget, GtkOrientation orientation, int for_size,
                               int *minimum, int *natural, int *minimum_baseline,
                               int *natural_baseline)
{
	if (orientation == GTK_ORIENTATION_VERTICAL) {
		*minimum = *natural = HEIGHT;
	} else {
		*minimum = 1;
		*natural = 200;
	}
}

static void weft_ruler_size_allocate(GtkWidget *widget, int width, int height, int baseline)
{
	WeftRuler *self = WEFT_RULER(widget);

	/* The ruler spans exactly the lanes' drawing column: its width is
	 * the time window's. */
	weft_time_window_set_width(weft_session_borrow_time_window(self->session), width);
}

static void on_drag_begin(GtkGestureDrag *gesture, double x, double y, WeftRuler *self)
{
	WeftTimeWindow *tw = weft_session_borrow_time_window(self->session);

	self->drag_origin = weft_time_window_x_to_time(tw, x);
	weft_session_select_range(self->session, self->drag_origin, self->drag_origin);
}

static void on_drag_update(GtkGestureDrag *gesture, double dx, double dy, WeftRuler *self)
{
	WeftTimeWindow *tw = weft_session_borrow_time_window(self->session);
	double x0, y0;

	gtk_gesture_drag_get_start_point(gesture, &x0, &y0);
	weft_session_select_range(self->session, self->drag_origin,
	                          weft_time_window_x_to_time(tw, x0 + dx));
}

static void queue_draw(gpointer instance, gpointer self)
{
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

static void weft_ruler_dispose(GObject *object)
{
	WeftRuler *self = WEFT_RULER(object);

	g_clear_object(&self->layout);
	g_clear_object(&self->session);
	G_OBJECT_CLASS(weft_ruler_parent_class)->dispose(object);
}

static void weft_ruler_class_init(WeftRulerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = weft_ruler_dispose;
	widget_class->snapshot = weft_ruler_snapshot;
	widget_class->measure = weft_ruler_measure;
	widget_class->size_allocate = weft_ruler_size_allocate;
	gtk_widget_class_set_css_name(widget_class, "weftruler");
}

static void weft_ruler_init(WeftRuler *self)
{
	GtkGesture *drag = gtk_gesture_drag_new();

	g_signal_connect(drag, "drag-begin", G_CALLBACK(on_drag_begin), self);
	g_signal_connect(drag, "drag-update", G_CALLBACK(on_drag_update), self);
	gtk_widget_add_controller(GTK_WIDGET(self), GTK_EVENT_CONTROLLER(drag));
	gtk_widget_set_hexpand(GTK_WIDGET(self), TRUE);
	gtk_widget_set_overflow(GTK_WIDGET(self), GTK_OVERFLOW_HIDDEN);
	gtk_widget_set_tooltip_text(GTK_WIDGET(self), "Drag to select a time range");
}

GtkWidget *weft_ruler_new(WeftSession *session)
{
	WeftRuler *self = g_object_new(WEFT_TYPE_RULER, NULL);

	self->session = g_object_ref(session);
	self->layout = gtk_widget_create_pango_layout(GTK_WIDGET(self), NULL);
	g_signal_connect_object(weft_session_borrow_time_window(session), "changed",
	                        G_CALLBACK(queue_draw), self, 0);
	g_signal_connect_object(session, "range-changed", G_CALLBACK(queue_draw), self, 0);
	return GTK_WIDGET(self);
}

weft_time_t weft_ruler_tick_step(double ns_per_px, double min_px)
{
	double min_step = MAX(ns_per_px * min_px, 1.0);
	weft_time_t base = 1;

	while ((double) base * 10 <= min_step) {
		base *= 10;
	}
	if ((double) base >= min_step) {
		return base;
	}
	if ((double) base * 2 >= min_step) {
		return base * 2;
	}
	if ((double) base * 5 >= min_step) {
		return base * 5;
	}
	return base * 10;
}
