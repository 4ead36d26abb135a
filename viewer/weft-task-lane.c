/*
 * Tasks in rows: each task goes to the first row whose last task has
 * ended (greedy interval partitioning), computed once. Each row is a
 * non-overlapping sequence walked with the LOD iterator. Rows beyond
 * MAX_ROWS share the last one.
 */
#include "weft-task-lane.h"

#include "weft-lod.h"
#include "weft-palette.h"

#define MERGE_PX 3.0
#define ROW_H 17
#define MAX_ROWS 16

struct _WeftTaskLane {
	WeftLane parent_instance;
	GPtrArray *rows; /* GArray of guint32 (task index), owned */
	GArray *starts;  /* weft_time_t copy of task starts, owned */
	GArray *ends;    /* weft_time_t copy of task ends, owned */
};

G_DEFINE_FINAL_TYPE(WeftTaskLane, weft_task_lane, WEFT_TYPE_LANE)

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
			continue; /* too many overlapping tasks: not drawn */
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
			    box.count > 1 ? weft_palette_merged() : weft_palette_hash(task->name);
			char count[32];

			gtk_snapshot_append_color(snapshot, color, &rect);
			g_snprintf(count, sizeof count, "%u", box.count);
			weft_lane_draw_label(
			    lane, snapshot,
			    box.count > 1 ? count : weft_model_borrow_string(model, task->name),
			    &rect, weft_palette_text_on(color));
		}
	}
}

static int weft_task_lane_get_height(WeftLane *lane)
{
	WeftTaskLane *self = WEFT_TASK_LANE(lane);

	build_rows(self);
	return 2 + (int) MAX(self->rows->len, 1u) * ROW_H;
}

static weft_pick_t weft_task_lane_pick(WeftLane *lane, double x, double y, weft_item_t *item,
                                       weft_time_t *start, weft_time_t *end)
{
	WeftTaskLane *self = WEFT_TASK_LANE(lane);
	guint row = (guint) MAX(y - 1, 0) / ROW_H;
	weft_lod_iter_t it;
	weft_lod_box_t box;

	build_rows(self);
	if (row >= self->rows->len) {
		return WEFT_PICK_NONE;
	}
	init_iter(self, row, &it);
	while (weft_lod_iter_next(&it, &box)) {
		double x0 = weft_lane_x(lane, box.start);
		double x1 = MAX(weft_lane_x(lane, box.end), x0 + 1);

		if (x < x0 - 1) {
			break;
		}
		if (x > x1 + 1) {
			continue;
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
	return WEFT_PICK_NONE;
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
