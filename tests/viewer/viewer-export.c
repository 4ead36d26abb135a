/*
 * viewer-export OUTDIR: the viewer's "Export selection" under Xvfb, on
 * the small model with stacks (weft-test-model.c). Writes into OUTDIR
 *   all.pb.gz, all.json              the whole trace (no selection),
 *   sel.pb.gz, sel.json              a time range and thread worker-1,
 *   chooser.json                     the range, as the file chooser exports it,
 * the block profile for the pprof files; viewer-export.py reads them back
 * with `go tool pprof -raw` and check-chrome-json.py. Checks here that
 * the menu opens a save chooser with the profile choice, that an existing
 * file is not overwritten without confirmation and that a
 * failing export says so in the window in one line.
 */
#include <string.h>

#include "weft-export.h"
#include "weft-test-gtk.h"
#include "weft-test-model.h"
#include "weft-window.h"

#define US WEFT_TEST_US
#define T0 WEFT_TEST_T0
#define SEL_FROM (T0 + 2000 * US)
#define SEL_TO (T0 + 4000 * US)
#define SEL_THREAD 1 /* worker-1 */

static const char *outdir;

static char *out(const char *name)
{
	return g_build_filename(outdir, name, NULL);
}

static void export_both(const weft_model_t *m, const weft_export_selection_t *sel, const char *stem)
{
	g_autofree char *pb_name = g_strdup_printf("%s.pb.gz", stem);
	g_autofree char *json_name = g_strdup_printf("%s.json", stem);
	g_autofree char *pb = out(pb_name);
	g_autofree char *json = out(json_name);
	g_autoptr(GError) error = NULL;

	g_assert_true(weft_export_pprof(m, sel, "block", pb, FALSE, &error));
	g_assert_no_error(error);
	g_assert_true(weft_export_chrome(m, sel, json, FALSE, &error));
	g_assert_no_error(error);
	/* Not again without the chooser's confirmation, */
	g_assert_false(weft_export_pprof(m, sel, "block", pb, FALSE, &error));
	g_assert_nonnull(strstr(error->message, "exists"));
	g_clear_error(&error);
	g_assert_false(weft_export_chrome(m, sel, json, FALSE, &error));
	g_clear_error(&error);
	/* but with it. */
	g_assert_true(weft_export_chrome(m, sel, json, TRUE, &error));
	g_assert_no_error(error);
}

static void on_export_done(WeftWindow *window, const char *path, gboolean ok, guint *n)
{
	(*n)++;
}

/* Runs the main loop until n exports ended (or 10 s passed). */
static void wait_for_exports(guint *done, guint n)
{
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	while (*done < n && g_get_monotonic_time() < deadline) {
		g_main_context_iteration(NULL, FALSE);
	}
	g_assert_cmpuint(*done, ==, n);
}

/* The save chooser the menu opens, once it shows (or NULL after 10 s). */
static GtkWidget *wait_for_chooser(void)
{
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	while (g_get_monotonic_time() < deadline) {
		GListModel *tops = gtk_window_get_toplevels();

		for (guint i = 0; i < g_list_model_get_n_items(tops); i++) {
			g_autoptr(GObject) w = g_list_model_get_item(tops, i);

			if (GTK_IS_FILE_CHOOSER_DIALOG(w) &&
			    gtk_widget_get_visible(GTK_WIDGET(w))) {
				return GTK_WIDGET(w);
			}
		}
		g_main_context_iteration(NULL, FALSE);
	}
	return NULL;
}

/* The menu's pprof export asks for a file to save and the profile. */
static void check_chooser(WeftWindow *window)
{
	GtkWidget *chooser;

	g_action_group_activate_action(G_ACTION_GROUP(window), "export-pprof", NULL);
	chooser = wait_for_chooser();
	g_assert_nonnull(chooser);
	g_assert_cmpint(gtk_file_chooser_get_action(GTK_FILE_CHOOSER(chooser)), ==,
	                GTK_FILE_CHOOSER_ACTION_SAVE);
	g_assert_cmpstr(gtk_file_chooser_get_choice(GTK_FILE_CHOOSER(chooser), "profile"), ==,
	                "cpu");
	gtk_dialog_response(GTK_DIALOG(chooser), GTK_RESPONSE_CANCEL);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
}

static void test_export(void)
{
	WeftWindow *window = weft_window_new(NULL);
	WeftSession *session;
	weft_export_selection_t sel;
	guint worker = SEL_THREAD;
	g_autofree char *bad = out("no-such-dir/x.pb.gz");
	g_autofree char *chooser_json = out("chooser.json");
	const char *notice;
	guint done = 0;

	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, weft_test_model_stacks(), "synthetic");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	g_assert_true(g_action_group_has_action(G_ACTION_GROUP(window), "export-pprof"));
	g_assert_true(g_action_group_has_action(G_ACTION_GROUP(window), "export-chrome"));
	session = weft_window_get_session(window);
	check_chooser(window);

	weft_export_selection_init(&sel, session);
	g_assert_false(sel.has_range);
	export_both(weft_window_borrow_model(window), &sel, "all");
	weft_export_selection_clear(&sel);

	weft_session_select_range(session, SEL_FROM, SEL_TO);
	weft_export_selection_init(&sel, session);
	g_assert_true(sel.has_range);
	g_assert_cmpuint(sel.start, ==, SEL_FROM);
	g_array_append_val(sel.threads, worker);
	export_both(weft_window_borrow_model(window), &sel, "sel");

	/* What the chooser does with a path: in the background, a failure in
	 * the error bar, one line. */
	g_signal_connect(window, "export-done", G_CALLBACK(on_export_done), &done);
	weft_window_export(window, WEFT_EXPORT_CHROME, NULL, chooser_json);
	weft_window_export(window, WEFT_EXPORT_PPROF, "block", bad);
	wait_for_exports(&done, 2);
	notice = weft_window_get_notice(window);
	g_assert_nonnull(notice);
	g_assert_nonnull(strstr(notice, "no-such-dir"));
	g_assert_null(strchr(notice, '\n'));
	g_assert_true(g_file_test(chooser_json, G_FILE_TEST_IS_REGULAR));
	weft_export_selection_clear(&sel);
	gtk_window_destroy(GTK_WINDOW(window));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_setenv("GTK_A11Y", "none", TRUE);
	/* The file chooser saves its settings: not into the user's dconf. */
	g_setenv("GSETTINGS_BACKEND", "memory", TRUE);
	if (argc < 2) {
		g_printerr("usage: viewer-export OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	gtk_init();
	g_test_add_func("/viewer/export", test_export);
	return g_test_run();
}
