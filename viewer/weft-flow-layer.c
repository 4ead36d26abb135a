/*
 * Flow arrows, the range band and the critical path; see weft-flow-layer.h.
 */
#include "weft-flow-layer.h"

#include "weft-palette.h"
#include "weft-thread-lane.h"

#define MAX_ARROWS 4000

struct _WeftFlowLayer {
	GtkWidget parent_instance;
	WeftSession *session; /* owned */
	GPtrArray *lanes;     /* borrowed from the timeline page */
	GArray *selected;     /* guint flow indexes of the selection, owned */
	guint n_drawn;
	GArray *critical_drawn; /* guint segment indexes the last frame outlined, owned */
};

G_DEFINE_FINAL_TYPE(WeftFlowLayer, weft_flow_layer, GTK_TYPE_WIDGET)

/* Where (thread, t) is on this layer; FALSE when the thread has no lane
 * (collapsed or not shown). Off-screen lanes give y outside the layer,
 * so the arrow still points the right way. */
static gboolean endpoint(WeftFlowLayer *self, guint thread, weft_time_t t, graphene_point_t *p)
{
	WeftTimeWindow *tw = weft_session_borrow_time_window(self->session);
	weft_item_t item = {.kind = WEFT_ITEM_STATE, .thread = thread};
	GtkWidget *lane;
	graphene_point_t in;

	if (thread >= self->lanes->len || !(lane = g_ptr_array_index(self->lanes, thread)) ||
	    !gtk_widget_get_mapped(gtk_widget_get_parent(lane))) {
		return FALSE;
	}
	in = GRAPHENE_POINT_INIT((float) weft_time_window_time_to_x(tw, t),
	                         (float) weft_thread_lane_item_y(WEFT_THREAD_LANE(lane), &item));
	return gtk_widget_compute_point(lane, GTK_WIDGET(self), &in, p);
}

static void arrow(cairo_t *cr, const graphene_point_t *a, const graphene_point_t *b)
{
	double dx = b->x - a->x, dy = b->y - a->y;
	double len = MAX(sqrt(dx * dx + dy * dy), 1.0);
	double ux = dx / len, uy = dy / len;

	cairo_move_to(cr, a->x, a->y);
	cairo_curve_to(cr, a->x + MIN(40, fabs(dx) / 2 + 8), a->y, b->x - MIN(40, fabs(dx) / 2 + 8),
	               b->y, b->x, b->y);
	cairo_stroke(cr);
	cairo_move_to(cr, b->x, b->y);
	cairo_line_to(cr, b->x - 7 * ux - 3.5 * uy, b->y - 7 * uy + 3.5 * ux);
	cairo_line_to(cr, b->x - 7 * ux + 3.5 * uy, b->y - 7 * uy - 3.5 * ux);
	cairo_close_path(cr);
	cairo_fill(cr);
}

static void draw_flow(WeftFlowLayer *self, cairo_t *cr, const weft_flow_t *f)
{
	graphene_point_t a, b;

	if (!endpoint(self, f->from_thread, f->from_ts, &a) ||
	    !endpoint(self, f->to_thread, f->to_ts, &b)) {
		return;
	}
	gdk_cairo_set_source_rgba(cr, weft_palette_flow(f->kind));
	arrow(cr, &a, &b);
	self->n_drawn++;
}

/* First flow with from_ts >= t. */
static guint flows_lower_bound(const GArray *flows, weft_time_t t)
{
	guint lo = 0, hi = flows->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (g_array_index(flows, weft_flow_t, mid).from_ts < t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static void draw_flows(WeftFlowLayer *self, cairo_t *cr)
{
	const weft_model_t *model = weft_session_borrow_model(self->session);
	WeftTimeWindow *tw = weft_session_borrow_time_window(self->session);

	if (!model) {
		return;
	}
	cairo_set_line_width(cr, 1.5);
	if (weft_session_get_show_all_flows(self->session)) {
		/* Flows that start up to one window to the left still reach in. */
		guint i = flows_lower_bound(model->flows, weft_time_window_get_start(tw) -
		                                              weft_time_window_get_span(tw));

		for (; i < model->flows->len && self->n_drawn < MAX_ARROWS; i++) {
			const weft_flow_t *f = &g_array_index(model->flows, weft_flow_t, i);

			if (f->from_ts > weft_time_window_get_end(tw)) {
				break;
			}
			draw_flow(self, cr, f);
		}
		return;
	}
	for (guint k = 0; self->selected && k < self->selected->len; k++) {
		draw_flow(self, cr,
		          &g_array_index(model->flows, weft_flow_t,
		                         g_array_index(self->selected, guint, k)));
	}
}

static double lanes_x(WeftFlowLayer *self)
{
	graphene_point_t p;

	for (guint i = 0; i < self->lanes->len; i++) {
		GtkWidget *lane = g_ptr_array_index(self->lanes, i);

		if (lane && gtk_widget_compute_point(lane, GTK_WIDGET(self),
		                                     &GRAPHENE_POINT_INIT(0, 0), &p)) {
			return p.x;
		}
	}
	return 0;
}

static void draw_range(WeftFlowLayer *self, GtkSnapshot *snapshot, int height)
{
	WeftTimeWindow *tw = weft_session_borrow_time_window(self->session);
	weft_time_t start, end;
	GdkRGBA band = *weft_palette_selection();
	double x0, x1;

	if (!weft_session_get_range(self->session, &start, &end)) {
		return;
	}
	/* The layer spans the label column too; times map from where the
	 * lanes start. */
	x0 = lanes_x(self) + weft_time_window_time_to_x(tw, start);
	x1 = lanes_x(self) + weft_time_window_time_to_x(tw, end);
	band.alpha = 0.12f;
	gtk_snapshot_append_color(snapshot, &band,
	                          &GRAPHENE_RECT_INIT((float) x0, 0, (float) (x1 - x0), height));
}

/* The critical path's segment i: a box around its state on its lane. */
static gboolean critical_box(WeftFlowLayer *self, const weft_critical_segment_t *seg, double left,
                             double right, graphene_rect_t *box)
{
	graphene_point_t a, b;

	if (!endpoint(self, seg->thread, seg->start, &a) ||
	    !endpoint(self, seg->thread, seg->start + seg->duration, &b) || b.x < left ||
	    a.x > right) {
		return FALSE;
	}
	a.x = (float) MAX(a.x, left - 4);
	b.x = (float) MIN(b.x, right + 4);
	*box = GRAPHENE_RECT_INIT(a.x, a.y - WEFT_THREAD_LANE_STATE_H / 2.0f - 2,
	                          MAX(b.x - a.x, 2.0f), WEFT_THREAD_LANE_STATE_H + 4);
	return TRUE;
}

static void stroke_twice(cairo_t *cr, double width)
{
	/* A dark halo first: the outline reads on every state colour. */
	cairo_set_source_rgba(cr, 0.05, 0.05, 0.1, 0.9);
	cairo_set_line_width(cr, width + 2);
	cairo_stroke_preserve(cr);
	gdk_cairo_set_source_rgba(cr, weft_palette_critical());
	cairo_set_line_width(cr, width);
	cairo_stroke(cr);
}

/* From the end of segment a to the start of segment b, on another thread. */
static void critical_jump(WeftFlowLayer *self, cairo_t *cr, const weft_critical_segment_t *a,
                          const weft_critical_segment_t *b)
{
	graphene_point_t p, q;

	if (a->thread == b->thread || !endpoint(self, a->thread, a->start + a->duration, &p) ||
	    !endpoint(self, b->thread, b->start, &q)) {
		return;
	}
	cairo_set_source_rgba(cr, 0.05, 0.05, 0.1, 0.9);
	cairo_set_line_width(cr, 4);
	arrow(cr, &p, &q);
	gdk_cairo_set_source_rgba(cr, weft_palette_critical());
	cairo_set_line_width(cr, 2);
	arrow(cr, &p, &q);
}

/* The first segment of path (in time order) that ends after t. */
static guint critical_lower_bound(const GArray *path, weft_time_t t)
{
	guint lo = 0, hi = path->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		const weft_critical_segment_t *s =
		    &g_array_index(path, weft_critical_segment_t, mid);

		if (s->start + s->duration <= t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static void draw_critical(WeftFlowLayer *self, cairo_t *cr, const GArray *path, int width)
{
	WeftTimeWindow *tw = weft_session_borrow_time_window(self->session);
	double left = lanes_x(self);
	/* The jump into the first visible segment starts one segment earlier. */
	guint first = critical_lower_bound(path, weft_time_window_get_start(tw));

	for (guint i = first ? first - 1 : 0;
	     i < path->len && self->critical_drawn->len < MAX_ARROWS; i++) {
		const weft_critical_segment_t *seg =
		    &g_array_index(path, weft_critical_segment_t, i);
		graphene_rect_t box;

		if (seg->start > weft_time_window_get_end(tw)) {
			break;
		}
		if (critical_box(self, seg, left, width, &box)) {
			cairo_rectangle(cr, box.origin.x, box.origin.y, box.size.width,
			                box.size.height);
			stroke_twice(cr, 2);
			g_array_append_val(self->critical_drawn, i);
		}
		if (i + 1 < path->len) {
			critical_jump(self, cr, seg,
			              &g_array_index(path, weft_critical_segment_t, i + 1));
		}
	}
}

static void weft_flow_layer_snapshot(GtkWidget *widget, GtkSnapshot *snapshot)
{
	WeftFlowLayer *self = WEFT_FLOW_LAYER(widget);
	int width = gtk_widget_get_width(widget), height = gtk_widget_get_height(widget);
	cairo_t *cr;

	const GArray *path = weft_session_borrow_critical_path(self->session, NULL);

	self->n_drawn = 0;
	g_array_set_size(self->critical_drawn, 0);
	draw_range(self, snapshot, height);
	if (!path && !weft_session_get_show_all_flows(self->session) &&
	    (!self->selected || self->selected->len == 0)) {
		return;
	}
	cr = gtk_snapshot_append_cairo(snapshot, &GRAPHENE_RECT_INIT(0, 0, width, height));
	draw_flows(self, cr);
	if (path) {
		draw_critical(self, cr, path, width);
	}
	cairo_destroy(cr);
}

static void on_selection_changed(WeftSession *session, WeftFlowLayer *self)
{
	g_clear_pointer(&self->selected, g_array_unref);
	self->selected = weft_session_dup_flows_of(session, weft_session_get_selection(session));
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

static void queue_draw(gpointer instance, gpointer self)
{
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

static void on_notify(GObject *object, GParamSpec *pspec, gpointer self)
{
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

static void weft_flow_layer_dispose(GObject *object)
{
	WeftFlowLayer *self = WEFT_FLOW_LAYER(object);

	g_clear_pointer(&self->selected, g_array_unref);
	g_clear_pointer(&self->critical_drawn, g_array_unref);
	g_clear_object(&self->session);
	G_OBJECT_CLASS(weft_flow_layer_parent_class)->dispose(object);
}

static void weft_flow_layer_class_init(WeftFlowLayerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = weft_flow_layer_dispose;
	widget_class->snapshot = weft_flow_layer_snapshot;
	gtk_widget_class_set_css_name(widget_class, "weftflowlayer");
}

static void weft_flow_layer_init(WeftFlowLayer *self)
{
	gtk_widget_set_can_target(GTK_WIDGET(self), FALSE);
	self->critical_drawn = g_array_new(FALSE, FALSE, sizeof(guint));
}

GtkWidget *weft_flow_layer_new(WeftSession *session, GPtrArray *lanes)
{
	WeftFlowLayer *self = g_object_new(WEFT_TYPE_FLOW_LAYER, NULL);

	self->session = g_object_ref(session);
	self->lanes = lanes;
	g_signal_connect_object(session, "selection-changed", G_CALLBACK(on_selection_changed),
	                        self, 0);
	g_signal_connect_object(session, "range-changed", G_CALLBACK(queue_draw), self, 0);
	g_signal_connect_object(session, "critical-path-changed", G_CALLBACK(queue_draw), self, 0);
	g_signal_connect_object(session, "notify::show-all-flows", G_CALLBACK(on_notify), self, 0);
	g_signal_connect_object(weft_session_borrow_time_window(session), "changed",
	                        G_CALLBACK(queue_draw), self, 0);
	return GTK_WIDGET(self);
}

guint weft_flow_layer_get_n_drawn(WeftFlowLayer *self)
{
	g_return_val_if_fail(WEFT_IS_FLOW_LAYER(self), 0);
	return self->n_drawn;
}

const GArray *weft_flow_layer_get_critical_drawn(WeftFlowLayer *self)
{
	g_return_val_if_fail(WEFT_IS_FLOW_LAYER(self), NULL);
	return self->critical_drawn;
}
