/*
 * The deadlock warning under Xvfb: on weft_test_model_deadlock() (two
 * threads stuck in unfinished mutex waits for each other) the window's
 * warning bar says so in one line and its button selects the first stuck
 * wait; on a model without a cycle (weft_test_model_chain()) there is no
 * such line and the button's action is disabled.
 */
#include <string.h>

#include "weft-screenshot.h"
#include "weft-test-gtk.h"
#include "weft-test-model.h"
#include "weft-window.h"

static WeftWindow *open_model(weft_model_t *model)
{
	WeftWindow *window = weft_window_new(NULL);

	gtk_window_set_default_size(GTK_WINDOW(window), 1000, 500);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, model, "synthetic");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	return window;
}

static void test_deadlock(void)
{
	WeftWindow *window = open_model(weft_test_model_deadlock());
	WeftSession *session = weft_window_get_session(window);
	const weft_model_t *m = weft_window_borrow_model(window);
	const char *warning = weft_window_get_warning(window);
	const weft_item_t *sel;
	const weft_thread_t *t;
	g_auto(GStrv) lines = NULL;
	g_autofree char *png = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(warning);
	lines = g_strsplit(warning, "\n", -1);
	g_assert_nonnull(strstr(lines[0], "Deadlock: 2 threads of stuck (pid 300)"));
	g_assert_true(g_action_group_get_action_enabled(G_ACTION_GROUP(window), "show-deadlock"));
	g_assert_cmpint(weft_session_get_selection(session)->kind, ==, WEFT_ITEM_NONE);

	g_action_group_activate_action(G_ACTION_GROUP(window), "show-deadlock", NULL);
	sel = weft_session_get_selection(session);
	g_assert_cmpint(sel->kind, ==, WEFT_ITEM_STATE);
	t = g_ptr_array_index(m->threads, sel->thread);
	/* The cycle starts at its lowest tid; the wait is that thread's last state. */
	g_assert_cmpint(t->tid, ==, 301);
	g_assert_cmpuint(sel->index, ==, t->states.start->len - 1);
	g_assert_true(g_array_index(t->states.flags, guint8, sel->index) & WEFT_FLAG_UNFINISHED);
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	png = g_build_filename(g_get_tmp_dir(), "weft-viewer-deadlock.png", NULL);
	g_assert_true(weft_screenshot_save(GTK_WIDGET(window), png, &error));
	g_test_message("screenshot: %s", png);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void test_no_deadlock(void)
{
	WeftWindow *window = open_model(weft_test_model_chain());
	const char *warning = weft_window_get_warning(window);

	g_assert_true(warning == NULL || !strstr(warning, "Deadlock"));
	g_assert_false(g_action_group_get_action_enabled(G_ACTION_GROUP(window), "show-deadlock"));
	gtk_window_destroy(GTK_WINDOW(window));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_setenv("GTK_A11Y", "none", TRUE);
	gtk_init();
	g_test_add_func("/viewer/deadlock/warning", test_deadlock);
	g_test_add_func("/viewer/deadlock/none", test_no_deadlock);
	return g_test_run();
}
