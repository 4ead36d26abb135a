/*
 * The critical path's target and walk; see weft-critical-job.h.
 */
#include "weft-critical-job.h"

static char *dup_thread_label(const weft_model_t *m, guint thread)
{
	const weft_thread_t *t = g_ptr_array_index(m->threads, thread);

	return g_strdup_printf("%s (%" G_GINT64_FORMAT ")", weft_model_borrow_string(m, t->name),
	                       (gint64) t->tid);
}

static gboolean task_target(const weft_model_t *m, const weft_item_t *item,
                            weft_critical_target_t *target)
{
	const weft_task_t *k;

	if (!m->tasks || item->index >= m->tasks->len) {
		return FALSE;
	}
	k = &g_array_index(m->tasks, weft_task_t, item->index);
	target->thread = k->end_thread != G_MAXUINT ? k->end_thread : k->begin_thread;
	if (target->thread >= m->threads->len) {
		return FALSE;
	}
	target->start = k->start;
	target->end = k->end;
	target->label = g_strdup_printf("task %s", weft_model_borrow_string(m, k->name));
	return TRUE;
}

static char *dup_item_label(const weft_model_t *m, const weft_item_t *item)
{
	const weft_thread_t *t = g_ptr_array_index(m->threads, item->thread);
	g_autofree char *thread = dup_thread_label(m, item->thread);

	if (item->kind == WEFT_ITEM_SLICE) {
		weft_str_t name = g_array_index(t->slices.name, weft_str_t, item->index);

		return g_strdup_printf("region %s on %s", weft_model_borrow_string(m, name),
		                       thread);
	}
	if (item->kind == WEFT_ITEM_STATE) {
		guint8 state = g_array_index(t->states.state, guint8, item->index);

		return g_strdup_printf("%s on %s", weft_state_name(state), thread);
	}
	return g_strdup_printf("%s", thread);
}

gboolean weft_critical_target_init(weft_critical_target_t *target, WeftSession *session)
{
	const weft_model_t *m = weft_session_borrow_model(session);
	const weft_item_t *item = weft_session_get_selection(session);
	weft_time_t rs, re;

	memset(target, 0, sizeof(*target));
	if (!m || !item || item->kind == WEFT_ITEM_NONE || item->kind == WEFT_ITEM_CPU) {
		return FALSE;
	}
	if (item->kind == WEFT_ITEM_TASK) {
		return task_target(m, item, target);
	}
	if (item->thread >= m->threads->len) {
		return FALSE;
	}
	target->thread = item->thread;
	if (weft_session_get_range(session, &rs, &re)) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, item->thread);
		g_autofree char *thread = dup_thread_label(m, item->thread);

		target->start = MAX(rs, t->start);
		target->end = MIN(re, t->end);
		target->label = g_strdup_printf("range on %s", thread);
	} else {
		target->start = item->start;
		target->end = item->end;
		target->label = dup_item_label(m, item);
	}
	return target->end > target->start;
}

void weft_critical_target_clear(weft_critical_target_t *target)
{
	g_clear_pointer(&target->label, g_free);
}

static void walk(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	const weft_critical_target_t *target = task_data;
	const weft_model_t *m = weft_session_borrow_model(WEFT_SESSION(source));
	g_autoptr(weft_critical_index_t) index = weft_critical_index_new(m);
	GArray *segments = g_array_new(FALSE, FALSE, sizeof(weft_critical_segment_t));

	weft_critical_path(index, target->thread, target->start, target->end, segments);
	g_task_return_pointer(task, segments, (GDestroyNotify) g_array_unref);
}

static void target_free(weft_critical_target_t *target)
{
	weft_critical_target_clear(target);
	g_free(target);
}

void weft_critical_job_run_async(WeftSession *session, const weft_critical_target_t *target,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
	/* The task holds the session, hence the model the worker reads. */
	GTask *task = g_task_new(session, cancellable, callback, user_data);
	weft_critical_target_t *copy = g_new0(weft_critical_target_t, 1);

	*copy = *target;
	copy->label = g_strdup(target->label);
	g_task_set_task_data(task, copy, (GDestroyNotify) target_free);
	g_task_set_return_on_cancel(task, TRUE);
	g_task_run_in_thread(task, walk);
	g_object_unref(task);
}

GArray *weft_critical_job_run_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}
