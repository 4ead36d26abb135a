/*
 * viewer-check: assertions the viewer shell tests need.
 *
 *   viewer-check png FILE
 *       FILE is a weft-view screenshot that is not blank: the running
 *       color covers part of it and no single color covers 97% of it.
 *   viewer-check compare TRACE JSON PID
 *       the model read from JSON (written by `weft convert` from TRACE)
 *       matches the one read from TRACE for process PID: same threads and
 *       names, the same regions, the same time per state, tasks, flows.
 *   viewer-check recorded TRACE PID NAME...
 *       opens TRACE (recorded in the test run) in a window: every thread
 *       of process PID has a lane whose label starts with its name, each
 *       NAME is among them, and the rendering is not blank.
 *
 * Exits 0 when every assertion holds, 1 with a message otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "weft-details-pane.h"
#include "weft-loader.h"
#include "weft-palette.h"
#include "weft-screenshot.h"
#include "weft-test-gtk.h"
#include "weft-thread-lane.h"
#include "weft-window.h"

static int failf(const char *what, const char *detail)
{
	fprintf(stderr, "viewer-check: %s: %s\n", what, detail);
	return 1;
}

/* Pixel statistics of a texture; 0 when it is not blank. */
static int check_texture(GdkTexture *texture, const char *what)
{
	int w = gdk_texture_get_width(texture), h = gdk_texture_get_height(texture);
	gsize stride = (gsize) w * 4;
	g_autofree guint32 *data = g_malloc(stride * (gsize) h);
	g_autoptr(GHashTable) counts = g_hash_table_new(NULL, NULL);
	const GdkRGBA *run = weft_palette_state(WEFT_STATE_RUNNING);
	guint32 want = 0xff000000u | (guint32) (run->red * 255 + 0.5) << 16 |
	               (guint32) (run->green * 255 + 0.5) << 8 | (guint32) (run->blue * 255 + 0.5);
	guint running = 0, top = 0;

	gdk_texture_download(texture, (guchar *) data, stride);
	for (gsize i = 0; i < (gsize) w * (gsize) h; i++) {
		guint n =
		    GPOINTER_TO_UINT(g_hash_table_lookup(counts, GUINT_TO_POINTER(data[i]))) + 1;

		g_hash_table_insert(counts, GUINT_TO_POINTER(data[i]), GUINT_TO_POINTER(n));
		top = MAX(top, n);
		running += data[i] == want;
	}
	printf("%s: %dx%d, %u colors, running %u px, most common %.1f%%\n", what, w, h,
	       g_hash_table_size(counts), running, 100.0 * top / ((double) w * h));
	if (running < 500) {
		return failf(what, "the running color is (almost) absent: no state track drawn");
	}
	if (top > 0.97 * w * h || g_hash_table_size(counts) < 16) {
		return failf(what, "the picture is blank");
	}
	return 0;
}

/* A picture that is not blank, and exactly SIZE ("WxH") when given. */
static int check_png(const char *path, const char *size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename(path, &error);
	int w = 0, h = 0;

	if (!texture) {
		return failf(path, error->message);
	}
	if (size) {
		g_autofree char *got = NULL;

		if (sscanf(size, "%dx%d", &w, &h) != 2) {
			return failf(path, "bad expected size");
		}
		got = g_strdup_printf("the picture is %dx%d, expected %s",
		                      gdk_texture_get_width(texture),
		                      gdk_texture_get_height(texture), size);
		if (gdk_texture_get_width(texture) != w || gdk_texture_get_height(texture) != h) {
			return failf(path, got);
		}
	}
	return check_texture(texture, path);
}

static int check_lanes(WeftWindow *window, gint64 pid, char **names)
{
	const weft_model_t *m = weft_window_borrow_model(window);
	WeftTimelinePage *page = weft_window_get_timeline(window);
	guint found_names = 0, n_threads = 0;

	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);
		const char *name = weft_model_borrow_string(m, t->name);
		GtkWidget *lane = weft_timeline_page_get_thread_lane(page, i);
		GtkWidget *label = lane ? gtk_widget_get_prev_sibling(lane) : NULL;

		if (!t->process || t->process->pid != pid) {
			continue; /* another program recorded at the same time */
		}
		n_threads++;
		if (!WEFT_IS_THREAD_LANE(lane) || !gtk_widget_get_mapped(lane) ||
		    !GTK_IS_LABEL(label)) {
			return failf(name, "thread has no visible lane with a label");
		}
		if (!g_str_has_prefix(gtk_label_get_text(GTK_LABEL(label)), name)) {
			return failf(gtk_label_get_text(GTK_LABEL(label)),
			             "label does not show the name");
		}
		printf("lane: %s\n", gtk_label_get_text(GTK_LABEL(label)));
		for (char **n = names; *n; n++) {
			found_names += !strcmp(*n, name);
		}
	}
	if (n_threads == 0 || found_names != g_strv_length(names)) {
		return failf("recorded", "not every expected thread name has a lane");
	}
	return 0;
}

static int check_recorded(const char *trace, gint64 pid, char **names)
{
	g_autoptr(GError) error = NULL;
	weft_model_t *model = weft_loader_load(trace, NULL, &error);
	WeftWindow *window;
	g_autoptr(GdkTexture) texture = NULL;
	int status;

	if (!model) {
		return failf(trace, error->message);
	}
	window = weft_window_new(NULL);
	gtk_window_set_default_size(GTK_WINDOW(window), 1200, 700);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, model, trace);
	weft_test_pump_frames(GTK_WIDGET(window), 4, 10);
	status = check_lanes(window, pid, names);
	if (status == 0) {
		texture = weft_screenshot_texture(GTK_WIDGET(window), &error);
		status = texture ? check_texture(texture, trace) : failf(trace, error->message);
	}
	gtk_window_destroy(GTK_WINDOW(window));
	return status;
}

static const weft_thread_t *thread_by_tid(const weft_model_t *m, gint64 pid, gint64 tid)
{
	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);

		if (t->tid == tid && t->process && t->process->pid == pid) {
			return t;
		}
	}
	return NULL;
}

static gint cmp_lines(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Regions as "start end name" lines, sorted. */
static GPtrArray *region_lines(const weft_model_t *m, const weft_thread_t *t)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < t->slices.start->len; i++) {
		g_ptr_array_add(
		    lines, g_strdup_printf("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s",
		                           g_array_index(t->slices.start, weft_time_t, i),
		                           g_array_index(t->slices.end, weft_time_t, i),
		                           weft_model_borrow_string(
		                               m, g_array_index(t->slices.name, weft_str_t, i))));
	}
	g_ptr_array_sort(lines, cmp_lines);
	return lines;
}

static int compare_thread(const weft_model_t *a, const weft_thread_t *ta, const weft_model_t *b,
                          const weft_thread_t *tb)
{
	g_autoptr(GPtrArray) ra = region_lines(a, ta);
	g_autoptr(GPtrArray) rb = region_lines(b, tb);
	weft_time_t sa[WEFT_STATE_COUNT], sb[WEFT_STATE_COUNT];

	if (strcmp(weft_model_borrow_string(a, ta->name), weft_model_borrow_string(b, tb->name))) {
		return failf(weft_model_borrow_string(b, tb->name), "thread name differs");
	}
	if (ra->len != rb->len) {
		return failf(weft_model_borrow_string(b, tb->name), "region count differs");
	}
	for (guint i = 0; i < ra->len; i++) {
		if (strcmp(g_ptr_array_index(ra, i), g_ptr_array_index(rb, i))) {
			return failf(g_ptr_array_index(rb, i), "region differs");
		}
	}
	weft_details_pane_state_times(ta, a->start, a->end + 1, sa);
	weft_details_pane_state_times(tb, a->start, a->end + 1, sb);
	for (int k = 1; k < WEFT_STATE_COUNT; k++) {
		if (sa[k] != sb[k]) {
			return failf(weft_state_name((weft_state_t) k), "time in state differs");
		}
	}
	printf("thread %s: %u regions, %u waits: same\n", weft_model_borrow_string(b, tb->name),
	       ra->len, ta->states.start->len);
	return 0;
}

static int check_compare(const char *trace, const char *json, gint64 pid)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(weft_model_t) a = weft_loader_load(trace, NULL, &error);
	g_autoptr(weft_model_t) b = a ? weft_loader_load(json, NULL, &error) : NULL;
	guint n = 0;

	if (!a || !b) {
		return failf(a ? json : trace, error->message);
	}
	for (guint i = 0; i < a->threads->len; i++) {
		const weft_thread_t *ta = g_ptr_array_index(a->threads, i);
		const weft_thread_t *tb;

		if (!ta->process || ta->process->pid != pid) {
			continue;
		}
		if (!(tb = thread_by_tid(b, pid, ta->tid))) {
			return failf(weft_model_borrow_string(a, ta->name),
			             "thread missing from JSON");
		}
		if (compare_thread(a, ta, b, tb)) {
			return 1;
		}
		n++;
	}
	printf("tasks %u/%u, flows %u/%u\n", a->tasks->len, b->tasks->len, a->flows->len,
	       b->flows->len);
	if (n == 0 || a->tasks->len != b->tasks->len || a->flows->len != b->flows->len) {
		return failf(json, "threads, tasks or flows differ");
	}
	for (guint i = 0; i < a->tasks->len; i++) {
		const weft_task_t *x = &g_array_index(a->tasks, weft_task_t, i);
		const weft_task_t *y = &g_array_index(b->tasks, weft_task_t, i);

		if (x->start != y->start || x->end != y->end || x->id != y->id) {
			return failf(json, "a task differs");
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	g_setenv("GTK_A11Y", "none", TRUE);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "png")) {
		return check_png(argv[2], argc == 4 ? argv[3] : NULL);
	}
	if (argc == 5 && !strcmp(argv[1], "compare")) {
		return check_compare(argv[2], argv[3], g_ascii_strtoll(argv[4], NULL, 10));
	}
	if (argc >= 5 && !strcmp(argv[1], "recorded")) {
		gtk_init();
		return check_recorded(argv[2], g_ascii_strtoll(argv[3], NULL, 10), argv + 4);
	}
	fprintf(stderr, "usage: viewer-check png FILE [WxH] | recorded TRACE PID NAME...\n");
	return 2;
}
