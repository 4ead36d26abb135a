/*
 * weft-ruler.h - the time axis over the lanes: ticks in units that adapt
 * to the zoom, times relative to the trace start. Dragging on it selects a
 * time range (the session's range selection).
 */
#ifndef WEFT_RULER_H
#define WEFT_RULER_H

#include <gtk/gtk.h>

#include "weft-session.h"

G_BEGIN_DECLS

#define WEFT_TYPE_RULER (weft_ruler_get_type())
G_DECLARE_FINAL_TYPE(WeftRuler, weft_ruler, WEFT, RULER, GtkWidget)

GtkWidget *weft_ruler_new(WeftSession *session);
/* The tick spacing in ns for ns_per_px: 1, 2 or 5 times a power of ten,
 * at least min_px pixels apart. */
weft_time_t weft_ruler_tick_step(double ns_per_px, double min_px);

G_END_DECLS

#endif /* WEFT_RULER_H */
