/*
 * A CPU lane: each box is a thread's stretch on that CPU, colored by
 * thread; narrow runs fold into counted boxes.
 */
#include "weft-cpu-lane.h"

#include "weft-lod.h"
#include "weft-palette.h"

#define MERGE_PX 3.0
#define HEIGHT 16

struct _WeftCpuLane {
	WeftLane parent_instance;
	guint lane;
};

G_DEFINE_FINAL_TYPE(WeftCpuLane, weft_cpu_lane, WEFT_TYPE_LANE)

static const weft_cpu_lane_t *borrow_cpu(WeftCpuLane *self)
{
	const weft_model_t *model =
	    weft_session_borrow_model(weft_lane_get_session(WEFT_LANE(self)));

	if (!model || self->lane >= model->cpus->len) {
		return NULL;
	}
	return g_ptr_array_index(model->cpus, self->lane);
}

static void init_iter(WeftCpuLane *self, const weft_cpu_lane_t *cpu, weft_lod_iter_t *it)
{
	WeftTimeWindow *tw =
	    weft_session_borrow_time_window(weft_lane_get_session(WEFT_LANE(self)));

	weft_lod_iter_init(it, cpu->start, cpu->end, NULL, cpu->start->len,
	                   weft_time_window_get_start(tw), weft_time_window_get_end(tw),
	                   (weft_time_t) (MERGE_PX * weft_time_window_ns_per_px(tw)) + 1,
	                   WEFT_LOD_EXTEND);
}

static void draw_box(WeftCpuLane *self, GtkSnapshot *snapshot, const weft_cpu_lane_t *cpu,
                     const weft_lod_box_t *box, int width)
{
	WeftLane *lane = WEFT_LANE(self);
	const weft_model_t *model = weft_session_borrow_model(weft_lane_get_session(lane));
	double x0 = MAX(weft_lane_x(lane, box->start), -1.0);
	double x1 = MIN(MAX(weft_lane_x(lane, box->end), x0 + 1), width + 1.0);
	graphene_rect_t r = GRAPHENE_RECT_INIT((float) x0, 1, (float) (x1 - x0), HEIGHT - 2);
	const weft_thread_t *t;
	const GdkRGBA *color;
	guint thread;
	char text[64];

	if (box->count > 1) {
		color = weft_palette_merged();
		gtk_snapshot_append_color(snapshot, color, &r);
		g_snprintf(text, sizeof text, "%u", box->count);
		weft_lane_draw_label(lane, snapshot, text, &r, weft_palette_text_on(color));
		return;
	}
	thread = g_array_index(cpu->thread, guint, box->first);
	if (thread >= model->threads->len) {
		return;
	}
	t = g_ptr_array_index(model->threads, thread);
	color = weft_palette_hash((guint32) t->tid);
	gtk_snapshot_append_color(snapshot, color, &r);
	g_snprintf(text, sizeof text, "%s %" G_GINT64_FORMAT,
	           weft_model_borrow_string(model, t->name), t->tid);
	weft_lane_draw_label(lane, snapshot, text, &r, weft_palette_text_on(color));
}

static void weft_cpu_lane_render(WeftLane *lane, GtkSnapshot *snapshot, int width, int height)
{
	WeftCpuLane *self = WEFT_CPU_LANE(lane);
	const weft_cpu_lane_t *cpu = borrow_cpu(self);
	weft_lod_iter_t it;
	weft_lod_box_t box;

	if (!cpu || !cpu->start || cpu->start->len == 0) {
		return;
	}
	init_iter(self, cpu, &it);
	while (weft_lod_iter_next(&it, &box)) {
		draw_box(self, snapshot, cpu, &box, width);
	}
}

static int weft_cpu_lane_get_height(WeftLane *lane)
{
	return HEIGHT;
}

static weft_pick_t weft_cpu_lane_pick(WeftLane *lane, double x, double y, weft_item_t *item,
                                      weft_time_t *start, weft_time_t *end)
{
	WeftCpuLane *self = WEFT_CPU_LANE(lane);
	const weft_cpu_lane_t *cpu = borrow_cpu(self);
	weft_lod_iter_t it;
	weft_lod_box_t box;

	if (!cpu || !cpu->start || cpu->start->len == 0) {
		return WEFT_PICK_NONE;
	}
	init_iter(self, cpu, &it);
	if (!weft_lod_iter_find(&it, weft_lane_x_to_time(lane, x), weft_lane_ns_per_px(lane),
	                        &box)) {
		return WEFT_PICK_NONE;
	}
	*start = box.start;
	*end = box.end;
	if (box.count > 1) {
		return WEFT_PICK_MERGED;
	}
	item->kind = WEFT_ITEM_CPU;
	item->lane = self->lane;
	item->index = box.first;
	item->thread = g_array_index(cpu->thread, guint, box.first);
	item->start = box.start;
	item->end = box.end;
	return WEFT_PICK_ITEM;
}

static gboolean weft_cpu_lane_item_rect(WeftLane *lane, const weft_item_t *item,
                                        graphene_rect_t *rect)
{
	double x0, x1;

	if (item->kind != WEFT_ITEM_CPU || item->lane != WEFT_CPU_LANE(lane)->lane) {
		return FALSE;
	}
	x0 = MAX(weft_lane_x(lane, item->start), -4.0);
	x1 = MIN(weft_lane_x(lane, item->end), gtk_widget_get_width(GTK_WIDGET(lane)) + 4.0);
	*rect = GRAPHENE_RECT_INIT((float) x0, 1, (float) MAX(x1 - x0, 2.0), HEIGHT - 2);
	return TRUE;
}

static void weft_cpu_lane_class_init(WeftCpuLaneClass *klass)
{
	WeftLaneClass *lane_class = WEFT_LANE_CLASS(klass);

	lane_class->render = weft_cpu_lane_render;
	lane_class->get_height = weft_cpu_lane_get_height;
	lane_class->pick = weft_cpu_lane_pick;
	lane_class->item_rect = weft_cpu_lane_item_rect;
}

static void weft_cpu_lane_init(WeftCpuLane *self)
{
}

GtkWidget *weft_cpu_lane_new(WeftSession *session, guint lane)
{
	WeftCpuLane *self = g_object_new(WEFT_TYPE_CPU_LANE, "session", session, NULL);

	self->lane = lane;
	return GTK_WIDGET(self);
}
