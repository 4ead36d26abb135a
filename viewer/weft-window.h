/*
 * weft-window.h - a weft-view window: header bar (open, fit, zoom to
 * selection, search, flow arrows, menu), a GtkStack of pages with a
 * sidebar (shown once there is more than one page), the "Timeline" page
 * first, a progress bar while a trace loads, error dialogs, a warning bar
 * (data loss; a deadlock, with a button to its first stuck wait) and an
 * error bar for failed exports. The menu exports the selection
 * (weft-export.h) and shows the critical path (weft-critical-pane.h).
 *
 * Analysis pages plug in with weft_window_add_page() and read the model
 * through weft_window_get_session(); "session-changed" tells them a new
 * trace is loaded. weft_window_reveal() shows a thread's slice on the
 * timeline, e.g. from a row of an analysis table.
 */
#ifndef WEFT_WINDOW_H
#define WEFT_WINDOW_H

#include <gtk/gtk.h>

#include "weft-export.h"
#include "weft-session.h"
#include "weft-timeline-page.h"

G_BEGIN_DECLS

#define WEFT_TYPE_WINDOW (weft_window_get_type())
G_DECLARE_FINAL_TYPE(WeftWindow, weft_window, WEFT, WINDOW, GtkApplicationWindow)

WeftWindow *weft_window_new(GtkApplication *app);

/* Loads path (CTF trace folder or Chrome JSON file) in the background.
 * Emits "session-changed" when done, or shows an error dialog and emits
 * "load-failed" (with the GError). */
void weft_window_open(WeftWindow *self, const char *path);

/* Adds page to the stack after the existing pages. name is the stack
 * child name (unique, e.g. "locks"), title what the sidebar shows. */
void weft_window_add_page(WeftWindow *self, const char *name, const char *title, GtkWidget *page);

/* Shows the Timeline page zoomed to [start, end] (ns, the model's clock)
 * with thread_index's item there selected and its lane scrolled into
 * view. Does nothing when no trace is loaded or the thread is unknown. */
void weft_window_reveal(WeftWindow *self, guint thread_index, weft_time_t start, weft_time_t end);

/* The loaded trace (borrowed; NULL before one loads). */
WeftSession *weft_window_get_session(WeftWindow *self);
const weft_model_t *weft_window_borrow_model(WeftWindow *self);

/* The warning bar above the pages (a deadlock, data loss), or NULL when none shows. */
const char *weft_window_get_warning(WeftWindow *self);
WeftTimelinePage *weft_window_get_timeline(WeftWindow *self);
/*
 * What the export chooser does once it has a path (confirmed): exports the
 * selection in the background; a failure shows in the error bar. Emits
 * "export-done" (path, ok) when it ends.
 */
void weft_window_export(WeftWindow *self, weft_export_format_t format, const char *profile,
                        const char *path);
/* One line in the window's error bar (an export that failed); NULL hides it. */
void weft_window_show_notice(WeftWindow *self, const char *message);
/* The error bar's text, NULL when hidden. */
const char *weft_window_get_notice(WeftWindow *self);
/* Replaces the shown trace by model (taken), as a finished load does. */
void weft_window_set_model(WeftWindow *self, weft_model_t *model, const char *path);

G_END_DECLS

#endif /* WEFT_WINDOW_H */
