/*
 * weft-thread-lane.h - one thread: its state track (running and each
 * blocked reason in its own color), instants as ticks on top of it, and
 * the nested regions below; CPU samples as ticks along the state track's
 * bottom edge (weft-sample-ticks.h). The waits of the session's stack
 * highlight are outlined.
 */
#ifndef WEFT_THREAD_LANE_H
#define WEFT_THREAD_LANE_H

#include "weft-lane.h"

G_BEGIN_DECLS

#define WEFT_TYPE_THREAD_LANE (weft_thread_lane_get_type())
G_DECLARE_FINAL_TYPE(WeftThreadLane, weft_thread_lane, WEFT, THREAD_LANE, WeftLane)

/* Geometry, shared with the flow layer. */
#define WEFT_THREAD_LANE_STATE_Y 2
#define WEFT_THREAD_LANE_STATE_H 14
#define WEFT_THREAD_LANE_SLICE_H 17

GtkWidget *weft_thread_lane_new(WeftSession *session, guint thread);
guint weft_thread_lane_get_thread(WeftThreadLane *self);
/* Vertical middle of the row an item of this thread is drawn in. */
double weft_thread_lane_item_y(WeftThreadLane *self, const weft_item_t *item);

/* The highlight outlines its last drawing drew (one per wait in view
 * unless several fall within 2 px). */
guint weft_thread_lane_get_n_highlighted(WeftThreadLane *self);
/* The CPU sample ticks its last drawing drew (at most one per pixel
 * column, weft-sample-ticks.h). */
guint weft_thread_lane_get_n_sample_marks(WeftThreadLane *self);

G_END_DECLS

#endif /* WEFT_THREAD_LANE_H */
