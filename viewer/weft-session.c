/*
 * The shared state of one opened trace; see weft-session.h.
 */
#include "weft-session.h"

#include <string.h>

struct _WeftSession {
	GObject parent_instance;
	weft_model_t *model;         /* owned, may be NULL */
	WeftTimeWindow *time_window; /* owned */
	weft_item_t selection;
	weft_time_t range_start, range_end;
	gboolean show_all_flows;
	weft_stack_match_t *highlight; /* owned, NULL when none */
	GArray *critical;              /* weft_critical_segment_t, owned, NULL when none */
	char *critical_target;         /* owned, NULL when none */
};

G_DEFINE_FINAL_TYPE(WeftSession, weft_session, G_TYPE_OBJECT)

enum { PROP_0, PROP_SHOW_ALL_FLOWS, N_PROPS };
enum {
	SIGNAL_SELECTION_CHANGED,
	SIGNAL_RANGE_CHANGED,
	SIGNAL_HIGHLIGHT_CHANGED,
	SIGNAL_CRITICAL_CHANGED,
	N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean thread_exists(WeftSession *self, guint thread)
{
	return self->model && thread < self->model->threads->len;
}

static const weft_thread_t *borrow_thread(WeftSession *self, guint thread)
{
	return g_ptr_array_index(self->model->threads, thread);
}

static gboolean resolve_thread_item(WeftSession *self, weft_item_t *item)
{
	const weft_thread_t *t;
	const GArray *starts, *ends;

	if (!thread_exists(self, item->thread)) {
		return FALSE;
	}
	t = borrow_thread(self, item->thread);
	switch (item->kind) {
	case WEFT_ITEM_STATE:
		starts = t->states.start;
		ends = t->states.end;
		break;
	case WEFT_ITEM_SLICE:
		starts = t->slices.start;
		ends = t->slices.end;
		break;
	default:
		if (!t->instants.ts || item->index >= t->instants.ts->len) {
			return FALSE;
		}
		item->start = item->end = g_array_index(t->instants.ts, weft_time_t, item->index);
		return TRUE;
	}
	if (!starts || item->index >= starts->len) {
		return FALSE;
	}
	item->start = g_array_index(starts, weft_time_t, item->index);
	item->end = g_array_index(ends, weft_time_t, item->index);
	return TRUE;
}

static void weft_session_finalize(GObject *object)
{
	WeftSession *self = WEFT_SESSION(object);

	g_clear_object(&self->time_window);
	g_clear_pointer(&self->highlight, weft_stack_match_free);
	g_clear_pointer(&self->critical, g_array_unref);
	g_clear_pointer(&self->critical_target, g_free);
	g_clear_pointer(&self->model, weft_model_free);
	G_OBJECT_CLASS(weft_session_parent_class)->finalize(object);
}

static void weft_session_get_property(GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
	WeftSession *self = WEFT_SESSION(object);

	switch (prop_id) {
	case PROP_SHOW_ALL_FLOWS:
		g_value_set_boolean(value, self->show_all_flows);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void weft_session_set_property(GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
	WeftSession *self = WEFT_SESSION(object);

	switch (prop_id) {
	case PROP_SHOW_ALL_FLOWS:
		weft_session_set_show_all_flows(self, g_value_get_boolean(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void weft_session_class_init(WeftSessionClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = weft_session_finalize;
	object_class->get_property = weft_session_get_property;
	object_class->set_property = weft_session_set_property;

	properties[PROP_SHOW_ALL_FLOWS] = g_param_spec_boolean(
	    "show-all-flows", NULL, NULL, FALSE,
	    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	signals[SIGNAL_SELECTION_CHANGED] =
	    g_signal_new("selection-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
	                 NULL, NULL, G_TYPE_NONE, 0);
	signals[SIGNAL_RANGE_CHANGED] =
	    g_signal_new("range-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
	                 NULL, NULL, G_TYPE_NONE, 0);
	signals[SIGNAL_CRITICAL_CHANGED] =
	    g_signal_new("critical-path-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
	                 NULL, NULL, NULL, G_TYPE_NONE, 0);
	signals[SIGNAL_HIGHLIGHT_CHANGED] =
	    g_signal_new("highlight-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
	                 NULL, NULL, G_TYPE_NONE, 0);
}

static void weft_session_init(WeftSession *self)
{
	self->time_window = weft_time_window_new();
	self->selection.thread = G_MAXUINT;
}

WeftSession *weft_session_new(weft_model_t *model)
{
	WeftSession *self = g_object_new(WEFT_TYPE_SESSION, NULL);

	self->model = model;
	if (model) {
		weft_time_window_set_bounds(self->time_window, model->start, model->end);
	}
	return self;
}

const weft_model_t *weft_session_borrow_model(WeftSession *self)
{
	g_return_val_if_fail(WEFT_IS_SESSION(self), NULL);
	return self->model;
}

WeftTimeWindow *weft_session_borrow_time_window(WeftSession *self)
{
	g_return_val_if_fail(WEFT_IS_SESSION(self), NULL);
	return self->time_window;
}

void weft_session_select(WeftSession *self, const weft_item_t *item)
{
	weft_item_t none = {.kind = WEFT_ITEM_NONE, .thread = G_MAXUINT};

	g_return_if_fail(WEFT_IS_SESSION(self));

	if (!item) {
		item = &none;
	}
	if (!memcmp(item, &self->selection, sizeof *item)) {
		return;
	}
	self->selection = *item;
	g_signal_emit(self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

const weft_item_t *weft_session_get_selection(WeftSession *self)
{
	g_return_val_if_fail(WEFT_IS_SESSION(self), NULL);
	return &self->selection;
}

void weft_session_select_range(WeftSession *self, weft_time_t start, weft_time_t end)
{
	g_return_if_fail(WEFT_IS_SESSION(self));

	if (end < start) {
		weft_time_t t = start;

		start = end;
		end = t;
	}
	if (start == self->range_start && end == self->range_end) {
		return;
	}
	self->range_start = start;
	self->range_end = end;
	g_signal_emit(self, signals[SIGNAL_RANGE_CHANGED], 0);
}

gboolean weft_session_get_range(WeftSession *self, weft_time_t *start, weft_time_t *end)
{
	g_return_val_if_fail(WEFT_IS_SESSION(self), FALSE);

	*start = self->range_start;
	*end = self->range_end;
	return self->range_end > self->range_start;
}

void weft_session_set_show_all_flows(WeftSession *self, gboolean show)
{
	g_return_if_fail(WEFT_IS_SESSION(self));

	show = !!show;
	if (show == self->show_all_flows) {
		return;
	}
	self->show_all_flows = show;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_SHOW_ALL_FLOWS]);
}

gboolean weft_session_get_show_all_flows(WeftSession *self)
{
	g_return_val_if_fail(WEFT_IS_SESSION(self), FALSE);
	return self->show_all_flows;
}

gboolean weft_session_resolve_item(WeftSession *self, weft_item_t *item)
{
	g_return_val_if_fail(WEFT_IS_SESSION(self), FALSE);

	if (!self->model) {
		return FALSE;
	}
	switch (item->kind) {
	case WEFT_ITEM_STATE:
	case WEFT_ITEM_SLICE:
	case WEFT_ITEM_INSTANT:
		return resolve_thread_item(self, item);
	case WEFT_ITEM_TASK: {
		const weft_task_t *task;

		if (item->index >= self->model->tasks->len) {
			return FALSE;
		}
		task = &g_array_index(self->model->tasks, weft_task_t, item->index);
		item->start = task->start;
		item->end = task->end;
		return TRUE;
	}
	case WEFT_ITEM_CPU: {
		const weft_cpu_lane_t *cpu;

		if (item->lane >= self->model->cpus->len) {
			return FALSE;
		}
		cpu = g_ptr_array_index(self->model->cpus, item->lane);
		if (item->index >= cpu->start->len) {
			return FALSE;
		}
		item->start = g_array_index(cpu->start, weft_time_t, item->index);
		item->end = g_array_index(cpu->end, weft_time_t, item->index);
		return TRUE;
	}
	default:
		return FALSE;
	}
}

/* The deepest slice of t containing time, or G_MAXUINT. */
static guint slice_at(const weft_thread_t *t, weft_time_t time)
{
	guint best = G_MAXUINT, best_depth = 0;
	guint hi;

	if (!t->slices.start || t->slices.start->len == 0) {
		return G_MAXUINT;
	}
	/* Slices are sorted by start; look back from the last one starting
	 * at or before time over at most the enclosing candidates. */
	hi = weft_model_lower_bound(t->slices.start, time + 1);
	for (guint i = hi; i-- > 0;) {
		weft_time_t end = g_array_index(t->slices.end, weft_time_t, i);
		guint depth = g_array_index(t->slices.depth, guint16, i);

		if (end > time && (best == G_MAXUINT || depth > best_depth)) {
			best = i;
			best_depth = depth;
		}
		if (depth == 0 && (end > time || best != G_MAXUINT)) {
			break;
		}
		if (hi - i > 4096) {
			break;
		}
	}
	return best;
}

gboolean weft_session_item_at(WeftSession *self, guint thread, weft_time_t t, weft_item_t *item)
{
	const weft_thread_t *th;
	guint i;

	g_return_val_if_fail(WEFT_IS_SESSION(self), FALSE);

	if (!thread_exists(self, thread)) {
		return FALSE;
	}
	th = borrow_thread(self, thread);
	memset(item, 0, sizeof *item);
	item->thread = thread;
	i = slice_at(th, t);
	if (i != G_MAXUINT) {
		item->kind = WEFT_ITEM_SLICE;
		item->index = i;
		return resolve_thread_item(self, item);
	}
	if (!th->states.start || th->states.start->len == 0) {
		return FALSE;
	}
	i = weft_model_lower_bound(th->states.start, t + 1);
	if (i == 0) {
		return FALSE;
	}
	item->kind = WEFT_ITEM_STATE;
	item->index = i - 1;
	return resolve_thread_item(self, item);
}

static gboolean flow_touches(const weft_flow_t *f, const weft_item_t *item)
{
	if (item->kind == WEFT_ITEM_TASK) {
		return f->kind == WEFT_FLOW_TASK && f->from_ts >= item->start &&
		       f->to_ts <= item->end + 1;
	}
	if (f->from_thread == item->thread && f->from_ts >= item->start &&
	    f->from_ts <= item->end) {
		return TRUE;
	}
	return f->to_thread == item->thread && f->to_ts >= item->start && f->to_ts <= item->end;
}

GArray *weft_session_dup_flows_of(WeftSession *self, const weft_item_t *item)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(guint));

	g_return_val_if_fail(WEFT_IS_SESSION(self), out);

	if (!self->model || item->kind == WEFT_ITEM_NONE) {
		return out;
	}
	for (guint i = 0; i < self->model->flows->len; i++) {
		if (flow_touches(&g_array_index(self->model->flows, weft_flow_t, i), item)) {
			g_array_append_val(out, i);
		}
	}
	return out;
}

void weft_session_set_highlight(WeftSession *self, weft_stack_match_t *match)
{
	g_return_if_fail(WEFT_IS_SESSION(self));

	if (!match && !self->highlight) {
		return;
	}
	g_clear_pointer(&self->highlight, weft_stack_match_free);
	self->highlight = match;
	g_signal_emit(self, signals[SIGNAL_HIGHLIGHT_CHANGED], 0);
}

const weft_stack_match_t *weft_session_borrow_highlight(WeftSession *self)
{
	g_return_val_if_fail(WEFT_IS_SESSION(self), NULL);
	return self->highlight;
}

void weft_session_set_critical_path(WeftSession *self, GArray *segments, const char *target)
{
	g_return_if_fail(WEFT_IS_SESSION(self));

	if (!segments && !self->critical) {
		return;
	}
	g_clear_pointer(&self->critical, g_array_unref);
	g_clear_pointer(&self->critical_target, g_free);
	self->critical = segments;
	self->critical_target = segments ? g_strdup(target) : NULL;
	g_signal_emit(self, signals[SIGNAL_CRITICAL_CHANGED], 0);
}

const GArray *weft_session_borrow_critical_path(WeftSession *self, const char **target)
{
	g_return_val_if_fail(WEFT_IS_SESSION(self), NULL);
	if (target) {
		*target = self->critical_target;
	}
	return self->critical;
}
