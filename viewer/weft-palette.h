/*
 * weft-palette.h - the viewer's colors. State colors come from the
 * Okabe-Ito palette (distinguishable with the common color-vision
 * deficiencies) extended with Paul Tol's "muted" scheme; each family of
 * states keeps one hue family (locks warm, waits purple, I/O blue).
 * They are fills with dark or light text chosen by luminance, so they read
 * on light and dark styles alike. docs/viewer.md lists them.
 */
#ifndef WEFT_PALETTE_H
#define WEFT_PALETTE_H

#include <gdk/gdk.h>

#include "weft-model.h"

G_BEGIN_DECLS

const GdkRGBA *weft_palette_state(weft_state_t state);
/* A stable color for a name (slices, tasks, threads on CPU lanes). */
const GdkRGBA *weft_palette_hash(guint32 key);
/* A region's (slice's, task's) color from its name: pale, muted hues
 * that cannot be taken for a state color. */
const GdkRGBA *weft_palette_region(const char *name);
/* Black or white, whichever reads better on bg. */
const GdkRGBA *weft_palette_text_on(const GdkRGBA *bg);
/* Boxes that stand for several intervals. */
const GdkRGBA *weft_palette_merged(void);
const GdkRGBA *weft_palette_flow(weft_flow_kind_t kind);
/* The "data lost" hatch and the selection outline. */
const GdkRGBA *weft_palette_lost(void);
const GdkRGBA *weft_palette_selection(void);
const GdkRGBA *weft_palette_match(void);
/* Intervals whose stack holds the frame clicked in a flame graph. */
const GdkRGBA *weft_palette_highlight(void);
/* Outline of the critical path's segments and its jumps. */
const GdkRGBA *weft_palette_critical(void);
/* A flame graph frame's fill: flamegraph.pl's warm "hot" colors, picked
 * by a hash of the name so one function keeps its color. */
GdkRGBA weft_palette_flame(const char *name);

G_END_DECLS

#endif /* WEFT_PALETTE_H */
