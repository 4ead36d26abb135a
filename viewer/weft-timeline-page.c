/*
 * The Timeline page; see weft-timeline-page.h. Rows are built once per
 * session: a GtkExpander per process holding one row per thread and per
 * counter, then CPUs and tasks. Lanes draw from cached render nodes, so
 * rows outside the viewport cost nothing until the window changes.
 */
#include "weft-timeline-page.h"

#include "weft-counter-lane.h"
#include "weft-cpu-lane.h"
#include "weft-details-pane.h"
#include "weft-flow-layer.h"
#include "weft-highlight-bar.h"
#include "weft-palette.h"
#include "weft-ruler.h"
#include "weft-task-lane.h"
#include "weft-thread-lane.h"

#include <string.h>

#define DRAG_THRESHOLD 4.0
#define WHEEL_ZOOM 1.15
#define BOX_ZOOM_PX 40.0

struct _WeftTimelinePage {
	GtkWidget parent_instance;
	WeftSession *session; /* owned, may be NULL */
	GtkWidget *stack;     /* "empty" | "timeline" */
	GtkWidget *search_bar;
	GtkWidget *search_entry;
	GtkWidget *match_label;
	GtkWidget *ruler_row;
	GtkWidget *ruler; /* owned by ruler_row */
	GtkWidget *overlay;
	GtkWidget *scroller;
	GtkWidget *rows;
	GtkWidget *flow_layer;
	GtkWidget *legend;
	GtkWidget *highlight_bar; /* what the stack highlight outlines */
	GtkWidget *paned;         /* lanes | details */
	GtkWidget *details;
	GPtrArray *thread_lanes; /* WeftThreadLane* by thread index, borrowed from rows */
	GPtrArray *expanders;    /* GtkExpander* by process index, borrowed */
	GPtrArray *match_sets;   /* GArray of weft_item_t per thread, owned */
	GArray *matches;         /* weft_item_t, by start, owned */
	guint current_match;
	double pointer_x; /* in the lanes' coordinates, -1 when outside */
	weft_time_t drag_start, drag_end;
	double drag_vadj;
	gboolean dragging;
};

G_DEFINE_FINAL_TYPE(WeftTimelinePage, weft_timeline_page, GTK_TYPE_WIDGET)

#define DETAILS_WIDE 900
#define DETAILS_SHARE 22
#define DETAILS_MIN_WIDTH 220
#define DETAILS_MAX_WIDTH 360

enum { PROP_0, PROP_SHOW_ALL_FLOWS, N_PROPS };

static GParamSpec *properties[N_PROPS];

static WeftTimeWindow *time_window(WeftTimelinePage *self)
{
	return weft_session_borrow_time_window(self->session);
}

static double anchor(WeftTimelinePage *self)
{
	int width = weft_time_window_get_width(time_window(self));

	if (self->pointer_x < 0 || self->pointer_x > width) {
		return 0.5;
	}
	return self->pointer_x / width;
}

/* Overlay coordinates to the lanes' (the ruler's) x. */
static double lanes_x(WeftTimelinePage *self, double x, double y)
{
	graphene_point_t p;

	if (!self->ruler ||
	    !gtk_widget_compute_point(self->overlay, self->ruler, &GRAPHENE_POINT_INIT(x, y), &p)) {
		return -1;
	}
	return p.x;
}

/* Legend */

static void draw_chip(GtkDrawingArea *area, cairo_t *cr, int w, int h, gpointer data)
{
	weft_state_t state = GPOINTER_TO_UINT(data);

	gdk_cairo_set_source_rgba(cr, weft_palette_state(state));
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_fill(cr);
	if (state == WEFT_STATE_DATA_LOST) {
		cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
		cairo_set_line_width(cr, 2);
		for (int x = -h; x < w; x += 5) {
			cairo_move_to(cr, x, h);
			cairo_line_to(cr, x + h, 0);
		}
		cairo_stroke(cr);
	}
}

static void build_legend(WeftTimelinePage *self)
{
	for (int s = 0; s < WEFT_STATE_COUNT; s++) {
		GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 4);
		GtkWidget *chip = gtk_drawing_area_new();
		GtkWidget *label = gtk_label_new(weft_state_name((weft_state_t) s));

		gtk_drawing_area_set_content_width(GTK_DRAWING_AREA(chip), 14);
		gtk_drawing_area_set_content_height(GTK_DRAWING_AREA(chip), 14);
		gtk_widget_set_valign(chip, GTK_ALIGN_CENTER);
		gtk_drawing_area_set_draw_func(GTK_DRAWING_AREA(chip), draw_chip,
		                               GUINT_TO_POINTER(s), NULL);
		gtk_widget_add_css_class(label, "caption");
		gtk_box_append(GTK_BOX(box), chip);
		gtk_box_append(GTK_BOX(box), label);
		gtk_flow_box_append(GTK_FLOW_BOX(self->legend), box);
	}
}

/* Rows */

static GtkWidget *make_row(const char *text, const char *tooltip, GtkWidget *lane)
{
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 0);
	GtkWidget *label = gtk_label_new(text);

	gtk_widget_set_size_request(label, WEFT_TIMELINE_LABEL_WIDTH, -1);
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_ellipsize(GTK_LABEL(label), PANGO_ELLIPSIZE_END);
	gtk_widget_set_valign(label, GTK_ALIGN_START);
	gtk_widget_set_margin_start(label, 8);
	gtk_widget_set_tooltip_text(label, tooltip);
	gtk_widget_add_css_class(label, "weft-lane-label");
	gtk_widget_add_css_class(row, "weft-row");
	gtk_box_append(GTK_BOX(row), label);
	gtk_box_append(GTK_BOX(row), lane);
	return row;
}

static GtkWidget *make_group(const char *title, GtkWidget **body)
{
	GtkWidget *expander = gtk_expander_new(title);

	*body = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	gtk_expander_set_child(GTK_EXPANDER(expander), *body);
	gtk_expander_set_expanded(GTK_EXPANDER(expander), TRUE);
	gtk_widget_add_css_class(expander, "weft-group");
	return expander;
}

static void add_thread_row(WeftTimelinePage *self, GtkWidget *body, const weft_model_t *m,
                           const weft_thread_t *t)
{
	const char *name = weft_model_borrow_string(m, t->name);
	g_autofree char *text =
	    g_strdup_printf("%s %" G_GINT64_FORMAT, *name ? name : "thread", t->tid);
	g_autofree char *tip =
	    g_strdup_printf("%s, tid %" G_GINT64_FORMAT, *name ? name : "thread", t->tid);
	GtkWidget *lane = weft_thread_lane_new(self->session, t->index);

	gtk_widget_add_css_class(lane, "thread");
	g_ptr_array_index(self->thread_lanes, t->index) = lane;
	gtk_box_append(GTK_BOX(body), make_row(text, tip, lane));
}

static void add_process(WeftTimelinePage *self, const weft_model_t *m, const weft_process_t *p)
{
	const char *name = weft_model_borrow_string(m, p->name);
	g_autofree char *title = NULL;
	GtkWidget *body;
	GtkWidget *group;

	/* A process seen only through its id (no thread, no counter) has
	 * nothing to draw: no group for it. */
	if (p->threads->len == 0 && p->counters->len == 0) {
		return;
	}
	if (p->threads->len == 0) {
		title = g_strdup_printf("%s (pid %" G_GINT64_FORMAT ")", *name ? name : "process",
		                        p->pid);
	} else {
		title = g_strdup_printf("%s (pid %" G_GINT64_FORMAT ", %u thread%s)",
		                        *name ? name : "process", p->pid, p->threads->len,
		                        p->threads->len == 1 ? "" : "s");
	}
	group = make_group(title, &body);

	g_ptr_array_add(self->expanders, group);
	for (guint i = 0; i < p->threads->len; i++) {
		add_thread_row(self, body, m, g_ptr_array_index(p->threads, i));
	}
	for (guint c = 0; c < p->counters->len; c++) {
		const weft_counter_t *counter = g_ptr_array_index(p->counters, c);
		const char *cname = weft_model_borrow_string(m, counter->name);

		gtk_box_append(
		    GTK_BOX(body),
		    make_row(cname, cname, weft_counter_lane_new(self->session, p->index, c)));
	}
	gtk_box_append(GTK_BOX(self->rows), group);
}

static void add_cpus_and_tasks(WeftTimelinePage *self, const weft_model_t *m)
{
	GtkWidget *body;

	if (m->cpus->len > 0) {
		gtk_box_append(GTK_BOX(self->rows), make_group("CPUs", &body));
		for (guint i = 0; i < m->cpus->len; i++) {
			const weft_cpu_lane_t *cpu = g_ptr_array_index(m->cpus, i);
			g_autofree char *text = g_strdup_printf("CPU %u", cpu->cpu);

			gtk_box_append(GTK_BOX(body),
			               make_row(text, text, weft_cpu_lane_new(self->session, i)));
		}
	}
	if (m->tasks->len > 0) {
		gtk_box_append(GTK_BOX(self->rows), make_group("Tasks", &body));
		gtk_box_append(GTK_BOX(body),
		               make_row("tasks", "async tasks", weft_task_lane_new(self->session)));
	}
}

static void clear_rows(WeftTimelinePage *self)
{
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(self->rows))) {
		gtk_box_remove(GTK_BOX(self->rows), child);
	}
	g_ptr_array_set_size(self->thread_lanes, 0);
	g_ptr_array_set_size(self->expanders, 0);
	g_ptr_array_set_size(self->match_sets, 0);
	g_array_set_size(self->matches, 0);
}

static void build_rows(WeftTimelinePage *self)
{
	const weft_model_t *m = weft_session_borrow_model(self->session);

	g_ptr_array_set_size(self->thread_lanes, m->threads->len);
	for (guint i = 0; i < m->processes->len; i++) {
		add_process(self, m, g_ptr_array_index(m->processes, i));
	}
	add_cpus_and_tasks(self, m);
}

/* Input */

static void zoom_to(WeftTimelinePage *self, weft_time_t start, weft_time_t end)
{
	weft_time_t margin = (end - start) / 20;

	weft_time_window_set_range(time_window(self), start - margin, end + margin);
}

/* A click on a folded box zooms to it; a box wider than BOX_ZOOM_PX (a
 * long run of tiny items) zooms to the part of it around the click. */
static void zoom_into_box(WeftTimelinePage *self, double x, weft_time_t start, weft_time_t end)
{
	WeftTimeWindow *tw = time_window(self);
	double ns_per_px = weft_time_window_ns_per_px(tw);

	if ((double) (end - start) > BOX_ZOOM_PX * ns_per_px) {
		weft_time_t t = weft_time_window_x_to_time(tw, x);
		weft_time_t half = (weft_time_t) (BOX_ZOOM_PX / 2 * ns_per_px);

		start = MAX(start, t - half);
		end = MIN(end, t + half);
	}
	zoom_to(self, start, end);
}

static void pick_at(WeftTimelinePage *self, double x, double y)
{
	GtkWidget *w = gtk_widget_pick(self->overlay, x, y, GTK_PICK_DEFAULT);
	weft_item_t item = {.kind = WEFT_ITEM_NONE, .thread = G_MAXUINT};
	weft_time_t start = 0, end = 0;
	graphene_point_t p;

	while (w && !WEFT_IS_LANE(w)) {
		w = gtk_widget_get_parent(w);
	}
	if (!w || !gtk_widget_compute_point(self->overlay, w, &GRAPHENE_POINT_INIT(x, y), &p)) {
		weft_session_select(self->session, NULL);
		return;
	}
	switch (weft_lane_pick(WEFT_LANE(w), p.x, p.y, &item, &start, &end)) {
	case WEFT_PICK_ITEM:
		weft_session_select(self->session, &item);
		break;
	case WEFT_PICK_MERGED:
		zoom_into_box(self, p.x, start, end);
		break;
	default:
		weft_session_select(self->session, NULL);
	}
}

static void on_drag_begin(GtkGestureDrag *gesture, double x, double y, WeftTimelinePage *self)
{
	GtkAdjustment *vadj =
	    gtk_scrolled_window_get_vadjustment(GTK_SCROLLED_WINDOW(self->scroller));

	if (!self->session) {
		return;
	}
	self->dragging = FALSE;
	self->drag_start = weft_time_window_get_start(time_window(self));
	self->drag_end = weft_time_window_get_end(time_window(self));
	self->drag_vadj = gtk_adjustment_get_value(vadj);
}

static void on_drag_update(GtkGestureDrag *gesture, double dx, double dy, WeftTimelinePage *self)
{
	GtkAdjustment *vadj =
	    gtk_scrolled_window_get_vadjustment(GTK_SCROLLED_WINDOW(self->scroller));
	weft_time_t delta;

	if (!self->session) {
		return;
	}
	if (!self->dragging && fabs(dx) < DRAG_THRESHOLD && fabs(dy) < DRAG_THRESHOLD) {
		return;
	}
	self->dragging = TRUE;
	delta = (weft_time_t) (-dx * (double) (self->drag_end - self->drag_start) /
	                       weft_time_window_get_width(time_window(self)));
	weft_time_window_set_range(time_window(self), self->drag_start + delta,
	                           self->drag_end + delta);
	gtk_adjustment_set_value(vadj, self->drag_vadj - dy);
}

static void on_drag_end(GtkGestureDrag *gesture, double dx, double dy, WeftTimelinePage *self)
{
	double x, y;

	if (!self->session || self->dragging) {
		return;
	}
	gtk_gesture_drag_get_start_point(gesture, &x, &y);
	pick_at(self, x, y);
}

static gboolean on_scroll(GtkEventControllerScroll *scroll, double dx, double dy,
                          WeftTimelinePage *self)
{
	GdkModifierType mods =
	    gtk_event_controller_get_current_event_state(GTK_EVENT_CONTROLLER(scroll));

	if (!self->session) {
		return FALSE;
	}
	if (mods & GDK_CONTROL_MASK) {
		weft_time_window_zoom(time_window(self), pow(WHEEL_ZOOM, dy), anchor(self));
		return TRUE;
	}
	if (mods & GDK_SHIFT_MASK) {
		dx = dx != 0 ? dx : dy;
	}
	if (dx != 0) {
		weft_time_window_pan(time_window(self), dx * 0.1);
		return TRUE;
	}
	return FALSE;
}

static void on_motion(GtkEventControllerMotion *motion, double x, double y, WeftTimelinePage *self)
{
	self->pointer_x = lanes_x(self, x, y);
}

static void on_leave(GtkEventControllerMotion *motion, WeftTimelinePage *self)
{
	self->pointer_x = -1;
}

static gboolean typing_in_entry(WeftTimelinePage *self)
{
	GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(self));
	GtkWidget *focus = root ? gtk_root_get_focus(root) : NULL;

	return focus && (GTK_IS_TEXT(focus) || GTK_IS_EDITABLE(focus));
}

gboolean weft_timeline_page_handle_key(WeftTimelinePage *self, guint keyval, GdkModifierType state)
{
	g_return_val_if_fail(WEFT_IS_TIMELINE_PAGE(self), FALSE);

	if (!self->session || typing_in_entry(self) ||
	    (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))) {
		return FALSE;
	}
	switch (gdk_keyval_to_lower(keyval)) {
	case GDK_KEY_w:
		weft_time_window_zoom(time_window(self), WEFT_TIMELINE_ZOOM_STEP, anchor(self));
		return TRUE;
	case GDK_KEY_s:
		weft_time_window_zoom(time_window(self), 1.0 / WEFT_TIMELINE_ZOOM_STEP,
		                      anchor(self));
		return TRUE;
	case GDK_KEY_a:
		weft_time_window_pan(time_window(self), -WEFT_TIMELINE_PAN_STEP);
		return TRUE;
	case GDK_KEY_d:
		weft_time_window_pan(time_window(self), WEFT_TIMELINE_PAN_STEP);
		return TRUE;
	case GDK_KEY_f:
		gtk_widget_activate_action(GTK_WIDGET(self), "timeline.zoom-selection", NULL);
		return TRUE;
	case GDK_KEY_Escape:
		weft_session_select(self->session, NULL);
		weft_session_select_range(self->session, 0, 0);
		return TRUE;
	default:
		return FALSE;
	}
}

/* Actions */

static void action_fit_all(GtkWidget *widget, const char *name, GVariant *param)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(widget);

	if (self->session) {
		weft_time_window_fit_all(time_window(self));
	}
}

static void action_zoom_selection(GtkWidget *widget, const char *name, GVariant *param)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(widget);
	const weft_item_t *sel;
	weft_time_t start, end;

	if (!self->session) {
		return;
	}
	if (weft_session_get_range(self->session, &start, &end)) {
		weft_time_window_set_range(time_window(self), start, end);
		return;
	}
	sel = weft_session_get_selection(self->session);
	if (sel->kind != WEFT_ITEM_NONE) {
		zoom_to(self, sel->start, MAX(sel->end, sel->start + 1));
	}
}

static void action_zoom(GtkWidget *widget, const char *name, GVariant *param)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(widget);
	double factor = !strcmp(name, "timeline.zoom-in") ? WEFT_TIMELINE_ZOOM_STEP
	                                                  : 1.0 / WEFT_TIMELINE_ZOOM_STEP;

	if (self->session) {
		weft_time_window_zoom(time_window(self), factor, 0.5);
	}
}

static void action_critical(GtkWidget *widget, const char *name, GVariant *param)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(widget);
	WeftCriticalPane *pane = weft_details_pane_get_critical(WEFT_DETAILS_PANE(self->details));

	if (g_str_equal(name, "timeline.critical-path")) {
		gtk_widget_set_visible(self->details, TRUE);
		weft_critical_pane_run(pane);
	} else {
		weft_critical_pane_clear(pane);
	}
}

static void action_search(GtkWidget *widget, const char *name, GVariant *param)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(widget);

	gtk_search_bar_set_search_mode(GTK_SEARCH_BAR(self->search_bar), TRUE);
	gtk_widget_grab_focus(self->search_entry);
}

static void action_find(GtkWidget *widget, const char *name, GVariant *param)
{
	weft_timeline_page_find_next(WEFT_TIMELINE_PAGE(widget),
	                             !strcmp(name, "timeline.find-previous"));
}

/* Search */

static void set_match_sets(WeftTimelinePage *self)
{
	for (guint t = 0; t < self->thread_lanes->len; t++) {
		GtkWidget *lane = g_ptr_array_index(self->thread_lanes, t);

		if (lane) {
			weft_lane_set_matches(WEFT_LANE(lane),
			                      t < self->match_sets->len
			                          ? g_ptr_array_index(self->match_sets, t)
			                          : NULL);
		}
	}
}

static gint cmp_item(gconstpointer a, gconstpointer b)
{
	const weft_item_t *x = a, *y = b;

	return x->start < y->start ? -1 : (x->start > y->start ? 1 : 0);
}

/* Which interned strings match: a name test per string, not per event. */
static GArray *matching_strings(const weft_model_t *m, const char *needle)
{
	GArray *hits = g_array_sized_new(FALSE, TRUE, sizeof(gboolean), m->strings->len);
	g_autofree char *low = g_utf8_strdown(needle, -1);

	g_array_set_size(hits, m->strings->len);
	for (guint i = 1; i < m->strings->len; i++) {
		g_autofree char *s = g_utf8_strdown(g_ptr_array_index(m->strings, i), -1);

		g_array_index(hits, gboolean, i) = strstr(s, low) != NULL;
	}
	return hits;
}

static void collect_thread_matches(WeftTimelinePage *self, const weft_thread_t *t,
                                   const GArray *hits)
{
	GArray *set = g_array_new(FALSE, FALSE, sizeof(weft_item_t));
	guint n = t->slices.name ? t->slices.name->len : 0;

	for (guint i = 0; i < n; i++) {
		if (g_array_index(hits, gboolean, g_array_index(t->slices.name, weft_str_t, i))) {
			weft_item_t item = {WEFT_ITEM_SLICE,
			                    t->index,
			                    0,
			                    i,
			                    g_array_index(t->slices.start, weft_time_t, i),
			                    g_array_index(t->slices.end, weft_time_t, i)};

			g_array_append_val(set, item);
		}
	}
	n = t->instants.name ? t->instants.name->len : 0;
	for (guint i = 0; i < n; i++) {
		if (g_array_index(hits, gboolean, g_array_index(t->instants.name, weft_str_t, i))) {
			weft_time_t ts = g_array_index(t->instants.ts, weft_time_t, i);
			weft_item_t item = {WEFT_ITEM_INSTANT, t->index, 0, i, ts, ts};

			g_array_append_val(set, item);
		}
	}
	g_array_append_vals(self->matches, set->data, set->len);
	g_ptr_array_add(self->match_sets, set);
}

static void on_search_changed(GtkSearchEntry *entry, WeftTimelinePage *self)
{
	guint n = weft_timeline_page_search(self, gtk_editable_get_text(GTK_EDITABLE(entry)));
	g_autofree char *text = g_strdup_printf("%u matches", n);

	gtk_label_set_text(GTK_LABEL(self->match_label), text);
}

static void on_search_activate(GtkSearchEntry *entry, WeftTimelinePage *self)
{
	weft_timeline_page_find_next(self, FALSE);
}

static void on_jump(WeftDetailsPane *pane, guint thread, gint64 ts, WeftTimelinePage *self)
{
	weft_item_t item;

	if (weft_session_item_at(self->session, thread, ts, &item)) {
		weft_timeline_page_reveal(self, thread, item.start, item.end);
	} else {
		weft_timeline_page_reveal(self, thread, ts, ts + 1);
	}
}

/* Construction */

static GtkWidget *build_search_bar(WeftTimelinePage *self)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	GtkWidget *prev = gtk_button_new_from_icon_name("go-up-symbolic");
	GtkWidget *next = gtk_button_new_from_icon_name("go-down-symbolic");

	self->search_entry = gtk_search_entry_new();
	self->match_label = gtk_label_new("");
	gtk_widget_set_size_request(self->search_entry, 280, -1);
	gtk_widget_set_tooltip_text(prev, "Previous match (Ctrl+Shift+G)");
	gtk_widget_set_tooltip_text(next, "Next match (Ctrl+G)");
	gtk_actionable_set_action_name(GTK_ACTIONABLE(prev), "timeline.find-previous");
	gtk_actionable_set_action_name(GTK_ACTIONABLE(next), "timeline.find-next");
	g_signal_connect(self->search_entry, "search-changed", G_CALLBACK(on_search_changed), self);
	g_signal_connect(self->search_entry, "activate", G_CALLBACK(on_search_activate), self);
	gtk_box_append(GTK_BOX(box), self->search_entry);
	gtk_box_append(GTK_BOX(box), prev);
	gtk_box_append(GTK_BOX(box), next);
	gtk_box_append(GTK_BOX(box), self->match_label);
	self->search_bar = gtk_search_bar_new();
	gtk_search_bar_set_child(GTK_SEARCH_BAR(self->search_bar), box);
	gtk_search_bar_connect_entry(GTK_SEARCH_BAR(self->search_bar),
	                             GTK_EDITABLE(self->search_entry));
	gtk_search_bar_set_show_close_button(GTK_SEARCH_BAR(self->search_bar), TRUE);
	return self->search_bar;
}

static void add_input(WeftTimelinePage *self)
{
	GtkGesture *drag = gtk_gesture_drag_new();
	GtkEventController *scroll =
	    gtk_event_controller_scroll_new(GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
	GtkEventController *motion = gtk_event_controller_motion_new();

	gtk_gesture_single_set_button(GTK_GESTURE_SINGLE(drag), GDK_BUTTON_PRIMARY);
	g_signal_connect(drag, "drag-begin", G_CALLBACK(on_drag_begin), self);
	g_signal_connect(drag, "drag-update", G_CALLBACK(on_drag_update), self);
	g_signal_connect(drag, "drag-end", G_CALLBACK(on_drag_end), self);
	gtk_widget_add_controller(self->overlay, GTK_EVENT_CONTROLLER(drag));
	gtk_event_controller_set_propagation_phase(scroll, GTK_PHASE_CAPTURE);
	g_signal_connect(scroll, "scroll", G_CALLBACK(on_scroll), self);
	gtk_widget_add_controller(self->overlay, scroll);
	g_signal_connect(motion, "motion", G_CALLBACK(on_motion), self);
	g_signal_connect(motion, "leave", G_CALLBACK(on_leave), self);
	gtk_widget_add_controller(self->overlay, motion);
}

/*
 * The details pane takes a share of the width (DETAILS_SHARE, within
 * [DETAILS_MIN_WIDTH, DETAILS_MAX_WIDTH]); below DETAILS_WIDE px it is
 * hidden while nothing (no item, no range) is selected, so the lanes get
 * the room.
 */
static void update_details_layout(WeftTimelinePage *self)
{
	int width = gtk_widget_get_width(self->paned);
	weft_time_t s, e;
	gboolean selected =
	    self->session && ((weft_session_get_selection(self->session) &&
	                       weft_session_get_selection(self->session)->kind != WEFT_ITEM_NONE) ||
	                      weft_session_get_range(self->session, &s, &e));
	gboolean visible = width <= 0 || width >= DETAILS_WIDE || selected;

	if (gtk_widget_get_visible(self->details) != visible) {
		gtk_widget_set_visible(self->details, visible);
	}
	if (visible && width > 0) {
		int dw = CLAMP(width * DETAILS_SHARE / 100, DETAILS_MIN_WIDTH, DETAILS_MAX_WIDTH);

		if (gtk_paned_get_position(GTK_PANED(self->paned)) != width - dw) {
			gtk_paned_set_position(GTK_PANED(self->paned), width - dw);
		}
	}
}

static GtkWidget *build_timeline(WeftTimelinePage *self)
{
	GtkWidget *main = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	GtkWidget *paned = gtk_paned_new(GTK_ORIENTATION_HORIZONTAL);
	GtkWidget *legend_scroller;

	self->ruler_row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 0);
	self->rows = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	self->scroller = gtk_scrolled_window_new();
	gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(self->scroller), GTK_POLICY_NEVER,
	                               GTK_POLICY_AUTOMATIC);
	gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(self->scroller), self->rows);
	gtk_widget_set_vexpand(self->scroller, TRUE);
	self->overlay = gtk_overlay_new();
	gtk_overlay_set_child(GTK_OVERLAY(self->overlay), self->scroller);
	gtk_widget_set_focusable(self->overlay, TRUE);
	self->legend = gtk_flow_box_new();
	gtk_flow_box_set_selection_mode(GTK_FLOW_BOX(self->legend), GTK_SELECTION_NONE);
	/* One line, scrolled sideways when the window is narrow: the lanes
	 * keep the height. */
	gtk_flow_box_set_min_children_per_line(GTK_FLOW_BOX(self->legend), WEFT_STATE_COUNT);
	gtk_flow_box_set_max_children_per_line(GTK_FLOW_BOX(self->legend), WEFT_STATE_COUNT);
	gtk_widget_add_css_class(self->legend, "weft-legend");
	build_legend(self);
	legend_scroller = gtk_scrolled_window_new();
	gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(legend_scroller), GTK_POLICY_AUTOMATIC,
	                               GTK_POLICY_NEVER);
	gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(legend_scroller), self->legend);
	gtk_box_append(GTK_BOX(main), self->ruler_row);
	gtk_box_append(GTK_BOX(main), self->overlay);
	self->highlight_bar = weft_highlight_bar_new();
	gtk_box_append(GTK_BOX(main), self->highlight_bar);
	gtk_box_append(GTK_BOX(main), legend_scroller);
	self->details = weft_details_pane_new();
	gtk_widget_set_size_request(self->details, DETAILS_MIN_WIDTH, -1);
	g_signal_connect(self->details, "jump", G_CALLBACK(on_jump), self);
	gtk_paned_set_start_child(GTK_PANED(paned), main);
	gtk_paned_set_end_child(GTK_PANED(paned), self->details);
	gtk_paned_set_resize_end_child(GTK_PANED(paned), FALSE);
	gtk_paned_set_shrink_end_child(GTK_PANED(paned), FALSE);
	self->paned = paned;
	/* max-position follows the paned's width. */
	g_signal_connect_swapped(paned, "notify::max-position", G_CALLBACK(update_details_layout),
	                         self);
	add_input(self);
	return paned;
}

static GtkWidget *build_empty(void)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
	GtkWidget *title = gtk_label_new("No trace open");
	GtkWidget *hint = gtk_label_new("Open a CTF trace folder or a Chrome JSON file with the "
	                                "Open button, or drop one on this window.");

	gtk_widget_add_css_class(title, "title-1");
	gtk_widget_add_css_class(hint, "dim-label");
	gtk_label_set_wrap(GTK_LABEL(hint), TRUE);
	gtk_widget_set_valign(box, GTK_ALIGN_CENTER);
	gtk_box_append(GTK_BOX(box), title);
	gtk_box_append(GTK_BOX(box), hint);
	return box;
}

static void weft_timeline_page_dispose(GObject *object)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(object);
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self)))) {
		gtk_widget_unparent(child);
	}
	g_clear_object(&self->session);
	G_OBJECT_CLASS(weft_timeline_page_parent_class)->dispose(object);
}

static void weft_timeline_page_finalize(GObject *object)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(object);

	g_ptr_array_unref(self->thread_lanes);
	g_ptr_array_unref(self->expanders);
	g_ptr_array_unref(self->match_sets);
	g_array_unref(self->matches);
	G_OBJECT_CLASS(weft_timeline_page_parent_class)->finalize(object);
}

static void weft_timeline_page_get_property(GObject *object, guint prop_id, GValue *value,
                                            GParamSpec *pspec)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(object);

	switch (prop_id) {
	case PROP_SHOW_ALL_FLOWS:
		g_value_set_boolean(value, self->session &&
		                               weft_session_get_show_all_flows(self->session));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void weft_timeline_page_set_property(GObject *object, guint prop_id, const GValue *value,
                                            GParamSpec *pspec)
{
	WeftTimelinePage *self = WEFT_TIMELINE_PAGE(object);

	switch (prop_id) {
	case PROP_SHOW_ALL_FLOWS:
		if (self->session) {
			weft_session_set_show_all_flows(self->session, g_value_get_boolean(value));
			g_object_notify_by_pspec(object, pspec);
		}
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void weft_timeline_page_class_init(WeftTimelinePageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = weft_timeline_page_dispose;
	object_class->finalize = weft_timeline_page_finalize;
	object_class->get_property = weft_timeline_page_get_property;
	object_class->set_property = weft_timeline_page_set_property;

	properties[PROP_SHOW_ALL_FLOWS] = g_param_spec_boolean(
	    "show-all-flows", NULL, NULL, FALSE,
	    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	gtk_widget_class_install_action(widget_class, "timeline.fit-all", NULL, action_fit_all);
	gtk_widget_class_install_action(widget_class, "timeline.zoom-selection", NULL,
	                                action_zoom_selection);
	gtk_widget_class_install_action(widget_class, "timeline.zoom-in", NULL, action_zoom);
	gtk_widget_class_install_action(widget_class, "timeline.zoom-out", NULL, action_zoom);
	gtk_widget_class_install_action(widget_class, "timeline.search", NULL, action_search);
	gtk_widget_class_install_action(widget_class, "timeline.critical-path", NULL,
	                                action_critical);
	gtk_widget_class_install_action(widget_class, "timeline.clear-critical-path", NULL,
	                                action_critical);
	gtk_widget_class_install_action(widget_class, "timeline.find-next", NULL, action_find);
	gtk_widget_class_install_action(widget_class, "timeline.find-previous", NULL, action_find);
	gtk_widget_class_install_property_action(widget_class, "timeline.show-all-flows",
	                                         "show-all-flows");
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
	                                    "timeline.fit-all", NULL);
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
	                                    "timeline.search", NULL);
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_g, GDK_CONTROL_MASK,
	                                    "timeline.find-next", NULL);
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_G,
	                                    GDK_CONTROL_MASK | GDK_SHIFT_MASK,
	                                    "timeline.find-previous", NULL);
	gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
	gtk_widget_class_set_css_name(widget_class, "wefttimelinepage");
}

static void weft_timeline_page_init(WeftTimelinePage *self)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);

	self->thread_lanes = g_ptr_array_new();
	self->expanders = g_ptr_array_new();
	self->match_sets = g_ptr_array_new_with_free_func((GDestroyNotify) g_array_unref);
	self->matches = g_array_new(FALSE, FALSE, sizeof(weft_item_t));
	self->pointer_x = -1;
	self->stack = gtk_stack_new();
	gtk_stack_add_named(GTK_STACK(self->stack), build_empty(), "empty");
	gtk_stack_add_named(GTK_STACK(self->stack), build_timeline(self), "timeline");
	gtk_box_append(GTK_BOX(box), build_search_bar(self));
	gtk_box_append(GTK_BOX(box), self->stack);
	gtk_widget_set_parent(box, GTK_WIDGET(self));
	gtk_widget_set_focusable(GTK_WIDGET(self), TRUE);
}

GtkWidget *weft_timeline_page_new(void)
{
	return g_object_new(WEFT_TYPE_TIMELINE_PAGE, NULL);
}

static void replace_ruler(WeftTimelinePage *self)
{
	GtkWidget *child, *spacer = gtk_label_new("Threads");

	while ((child = gtk_widget_get_first_child(self->ruler_row))) {
		gtk_box_remove(GTK_BOX(self->ruler_row), child);
	}
	gtk_widget_set_size_request(spacer, WEFT_TIMELINE_LABEL_WIDTH, -1);
	gtk_label_set_xalign(GTK_LABEL(spacer), 0);
	gtk_widget_set_margin_start(spacer, 8);
	gtk_widget_add_css_class(spacer, "dim-label");
	self->ruler = weft_ruler_new(self->session);
	gtk_box_append(GTK_BOX(self->ruler_row), spacer);
	gtk_box_append(GTK_BOX(self->ruler_row), self->ruler);
}

void weft_timeline_page_set_session(WeftTimelinePage *self, WeftSession *session)
{
	g_return_if_fail(WEFT_IS_TIMELINE_PAGE(self));

	if (session == self->session) {
		return;
	}
	clear_rows(self);
	if (self->flow_layer) {
		gtk_overlay_remove_overlay(GTK_OVERLAY(self->overlay), self->flow_layer);
		self->flow_layer = NULL;
	}
	weft_details_pane_set_session(WEFT_DETAILS_PANE(self->details), NULL);
	weft_highlight_bar_set_session(WEFT_HIGHLIGHT_BAR(self->highlight_bar), NULL);
	g_set_object(&self->session, session);
	if (!session || !weft_session_borrow_model(session)) {
		gtk_stack_set_visible_child_name(GTK_STACK(self->stack), "empty");
		return;
	}
	replace_ruler(self);
	build_rows(self);
	self->flow_layer = weft_flow_layer_new(session, self->thread_lanes);
	gtk_overlay_add_overlay(GTK_OVERLAY(self->overlay), self->flow_layer);
	weft_details_pane_set_session(WEFT_DETAILS_PANE(self->details), session);
	weft_highlight_bar_set_session(WEFT_HIGHLIGHT_BAR(self->highlight_bar), session);
	g_signal_connect_object(session, "selection-changed", G_CALLBACK(update_details_layout),
	                        self, G_CONNECT_SWAPPED);
	g_signal_connect_object(session, "range-changed", G_CALLBACK(update_details_layout), self,
	                        G_CONNECT_SWAPPED);
	update_details_layout(self);
	gtk_stack_set_visible_child_name(GTK_STACK(self->stack), "timeline");
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_SHOW_ALL_FLOWS]);
}

WeftSession *weft_timeline_page_get_session(WeftTimelinePage *self)
{
	g_return_val_if_fail(WEFT_IS_TIMELINE_PAGE(self), NULL);
	return self->session;
}

/* The item of thread that is exactly [start, end], else the innermost one
 * at the middle. */
static gboolean find_item(WeftTimelinePage *self, guint thread, weft_time_t start, weft_time_t end,
                          weft_item_t *item)
{
	const weft_model_t *m = weft_session_borrow_model(self->session);
	const weft_thread_t *t = g_ptr_array_index(m->threads, thread);
	guint n = t->slices.start ? t->slices.start->len : 0;

	for (guint i = weft_model_lower_bound(t->slices.start, start); i < n; i++) {
		if (g_array_index(t->slices.start, weft_time_t, i) != start) {
			break;
		}
		if (g_array_index(t->slices.end, weft_time_t, i) == end) {
			*item = (weft_item_t){WEFT_ITEM_SLICE, thread, 0, i, start, end};
			return TRUE;
		}
	}
	return weft_session_item_at(self->session, thread, start + (end - start) / 2, item);
}

static gboolean scroll_to_lane(gpointer data)
{
	GtkWidget *lane = data;
	GtkWidget *scroller = gtk_widget_get_ancestor(lane, GTK_TYPE_SCROLLED_WINDOW);
	GtkAdjustment *vadj;
	graphene_rect_t bounds;
	double value, page;

	if (!scroller ||
	    !gtk_widget_compute_bounds(
	        lane, gtk_scrolled_window_get_child(GTK_SCROLLED_WINDOW(scroller)), &bounds)) {
		return G_SOURCE_REMOVE;
	}
	vadj = gtk_scrolled_window_get_vadjustment(GTK_SCROLLED_WINDOW(scroller));
	value = gtk_adjustment_get_value(vadj);
	page = gtk_adjustment_get_page_size(vadj);
	if (bounds.origin.y < value || bounds.origin.y + bounds.size.height > value + page) {
		gtk_adjustment_set_value(vadj, bounds.origin.y - page / 3);
	}
	return G_SOURCE_REMOVE;
}

void weft_timeline_page_reveal(WeftTimelinePage *self, guint thread, weft_time_t start,
                               weft_time_t end)
{
	const weft_model_t *m;
	const weft_thread_t *t;
	weft_item_t item;
	GtkWidget *lane;

	g_return_if_fail(WEFT_IS_TIMELINE_PAGE(self));

	if (!self->session || !(m = weft_session_borrow_model(self->session)) ||
	    thread >= m->threads->len) {
		return;
	}
	if (end < start) {
		weft_time_t x = start;

		start = end;
		end = x;
	}
	t = g_ptr_array_index(m->threads, thread);
	zoom_to(self, start, MAX(end, start + WEFT_TIME_WINDOW_MIN_SPAN));
	if (find_item(self, thread, start, end, &item)) {
		weft_session_select(self->session, &item);
	}
	if (t->process && t->process->index < self->expanders->len) {
		gtk_expander_set_expanded(g_ptr_array_index(self->expanders, t->process->index),
		                          TRUE);
	}
	lane = g_ptr_array_index(self->thread_lanes, thread);
	if (lane) {
		/* After the next layout, when the lane has its position. */
		g_idle_add_full(G_PRIORITY_LOW, scroll_to_lane, g_object_ref(lane), g_object_unref);
	}
}

guint weft_timeline_page_search(WeftTimelinePage *self, const char *text)
{
	const weft_model_t *m;
	g_autoptr(GArray) hits = NULL;

	g_return_val_if_fail(WEFT_IS_TIMELINE_PAGE(self), 0);

	g_array_set_size(self->matches, 0);
	g_ptr_array_set_size(self->match_sets, 0);
	self->current_match = G_MAXUINT;
	if (!self->session || !(m = weft_session_borrow_model(self->session)) || !text || !*text) {
		set_match_sets(self);
		return 0;
	}
	hits = matching_strings(m, text);
	for (guint i = 0; i < m->threads->len; i++) {
		collect_thread_matches(self, g_ptr_array_index(m->threads, i), hits);
	}
	g_array_sort(self->matches, cmp_item);
	set_match_sets(self);
	return self->matches->len;
}

void weft_timeline_page_find_next(WeftTimelinePage *self, gboolean backwards)
{
	const weft_item_t *item;
	guint n;

	g_return_if_fail(WEFT_IS_TIMELINE_PAGE(self));

	n = self->matches->len;
	if (n == 0) {
		return;
	}
	if (self->current_match >= n) {
		self->current_match = backwards ? n - 1 : 0;
	} else {
		self->current_match = (self->current_match + (backwards ? n - 1 : 1)) % n;
	}
	item = &g_array_index(self->matches, weft_item_t, self->current_match);
	weft_timeline_page_reveal(self, item->thread, item->start, item->end);
	weft_session_select(self->session, item);
}

void weft_timeline_page_click_at(WeftTimelinePage *self, double x, double y)
{
	graphene_point_t p;

	g_return_if_fail(WEFT_IS_TIMELINE_PAGE(self));

	if (self->session && gtk_widget_compute_point(GTK_WIDGET(self), self->overlay,
	                                              &GRAPHENE_POINT_INIT(x, y), &p)) {
		pick_at(self, p.x, p.y);
	}
}

GtkWidget *weft_timeline_page_get_thread_lane(WeftTimelinePage *self, guint thread)
{
	g_return_val_if_fail(WEFT_IS_TIMELINE_PAGE(self), NULL);

	if (thread >= self->thread_lanes->len) {
		return NULL;
	}
	return g_ptr_array_index(self->thread_lanes, thread);
}

GtkWidget *weft_timeline_page_get_details(WeftTimelinePage *self)
{
	g_return_val_if_fail(WEFT_IS_TIMELINE_PAGE(self), NULL);
	return self->details;
}
