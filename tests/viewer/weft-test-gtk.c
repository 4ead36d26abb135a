/* Main-loop, widget-tree and pixel helpers for the viewer's tests and benchmark. */
#include "weft-test-gtk.h"

#include "weft-screenshot.h"

static gboolean count_frame(GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
	(*(guint *) data)++;
	return G_SOURCE_CONTINUE;
}

gboolean weft_test_pump_frames(GtkWidget *window, guint n, guint timeout_s)
{
	guint frames = 0;
	guint id = gtk_widget_add_tick_callback(window, count_frame, &frames, NULL);
	gint64 deadline = g_get_monotonic_time() + (gint64) timeout_s * G_USEC_PER_SEC;

	while (frames < n && g_get_monotonic_time() < deadline) {
		gtk_widget_queue_draw(window);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(500);
	}
	gtk_widget_remove_tick_callback(window, id);
	return frames >= n;
}

GtkWidget *weft_test_find_type(GtkWidget *widget, GType type)
{
	if (G_TYPE_CHECK_INSTANCE_TYPE(widget, type)) {
		return widget;
	}
	for (GtkWidget *c = gtk_widget_get_first_child(widget); c;
	     c = gtk_widget_get_next_sibling(c)) {
		GtkWidget *found = weft_test_find_type(c, type);

		if (found) {
			return found;
		}
	}
	return NULL;
}

guint weft_test_count_color(const guchar *data, gsize stride, int w, int h, const GdkRGBA *c)
{
	guint n = 0;
	int r = (int) (c->red * 255 + 0.5), g = (int) (c->green * 255 + 0.5),
	    b = (int) (c->blue * 255 + 0.5);

	for (int y = 0; y < h; y++) {
		const guchar *row = data + (gsize) y * stride;

		for (int x = 0; x < w; x++) {
			const guchar *p = row + x * 4; /* B G R A in memory */

			if (ABS(p[2] - r) <= 6 && ABS(p[1] - g) <= 6 && ABS(p[0] - b) <= 6) {
				n++;
			}
		}
	}
	return n;
}

guchar *weft_test_screenshot(GtkWidget *widget, const char *name, int *w, int *h, gsize *stride)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GdkTexture) texture = weft_screenshot_texture(widget, &error);
	g_autofree char *png = g_build_filename(g_get_tmp_dir(), name, NULL);
	guchar *data;

	g_assert_no_error(error);
	*w = gdk_texture_get_width(texture);
	*h = gdk_texture_get_height(texture);
	*stride = (gsize) *w * 4;
	data = g_malloc(*stride * (gsize) *h);
	gdk_texture_download(texture, data, *stride);
	gdk_texture_save_to_png(texture, png);
	g_test_message("screenshot: %s", png);
	return data;
}
