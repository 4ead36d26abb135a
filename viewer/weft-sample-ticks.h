/*
 * weft-sample-ticks.h - a thread's CPU samples as ticks along the bottom
 * edge of its state track, with a level of detail at any zoom: the
 * samples are binned per pixel column (skipping from column to column by
 * binary search, as Tracy merges what is narrower than a pixel), and a
 * column is drawn darker the more of its time the samples cover. A
 * drawing costs O(columns * log n) whatever the number of samples.
 */
#ifndef WEFT_SAMPLE_TICKS_H
#define WEFT_SAMPLE_TICKS_H

#include <gtk/gtk.h>

#include "weft-time-window.h"

G_BEGIN_DECLS

#define WEFT_SAMPLE_TICKS_H_PX 4

/*
 * Draws the samples of track in view at [y, y + WEFT_SAMPLE_TICKS_H_PX)
 * over columns [0, width). period is the ns of CPU time one sample stands
 * for (0: unknown). Returns the marks drawn (at most one per column).
 */
guint weft_sample_ticks_render(GtkSnapshot *snapshot, WeftTimeWindow *tw,
                               const weft_sample_track_t *track, gint64 period, int width,
                               double y);

/* The colour of a column whose samples cover density (0..1) of its time. */
void weft_sample_ticks_color(double density, GdkRGBA *color);

G_END_DECLS

#endif /* WEFT_SAMPLE_TICKS_H */
