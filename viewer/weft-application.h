/*
 * weft-application.h - the weft-view application: opens each trace given
 * on the command line in a window; --screenshot renders the window to a
 * PNG once the trace is loaded and exits (non-zero when it cannot load).
 */
#ifndef WEFT_APPLICATION_H
#define WEFT_APPLICATION_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WEFT_TYPE_APPLICATION (weft_application_get_type())
G_DECLARE_FINAL_TYPE(WeftApplication, weft_application, WEFT, APPLICATION, GtkApplication)

WeftApplication *weft_application_new(void);
/* Non-zero after a --screenshot run failed. */
int weft_application_get_exit_status(WeftApplication *self);

G_END_DECLS

#endif /* WEFT_APPLICATION_H */
