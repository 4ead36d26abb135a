/*
 * The critical path in the viewer under Xvfb, on the planted chain of
 * weft_test_model_chain(): "Show Critical Path" on the request region
 * (through the window's action), the session holding exactly the path
 * the library walks, the flow layer outlining every segment, the
 * breakdown naming each thread, Clear, and a thread range as target.
 * Saves a screenshot (its path in the test log).
 */
#include <string.h>

#include "weft-critical-path.h"
#include "weft-details-pane.h"
#include "weft-flow-layer.h"
#include "weft-palette.h"
#include "weft-test-gtk.h"
#include "weft-test-model.h"
#include "weft-window.h"

#define US WEFT_TEST_US
#define T0 WEFT_TEST_T0

static WeftWindow *open_chain(void)
{
	WeftWindow *window = weft_window_new(NULL);

	gtk_window_set_default_size(GTK_WINDOW(window), 1400, 600);
	gtk_window_present(GTK_WINDOW(window));
	weft_window_set_model(window, weft_test_model_chain(), "chain");
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 4, 10));
	return window;
}

/* Runs the main loop until the session shows a path (or 10 s passed). */
static const GArray *wait_for_path(WeftSession *session)
{
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	while (!weft_session_borrow_critical_path(session, NULL) &&
	       g_get_monotonic_time() < deadline) {
		g_main_context_iteration(NULL, FALSE);
	}
	return weft_session_borrow_critical_path(session, NULL);
}

static GArray *library_path(const weft_model_t *m, guint thread, weft_time_t s, weft_time_t e)
{
	g_autoptr(weft_critical_index_t) index = weft_critical_index_new(m);
	GArray *out = g_array_new(FALSE, TRUE, sizeof(weft_critical_segment_t));

	weft_critical_path(index, thread, s, e, out);
	return out;
}

static void assert_same_path(const GArray *shown, const GArray *expected)
{
	g_assert_cmpuint(shown->len, ==, expected->len);
	for (guint i = 0; i < shown->len; i++) {
		const weft_critical_segment_t *a =
		    &g_array_index(shown, weft_critical_segment_t, i);
		const weft_critical_segment_t *b =
		    &g_array_index(expected, weft_critical_segment_t, i);

		g_assert_cmpuint(a->thread, ==, b->thread);
		g_assert_cmpuint(a->state, ==, b->state);
		g_assert_cmpuint(a->kind, ==, b->kind);
		g_assert_cmpint(a->start, ==, b->start);
		g_assert_cmpint(a->duration, ==, b->duration);
	}
}

/* The planted chain: every thread on the path, the signaller's sleep too. */
static void assert_chain(const GArray *path)
{
	gboolean on[3] = {FALSE, FALSE, FALSE}, sleep = FALSE;

	for (guint i = 0; i < path->len; i++) {
		const weft_critical_segment_t *s = &g_array_index(path, weft_critical_segment_t, i);

		g_assert_cmpuint(s->thread, <, 3);
		on[s->thread] = TRUE;
		sleep |= s->thread == 2 && s->state == WEFT_STATE_SLEEP;
	}
	g_assert_true(on[0] && on[1] && on[2]);
	g_assert_true(sleep);
}

static void assert_all_outlined(WeftWindow *window, const GArray *path)
{
	WeftFlowLayer *layer =
	    WEFT_FLOW_LAYER(weft_test_find_type(GTK_WIDGET(window), WEFT_TYPE_FLOW_LAYER));
	const GArray *drawn;

	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	drawn = weft_flow_layer_get_critical_drawn(layer);
	g_assert_cmpuint(drawn->len, ==, path->len);
	for (guint i = 0; i < drawn->len; i++) {
		g_assert_cmpuint(g_array_index(drawn, guint, i), ==, i);
	}
}

static void save_screenshot(WeftWindow *window)
{
	int w, h;
	gsize stride;
	g_autofree guchar *data =
	    weft_test_screenshot(GTK_WIDGET(window), "weft-viewer-critical.png", &w, &h, &stride);

	/* The outlines and arrows are drawn in their own colour. */
	g_assert_cmpuint(weft_test_count_color(data, stride, w, h, weft_palette_critical()), >,
	                 500);
}

static void test_region(void)
{
	WeftWindow *window = open_chain();
	WeftSession *session = weft_window_get_session(window);
	const weft_model_t *m = weft_window_borrow_model(window);
	weft_item_t item = {.kind = WEFT_ITEM_SLICE, .thread = 0, .index = 0};
	WeftCriticalPane *pane = weft_details_pane_get_critical(
	    WEFT_DETAILS_PANE(weft_timeline_page_get_details(weft_window_get_timeline(window))));
	g_autoptr(GArray) expected = NULL;
	g_autofree char *text = NULL;
	const GArray *path;

	g_assert_true(weft_session_resolve_item(session, &item));
	weft_session_select(session, &item);
	g_action_group_activate_action(G_ACTION_GROUP(window), "critical-path", NULL);
	path = wait_for_path(session);
	g_assert_nonnull(path);
	expected = library_path(m, 0, item.start, item.end);
	assert_same_path(path, expected);
	assert_chain(path);
	assert_all_outlined(window, path);
	text = weft_critical_pane_dup_text(pane);
	g_test_message("%s", text);
	g_assert_nonnull(strstr(text, "region request on server"));
	g_assert_nonnull(strstr(text, "signaller (203)\tsleep"));
	g_assert_nonnull(strstr(text, "locker (202)"));
	save_screenshot(window);

	g_action_group_activate_action(G_ACTION_GROUP(window), "clear-critical-path", NULL);
	g_assert_null(weft_session_borrow_critical_path(session, NULL));
	g_assert_true(weft_test_pump_frames(GTK_WIDGET(window), 2, 10));
	g_assert_cmpuint(
	    weft_flow_layer_get_critical_drawn(
	        WEFT_FLOW_LAYER(weft_test_find_type(GTK_WIDGET(window), WEFT_TYPE_FLOW_LAYER)))
	        ->len,
	    ==, 0);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void test_range_and_none(void)
{
	WeftWindow *window = open_chain();
	WeftSession *session = weft_window_get_session(window);
	WeftCriticalPane *pane = weft_details_pane_get_critical(
	    WEFT_DETAILS_PANE(weft_timeline_page_get_details(weft_window_get_timeline(window))));
	weft_item_t item = {0};
	g_autoptr(GArray) expected = NULL;
	g_autofree char *text = NULL;

	/* Nothing selected: no target, a hint. */
	g_assert_false(weft_critical_pane_run(pane));
	text = weft_critical_pane_dup_text(pane);
	g_assert_nonnull(strstr(text, "Select"));
	/* A range with the locker's state selected: the locker's range. */
	g_assert_true(weft_session_item_at(session, 1, T0 + 750 * US, &item));
	weft_session_select(session, &item);
	weft_session_select_range(session, T0 + 100 * US, T0 + 760 * US);
	g_assert_true(weft_critical_pane_run(pane));
	expected = library_path(weft_window_borrow_model(window), 1, T0 + 100 * US, T0 + 760 * US);
	assert_same_path(wait_for_path(session), expected);
	assert_all_outlined(window, expected);
	gtk_window_destroy(GTK_WINDOW(window));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_setenv("GTK_A11Y", "none", TRUE);
	gtk_init();
	g_test_add_func("/viewer/critical/region", test_region);
	g_test_add_func("/viewer/critical/range-and-none", test_range_and_none);
	return g_test_run();
}
