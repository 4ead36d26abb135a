/*
 * The flame graph widget. A layout pass turns the tree into boxes for
 * the current width and zoom (each visible frame once; runs of sibling
 * frames narrower than a pixel become one box; subtrees under a narrow
 * frame are skipped, so the pass costs the boxes drawn, not the tree).
 * The boxes are drawn into a render node kept until the tree, the width,
 * the zoom or the selection changes; the hover box is drawn on top,
 * uncached.
 */
#include "weft-flame-graph.h"

#include "weft-format.h"
#include "weft-lane.h"
#include "weft-palette.h"

#define ROW_H WEFT_FLAME_GRAPH_ROW_H
#define LABEL_MIN_W 28.0

/* A drawn box: one node, or count > 1 merged sibling nodes from node on. */
typedef struct {
	graphene_rect_t rect;
	guint node;
	guint count;
} flame_box_t;

/* A run of narrow siblings being merged at one depth. */
typedef struct {
	double x0, x1;
	guint parent, first, count;
} flame_run_t;

struct _WeftFlameGraph {
	GtkWidget parent_instance;
	weft_flame_tree_t *tree; /* owned, may be NULL */
	guint zoom;              /* node shown full width */
	guint selected;          /* G_MAXUINT when none */
	guint hover;             /* index into boxes, G_MAXUINT when none */
	GArray *boxes;           /* flame_box_t, owned: the layout */
	GArray *runs;            /* flame_run_t per depth, owned: layout scratch */
	int layout_width;        /* width boxes were laid out for, -1: stale */
	GskRenderNode *cache;    /* owned, NULL when stale */
	PangoLayout *layout;     /* owned, created on first use */
};

G_DEFINE_FINAL_TYPE(WeftFlameGraph, weft_flame_graph, GTK_TYPE_WIDGET)

enum { SIGNAL_FRAME_SELECTED, N_SIGNALS };

static guint signals[N_SIGNALS];

static const weft_flame_node_t *node_at(WeftFlameGraph *self, guint i)
{
	return weft_flame_tree_node(self->tree, i);
}

/* Drops the layout and the drawing: the tree, zoom or width changed. */
static void invalidate_layout(WeftFlameGraph *self)
{
	self->layout_width = -1;
	self->hover = G_MAXUINT;
	g_clear_pointer(&self->cache, gsk_render_node_unref);
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

static void invalidate_drawing(WeftFlameGraph *self)
{
	g_clear_pointer(&self->cache, gsk_render_node_unref);
	gtk_widget_queue_draw(GTK_WIDGET(self));
}

static void add_box(WeftFlameGraph *self, guint node, guint count, double x0, double w, guint depth)
{
	flame_box_t b = {
	    GRAPHENE_RECT_INIT((float) x0, (float) (depth * ROW_H), (float) w, ROW_H - 1), node,
	    count};

	g_array_append_val(self->boxes, b);
}

static void flush_run(WeftFlameGraph *self, guint depth)
{
	flame_run_t *r = &g_array_index(self->runs, flame_run_t, depth);

	/* A run narrower than a pixel in all would be noise: dropped. */
	if (r->count && r->x1 - r->x0 >= 1.0) {
		add_box(self, r->first, r->count, r->x0, r->x1 - r->x0, depth);
	}
	r->count = 0;
}

/* Runs deeper than depth belong to finished subtrees. */
static void flush_deeper(WeftFlameGraph *self, guint depth)
{
	for (guint d = depth + 1; d < self->runs->len; d++) {
		flush_run(self, d);
	}
}

static void merge_narrow(WeftFlameGraph *self, guint i, double x0, double w)
{
	const weft_flame_node_t *n = node_at(self, i);
	flame_run_t *r = &g_array_index(self->runs, flame_run_t, n->depth);

	if (r->count && (r->parent != n->parent || x0 > r->x1 + 0.01)) {
		flush_run(self, n->depth);
	}
	if (!r->count) {
		*r = (flame_run_t){x0, x0, n->parent, i, 0};
	}
	r->x1 = x0 + w;
	r->count++;
}

static void lay_out(WeftFlameGraph *self, int width)
{
	const weft_flame_node_t *z;
	double scale;

	g_array_set_size(self->boxes, 0);
	self->layout_width = width;
	if (!self->tree || width <= 0 || !(z = node_at(self, self->zoom)) || z->value <= 0) {
		return;
	}
	scale = width / (double) z->value;
	for (guint a = z->parent; a != G_MAXUINT; a = node_at(self, a)->parent) {
		add_box(self, a, 1, 0, width, node_at(self, a)->depth);
	}
	g_array_set_size(self->runs, 0);
	g_array_set_size(self->runs, self->tree->max_depth + 1);
	for (guint i = self->zoom; i < z->end;) {
		const weft_flame_node_t *n = node_at(self, i);
		double x0 = (double) (n->offset - z->offset) * scale, w = (double) n->value * scale;

		flush_deeper(self, n->depth);
		if (w < 1.0 && i != self->zoom) {
			merge_narrow(self, i, x0, w);
			i = n->end;
			continue;
		}
		flush_run(self, n->depth);
		add_box(self, i, 1, x0, w, n->depth);
		i++;
	}
	flush_deeper(self, 0);
}

static void ensure_layout(WeftFlameGraph *self)
{
	int width = gtk_widget_get_width(GTK_WIDGET(self));

	if (self->layout_width != width) {
		lay_out(self, width);
	}
}

static const flame_box_t *box_at(WeftFlameGraph *self, guint b)
{
	return &g_array_index(self->boxes, flame_box_t, b);
}

/* Index of the box at (x, y), G_MAXUINT when none. */
static guint find_box(WeftFlameGraph *self, double x, double y)
{
	ensure_layout(self);
	for (guint b = 0; b < self->boxes->len; b++) {
		const graphene_rect_t *r = &box_at(self, b)->rect;

		if (y >= r->origin.y && y < r->origin.y + ROW_H && x >= r->origin.x &&
		    x < r->origin.x + MAX(r->size.width, 1.f)) {
			return b;
		}
	}
	return G_MAXUINT;
}

static void draw_label(WeftFlameGraph *self, GtkSnapshot *snapshot, const char *text,
                       const graphene_rect_t *r, const GdkRGBA *color)
{
	int text_h;

	if (r->size.width < LABEL_MIN_W) {
		return;
	}
	if (!self->layout) {
		self->layout = gtk_widget_create_pango_layout(GTK_WIDGET(self), NULL);
		pango_layout_set_ellipsize(self->layout, PANGO_ELLIPSIZE_END);
		pango_layout_set_single_paragraph_mode(self->layout, TRUE);
	}
	pango_layout_set_text(self->layout, text, -1);
	pango_layout_set_width(self->layout, (int) ((r->size.width - 6) * PANGO_SCALE));
	pango_layout_get_pixel_size(self->layout, NULL, &text_h);
	gtk_snapshot_save(snapshot);
	gtk_snapshot_push_clip(snapshot, r);
	gtk_snapshot_translate(
	    snapshot,
	    &GRAPHENE_POINT_INIT(r->origin.x + 3, r->origin.y + (ROW_H - 1 - text_h) / 2));
	gtk_snapshot_append_layout(snapshot, self->layout, color);
	gtk_snapshot_pop(snapshot);
	gtk_snapshot_restore(snapshot);
}

static void draw_box(WeftFlameGraph *self, GtkSnapshot *snapshot, const flame_box_t *b,
                     const char *selected_name)
{
	const weft_flame_node_t *n = node_at(self, b->node);
	graphene_rect_t r = b->rect;
	GdkRGBA fill = b->count > 1 ? *weft_palette_merged() : weft_palette_flame(n->name);

	/* A hairline between neighbours, when there is room for it. */
	if (r.size.width > 3) {
		r.size.width -= 1;
	}
	gtk_snapshot_append_color(snapshot, &fill, &r);
	if (b->count == 1) {
		draw_label(self, snapshot, n->name, &r, weft_palette_text_on(&fill));
	}
	if (b->count == 1 && b->node == self->selected) {
		weft_lane_draw_outline(snapshot, &r, weft_palette_selection(), 2.f);
	} else if (b->count == 1 && selected_name && !g_strcmp0(n->name, selected_name)) {
		/* Every box of the selected function: the timeline highlights them all. */
		weft_lane_draw_outline(snapshot, &r, weft_palette_highlight(), 1.5f);
	}
}

static void render(WeftFlameGraph *self)
{
	GtkSnapshot *snapshot = gtk_snapshot_new();
	const weft_flame_node_t *sel = self->tree ? node_at(self, self->selected) : NULL;

	for (guint b = 0; b < self->boxes->len; b++) {
		draw_box(self, snapshot, box_at(self, b), sel ? sel->name : NULL);
	}
	self->cache = gtk_snapshot_free_to_node(snapshot);
}

static void weft_flame_graph_snapshot(GtkWidget *widget, GtkSnapshot *snapshot)
{
	WeftFlameGraph *self = WEFT_FLAME_GRAPH(widget);
	int width = gtk_widget_get_width(widget);

	if (self->layout_width != width) {
		lay_out(self, width);
		g_clear_pointer(&self->cache, gsk_render_node_unref);
	}
	if (!self->cache) {
		render(self);
	}
	if (self->cache) {
		gtk_snapshot_append_node(snapshot, self->cache);
	}
	if (self->hover < self->boxes->len) {
		gtk_snapshot_append_color(snapshot, &(GdkRGBA){1.f, 1.f, 1.f, 0.3f},
		                          &box_at(self, self->hover)->rect);
	}
}

static void weft_flame_graph_measure(GtkWidget *widget, GtkOrientation orientation, int for_size,
                                     int *minimum, int *natural, int *minimum_baseline,
                                     int *natural_baseline)
{
	WeftFlameGraph *self = WEFT_FLAME_GRAPH(widget);

	if (orientation == GTK_ORIENTATION_VERTICAL) {
		*minimum = *natural = self->tree ? (int) (self->tree->max_depth + 1) * ROW_H : 0;
	} else {
		*minimum = 100;
		*natural = 600;
	}
}

static void weft_flame_graph_size_allocate(GtkWidget *widget, int width, int height, int baseline)
{
	WeftFlameGraph *self = WEFT_FLAME_GRAPH(widget);

	if (self->layout_width != width) {
		invalidate_layout(self);
	}
}

static void on_pressed(GtkGestureClick *gesture, int n_press, double x, double y,
                       WeftFlameGraph *self)
{
	gtk_widget_grab_focus(GTK_WIDGET(self));
	weft_flame_graph_click(self, x, y, n_press);
}

static gboolean on_key_pressed(GtkEventControllerKey *keys, guint keyval, guint keycode,
                               GdkModifierType state, WeftFlameGraph *self)
{
	if (keyval != GDK_KEY_Escape) {
		return FALSE;
	}
	weft_flame_graph_reset(self);
	return TRUE;
}

static void on_motion(GtkEventControllerMotion *motion, double x, double y, WeftFlameGraph *self)
{
	guint hover = find_box(self, x, y);

	if (hover != self->hover) {
		self->hover = hover;
		gtk_widget_queue_draw(GTK_WIDGET(self));
	}
}

static void on_leave(GtkEventControllerMotion *motion, WeftFlameGraph *self)
{
	if (self->hover != G_MAXUINT) {
		self->hover = G_MAXUINT;
		gtk_widget_queue_draw(GTK_WIDGET(self));
	}
}

static gboolean on_query_tooltip(GtkWidget *widget, int x, int y, gboolean keyboard,
                                 GtkTooltip *tooltip, gpointer data)
{
	g_autofree char *text = weft_flame_graph_dup_tooltip(WEFT_FLAME_GRAPH(widget), x, y);

	if (!text) {
		return FALSE;
	}
	gtk_tooltip_set_text(tooltip, text);
	return TRUE;
}

static void weft_flame_graph_dispose(GObject *object)
{
	WeftFlameGraph *self = WEFT_FLAME_GRAPH(object);

	g_clear_pointer(&self->cache, gsk_render_node_unref);
	g_clear_object(&self->layout);
	G_OBJECT_CLASS(weft_flame_graph_parent_class)->dispose(object);
}

static void weft_flame_graph_finalize(GObject *object)
{
	WeftFlameGraph *self = WEFT_FLAME_GRAPH(object);

	g_clear_pointer(&self->tree, weft_flame_tree_free);
	g_array_unref(self->boxes);
	g_array_unref(self->runs);
	G_OBJECT_CLASS(weft_flame_graph_parent_class)->finalize(object);
}

static void weft_flame_graph_class_init(WeftFlameGraphClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = weft_flame_graph_dispose;
	object_class->finalize = weft_flame_graph_finalize;
	widget_class->snapshot = weft_flame_graph_snapshot;
	widget_class->measure = weft_flame_graph_measure;
	widget_class->size_allocate = weft_flame_graph_size_allocate;
	gtk_widget_class_set_css_name(widget_class, "weftflamegraph");

	/* (node, G_MAXUINT when cleared): a frame was selected. */
	signals[SIGNAL_FRAME_SELECTED] =
	    g_signal_new("frame-selected", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
	                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void weft_flame_graph_init(WeftFlameGraph *self)
{
	GtkGesture *click = gtk_gesture_click_new();
	GtkEventController *motion = gtk_event_controller_motion_new();
	GtkEventController *keys = gtk_event_controller_key_new();

	self->selected = G_MAXUINT;
	self->hover = G_MAXUINT;
	self->layout_width = -1;
	self->boxes = g_array_new(FALSE, FALSE, sizeof(flame_box_t));
	self->runs = g_array_new(FALSE, TRUE, sizeof(flame_run_t));
	g_signal_connect(click, "pressed", G_CALLBACK(on_pressed), self);
	gtk_widget_add_controller(GTK_WIDGET(self), GTK_EVENT_CONTROLLER(click));
	g_signal_connect(motion, "motion", G_CALLBACK(on_motion), self);
	g_signal_connect(motion, "leave", G_CALLBACK(on_leave), self);
	gtk_widget_add_controller(GTK_WIDGET(self), motion);
	gtk_event_controller_set_name(keys, "weft-flame-keys");
	g_signal_connect(keys, "key-pressed", G_CALLBACK(on_key_pressed), self);
	gtk_widget_add_controller(GTK_WIDGET(self), keys);
	gtk_widget_set_focusable(GTK_WIDGET(self), TRUE);
	gtk_widget_set_has_tooltip(GTK_WIDGET(self), TRUE);
	g_signal_connect(self, "query-tooltip", G_CALLBACK(on_query_tooltip), NULL);
	gtk_widget_set_hexpand(GTK_WIDGET(self), TRUE);
	gtk_widget_set_valign(GTK_WIDGET(self), GTK_ALIGN_START);
	gtk_accessible_update_property(GTK_ACCESSIBLE(self), GTK_ACCESSIBLE_PROPERTY_LABEL,
	                               "flame graph", -1);
}

GtkWidget *weft_flame_graph_new(void)
{
	return g_object_new(WEFT_TYPE_FLAME_GRAPH, NULL);
}

void weft_flame_graph_set_tree(WeftFlameGraph *self, weft_flame_tree_t *tree)
{
	g_return_if_fail(WEFT_IS_FLAME_GRAPH(self));

	if (self->tree == tree) {
		return;
	}
	g_clear_pointer(&self->tree, weft_flame_tree_free);
	self->tree = tree;
	self->zoom = 0;
	self->selected = G_MAXUINT;
	invalidate_layout(self);
	gtk_widget_queue_resize(GTK_WIDGET(self));
}

const weft_flame_tree_t *weft_flame_graph_borrow_tree(WeftFlameGraph *self)
{
	g_return_val_if_fail(WEFT_IS_FLAME_GRAPH(self), NULL);
	return self->tree;
}

void weft_flame_graph_select(WeftFlameGraph *self, guint node)
{
	const weft_flame_node_t *n;

	g_return_if_fail(WEFT_IS_FLAME_GRAPH(self));
	n = self->tree ? node_at(self, node) : NULL;
	if (!n || node == 0) {
		weft_flame_graph_reset(self);
		return;
	}
	self->selected = node;
	if (n->value > 0 && node != self->zoom) {
		self->zoom = node;
		invalidate_layout(self);
	} else {
		invalidate_drawing(self);
	}
	g_signal_emit(self, signals[SIGNAL_FRAME_SELECTED], 0, node);
}

guint weft_flame_graph_get_selected(WeftFlameGraph *self)
{
	g_return_val_if_fail(WEFT_IS_FLAME_GRAPH(self), G_MAXUINT);
	return self->selected;
}

guint weft_flame_graph_get_zoom(WeftFlameGraph *self)
{
	g_return_val_if_fail(WEFT_IS_FLAME_GRAPH(self), 0);
	return self->zoom;
}

void weft_flame_graph_reset(WeftFlameGraph *self)
{
	g_return_if_fail(WEFT_IS_FLAME_GRAPH(self));

	self->zoom = 0;
	self->selected = G_MAXUINT;
	invalidate_layout(self);
	g_signal_emit(self, signals[SIGNAL_FRAME_SELECTED], 0, G_MAXUINT);
}

gboolean weft_flame_graph_get_box(WeftFlameGraph *self, guint node, graphene_rect_t *rect)
{
	g_return_val_if_fail(WEFT_IS_FLAME_GRAPH(self), FALSE);

	ensure_layout(self);
	for (guint b = 0; b < self->boxes->len; b++) {
		if (box_at(self, b)->node == node && box_at(self, b)->count == 1) {
			*rect = box_at(self, b)->rect;
			return TRUE;
		}
	}
	return FALSE;
}

guint weft_flame_graph_pick(WeftFlameGraph *self, double x, double y, guint *n_merged)
{
	guint b;

	g_return_val_if_fail(WEFT_IS_FLAME_GRAPH(self), G_MAXUINT);
	b = find_box(self, x, y);
	if (n_merged) {
		*n_merged = b == G_MAXUINT ? 0 : box_at(self, b)->count;
	}
	return b == G_MAXUINT ? G_MAXUINT : box_at(self, b)->node;
}

void weft_flame_graph_click(WeftFlameGraph *self, double x, double y, int n_press)
{
	guint merged = 0, node;

	g_return_if_fail(WEFT_IS_FLAME_GRAPH(self));
	if (n_press >= 2) {
		weft_flame_graph_reset(self);
		return;
	}
	node = weft_flame_graph_pick(self, x, y, &merged);
	if (node == G_MAXUINT) {
		return;
	}
	/* Narrow frames merged: zoom into their caller, where they widen. */
	weft_flame_graph_select(self, merged > 1 ? node_at(self, node)->parent : node);
}

char *weft_flame_graph_dup_tooltip(WeftFlameGraph *self, double x, double y)
{
	guint merged = 0, node = weft_flame_graph_pick(self, x, y, &merged);
	const weft_flame_node_t *n, *root;
	GString *s;
	char value[64];

	if (node == G_MAXUINT) {
		return NULL;
	}
	if (merged > 1) {
		return g_strdup_printf("%u frames, each narrower than a pixel: click to zoom in",
		                       merged);
	}
	n = node_at(self, node);
	root = node_at(self, 0);
	s = g_string_new(n->name);
	if (n->location || n->module) {
		g_string_append_printf(s, "\n%s%s%s", n->location ? n->location : "",
		                       n->location && n->module ? " — " : "",
		                       n->module ? n->module : "");
	}
	weft_format_value(value, sizeof value, n->value, self->tree->unit);
	g_string_append_printf(s, "\n%s %s, %.1f%% of the total", self->tree->type, value,
	                       100.0 * (double) n->value / (double) MAX(root->value, 1));
	return g_string_free(s, FALSE);
}
