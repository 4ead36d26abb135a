/*
 * A thread's lane. Slices are drawn depth by depth; each depth is a
 * non-overlapping sequence, seen through an index array built once per
 * lane (4 bytes per slice) so the LOD walk can binary-search it.
 */
#include "weft-thread-lane.h"

#include "weft-lod.h"
#include "weft-palette.h"
#include "weft-sample-ticks.h"

#define MERGE_PX 3.0
#define SLICES_Y (WEFT_THREAD_LANE_STATE_Y + WEFT_THREAD_LANE_STATE_H + 2)

struct _WeftThreadLane {
	WeftLane parent_instance;
	guint thread;
	GPtrArray *depths;    /* GArray of guint32 per depth, owned, built lazily */
	guint n_highlighted;  /* highlight outlines drawn by the last rendering */
	guint n_sample_marks; /* CPU sample ticks drawn by the last rendering */
};

G_DEFINE_FINAL_TYPE(WeftThreadLane, weft_thread_lane, WEFT_TYPE_LANE)

static const weft_thread_t *borrow_thread(WeftThreadLane *self)
{
	const weft_model_t *model =
	    weft_session_borrow_model(weft_lane_get_session(WEFT_LANE(self)));

	if (!model || self->thread >= model->threads->len) {
		return NULL;
	}
	return g_ptr_array_index(model->threads, self->thread);
}

static void build_depths(WeftThreadLane *self, const weft_thread_t *t)
{
	guint n = t->slices.start ? t->slices.start->len : 0;

	if (self->depths) {
		return;
	}
	self->depths = g_ptr_array_new_with_free_func((GDestroyNotify) g_array_unref);
	for (guint d = 0; d < t->slices.max_depth; d++) {
		g_ptr_array_add(self->depths, g_array_new(FALSE, FALSE, sizeof(guint32)));
	}
	for (guint32 i = 0; i < n; i++) {
		guint d = g_array_index(t->slices.depth, guint16, i);

		if (d < self->depths->len) {
			g_array_append_val(g_ptr_array_index(self->depths, d), i);
		}
	}
}

static weft_time_t merge_ns(WeftTimeWindow *tw)
{
	return (weft_time_t) (MERGE_PX * weft_time_window_ns_per_px(tw)) + 1;
}

/* The last position in [lo, hi) whose start is <= t (lo if none): a
 * search bounded to one box, so it touches only that box's memory. */
static guint last_start_at_or_before(const GArray *starts, guint lo, guint hi, weft_time_t t)
{
	const weft_time_t *s = (const weft_time_t *) (const void *) starts->data;
	guint first = lo;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (s[mid] <= t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo > first ? lo - 1 : first;
}

/* Time outside every traced wait is running (the user-space view): the
 * thread's lifetime is drawn as running and the waits over it. */
static void render_alive(WeftThreadLane *self, GtkSnapshot *snapshot, const weft_thread_t *t)
{
	double x0 = MAX(weft_lane_x(WEFT_LANE(self), t->start), -1.0);
	double x1 = MIN(weft_lane_x(WEFT_LANE(self), t->end), 1e6);

	if (x1 <= x0 || x1 < 0) {
		return;
	}
	gtk_snapshot_append_color(snapshot, weft_palette_state(WEFT_STATE_RUNNING),
	                          &GRAPHENE_RECT_INIT((float) x0, WEFT_THREAD_LANE_STATE_Y,
	                                              (float) MAX(x1 - x0, 1.0),
	                                              WEFT_THREAD_LANE_STATE_H));
}

static void render_states(WeftThreadLane *self, GtkSnapshot *snapshot, const weft_thread_t *t)
{
	WeftTimeWindow *tw =
	    weft_session_borrow_time_window(weft_lane_get_session(WEFT_LANE(self)));
	const weft_state_track_t *st = &t->states;
	weft_box_batch_t batch = {.snapshot = snapshot};
	weft_lod_iter_t it;
	weft_lod_box_t box;

	render_alive(self, snapshot, t);
	if (!st->start || st->start->len == 0) {
		return;
	}
	weft_lod_iter_init(&it, st->start, st->end, NULL, st->start->len,
	                   weft_time_window_get_start(tw), weft_time_window_get_end(tw),
	                   merge_ns(tw), WEFT_LOD_BUCKET);
	while (weft_lod_iter_next(&it, &box)) {
		guint i = box.first;
		weft_state_t state;
		double x0 = weft_time_window_time_to_x(tw, box.start);
		double x1 = weft_time_window_time_to_x(tw, box.end);

		/* A folded bucket shows the state at its middle: sampling by
		 * time keeps each state's share of the lane honest. */
		if (box.count > 1) {
			weft_time_t mid = box.start + (box.end - box.start) / 2;

			i = last_start_at_or_before(st->start, box.first, box.first + box.count,
			                            mid);
			/* In a gap between waits: the running base shows. */
			if (g_array_index(st->end, weft_time_t, i) <= mid) {
				continue;
			}
		}
		state = g_array_index(st->state, guint8, i);
		if (state == WEFT_STATE_DATA_LOST) {
			weft_box_batch_flush(&batch);
			weft_lane_draw_hatch(snapshot, x0, x1, WEFT_THREAD_LANE_STATE_Y,
			                     WEFT_THREAD_LANE_STATE_H);
			continue;
		}
		weft_box_batch_add(&batch, MAX(x0, -1.0), MIN(x1, 1e6), WEFT_THREAD_LANE_STATE_Y,
		                   WEFT_THREAD_LANE_STATE_H, weft_palette_state(state));
	}
	weft_box_batch_flush(&batch);
}

/* Instants as ticks on the state track's top edge, at most one per
 * 2 px (skipping ahead by binary search), all in one path: one render
 * node per lane however many instants are in view. */
static void render_instants(WeftThreadLane *self, GtkSnapshot *snapshot, const weft_thread_t *t,
                            int width)
{
	WeftTimeWindow *tw =
	    weft_session_borrow_time_window(weft_lane_get_session(WEFT_LANE(self)));
	const weft_instant_track_t *in = &t->instants;
	cairo_t *cr = NULL;
	double last_x = -10;
	GdkRGBA fg;
	guint i;

	if (!in->ts || in->ts->len == 0) {
		return;
	}
	i = weft_model_lower_bound(in->ts, weft_time_window_get_start(tw));
	while (i < in->ts->len) {
		double x = weft_time_window_time_to_x(tw, g_array_index(in->ts, weft_time_t, i));

		if (x > width) {
			break;
		}
		if (!cr) {
			cr = gtk_snapshot_append_cairo(
			    snapshot,
			    &GRAPHENE_RECT_INIT(0, 0, width, WEFT_THREAD_LANE_STATE_Y + 6));
		}
		cairo_rectangle(cr, x - 0.5, 0, 1.5, WEFT_THREAD_LANE_STATE_Y + 6);
		last_x = x;
		i = weft_lod_gallop(in->ts, i + 1, weft_time_window_x_to_time(tw, last_x + 2));
	}
	if (cr) {
		weft_lane_get_fg(WEFT_LANE(self), &fg);
		gdk_cairo_set_source_rgba(cr, &fg);
		cairo_fill(cr);
		cairo_destroy(cr);
	}
}

/* The first of hits[lo..] whose interval ends after t (hits.len if none):
 * intervals do not overlap, so their ends ascend with their starts. */
static guint first_hit_ending_after(const GArray *hits, guint lo, const GArray *ends, weft_time_t t)
{
	guint hi = hits->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (g_array_index(ends, weft_time_t, g_array_index(hits, guint, mid)) <= t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

/* Outlines the waits of the session's stack highlight in view, at most
 * one per 2 px (skipping ahead by binary search), in one path. */
static void render_highlight(WeftThreadLane *self, GtkSnapshot *snapshot, const weft_thread_t *t,
                             int width)
{
	WeftSession *session = weft_lane_get_session(WEFT_LANE(self));
	WeftTimeWindow *tw = weft_session_borrow_time_window(session);
	const weft_stack_match_t *match = weft_session_borrow_highlight(session);
	const weft_state_track_t *st = &t->states;
	const GArray *hits = match ? weft_stack_match_borrow_thread(match, self->thread) : NULL;
	cairo_t *cr;
	guint k;

	self->n_highlighted = 0;
	if (!hits || hits->len == 0) {
		return;
	}
	cr = gtk_snapshot_append_cairo(snapshot, &GRAPHENE_RECT_INIT(-2, 0, width + 4, SLICES_Y));
	k = first_hit_ending_after(hits, 0, st->end, weft_time_window_get_start(tw));
	while (k < hits->len) {
		guint i = g_array_index(hits, guint, k);
		double x0 =
		    weft_time_window_time_to_x(tw, g_array_index(st->start, weft_time_t, i));
		double x1 = weft_time_window_time_to_x(tw, g_array_index(st->end, weft_time_t, i));

		if (x0 > width) {
			break;
		}
		x0 = MAX(x0, -2.0);
		x1 = MAX(MIN(x1, width + 2.0), x0 + 3.0);
		cairo_rectangle(cr, x0, WEFT_THREAD_LANE_STATE_Y - 1, x1 - x0,
		                WEFT_THREAD_LANE_STATE_H + 2);
		self->n_highlighted++;
		k = first_hit_ending_after(hits, k + 1, st->end,
		                           weft_time_window_x_to_time(tw, x1 + 2));
	}
	gdk_cairo_set_source_rgba(cr, weft_palette_highlight());
	cairo_set_line_width(cr, 2);
	cairo_stroke(cr);
	cairo_destroy(cr);
}

static void render_slice_box(WeftThreadLane *self, GtkSnapshot *snapshot, const weft_thread_t *t,
                             const weft_lod_box_t *box, guint index, double y, int width,
                             const weft_model_t *model)
{
	WeftTimeWindow *tw =
	    weft_session_borrow_time_window(weft_lane_get_session(WEFT_LANE(self)));
	double x0 = MAX(weft_time_window_time_to_x(tw, box->start), -1.0);
	double x1 = MIN(weft_time_window_time_to_x(tw, box->end), width + 1.0);
	graphene_rect_t r;
	const GdkRGBA *color;
	char count[32];

	if (x1 - x0 < 1) {
		x1 = x0 + 1;
	}
	r = GRAPHENE_RECT_INIT((float) x0, (float) y, (float) (x1 - x0),
	                       WEFT_THREAD_LANE_SLICE_H - 1);
	if (box->count > 1) {
		color = weft_palette_merged();
		gtk_snapshot_append_color(snapshot, color, &r);
		g_snprintf(count, sizeof count, "%u", box->count);
		weft_lane_draw_label(WEFT_LANE(self), snapshot, count, &r,
		                     weft_palette_text_on(color));
		return;
	}
	color = weft_palette_region(
	    weft_model_borrow_string(model, g_array_index(t->slices.name, weft_str_t, index)));
	gtk_snapshot_append_color(snapshot, color, &r);
	if (r.size.width > 3) {
		gtk_snapshot_append_color(snapshot, &(GdkRGBA){0, 0, 0, 0.25f},
		                          &GRAPHENE_RECT_INIT(r.origin.x + r.size.width - 1,
		                                              r.origin.y, 1, r.size.height));
	}
	weft_lane_draw_label(
	    WEFT_LANE(self), snapshot,
	    weft_model_borrow_string(model, g_array_index(t->slices.name, weft_str_t, index)), &r,
	    weft_palette_text_on(color));
}

static void render_slices(WeftThreadLane *self, GtkSnapshot *snapshot, const weft_thread_t *t,
                          int width)
{
	WeftTimeWindow *tw =
	    weft_session_borrow_time_window(weft_lane_get_session(WEFT_LANE(self)));
	const weft_model_t *model =
	    weft_session_borrow_model(weft_lane_get_session(WEFT_LANE(self)));
	weft_lod_iter_t it;
	weft_lod_box_t box;

	build_depths(self, t);
	for (guint d = 0; d < self->depths->len; d++) {
		GArray *idx = g_ptr_array_index(self->depths, d);
		double y = SLICES_Y + d * WEFT_THREAD_LANE_SLICE_H;

		weft_lod_iter_init(&it, t->slices.start, t->slices.end, (const guint32 *) idx->data,
		                   idx->len, weft_time_window_get_start(tw),
		                   weft_time_window_get_end(tw), merge_ns(tw), WEFT_LOD_EXTEND);
		while (weft_lod_iter_next(&it, &box)) {
			render_slice_box(self, snapshot, t, &box,
			                 weft_lod_iter_model_index(&it, box.first), y, width,
			                 model);
		}
	}
}

static void weft_thread_lane_render(WeftLane *lane, GtkSnapshot *snapshot, int width, int height)
{
	WeftThreadLane *self = WEFT_THREAD_LANE(lane);
	const weft_thread_t *t = borrow_thread(self);

	if (!t) {
		return;
	}
	render_states(self, snapshot, t);
	render_instants(self, snapshot, t, width);
	self->n_sample_marks = weft_sample_ticks_render(
	    snapshot, weft_session_borrow_time_window(weft_lane_get_session(lane)), &t->samples,
	    (gint64) weft_session_borrow_model(weft_lane_get_session(lane))->sample_period, width,
	    WEFT_THREAD_LANE_STATE_Y + WEFT_THREAD_LANE_STATE_H - WEFT_SAMPLE_TICKS_H_PX);
	render_slices(self, snapshot, t, width);
	render_highlight(self, snapshot, t, width);
}

static int weft_thread_lane_get_height(WeftLane *lane)
{
	const weft_thread_t *t = borrow_thread(WEFT_THREAD_LANE(lane));
	guint depth = t ? MIN(t->slices.max_depth, 32u) : 0;

	return SLICES_Y + (int) depth * WEFT_THREAD_LANE_SLICE_H + 2;
}

static weft_pick_t pick_slice(WeftThreadLane *self, const weft_thread_t *t, guint depth, double x,
                              weft_item_t *item, weft_time_t *start, weft_time_t *end)
{
	WeftTimeWindow *tw =
	    weft_session_borrow_time_window(weft_lane_get_session(WEFT_LANE(self)));
	GArray *idx;
	weft_lod_iter_t it;
	weft_lod_box_t box;

	build_depths(self, t);
	if (depth >= self->depths->len) {
		return WEFT_PICK_NONE;
	}
	idx = g_ptr_array_index(self->depths, depth);
	/* Walk the same boxes as render_slices so a click lands on what
	 * was drawn. */
	weft_lod_iter_init(&it, t->slices.start, t->slices.end, (const guint32 *) idx->data,
	                   idx->len, weft_time_window_get_start(tw), weft_time_window_get_end(tw),
	                   merge_ns(tw), WEFT_LOD_EXTEND);
	if (!weft_lod_iter_find(&it, weft_time_window_x_to_time(tw, x),
	                        weft_time_window_ns_per_px(tw), &box)) {
		return WEFT_PICK_NONE;
	}
	if (box.count > 1) {
		*start = box.start;
		*end = box.end;
		return WEFT_PICK_MERGED;
	}
	item->kind = WEFT_ITEM_SLICE;
	item->thread = self->thread;
	item->index = weft_lod_iter_model_index(&it, box.first);
	item->start = box.start;
	item->end = box.end;
	return WEFT_PICK_ITEM;
}

static weft_pick_t weft_thread_lane_pick(WeftLane *lane, double x, double y, weft_item_t *item,
                                         weft_time_t *start, weft_time_t *end)
{
	WeftThreadLane *self = WEFT_THREAD_LANE(lane);
	WeftTimeWindow *tw = weft_session_borrow_time_window(weft_lane_get_session(lane));
	const weft_thread_t *t = borrow_thread(self);
	weft_time_t time = weft_time_window_x_to_time(tw, x);
	guint i;

	if (!t) {
		return WEFT_PICK_NONE;
	}
	if (y >= SLICES_Y) {
		return pick_slice(self, t, (guint) ((y - SLICES_Y) / WEFT_THREAD_LANE_SLICE_H), x,
		                  item, start, end);
	}
	if (!t->states.start || t->states.start->len == 0) {
		return WEFT_PICK_NONE;
	}
	i = weft_lod_find(t->states.start, NULL, t->states.start->len, time);
	if (i == G_MAXUINT || g_array_index(t->states.end, weft_time_t, i) <= time) {
		return WEFT_PICK_NONE;
	}
	item->kind = WEFT_ITEM_STATE;
	item->thread = self->thread;
	item->index = i;
	item->start = g_array_index(t->states.start, weft_time_t, i);
	item->end = g_array_index(t->states.end, weft_time_t, i);
	return WEFT_PICK_ITEM;
}

static gboolean weft_thread_lane_item_rect(WeftLane *lane, const weft_item_t *item,
                                           graphene_rect_t *rect)
{
	WeftThreadLane *self = WEFT_THREAD_LANE(lane);
	const weft_thread_t *t = borrow_thread(self);
	double x0, x1, y;

	if (!t || item->thread != self->thread) {
		return FALSE;
	}
	if (item->kind != WEFT_ITEM_STATE && item->kind != WEFT_ITEM_SLICE &&
	    item->kind != WEFT_ITEM_INSTANT) {
		return FALSE;
	}
	x0 = MAX(weft_lane_x(lane, item->start), -4.0);
	x1 = MIN(weft_lane_x(lane, item->end), gtk_widget_get_width(GTK_WIDGET(lane)) + 4.0);
	if (x1 - x0 < 2) {
		x0 -= 1;
		x1 = x0 + 3;
	}
	y = weft_thread_lane_item_y(self, item);
	*rect = GRAPHENE_RECT_INIT((float) x0, (float) (y - WEFT_THREAD_LANE_STATE_H / 2.0),
	                           (float) (x1 - x0), WEFT_THREAD_LANE_STATE_H);
	if (item->kind == WEFT_ITEM_SLICE) {
		rect->origin.y = (float) (y - (WEFT_THREAD_LANE_SLICE_H - 1) / 2.0);
		rect->size.height = WEFT_THREAD_LANE_SLICE_H - 1;
	}
	return TRUE;
}

static gint64 weft_thread_lane_get_pid(WeftLane *lane)
{
	const weft_thread_t *t = borrow_thread(WEFT_THREAD_LANE(lane));

	return t && t->process ? t->process->pid : -1;
}

static void weft_thread_lane_finalize(GObject *object)
{
	WeftThreadLane *self = WEFT_THREAD_LANE(object);

	g_clear_pointer(&self->depths, g_ptr_array_unref);
	G_OBJECT_CLASS(weft_thread_lane_parent_class)->finalize(object);
}

static void weft_thread_lane_class_init(WeftThreadLaneClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	WeftLaneClass *lane_class = WEFT_LANE_CLASS(klass);

	object_class->finalize = weft_thread_lane_finalize;
	lane_class->render = weft_thread_lane_render;
	lane_class->get_height = weft_thread_lane_get_height;
	lane_class->pick = weft_thread_lane_pick;
	lane_class->item_rect = weft_thread_lane_item_rect;
	lane_class->get_pid = weft_thread_lane_get_pid;
}

static void weft_thread_lane_init(WeftThreadLane *self)
{
}

GtkWidget *weft_thread_lane_new(WeftSession *session, guint thread)
{
	WeftThreadLane *self = g_object_new(WEFT_TYPE_THREAD_LANE, "session", session, NULL);

	self->thread = thread;
	if (session) {
		g_signal_connect_object(session, "highlight-changed",
		                        G_CALLBACK(weft_lane_invalidate), self, G_CONNECT_SWAPPED);
	}
	gtk_accessible_update_property(GTK_ACCESSIBLE(self), GTK_ACCESSIBLE_PROPERTY_LABEL,
	                               "thread lane", -1);
	return GTK_WIDGET(self);
}

guint weft_thread_lane_get_thread(WeftThreadLane *self)
{
	g_return_val_if_fail(WEFT_IS_THREAD_LANE(self), G_MAXUINT);
	return self->thread;
}

double weft_thread_lane_item_y(WeftThreadLane *self, const weft_item_t *item)
{
	const weft_thread_t *t;

	g_return_val_if_fail(WEFT_IS_THREAD_LANE(self), 0);

	t = borrow_thread(self);
	if (item->kind == WEFT_ITEM_SLICE && t && item->index < t->slices.depth->len) {
		guint d = g_array_index(t->slices.depth, guint16, item->index);

		return SLICES_Y + d * WEFT_THREAD_LANE_SLICE_H +
		       (WEFT_THREAD_LANE_SLICE_H - 1) / 2.0;
	}
	return WEFT_THREAD_LANE_STATE_Y + WEFT_THREAD_LANE_STATE_H / 2.0;
}

guint weft_thread_lane_get_n_highlighted(WeftThreadLane *self)
{
	g_return_val_if_fail(WEFT_IS_THREAD_LANE(self), 0);
	return self->n_highlighted;
}

guint weft_thread_lane_get_n_sample_marks(WeftThreadLane *self)
{
	g_return_val_if_fail(WEFT_IS_THREAD_LANE(self), 0);
	return self->n_sample_marks;
}
