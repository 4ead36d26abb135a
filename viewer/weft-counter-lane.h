/*
 * weft-counter-lane.h - one counter of one process (heap in use, a user
 * counter) as an area chart.
 */
#ifndef WEFT_COUNTER_LANE_H
#define WEFT_COUNTER_LANE_H

#include "weft-lane.h"

G_BEGIN_DECLS

#define WEFT_TYPE_COUNTER_LANE (weft_counter_lane_get_type())
G_DECLARE_FINAL_TYPE(WeftCounterLane, weft_counter_lane, WEFT, COUNTER_LANE, WeftLane)

GtkWidget *weft_counter_lane_new(WeftSession *session, guint process, guint counter);

G_END_DECLS

#endif /* WEFT_COUNTER_LANE_H */
