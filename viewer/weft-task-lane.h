/*
 * weft-task-lane.h - async tasks (TRACE_TASK_BEGIN/END), which may cross
 * threads, stacked in rows so that they do not overlap.
 */
#ifndef WEFT_TASK_LANE_H
#define WEFT_TASK_LANE_H

#include "weft-lane.h"

G_BEGIN_DECLS

#define WEFT_TYPE_TASK_LANE (weft_task_lane_get_type())
G_DECLARE_FINAL_TYPE(WeftTaskLane, weft_task_lane, WEFT, TASK_LANE, WeftLane)

GtkWidget *weft_task_lane_new(WeftSession *session);

G_END_DECLS

#endif /* WEFT_TASK_LANE_H */
