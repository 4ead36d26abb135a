/*
 * weft-highlight-bar.h - a line under the lanes that says what the stack
 * highlight outlines ("Outlined: 30 waits through take_lock") with a
 * button that clears it; hidden while there is no highlight.
 */
#ifndef WEFT_HIGHLIGHT_BAR_H
#define WEFT_HIGHLIGHT_BAR_H

#include <gtk/gtk.h>

#include "weft-session.h"

G_BEGIN_DECLS

#define WEFT_TYPE_HIGHLIGHT_BAR (weft_highlight_bar_get_type())
G_DECLARE_FINAL_TYPE(WeftHighlightBar, weft_highlight_bar, WEFT, HIGHLIGHT_BAR, GtkBox)

GtkWidget *weft_highlight_bar_new(void);
/* Follows session (borrowed while set; NULL detaches). */
void weft_highlight_bar_set_session(WeftHighlightBar *self, WeftSession *session);
/* The text shown, "" when hidden. */
const char *weft_highlight_bar_get_text(WeftHighlightBar *self);

G_END_DECLS

#endif /* WEFT_HIGHLIGHT_BAR_H */
