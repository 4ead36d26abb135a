/*
 * weft-cpu-lane.h - which thread ran on one CPU when.
 */
#ifndef WEFT_CPU_LANE_H
#define WEFT_CPU_LANE_H

#include "weft-lane.h"

G_BEGIN_DECLS

#define WEFT_TYPE_CPU_LANE (weft_cpu_lane_get_type())
G_DECLARE_FINAL_TYPE(WeftCpuLane, weft_cpu_lane, WEFT, CPU_LANE, WeftLane)

GtkWidget *weft_cpu_lane_new(WeftSession *session, guint lane);

G_END_DECLS

#endif /* WEFT_CPU_LANE_H */
