/*
 * The viewer benchmark program; tests/bench/viewer-bench.sh drives it.
 *
 *   viewer-bench open TRACE
 *       loads TRACE as weft-view's loading thread does (weft_loader_load)
 *       and prints "open SECONDS EVENTS RSS_DELTA_BYTES CPU_SECONDS": the
 *       wall time, the events read, how much the resident set grew and
 *       the process's CPU time (user + system).
 *   viewer-bench draw TRACE WIDTHxHEIGHT REPS
 *       (under a display) opens TRACE in a weft-view window of that size
 *       and times whole-window frames rendered offscreen to a texture:
 *       at fit-all and at 1 us per pixel, each after a change of the
 *       visible range (so every lane rebuilds its drawing), plus an
 *       unchanged frame (cached lanes). Prints medians and maxima of the
 *       snapshot (weft's drawing code) and of snapshot + GSK render, in
 *       thread CPU time, and of the whole frame in wall time.
 *       TRACE "synthetic:THREADSxSTATES" draws a model built in code
 *       (weft-test-model.c: 1 us states, a region in each) instead.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "weft-loader.h"
#include "weft-screenshot.h"
#include "weft-test-model.h"
#include "weft-window.h"
#include "weft-test-gtk.h"

static gint64 rss_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f) {
		return 0;
	}
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2) {
		resident = 0;
	}
	fclose(f);
	return (gint64) resident * sysconf(_SC_PAGESIZE);
}

static int cmd_open(const char *trace)
{
	g_autoptr(GError) error = NULL;
	gint64 rss0 = rss_bytes(), t0 = g_get_monotonic_time(), t1;
	weft_model_t *model = weft_loader_load(trace, NULL, &error);
	struct rusage ru;

	t1 = g_get_monotonic_time();
	if (!model) {
		fprintf(stderr, "viewer-bench: %s\n", error->message);
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("open %.3f %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT " %.3f\n", (t1 - t0) / 1e6,
	       model->n_events, rss_bytes() - rss0,
	       ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	weft_model_free(model);
	return 0;
}

static gint cmp_double(gconstpointer a, gconstpointer b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One frame of the window's content: snapshot and snapshot + render, in
 * ms of this thread's CPU time (what other processes on a busy machine
 * take is not counted; nothing here blocks), and snapshot + render in
 * wall time. The content is snapshotted as GTK does for a frame
 * (gtk_widget_snapshot_child from the window), so every lane whose
 * drawing is stale rebuilds it here. The cairo renderer draws on this
 * thread too. */
static void frame(GtkWidget *window, double *snap_ms, double *total_ms, double *wall_ms)
{
	GtkWidget *content = gtk_window_get_child(GTK_WINDOW(window));
	GtkSnapshot *snapshot = gtk_snapshot_new();
	int w = gtk_widget_get_width(window), h = gtk_widget_get_height(window);
	gint64 w0 = g_get_monotonic_time();
	double c0 = cpu_ms(), c1;
	GskRenderNode *node;
	GdkTexture *texture;

	gtk_widget_snapshot_child(window, content, snapshot);
	node = gtk_snapshot_free_to_node(snapshot);
	c1 = cpu_ms();
	texture = gsk_renderer_render_texture(gtk_native_get_renderer(GTK_NATIVE(window)), node,
	                                      &GRAPHENE_RECT_INIT(0, 0, w, h));
	*snap_ms = c1 - c0;
	*total_ms = cpu_ms() - c0;
	*wall_ms = (g_get_monotonic_time() - w0) / 1e3;
	g_object_unref(texture);
	gsk_render_node_unref(node);
}

typedef void (*move_func_t)(WeftTimeWindow *tw, int rep);

static void move_fit(WeftTimeWindow *tw, int rep)
{
	/* Alternate fit-all with a range 1 ns shorter: every lane redraws
	 * at (practically) fit-all each time. */
	if (rep % 2) {
		weft_time_window_set_range(tw, weft_time_window_get_bounds_start(tw),
		                           weft_time_window_get_bounds_end(tw) - 1);
	} else {
		weft_time_window_fit_all(tw);
	}
}

static void move_1us(WeftTimeWindow *tw, int rep)
{
	weft_time_t b0 = weft_time_window_get_bounds_start(tw);
	weft_time_t span = (weft_time_t) weft_time_window_get_width(tw) * 1000;
	weft_time_t room = weft_time_window_get_bounds_end(tw) - b0 - span;
	/* Spread over the trace: different data each frame. */
	weft_time_t start = b0 + (room > 0 ? room / 23 * (rep % 23) : 0);

	weft_time_window_set_range(tw, start, start + span);
}

static void move_none(WeftTimeWindow *tw, int rep)
{
}

static double median(GArray *a)
{
	g_array_sort(a, cmp_double);
	return g_array_index(a, double, a->len / 2);
}

static double maximum(GArray *a)
{
	g_array_sort(a, cmp_double);
	return g_array_index(a, double, a->len - 1);
}

static void measure(GtkWidget *window, WeftTimeWindow *tw, const char *what, move_func_t move,
                    int reps)
{
	g_autoptr(GArray) snaps = g_array_new(FALSE, FALSE, sizeof(double));
	g_autoptr(GArray) totals = g_array_new(FALSE, FALSE, sizeof(double));
	g_autoptr(GArray) walls = g_array_new(FALSE, FALSE, sizeof(double));
	double s, t, w;

	for (int i = 0; i < reps; i++) {
		move(tw, i);
		frame(window, &s, &t, &w);
		g_array_append_val(snaps, s);
		g_array_append_val(totals, t);
		g_array_append_val(walls, w);
	}
	printf("%-24s CPU ms: snapshot %6.2f (max %6.2f), snapshot+render %6.2f (max %6.2f); "
	       "wall ms: %6.2f (max %6.2f)\n",
	       what, median(snaps), maximum(snaps), median(totals), maximum(totals), median(walls),
	       maximum(walls));
}

static int cmd_draw(const char *trace, const char *size, int reps)
{
	g_autoptr(GError) error = NULL;
	int w = 1920, h = 1080;
	gint64 t0 = g_get_monotonic_time(), t1, t2;
	weft_model_t *model;
	WeftWindow *window;
	WeftTimeWindow *tw;

	if (g_str_has_prefix(trace, "synthetic:")) {
		guint threads = 4, states = 1000000;

		sscanf(trace, "synthetic:%ux%u", &threads, &states);
		model = weft_test_model_dense(threads, states, 1000);
	} else {
		model = weft_loader_load(trace, NULL, &error);
	}
	if (!model) {
		fprintf(stderr, "viewer-bench: %s\n", error->message);
		return 1;
	}
	t1 = g_get_monotonic_time();
	if (sscanf(size, "%dx%d", &w, &h) != 2) {
		fprintf(stderr, "viewer-bench: bad size %s\n", size);
		return 2;
	}
	window = weft_window_new(NULL);
	gtk_window_set_default_size(GTK_WINDOW(window), w, h);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, model, trace);
	weft_test_pump_frames(GTK_WIDGET(window), 1, 30);
	t2 = g_get_monotonic_time();
	printf("load %.3f s, window and first frame %.3f s, %" G_GUINT64_FORMAT " events, "
	       "%u threads, %dx%d\n",
	       (t1 - t0) / 1e6, (t2 - t1) / 1e6, model->n_events, model->threads->len, w, h);
	weft_test_pump_frames(GTK_WIDGET(window), 3, 30);
	tw = weft_session_borrow_time_window(weft_window_get_session(window));
	measure(GTK_WIDGET(window), tw, "fit-all (lanes rebuilt)", move_fit, reps);
	measure(GTK_WIDGET(window), tw, "1 us/px (lanes rebuilt)", move_1us, reps);
	measure(GTK_WIDGET(window), tw, "1 us/px (cached lanes)", move_none, reps);
	gtk_window_destroy(GTK_WINDOW(window));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "open")) {
		return cmd_open(argv[2]);
	}
	if (argc == 5 && !strcmp(argv[1], "draw")) {
		g_setenv("GTK_A11Y", "none", TRUE);
		gtk_init();
		return cmd_draw(argv[2], argv[3], atoi(argv[4]));
	}
	fprintf(stderr, "usage: viewer-bench open TRACE | draw TRACE WxH REPS\n");
	return 2;
}
