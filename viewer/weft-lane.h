/*
 * weft-lane.h - base class of the timeline's lanes (thread, CPU, counter,
 * task). A lane draws one row of the timeline for the session's visible
 * window and hit-tests it. The base keeps the drawing in a render node
 * that is rebuilt only when the data, the window or the size changes, and
 * draws what changes often (selection, hover) on top, uncached. It also
 * draws the "data lost" gaps that concern the lane.
 */
#ifndef WEFT_LANE_H
#define WEFT_LANE_H

#include <gtk/gtk.h>

#include "weft-session.h"

G_BEGIN_DECLS

#define WEFT_TYPE_LANE (weft_lane_get_type())
G_DECLARE_DERIVABLE_TYPE(WeftLane, weft_lane, WEFT, LANE, GtkWidget)

typedef enum {
	WEFT_PICK_NONE,
	WEFT_PICK_ITEM,   /* item is set */
	WEFT_PICK_MERGED, /* a box standing for several items: zoom to it */
} weft_pick_t;

struct _WeftLaneClass {
	GtkWidgetClass parent_class;

	/* The lane's natural height in px. */
	int (*get_height)(WeftLane *self);
	/* Draws the cacheable part for the session's visible window. */
	void (*render)(WeftLane *self, GtkSnapshot *snapshot, int width, int height);
	/* What is under (x, y); for MERGED, the range to zoom to. */
	weft_pick_t (*pick)(WeftLane *self, double x, double y, weft_item_t *item,
	                    weft_time_t *start, weft_time_t *end);
	/* Where item is drawn in this lane; FALSE if not here. */
	gboolean (*item_rect)(WeftLane *self, const weft_item_t *item, graphene_rect_t *rect);
	/* Process whose "data lost" gaps concern the lane; -1: all. */
	gint64 (*get_pid)(WeftLane *self);
};

WeftSession *weft_lane_get_session(WeftLane *self);
/* Drops the cached drawing (the data or the style changed). */
void weft_lane_invalidate(WeftLane *self);
weft_pick_t weft_lane_pick(WeftLane *self, double x, double y, weft_item_t *item,
                           weft_time_t *start, weft_time_t *end);
gboolean weft_lane_item_rect(WeftLane *self, const weft_item_t *item, graphene_rect_t *rect);
/* Marks items to outline as search matches (borrowed; NULL: none). */
void weft_lane_set_matches(WeftLane *self, GArray *matches);

/* For subclasses: a reusable layout and the text color of the style. */
PangoLayout *weft_lane_borrow_layout(WeftLane *self);
void weft_lane_get_fg(WeftLane *self, GdkRGBA *fg);
/* Draws text clipped to rect, ellipsized; skips when too narrow. */
void weft_lane_draw_label(WeftLane *self, GtkSnapshot *snapshot, const char *text,
                          const graphene_rect_t *rect, const GdkRGBA *color);
/* A w px border inside r (the selection, search matches; the flame graph uses it too). */
void weft_lane_draw_outline(GtkSnapshot *snapshot, const graphene_rect_t *r, const GdkRGBA *color,
                            float w);
/* Diagonal stripes: lost data must not read as idle time. */
void weft_lane_draw_hatch(GtkSnapshot *snapshot, double x0, double x1, double y, double height);
/* Adjacent boxes of one color drawn as one rectangle: a dense lane at
 * low zoom costs a handful of render nodes, not one per box. */
typedef struct {
	GtkSnapshot *snapshot; /* borrowed */
	graphene_rect_t rect;
	GdkRGBA color;
	gboolean pending;
} weft_box_batch_t;

void weft_box_batch_add(weft_box_batch_t *batch, double x0, double x1, double y, double height,
                        const GdkRGBA *color);
void weft_box_batch_flush(weft_box_batch_t *batch);

/* Times to x within the lane. */
double weft_lane_x(WeftLane *self, weft_time_t t);
weft_time_t weft_lane_x_to_time(WeftLane *self, double x);
double weft_lane_ns_per_px(WeftLane *self);

G_END_DECLS

#endif /* WEFT_LANE_H */
