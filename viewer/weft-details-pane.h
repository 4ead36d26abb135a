/*
 * weft-details-pane.h - what is known about the selected item (name,
 * thread, start, duration, object, call site, args, the call stack of a
 * wait, leaf first, and the stack at the other end of its arrows (who
 * released the lock), the other ends of its arrows as links that jump
 * there) and, for a selected time range, its
 * length and the time each thread spent in each state within it.
 */
#ifndef WEFT_DETAILS_PANE_H
#define WEFT_DETAILS_PANE_H

#include <gtk/gtk.h>

#include "weft-critical-pane.h"
#include "weft-session.h"

G_BEGIN_DECLS

#define WEFT_TYPE_DETAILS_PANE (weft_details_pane_get_type())
G_DECLARE_FINAL_TYPE(WeftDetailsPane, weft_details_pane, WEFT, DETAILS_PANE, GtkWidget)

GtkWidget *weft_details_pane_new(void);
/* Follows session (borrowed while set; NULL detaches). */
void weft_details_pane_set_session(WeftDetailsPane *self, WeftSession *session);
/* The title label's text ("Nothing selected" when empty), for tests. */
const char *weft_details_pane_get_title(WeftDetailsPane *self);
/* A field's text: "kind", "thread", "start", "duration", "object",
 * "callsite" or "args"; NULL for another name. */
const char *weft_details_pane_get_field(WeftDetailsPane *self, const char *field);
/*
 * The stack sections as shown, one line per row: the headings, each frame
 * as weft_frame_dup_text() writes it ("name [inlined] — file.c:42 —
 * module"), "… truncated", "none recorded". Empty when none is shown.
 */
char *weft_details_pane_dup_stack_text(WeftDetailsPane *self);
/* The critical path section (weft-critical-pane.h), borrowed. */
WeftCriticalPane *weft_details_pane_get_critical(WeftDetailsPane *self);
/* The range summary's text. */
const char *weft_details_pane_get_range_text(WeftDetailsPane *self);

/* Per state, the time thread spent in it within [start, end). */
void weft_details_pane_state_times(const weft_thread_t *thread, weft_time_t start, weft_time_t end,
                                   weft_time_t out[WEFT_STATE_COUNT]);

G_END_DECLS

#endif /* WEFT_DETAILS_PANE_H */
