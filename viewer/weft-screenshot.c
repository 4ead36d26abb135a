/*
 * Offscreen rendering of a widget; see weft-screenshot.h.
 */
#include "weft-screenshot.h"

GdkTexture *weft_screenshot_texture(GtkWidget *widget, GError **error)
{
	int width = gtk_widget_get_width(widget), height = gtk_widget_get_height(widget);
	GtkNative *native = gtk_widget_get_native(widget);
	g_autoptr(GdkPaintable) paintable = NULL;
	GtkSnapshot *snapshot;
	GskRenderNode *node;
	GdkTexture *texture;

	if (!native || !gtk_native_get_renderer(native) || width <= 0 || height <= 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "Failed to render the window: reason=\"it is not realized\"");
		return NULL;
	}
	paintable = gtk_widget_paintable_new(widget);
	snapshot = gtk_snapshot_new();
	gdk_paintable_snapshot(paintable, GDK_SNAPSHOT(snapshot), width, height);
	node = gtk_snapshot_free_to_node(snapshot);
	if (!node) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "Failed to render the window: reason=\"nothing to draw\"");
		return NULL;
	}
	texture = gsk_renderer_render_texture(gtk_native_get_renderer(native), node,
	                                      &GRAPHENE_RECT_INIT(0, 0, width, height));
	gsk_render_node_unref(node);
	return texture;
}

gboolean weft_screenshot_save(GtkWidget *widget, const char *path, GError **error)
{
	g_autoptr(GdkTexture) texture = weft_screenshot_texture(widget, error);

	if (!texture) {
		return FALSE;
	}
	if (!gdk_texture_save_to_png(texture, path)) {
		g_set_error(
		    error, G_IO_ERROR, G_IO_ERROR_FAILED,
		    "Failed to save the screenshot: path=\"%s\", reason=\"cannot write PNG\"",
		    path);
		return FALSE;
	}
	return TRUE;
}
