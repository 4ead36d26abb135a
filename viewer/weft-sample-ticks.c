/*
 * CPU sample ticks. Columns with samples are walked left to right: the
 * first sample at or after the window's start by binary search, then, for
 * the column of each next sample, a gallop to the first sample past the
 * column. Adjacent columns of the same shade become one box.
 */
#include "weft-sample-ticks.h"

#include <math.h>

#include "weft-lane.h"
#include "weft-lod.h"

/* Shades, from a lone sample to a column covered by samples. */
#define N_SHADES 4

void weft_sample_ticks_color(double density, GdkRGBA *color)
{
	int shade = (int) ceil(CLAMP(density, 0.0, 1.0) * (N_SHADES - 1));

	*color = (GdkRGBA){0.08f, 0.08f, 0.12f, 0.45f + 0.55f * (float) shade / (N_SHADES - 1)};
}

/* How much of a column of ns_per_px the count samples cover. */
static double density_of(guint count, gint64 period, double ns_per_px)
{
	if (period <= 0) {
		return count > 1 ? 1.0 : 0.0;
	}
	return (double) count * (double) period / MAX(ns_per_px, 1.0);
}

guint weft_sample_ticks_render(GtkSnapshot *snapshot, WeftTimeWindow *tw,
                               const weft_sample_track_t *track, gint64 period, int width, double y)
{
	weft_box_batch_t batch = {.snapshot = snapshot};
	double ns_per_px = weft_time_window_ns_per_px(tw);
	guint n = track->ts ? track->ts->len : 0;
	guint marks = 0;
	guint i;

	if (n == 0 || width <= 0) {
		return 0;
	}
	i = weft_model_lower_bound(track->ts, weft_time_window_get_start(tw));
	while (i < n) {
		double x =
		    floor(weft_time_window_time_to_x(tw, g_array_index(track->ts, weft_time_t, i)));
		guint j;
		GdkRGBA color;

		if (x >= width) {
			break;
		}
		j = weft_lod_gallop(track->ts, i + 1, weft_time_window_x_to_time(tw, x + 1));
		/* Rounding may leave a sample of this column behind: keep it in. */
		while (j < n && weft_time_window_time_to_x(
		                    tw, g_array_index(track->ts, weft_time_t, j)) < x + 1) {
			j++;
		}
		weft_sample_ticks_color(density_of(j - i, period, ns_per_px), &color);
		weft_box_batch_add(&batch, MAX(x, 0.0), x + 1, y, WEFT_SAMPLE_TICKS_H_PX, &color);
		marks++;
		i = j;
	}
	weft_box_batch_flush(&batch);
	return marks;
}
