/*
 * weft-critical-pane.h - "Show Critical Path" for the selection
 * (weft-critical-job.h), its breakdown (one row per thread, state and
 * function: time on the path and share) and a Clear button. The lanes
 * draw the path itself (weft-flow-layer.h). Shown in the details pane.
 */
#ifndef WEFT_CRITICAL_PANE_H
#define WEFT_CRITICAL_PANE_H

#include <gtk/gtk.h>

#include "weft-session.h"

G_BEGIN_DECLS

#define WEFT_TYPE_CRITICAL_PANE (weft_critical_pane_get_type())
G_DECLARE_FINAL_TYPE(WeftCriticalPane, weft_critical_pane, WEFT, CRITICAL_PANE, GtkBox)

GtkWidget *weft_critical_pane_new(void);
/* Follows session (borrowed while set; NULL detaches). */
void weft_critical_pane_set_session(WeftCriticalPane *self, WeftSession *session);
/*
 * Walks the critical path of the session's selection in the background;
 * FALSE (and a hint in the pane) when the selection has no target.
 */
gboolean weft_critical_pane_run(WeftCriticalPane *self);
/* Clears the shown path. */
void weft_critical_pane_clear(WeftCriticalPane *self);
/* The heading, status and rows as shown, one line each ("\t" between cells). */
char *weft_critical_pane_dup_text(WeftCriticalPane *self);

G_END_DECLS

#endif /* WEFT_CRITICAL_PANE_H */
