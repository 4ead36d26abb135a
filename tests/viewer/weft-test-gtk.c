/* Main-loop helpers for the viewer's tests and benchmark. */
#include "weft-test-gtk.h"

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
