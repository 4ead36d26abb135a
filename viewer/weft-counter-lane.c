/*
 * A counter as an area chart. Each pixel column shows the largest value
 * the counter took in it when the column holds few samples, and the value
 * at the column's end otherwise: the work per frame stays O(width log n).
 */
#include "weft-counter-lane.h"

#include "weft-format.h"
#include "weft-lod.h"
#include "weft-palette.h"

#define HEIGHT 32
#define SCAN_LIMIT 64

struct _WeftCounterLane {
	WeftLane parent_instance;
	guint process;
	guint counter;
	gint64 max_value; /* over the whole trace, computed once */
	gboolean have_max;
};

G_DEFINE_FINAL_TYPE(WeftCounterLane, weft_counter_lane, WEFT_TYPE_LANE)

static const weft_counter_t *borrow_counter(WeftCounterLane *self)
{
	const weft_model_t *model =
	    weft_session_borrow_model(weft_lane_get_session(WEFT_LANE(self)));
	const weft_process_t *p;

	if (!model || self->process >= model->processes->len) {
		return NULL;
	}
	p = g_ptr_array_index(model->processes, self->process);
	if (self->counter >= p->counters->len) {
		return NULL;
	}
	return g_ptr_array_index(p->counters, self->counter);
}

static gint64 max_value(WeftCounterLane *self, const weft_counter_t *c)
{
	if (!self->have_max) {
		self->max_value = 1;
		for (guint i = 0; i < c->value->len; i++) {
			self->max_value = MAX(self->max_value, g_array_index(c->value, gint64, i));
		}
		self->have_max = TRUE;
	}
	return self->max_value;
}

/* The value shown for the column [t0, t1); *pos is the first sample at
 * or after t0 and moves forward with the columns. */
static gint64 column_value(const weft_counter_t *c, guint *pos, weft_time_t t0, weft_time_t t1)
{
	guint lo = weft_lod_gallop(c->ts, *pos, t0);
	guint hi = weft_lod_gallop(c->ts, lo, t1);
	gint64 v;

	*pos = lo;
	if (hi == 0) {
		return 0;
	}
	v = g_array_index(c->value, gint64, hi - 1);
	if (hi - lo <= SCAN_LIMIT) {
		for (guint i = lo; i < hi; i++) {
			v = MAX(v, g_array_index(c->value, gint64, i));
		}
	}
	return v;
}

static void weft_counter_lane_render(WeftLane *lane, GtkSnapshot *snapshot, int width, int height)
{
	WeftCounterLane *self = WEFT_COUNTER_LANE(lane);
	WeftTimeWindow *tw = weft_session_borrow_time_window(weft_lane_get_session(lane));
	const weft_model_t *model = weft_session_borrow_model(weft_lane_get_session(lane));
	const weft_counter_t *c = borrow_counter(self);
	GdkRGBA fill = {0.34f, 0.71f, 0.91f, 0.75f}; /* Okabe-Ito sky blue */
	GdkRGBA fg;
	double scale;
	cairo_t *cr;
	char label[128];
	guint pos = 0;

	if (!c || !c->ts || c->ts->len == 0) {
		return;
	}
	scale = (height - 2) / (double) max_value(self, c);
	cr = gtk_snapshot_append_cairo(snapshot, &GRAPHENE_RECT_INIT(0, 0, width, height));
	cairo_move_to(cr, 0, height);
	for (int x = 0; x < width; x++) {
		weft_time_t t0 = weft_time_window_x_to_time(tw, x);
		weft_time_t t1 = weft_time_window_x_to_time(tw, x + 1);
		double y = height - MAX(column_value(c, &pos, t0, t1), 0) * scale;

		cairo_line_to(cr, x, y);
		cairo_line_to(cr, x + 1, y);
	}
	cairo_line_to(cr, width, height);
	cairo_close_path(cr);
	gdk_cairo_set_source_rgba(cr, &fill);
	cairo_fill(cr);
	cairo_destroy(cr);
	weft_lane_get_fg(lane, &fg);
	weft_format_counter_caption(label, sizeof label, weft_model_borrow_string(model, c->name),
	                            c->is_heap, max_value(self, c));
	weft_lane_draw_label(lane, snapshot, label, &GRAPHENE_RECT_INIT(0, 0, MIN(width, 400), 16),
	                     &fg);
}

static int weft_counter_lane_get_height(WeftLane *lane)
{
	return HEIGHT;
}

static gint64 weft_counter_lane_get_pid(WeftLane *lane)
{
	WeftCounterLane *self = WEFT_COUNTER_LANE(lane);
	const weft_model_t *model = weft_session_borrow_model(weft_lane_get_session(lane));

	if (!model || self->process >= model->processes->len) {
		return -1;
	}
	return ((const weft_process_t *) g_ptr_array_index(model->processes, self->process))->pid;
}

static void weft_counter_lane_class_init(WeftCounterLaneClass *klass)
{
	WeftLaneClass *lane_class = WEFT_LANE_CLASS(klass);

	lane_class->render = weft_counter_lane_render;
	lane_class->get_height = weft_counter_lane_get_height;
	lane_class->get_pid = weft_counter_lane_get_pid;
}

static void weft_counter_lane_init(WeftCounterLane *self)
{
}

GtkWidget *weft_counter_lane_new(WeftSession *session, guint process, guint counter)
{
	WeftCounterLane *self = g_object_new(WEFT_TYPE_COUNTER_LANE, "session", session, NULL);

	self->process = process;
	self->counter = counter;
	return GTK_WIDGET(self);
}
