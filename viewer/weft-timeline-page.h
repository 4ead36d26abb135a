/*
 * weft-timeline-page.h - the "Timeline" page: the ruler, one lane group
 * per process (a lane per thread, its counters), CPU lanes, the task lane,
 * the flow layer, the legend, search and the details pane; zoom, pan and
 * selection input.
 *
 * Keys (also in the shortcuts window): W/S zoom in/out by
 * WEFT_TIMELINE_ZOOM_STEP, A/D pan by WEFT_TIMELINE_PAN_STEP of the span,
 * Ctrl+wheel zooms, Shift+wheel and horizontal wheel pan, dragging pans,
 * F zooms to the selection, Ctrl+0 fits all.
 */
#ifndef WEFT_TIMELINE_PAGE_H
#define WEFT_TIMELINE_PAGE_H

#include <gtk/gtk.h>

#include "weft-session.h"

G_BEGIN_DECLS

#define WEFT_TIMELINE_ZOOM_STEP 0.8
#define WEFT_TIMELINE_PAN_STEP 0.2
#define WEFT_TIMELINE_LABEL_WIDTH 160

#define WEFT_TYPE_TIMELINE_PAGE (weft_timeline_page_get_type())
G_DECLARE_FINAL_TYPE(WeftTimelinePage, weft_timeline_page, WEFT, TIMELINE_PAGE, GtkWidget)

GtkWidget *weft_timeline_page_new(void);
/* Shows session (a new reference is taken; NULL: the empty state). */
void weft_timeline_page_set_session(WeftTimelinePage *self, WeftSession *session);
WeftSession *weft_timeline_page_get_session(WeftTimelinePage *self);

/* Zooms to [start, end] (with a margin), selects what thread does there
 * and scrolls its lane into view. */
void weft_timeline_page_reveal(WeftTimelinePage *self, guint thread, weft_time_t start,
                               weft_time_t end);

/* Search by name (regions and instants, case-insensitive); returns the
 * number of matches. next/previous select and reveal one. */
guint weft_timeline_page_search(WeftTimelinePage *self, const char *text);
void weft_timeline_page_find_next(WeftTimelinePage *self, gboolean backwards);

/* The W/S/A/D/F/Escape keys; TRUE when handled. The window routes its
 * unhandled key presses here while the page is shown. */
gboolean weft_timeline_page_handle_key(WeftTimelinePage *self, guint keyval, GdkModifierType state);

/* A click at (x, y) in the page's coordinates: selects what is there,
 * zooms into a folded box, or clears the selection. */
void weft_timeline_page_click_at(WeftTimelinePage *self, double x, double y);

/* For tests: the lane of a model thread, and the details pane. */
GtkWidget *weft_timeline_page_get_thread_lane(WeftTimelinePage *self, guint thread);
GtkWidget *weft_timeline_page_get_details(WeftTimelinePage *self);

G_END_DECLS

#endif /* WEFT_TIMELINE_PAGE_H */
