/*
 * weft-flame-graph.h - a flame graph of a profile (weft-flame-tree.h),
 * drawn as an icicle: the root ("all") on top, callees below, each frame
 * as wide as its share of the value. Frames narrower than a pixel are
 * merged into one grey box per run of siblings; labels are elided to fit.
 *
 * Hovering shows the frame's function, file:line, value and share of the
 * total. A click selects a frame and zooms into it (its ancestors stay on
 * top, full width: clicking one zooms back out to it); clicking the root,
 * a double click, Escape or weft_flame_graph_reset() shows everything
 * again.
 * Every selection emits "frame-selected" (node index, G_MAXUINT when
 * cleared).
 */
#ifndef WEFT_FLAME_GRAPH_H
#define WEFT_FLAME_GRAPH_H

#include <gtk/gtk.h>

#include "weft-flame-tree.h"

G_BEGIN_DECLS

#define WEFT_FLAME_GRAPH_ROW_H 20

#define WEFT_TYPE_FLAME_GRAPH (weft_flame_graph_get_type())
G_DECLARE_FINAL_TYPE(WeftFlameGraph, weft_flame_graph, WEFT, FLAME_GRAPH, GtkWidget)

GtkWidget *weft_flame_graph_new(void);

/* Shows tree (taken over; NULL: nothing), zoomed out, nothing selected. */
void weft_flame_graph_set_tree(WeftFlameGraph *self, weft_flame_tree_t *tree);
const weft_flame_tree_t *weft_flame_graph_borrow_tree(WeftFlameGraph *self);

/* Selects node and zooms into it; G_MAXUINT or the root: reset. */
void weft_flame_graph_select(WeftFlameGraph *self, guint node);
/* The selected node, G_MAXUINT when none. */
guint weft_flame_graph_get_selected(WeftFlameGraph *self);
/* The node the graph is zoomed into (0, the root, shows everything). */
guint weft_flame_graph_get_zoom(WeftFlameGraph *self);
/* Zoomed out, nothing selected. */
void weft_flame_graph_reset(WeftFlameGraph *self);

/*
 * Where node is drawn at the widget's current width, in widget
 * coordinates; FALSE when it is not drawn (outside the zoomed frame, or
 * merged into a box of frames narrower than a pixel).
 */
gboolean weft_flame_graph_get_box(WeftFlameGraph *self, guint node, graphene_rect_t *rect);
/*
 * The node drawn at (x, y), G_MAXUINT when none. For a box of merged
 * frames, the first of them, with *n_merged (may be NULL) set to their
 * number (1 for a frame of its own).
 */
guint weft_flame_graph_pick(WeftFlameGraph *self, double x, double y, guint *n_merged);
/* What a click (n_press 1) or double click (2) at (x, y) does. */
void weft_flame_graph_click(WeftFlameGraph *self, double x, double y, int n_press);
/* The tooltip text for (x, y), NULL when nothing is there. */
char *weft_flame_graph_dup_tooltip(WeftFlameGraph *self, double x, double y);

G_END_DECLS

#endif /* WEFT_FLAME_GRAPH_H */
