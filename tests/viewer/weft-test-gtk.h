/* weft-test-gtk.h - main-loop helpers for the viewer's tests and benchmark. */
#ifndef WEFT_TEST_GTK_H
#define WEFT_TEST_GTK_H

#include <gtk/gtk.h>

/*
 * Runs the main loop, redrawing window, until it has drawn n more frames or
 * timeout_s seconds passed. Returns whether the n frames were drawn.
 */
gboolean weft_test_pump_frames(GtkWidget *window, guint n, guint timeout_s);

#endif /* WEFT_TEST_GTK_H */
