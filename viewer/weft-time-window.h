/*
 * weft-time-window.h - the visible time range of the timeline and the
 * zoom/pan arithmetic on it. A view-model: no GTK, unit-tested without a
 * display. Every lane, the ruler and the flow layer read one shared
 * instance and redraw on "changed".
 */
#ifndef WEFT_TIME_WINDOW_H
#define WEFT_TIME_WINDOW_H

#include <glib-object.h>

#include "weft-model.h"

G_BEGIN_DECLS

#define WEFT_TYPE_TIME_WINDOW (weft_time_window_get_type())
G_DECLARE_FINAL_TYPE(WeftTimeWindow, weft_time_window, WEFT, TIME_WINDOW, GObject)

/* The narrowest range one can zoom into, in ns. */
#define WEFT_TIME_WINDOW_MIN_SPAN 100

WeftTimeWindow *weft_time_window_new(void);

/* The trace bounds: fit-all shows them, panning stays within them. */
void weft_time_window_set_bounds(WeftTimeWindow *self, weft_time_t start, weft_time_t end);
weft_time_t weft_time_window_get_bounds_start(WeftTimeWindow *self);
weft_time_t weft_time_window_get_bounds_end(WeftTimeWindow *self);

/* Width of the drawing area in pixels (>= 1). */
void weft_time_window_set_width(WeftTimeWindow *self, int width);
int weft_time_window_get_width(WeftTimeWindow *self);

/* The visible range, clamped to the bounds and to MIN_SPAN. */
void weft_time_window_set_range(WeftTimeWindow *self, weft_time_t start, weft_time_t end);
weft_time_t weft_time_window_get_start(WeftTimeWindow *self);
weft_time_t weft_time_window_get_end(WeftTimeWindow *self);
weft_time_t weft_time_window_get_span(WeftTimeWindow *self);

/* Multiplies the span by factor (< 1 zooms in) keeping the time under
 * anchor (a fraction of the width, 0..1) where it is. */
void weft_time_window_zoom(WeftTimeWindow *self, double factor, double anchor);
/* Moves the range by fraction of its span (negative: to the left). */
void weft_time_window_pan(WeftTimeWindow *self, double fraction);
/* Moves the range by a time delta in ns. */
void weft_time_window_pan_by(WeftTimeWindow *self, weft_time_t delta);
void weft_time_window_fit_all(WeftTimeWindow *self);

/* Conversions for the current range and width. */
double weft_time_window_ns_per_px(WeftTimeWindow *self);
double weft_time_window_time_to_x(WeftTimeWindow *self, weft_time_t t);
weft_time_t weft_time_window_x_to_time(WeftTimeWindow *self, double x);

G_END_DECLS

#endif /* WEFT_TIME_WINDOW_H */
