/*
 * weft-screenshot.h - renders a realized widget offscreen to a texture
 * (the same path GTK takes to draw it), optionally saved as PNG.
 */
#ifndef WEFT_SCREENSHOT_H
#define WEFT_SCREENSHOT_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A new texture of widget as drawn now, or NULL with error set. */
GdkTexture *weft_screenshot_texture(GtkWidget *widget, GError **error);
gboolean weft_screenshot_save(GtkWidget *widget, const char *path, GError **error);

G_END_DECLS

#endif /* WEFT_SCREENSHOT_H */
