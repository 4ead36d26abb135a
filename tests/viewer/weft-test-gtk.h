/* weft-test-gtk.h - main-loop, widget-tree and pixel helpers for the viewer's tests and benchmark.
 */
#ifndef WEFT_TEST_GTK_H
#define WEFT_TEST_GTK_H

#include <gtk/gtk.h>

/*
 * Runs the main loop, redrawing window, until it has drawn n more frames or
 * timeout_s seconds passed. Returns whether the n frames were drawn.
 */
gboolean weft_test_pump_frames(GtkWidget *window, guint n, guint timeout_s);

/* The first widget of type in the tree under widget (itself included), or NULL. */
GtkWidget *weft_test_find_type(GtkWidget *widget, GType type);

/* Pixels of data (B G R A bytes, w x h, stride bytes a row) within 6/255 of c. */
guint weft_test_count_color(const guchar *data, gsize stride, int w, int h, const GdkRGBA *c);

/*
 * Renders widget (weft-screenshot.h), saves it as NAME in the temporary
 * directory (its path in the test log) and returns its pixels (B G R A,
 * g_free), with their size and stride.
 */
guchar *weft_test_screenshot(GtkWidget *widget, const char *name, int *w, int *h, gsize *stride);

#endif /* WEFT_TEST_GTK_H */
