/*
 * The visible time range and its zoom/pan arithmetic. Ranges are kept in
 * integer ns; zoom works in double and rounds, which is exact enough below
 * 2^53 ns of span (104 days).
 */
#include "weft-time-window.h"

struct _WeftTimeWindow {
	GObject parent_instance;
	weft_time_t bounds_start, bounds_end;
	weft_time_t start, end;
	int width;
};

G_DEFINE_FINAL_TYPE(WeftTimeWindow, weft_time_window, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, N_SIGNALS };

static guint signals[N_SIGNALS];

static weft_time_t bounds_span(WeftTimeWindow *self)
{
	return MAX(self->bounds_end - self->bounds_start, (weft_time_t) WEFT_TIME_WINDOW_MIN_SPAN);
}

/* Clamps [start, end) to the bounds, keeping its span when possible. */
static void clamp_range(WeftTimeWindow *self, weft_time_t *start, weft_time_t *end)
{
	weft_time_t span = *end - *start;
	weft_time_t max_span = bounds_span(self);

	span = CLAMP(span, (weft_time_t) WEFT_TIME_WINDOW_MIN_SPAN, max_span);
	if (*start < self->bounds_start) {
		*start = self->bounds_start;
	}
	if (*start + span > self->bounds_start + max_span) {
		*start = self->bounds_start + max_span - span;
	}
	*end = *start + span;
}

static void weft_time_window_class_init(WeftTimeWindowClass *klass)
{
	signals[SIGNAL_CHANGED] =
	    g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
	                 NULL, G_TYPE_NONE, 0);
}

static void weft_time_window_init(WeftTimeWindow *self)
{
	self->bounds_end = 1000000;
	self->end = self->bounds_end;
	self->width = 1;
}

WeftTimeWindow *weft_time_window_new(void)
{
	return g_object_new(WEFT_TYPE_TIME_WINDOW, NULL);
}

void weft_time_window_set_bounds(WeftTimeWindow *self, weft_time_t start, weft_time_t end)
{
	g_return_if_fail(WEFT_IS_TIME_WINDOW(self));

	if (end < start) {
		end = start;
	}
	self->bounds_start = start;
	self->bounds_end = end;
	weft_time_window_fit_all(self);
}

weft_time_t weft_time_window_get_bounds_start(WeftTimeWindow *self)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 0);
	return self->bounds_start;
}

weft_time_t weft_time_window_get_bounds_end(WeftTimeWindow *self)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 0);
	return self->bounds_end;
}

void weft_time_window_set_width(WeftTimeWindow *self, int width)
{
	g_return_if_fail(WEFT_IS_TIME_WINDOW(self));

	width = MAX(width, 1);
	if (width == self->width) {
		return;
	}
	self->width = width;
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

int weft_time_window_get_width(WeftTimeWindow *self)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 1);
	return self->width;
}

void weft_time_window_set_range(WeftTimeWindow *self, weft_time_t start, weft_time_t end)
{
	g_return_if_fail(WEFT_IS_TIME_WINDOW(self));

	if (end < start) {
		weft_time_t t = start;

		start = end;
		end = t;
	}
	clamp_range(self, &start, &end);
	if (start == self->start && end == self->end) {
		return;
	}
	self->start = start;
	self->end = end;
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

weft_time_t weft_time_window_get_start(WeftTimeWindow *self)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 0);
	return self->start;
}

weft_time_t weft_time_window_get_end(WeftTimeWindow *self)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 0);
	return self->end;
}

weft_time_t weft_time_window_get_span(WeftTimeWindow *self)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 0);
	return self->end - self->start;
}

void weft_time_window_zoom(WeftTimeWindow *self, double factor, double anchor)
{
	double span, new_span, pivot;
	weft_time_t start;

	g_return_if_fail(WEFT_IS_TIME_WINDOW(self));
	g_return_if_fail(factor > 0);

	anchor = CLAMP(anchor, 0.0, 1.0);
	span = (double) (self->end - self->start);
	new_span =
	    CLAMP(span * factor, (double) WEFT_TIME_WINDOW_MIN_SPAN, (double) bounds_span(self));
	pivot = (double) self->start + anchor * span;
	start = (weft_time_t) (pivot - anchor * new_span + 0.5);
	weft_time_window_set_range(self, start, start + (weft_time_t) (new_span + 0.5));
}

void weft_time_window_pan(WeftTimeWindow *self, double fraction)
{
	g_return_if_fail(WEFT_IS_TIME_WINDOW(self));

	weft_time_window_pan_by(self,
	                        (weft_time_t) (fraction * (double) (self->end - self->start)));
}

void weft_time_window_pan_by(WeftTimeWindow *self, weft_time_t delta)
{
	g_return_if_fail(WEFT_IS_TIME_WINDOW(self));

	weft_time_window_set_range(self, self->start + delta, self->end + delta);
}

void weft_time_window_fit_all(WeftTimeWindow *self)
{
	g_return_if_fail(WEFT_IS_TIME_WINDOW(self));

	weft_time_window_set_range(self, self->bounds_start,
	                           self->bounds_start + bounds_span(self));
}

double weft_time_window_ns_per_px(WeftTimeWindow *self)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 1.0);
	return (double) (self->end - self->start) / (double) self->width;
}

double weft_time_window_time_to_x(WeftTimeWindow *self, weft_time_t t)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 0.0);
	return (double) (t - self->start) * (double) self->width /
	       (double) (self->end - self->start);
}

weft_time_t weft_time_window_x_to_time(WeftTimeWindow *self, double x)
{
	g_return_val_if_fail(WEFT_IS_TIME_WINDOW(self), 0);
	return self->start +
	       (weft_time_t) (x * (double) (self->end - self->start) / (double) self->width);
}
