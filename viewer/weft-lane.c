/*
 * Base lane: cached rendering, lost-data gaps, selection outline.
 */
#include "weft-lane.h"

#include "weft-palette.h"

typedef struct {
	WeftSession *session; /* owned */
	GskRenderNode *cache; /* owned, NULL when stale or empty */
	gboolean cached;      /* cache holds the current drawing */
	int cache_width;
	int cache_height;
	PangoLayout *layout; /* owned, created on first use */
	GArray *matches;     /* weft_item_t, borrowed, may be NULL */
	gulong window_handler;
	gulong selection_handler;
} WeftLanePrivate;

G_DEFINE_TYPE_WITH_PRIVATE(WeftLane, weft_lane, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SESSION, N_PROPS };

static GParamSpec *properties[N_PROPS];

static void on_window_changed(WeftTimeWindow *window, WeftLane *self)
{
	weft_lane_invalidate(self);
}

static void on_selection_changed(WeftSession *session, WeftLane *self)
{
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

static void set_session(WeftLane *self, WeftSession *session)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);

	g_assert(priv->session == NULL);
	if (!session) {
		return;
	}
	priv->session = g_object_ref(session);
	priv->window_handler =
	    g_signal_connect_object(weft_session_borrow_time_window(session), "changed",
	                            G_CALLBACK(on_window_changed), self, 0);
	priv->selection_handler = g_signal_connect_object(
	    session, "selection-changed", G_CALLBACK(on_selection_changed), self, 0);
}

void weft_lane_draw_hatch(GtkSnapshot *snapshot, double x0, double x1, double y, double height)
{
	graphene_rect_t r =
	    GRAPHENE_RECT_INIT((float) x0, (float) y, (float) MAX(x1 - x0, 2.0), (float) height);
	GdkRGBA bg = *weft_palette_lost();
	cairo_t *cr;

	bg.alpha = 0.35f;
	gtk_snapshot_append_color(snapshot, &bg, &r);
	cr = gtk_snapshot_append_cairo(snapshot, &r);
	cairo_rectangle(cr, r.origin.x, y, r.size.width, height);
	cairo_clip(cr);
	gdk_cairo_set_source_rgba(cr, weft_palette_lost());
	cairo_set_line_width(cr, 2);
	for (double x = x0 - height; x < x1; x += 8) {
		cairo_move_to(cr, x, y + height);
		cairo_line_to(cr, x + height, y);
	}
	cairo_stroke(cr);
	cairo_destroy(cr);
}

static void render_lost(WeftLane *self, GtkSnapshot *snapshot, int width, int height)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);
	const weft_model_t *model = weft_session_borrow_model(priv->session);
	WeftTimeWindow *tw = weft_session_borrow_time_window(priv->session);
	gint64 pid =
	    WEFT_LANE_GET_CLASS(self)->get_pid ? WEFT_LANE_GET_CLASS(self)->get_pid(self) : -1;

	if (!model) {
		return;
	}
	for (guint i = 0; i < model->lost->len; i++) {
		const weft_lost_t *l = &g_array_index(model->lost, weft_lost_t, i);
		double x0, x1;

		if (l->pid != -1 && pid != -1 && l->pid != pid) {
			continue;
		}
		x0 = weft_time_window_time_to_x(tw, l->start);
		x1 = weft_time_window_time_to_x(tw, l->end);
		if (x1 < 0 || x0 > width) {
			continue;
		}
		weft_lane_draw_hatch(snapshot, MAX(x0, -1.0), MIN(x1, width + 1.0), 0, height);
	}
}

static void rebuild_cache(WeftLane *self, int width, int height)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);
	GtkSnapshot *snapshot = gtk_snapshot_new();
	graphene_rect_t clip = GRAPHENE_RECT_INIT(0, 0, width, height);

	gtk_snapshot_push_clip(snapshot, &clip);
	WEFT_LANE_GET_CLASS(self)->render(self, snapshot, width, height);
	render_lost(self, snapshot, width, height);
	gtk_snapshot_pop(snapshot);
	g_clear_pointer(&priv->cache, gsk_render_node_unref);
	priv->cache = gtk_snapshot_free_to_node(snapshot);
	priv->cached = TRUE;
	priv->cache_width = width;
	priv->cache_height = height;
}

void weft_lane_draw_outline(GtkSnapshot *snapshot, const graphene_rect_t *r, const GdkRGBA *color,
                            float w)
{
	GskRoundedRect rr;
	const float widths[4] = {w, w, w, w};
	const GdkRGBA colors[4] = {*color, *color, *color, *color};

	gsk_rounded_rect_init_from_rect(&rr, r, 0);
	gtk_snapshot_append_border(snapshot, &rr, widths, colors);
}

static void draw_overlays(WeftLane *self, GtkSnapshot *snapshot)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);
	const weft_item_t *sel = weft_session_get_selection(priv->session);
	graphene_rect_t r;

	if (priv->matches) {
		for (guint i = 0; i < priv->matches->len; i++) {
			const weft_item_t *m = &g_array_index(priv->matches, weft_item_t, i);

			if (weft_lane_item_rect(self, m, &r)) {
				weft_lane_draw_outline(snapshot, &r, weft_palette_match(), 1.5f);
			}
		}
	}
	if (sel->kind != WEFT_ITEM_NONE && weft_lane_item_rect(self, sel, &r)) {
		graphene_rect_inset(&r, -1, -1);
		weft_lane_draw_outline(snapshot, &r, weft_palette_selection(), 2.f);
	}
}

static void weft_lane_snapshot(GtkWidget *widget, GtkSnapshot *snapshot)
{
	WeftLane *self = WEFT_LANE(widget);
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);
	int width = gtk_widget_get_width(widget);
	int height = gtk_widget_get_height(widget);

	if (!priv->session || width <= 0 || height <= 0) {
		return;
	}
	if (!priv->cached || priv->cache_width != width || priv->cache_height != height) {
		rebuild_cache(self, width, height);
	}
	if (priv->cache) {
		gtk_snapshot_append_node(snapshot, priv->cache);
	}
	draw_overlays(self, snapshot);
}

static void weft_lane_measure(GtkWidget *widget, GtkOrientation orientation, int for_size,
                              int *minimum, int *natural, int *minimum_baseline,
                              int *natural_baseline)
{
	WeftLane *self = WEFT_LANE(widget);

	if (orientation == GTK_ORIENTATION_VERTICAL) {
		*minimum = *natural = WEFT_LANE_GET_CLASS(self)->get_height(self);
	} else {
		*minimum = 1;
		*natural = 200;
	}
}

static void weft_lane_css_changed(GtkWidget *widget, GtkCssStyleChange *change)
{
	GTK_WIDGET_CLASS(weft_lane_parent_class)->css_changed(widget, change);
	weft_lane_invalidate(WEFT_LANE(widget));
}

static int default_get_height(WeftLane *self)
{
	return 20;
}

static void weft_lane_dispose(GObject *object)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(WEFT_LANE(object));

	g_clear_pointer(&priv->cache, gsk_render_node_unref);
	g_clear_object(&priv->layout);
	g_clear_object(&priv->session);
	G_OBJECT_CLASS(weft_lane_parent_class)->dispose(object);
}

static void weft_lane_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(WEFT_LANE(object));

	switch (prop_id) {
	case PROP_SESSION:
		g_value_set_object(value, priv->session);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void weft_lane_set_property(GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
	switch (prop_id) {
	case PROP_SESSION:
		set_session(WEFT_LANE(object), g_value_get_object(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void weft_lane_class_init(WeftLaneClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = weft_lane_dispose;
	object_class->get_property = weft_lane_get_property;
	object_class->set_property = weft_lane_set_property;
	widget_class->snapshot = weft_lane_snapshot;
	widget_class->measure = weft_lane_measure;
	widget_class->css_changed = weft_lane_css_changed;
	klass->get_height = default_get_height;

	properties[PROP_SESSION] = g_param_spec_object("session", NULL, NULL, WEFT_TYPE_SESSION,
	                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
	                                                   G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);
	gtk_widget_class_set_css_name(widget_class, "weftlane");
}

static void weft_lane_init(WeftLane *self)
{
	gtk_widget_set_hexpand(GTK_WIDGET(self), TRUE);
	gtk_widget_set_overflow(GTK_WIDGET(self), GTK_OVERFLOW_HIDDEN);
}

WeftSession *weft_lane_get_session(WeftLane *self)
{
	WeftLanePrivate *priv;

	g_return_val_if_fail(WEFT_IS_LANE(self), NULL);
	priv = weft_lane_get_instance_private(self);
	return priv->session;
}

void weft_lane_invalidate(WeftLane *self)
{
	WeftLanePrivate *priv;

	g_return_if_fail(WEFT_IS_LANE(self));
	priv = weft_lane_get_instance_private(self);
	g_clear_pointer(&priv->cache, gsk_render_node_unref);
	priv->cached = FALSE;
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

weft_pick_t weft_lane_pick(WeftLane *self, double x, double y, weft_item_t *item,
                           weft_time_t *start, weft_time_t *end)
{
	WeftLaneClass *klass;

	g_return_val_if_fail(WEFT_IS_LANE(self), WEFT_PICK_NONE);
	klass = WEFT_LANE_GET_CLASS(self);
	if (!klass->pick || !weft_lane_get_session(self)) {
		return WEFT_PICK_NONE;
	}
	return klass->pick(self, x, y, item, start, end);
}

gboolean weft_lane_item_rect(WeftLane *self, const weft_item_t *item, graphene_rect_t *rect)
{
	WeftLaneClass *klass;

	g_return_val_if_fail(WEFT_IS_LANE(self), FALSE);
	klass = WEFT_LANE_GET_CLASS(self);
	if (!klass->item_rect || item->kind == WEFT_ITEM_NONE) {
		return FALSE;
	}
	return klass->item_rect(self, item, rect);
}

void weft_lane_set_matches(WeftLane *self, GArray *matches)
{
	WeftLanePrivate *priv;

	g_return_if_fail(WEFT_IS_LANE(self));
	priv = weft_lane_get_instance_private(self);
	priv->matches = matches;
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

PangoLayout *weft_lane_borrow_layout(WeftLane *self)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);

	if (!priv->layout) {
		priv->layout = gtk_widget_create_pango_layout(GTK_WIDGET(self), NULL);
		pango_layout_set_ellipsize(priv->layout, PANGO_ELLIPSIZE_END);
		pango_layout_set_single_paragraph_mode(priv->layout, TRUE);
	}
	return priv->layout;
}

void weft_lane_get_fg(WeftLane *self, GdkRGBA *fg)
{
	gtk_style_context_get_color(gtk_widget_get_style_context(GTK_WIDGET(self)), fg);
}

void weft_lane_draw_label(WeftLane *self, GtkSnapshot *snapshot, const char *text,
                          const graphene_rect_t *rect, const GdkRGBA *color)
{
	PangoLayout *layout;
	int text_h;

	if (rect->size.width < 36 || !text || !*text) {
		return;
	}
	layout = weft_lane_borrow_layout(self);
	pango_layout_set_text(layout, text, -1);
	pango_layout_set_width(layout, (int) ((rect->size.width - 6) * PANGO_SCALE));
	pango_layout_get_pixel_size(layout, NULL, &text_h);
	gtk_snapshot_save(snapshot);
	gtk_snapshot_translate(
	    snapshot, &GRAPHENE_POINT_INIT(rect->origin.x + 3,
	                                   rect->origin.y + (rect->size.height - text_h) / 2));
	gtk_snapshot_append_layout(snapshot, layout, color);
	gtk_snapshot_restore(snapshot);
}

double weft_lane_x(WeftLane *self, weft_time_t t)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);

	return weft_time_window_time_to_x(weft_session_borrow_time_window(priv->session), t);
}

weft_time_t weft_lane_x_to_time(WeftLane *self, double x)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);

	return weft_time_window_x_to_time(weft_session_borrow_time_window(priv->session), x);
}

double weft_lane_ns_per_px(WeftLane *self)
{
	WeftLanePrivate *priv = weft_lane_get_instance_private(self);

	return weft_time_window_ns_per_px(weft_session_borrow_time_window(priv->session));
}

void weft_box_batch_flush(weft_box_batch_t *batch)
{
	if (batch->pending) {
		gtk_snapshot_append_color(batch->snapshot, &batch->color, &batch->rect);
		batch->pending = FALSE;
	}
}

void weft_box_batch_add(weft_box_batch_t *batch, double x0, double x1, double y, double height,
                        const GdkRGBA *color)
{
	graphene_rect_t *r = &batch->rect;

	/* At least one pixel: every interval stays visible. */
	if (x1 - x0 < 1.0) {
		x1 = x0 + 1.0;
	}
	if (batch->pending && gdk_rgba_equal(color, &batch->color) && r->origin.y == (float) y &&
	    r->size.height == (float) height && x0 <= r->origin.x + r->size.width + 0.5) {
		r->size.width = (float) MAX(x1 - r->origin.x, r->size.width);
		return;
	}
	weft_box_batch_flush(batch);
	*r = GRAPHENE_RECT_INIT((float) x0, (float) y, (float) (x1 - x0), (float) height);
	batch->color = *color;
	batch->pending = TRUE;
}
