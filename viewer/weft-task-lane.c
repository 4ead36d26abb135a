/*
 * Tasks in rows: each task goes to the first row whose last task has
 * ended (greedy interval partitioning), computed once. Each row is a
 * non-overlapping sequence walked with the LOD iterator. Only MAX_ROWS
 * rows are drawn one task per box; the tasks that fit in none of them go
 * to an overflow row below, drawn as merged boxes (the union of their
 * intervals) labelled with how many tasks each one holds.
 */
#include "weft-task-lane.h"

#include "weft-lod.h"
#include "weft-palette.h"

#define MERGE_PX 3.0
#define ROW_H 17
#define MAX_ROWS 3

struct _WeftTaskLane {
	WeftLane parent_instance;
	GPtrArray *rows; /* GArray of guint32 (task index), owned */
	GArray *starts;  /* weft_time_t copy of task starts, owned */
	GArray *ends;    /* weft_time_t copy of task ends, owned */
	/* The overflow row: disjoint unions of the tasks left out of the
	 * rows, in time order, and how many tasks each holds. */
	GArray *over_starts, *over_ends; /* weft_time_t, owned */
	GArray *over_counts;             /* guint, owned */
};

G_DEFINE_FINAL_TYPE(WeftTaskLane, weft_task_lane, WEFT_TYPE_LANE)

/* Tasks come in start order: a task either extends the last union or
 * starts a new one. */
static void add_overflow(WeftTaskLane *self, const weft_task_t *task)
{
	guint n = self->over_starts->len;

	if (n > 0 && task->start <= g_array_index(self->over_ends, weft_time_t, n - 1)) {
		weft_time_t *end = &g_array_index(self->over_ends, weft_time_t, n - 1);

		*end = MAX(*end, task->end);
		g_array_index(self->over_counts, guint, n - 1)++;
		return;
	}
	g_array_append_val(self->over_starts, task->start);
	g_array_append_val(self->over_ends, task->end);
	g_array_append_val(self->over_counts, (guint){1});
}

/* The overflow row's boxes in the visible range: unions closer than
 * MERGE_PX pixels are drawn (and picked) as one. Calls visit for each;
 * stops when it returns FALSE. */
typedef gboolean (*overflow_visit_t)(WeftLane *lane, double x0, double x1, weft_time_t start,
                                     weft_time_t end, guint count, gpointer data);

static void walk_overflow(WeftTaskLane *self, overflow_visit_t visit, gpointer data)
{
	WeftLane *lane = WEFT_LANE(self);
	WeftTimeWindow *tw = weft_session_borrow_time_window(weft_lane_get_session(lane));
	weft_time_t t0 = weft_time_window_get_start(tw), t1 = weft_time_window_get_end(tw);
	const weft_time_t *starts = (const weft_time_t *) self->over_starts->data;
	const weft_time_t *ends = (const weft_time_t *) self->over_ends->data;
	guint n = self->over_starts->len, lo = 0, hi = n;

	/* The first union ending after t0 (ends grow with starts). */
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (ends[mid] < t0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	for (guint i = lo; i < n && starts[i] <= t1;) {
		weft_time_t start = starts[i], end = ends[i];
		guint count = g_array_index(self->over_counts, guint, i);

		for (i++; i < n && starts[i] <= t1 &&
		          weft_lane_x(lane, starts[i]) - weft_lane_x(lane, end) < MERGE_PX;
		     i++) {
			end = MAX(end, ends[i]);
			count += g_array_index(self->over_counts, guint, i);
		}
		if (!visit(lane, weft_lane_x(lane, start),
		           MAX(weft_lane_x(lane, end), weft_lane_x(lane, start) + 1), start, end,
		           count, data)) {
			return;
		}
	}
}

static guint n_rows_drawn(WeftTaskLane *self)
{
	return self->rows->len + (self->over_starts->len > 0 ? 1 : 0);
}

typedef struct {
	GtkSnapshot *snapshot;
	int width;
	double y;
} overflow_draw_t;

static gboolean draw_overflow_box(WeftLane *lane, double x0, double x1, weft_time_t start,
                                  weft_time_t end, guint count, gpointer data)
{
	overflow_draw_t *d = data;
	graphene_rect_t rect;
	char label[32];

	x0 = MAX(x0, -1.0);
	x1 = MIN(x1, d->width + 1.0);
	rect = GRAPHENE_RECT_INIT((float) x0, (float) d->y, (float) (x1 - x0), ROW_H - 2);
	gtk_snapshot_append_color(d->snapshot, weft_palette_merged(), &rect);
	g_snprintf(label, sizeof label, "+%u", count);
	weft_lane_draw_label(lane, d->snapshot, label, &rect,
	                     weft_palette_text_on(weft_palette_merged()));
	return TRUE;
}

typedef struct {
	double x;
	gboolean found;
	weft_time_t start, end;
} overflow_pick_t;

static gboolean pick_overflow_box(WeftLane *lane, double x0, double x1, weft_time_t start,
                                  weft_time_t end, guint count, gpointer data)
{
	overflow_pick_t *p = data;

	if (p->x < x0 - 1) {
		return FALSE;
	}
	if (p->x > x1 + 1) {
		return TRUE;
	}
	p->found = TRUE;
	p->start = start;
	p->end = end;
	return FALSE;
}

static void build_rows(WeftTaskLane *self)
{
	const weft_model_t *model =
	    weft_session_borrow_model(weft_lane_get_session(WEFT_LANE(self)));
	weft_time_t row_end[MAX_ROWS];
	guint n_rows = 0;

	if (self->rows) {
		return;
	}
	self->rows = g_ptr_array_new_with_free_func((GDestroyNotify) g_array_unref);
	self->starts = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	self->ends = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	self->over_starts = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	self->over_ends = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	self->over_counts = g_array_new(FALSE, FALSE, sizeof(guint));
	if (!model) {
		return;
	}
	for (guint32 i = 0; i < model->tasks->len; i++) {
		const weft_task_t *task = &g_array_index(model->tasks, weft_task_t, i);
		guint r = 0;

		g_array_append_val(self->starts, task->start);
		g_array_append_val(self->ends, task->end);
		while (r < n_rows && row_end[r] > task->start) {
			r++;
		}
		if (r == MAX_ROWS) {
			add_overflow(self, task);
			continue;
		}
		if (r == n_rows) {
			g_ptr_array_add(self->rows, g_array_new(FALSE, FALSE, sizeof(guint32)));
			n_rows++;
		}
		row_end[r] = task->end;
		g_array_append_val(g_ptr_array_index(self->rows, r), i);
	}
}

static void init_iter(WeftTaskLane *self, guint row, weft_lod_iter_t *it)
{
	WeftTimeWindow *tw =
	    weft_session_borrow_time_window(weft_lane_get_session(WEFT_LANE(self)));
	GArray *idx = g_ptr_array_index(self->rows, row);

	weft_lod_iter_init(it, self->starts, self->ends, (const guint32 *) idx->data, idx->len,
	                   weft_time_window_get_start(tw), weft_time_window_get_end(tw),
	                   (weft_time_t) (MERGE_PX * weft_time_window_ns_per_px(tw)) + 1,
	                   WEFT_LOD_EXTEND);
}

static void weft_task_lane_render(WeftLane *lane, GtkSnapshot *snapshot, int width, int height)
{
	WeftTaskLane *self = WEFT_TASK_LANE(lane);
	const weft_model_t *model = weft_session_borrow_model(weft_lane_get_session(lane));
	weft_lod_iter_t it;
	weft_lod_box_t box;

	build_rows(self);
	for (guint r = 0; r < self->rows->len; r++) {
		init_iter(self, r, &it);
		while (weft_lod_iter_next(&it, &box)) {
			guint i = weft_lod_iter_model_index(&it, box.first);
			const weft_task_t *task = &g_array_index(model->tasks, weft_task_t, i);
			double x0 = MAX(weft_lane_x(lane, box.start), -1.0);
			double x1 = MIN(MAX(weft_lane_x(lane, box.end), x0 + 1), width + 1.0);
			graphene_rect_t rect = GRAPHENE_RECT_INIT(
			    (float) x0, (float) (1 + r * ROW_H), (float) (x1 - x0), ROW_H - 2);
			const GdkRGBA *color =
			    box.count > 1
			        ? weft_palette_merged()
			        : weft_palette_region(weft_model_borrow_string(model, task->name));
			char count[32];

			gtk_snapshot_append_color(snapshot, color, &rect);
			g_snprintf(count, sizeof count, "%u", box.count);
			weft_lane_draw_label(
			    lane, snapshot,
			    box.count > 1 ? count : weft_model_borrow_string(model, task->name),
			    &rect, weft_palette_text_on(color));
		}
	}
	if (self->over_starts->len > 0) {
		overflow_draw_t d = {snapshot, width, 1 + self->rows->len * ROW_H};

		walk_overflow(self, draw_overflow_box, &d);
	}
}

static int weft_task_lane_get_height(WeftLane *lane)
{
	WeftTaskLane *self = WEFT_TASK_LANE(lane);

	build_rows(self);
	return 2 + (int) MAX(n_rows_drawn(self), 1u) * ROW_H;
}

static weft_pick_t weft_task_lane_pick(WeftLane *lane, double x, double y, weft_item_t *item,
                                       weft_time_t *start, weft_time_t *end)
{
	WeftTaskLane *self = WEFT_TASK_LANE(lane);
	guint row = (guint) MAX(y - 1, 0) / ROW_H;
	weft_lod_iter_t it;
	weft_lod_box_t box;

	build_rows(self);
	if (row == self->rows->len && self->over_starts->len > 0) {
		overflow_pick_t p = {x, FALSE, 0, 0};

		walk_overflow(self, pick_overflow_box, &p);
		if (!p.found) {
			return WEFT_PICK_NONE;
		}
		*start = p.start;
		*end = p.end;
		return WEFT_PICK_MERGED;
	}
	if (row >= self->rows->len) {
		return WEFT_PICK_NONE;
	}
	init_iter(self, row, &it);
	if (!weft_lod_iter_find(&it, weft_lane_x_to_time(lane, x), weft_lane_ns_per_px(lane),
	                        &box)) {
		return WEFT_PICK_NONE;
	}
	*start = box.start;
	*end = box.end;
	if (box.count > 1) {
		return WEFT_PICK_MERGED;
	}
	item->kind = WEFT_ITEM_TASK;
	item->thread = G_MAXUINT;
	item->index = weft_lod_iter_model_index(&it, box.first);
	item->start = box.start;
	item->end = box.end;
	return WEFT_PICK_ITEM;
}

static gboolean weft_task_lane_item_rect(WeftLane *lane, const weft_item_t *item,
                                         graphene_rect_t *rect)
{
	WeftTaskLane *self = WEFT_TASK_LANE(lane);
	double x0, x1;

	if (item->kind != WEFT_ITEM_TASK) {
		return FALSE;
	}
	build_rows(self);
	for (guint r = 0; r < self->rows->len; r++) {
		GArray *idx = g_ptr_array_index(self->rows, r);

		for (guint k = 0; k < idx->len; k++) {
			if (g_array_index(idx, guint32, k) != item->index) {
				continue;
			}
			x0 = MAX(weft_lane_x(lane, item->start), -4.0);
			x1 = MIN(weft_lane_x(lane, item->end),
			         gtk_widget_get_width(GTK_WIDGET(lane)) + 4.0);
			*rect = GRAPHENE_RECT_INIT((float) x0, (float) (1 + r * ROW_H),
			                           (float) MAX(x1 - x0, 2.0), ROW_H - 2);
			return TRUE;
		}
	}
	return FALSE;
}

static void weft_task_lane_finalize(GObject *object)
{
	WeftTaskLane *self = WEFT_TASK_LANE(object);

	g_clear_pointer(&self->rows, g_ptr_array_unref);
	g_clear_pointer(&self->starts, g_array_unref);
	g_clear_pointer(&self->ends, g_array_unref);
	g_clear_pointer(&self->over_starts, g_array_unref);
	g_clear_pointer(&self->over_ends, g_array_unref);
	g_clear_pointer(&self->over_counts, g_array_unref);
	G_OBJECT_CLASS(weft_task_lane_parent_class)->finalize(object);
}

static void weft_task_lane_class_init(WeftTaskLaneClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	WeftLaneClass *lane_class = WEFT_LANE_CLASS(klass);

	object_class->finalize = weft_task_lane_finalize;
	lane_class->render = weft_task_lane_render;
	lane_class->get_height = weft_task_lane_get_height;
	lane_class->pick = weft_task_lane_pick;
	lane_class->item_rect = weft_task_lane_item_rect;
}

static void weft_task_lane_init(WeftTaskLane *self)
{
}

GtkWidget *weft_task_lane_new(WeftSession *session)
{
	return g_object_new(WEFT_TYPE_TASK_LANE, "session", session, NULL);
}
