/*
 * weft-flow-layer.h - drawn over the lanes: flow arrows (create -> start,
 * unlock -> acquire, signal -> wake, TRACE_FLOW) for the selected item, or
 * all visible ones when the session shows all flows, the selected
 * time range as a band, and the session's critical path: each segment
 * outlined on its thread's state row, an arrow at each jump from one
 * thread to another. It does not take input.
 */
#ifndef WEFT_FLOW_LAYER_H
#define WEFT_FLOW_LAYER_H

#include <gtk/gtk.h>

#include "weft-session.h"

G_BEGIN_DECLS

#define WEFT_TYPE_FLOW_LAYER (weft_flow_layer_get_type())
G_DECLARE_FINAL_TYPE(WeftFlowLayer, weft_flow_layer, WEFT, FLOW_LAYER, GtkWidget)

/* lanes: WeftThreadLane* by model thread index (borrowed, may hold NULL). */
GtkWidget *weft_flow_layer_new(WeftSession *session, GPtrArray *lanes);
/* How many arrows the last frame drew (for tests). */
guint weft_flow_layer_get_n_drawn(WeftFlowLayer *self);

/* The indexes of the critical path's segments the last frame outlined
 * (for tests; borrowed). */
const GArray *weft_flow_layer_get_critical_drawn(WeftFlowLayer *self);

G_END_DECLS

#endif /* WEFT_FLOW_LAYER_H */
