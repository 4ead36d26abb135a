/*
 * weft-critical-job.h - what "Show Critical Path" walks for the session's
 * selection, and the walk (weft-critical-path.h) in a worker thread: a
 * long interval on a busy trace visits many intervals.
 *
 * The target is, in this order: the selected time range on the selected
 * item's thread; a selected region instance, state or instant's thread
 * interval; a selected task (walked back from its end, on the thread that
 * ended it, as `weft stats --critical-path-task` does).
 */
#ifndef WEFT_CRITICAL_JOB_H
#define WEFT_CRITICAL_JOB_H

#include <gio/gio.h>

#include "weft-session.h"

G_BEGIN_DECLS

typedef struct {
	guint thread; /* index into model->threads */
	weft_time_t start, end;
	char *label; /* owned: "region request on main (100)" */
} weft_critical_target_t;

/* The session's target; FALSE (target cleared) when the selection has none. */
gboolean weft_critical_target_init(weft_critical_target_t *target, WeftSession *session);
void weft_critical_target_clear(weft_critical_target_t *target);

/* Walks target's critical path in a worker thread. */
void weft_critical_job_run_async(WeftSession *session, const weft_critical_target_t *target,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
/* The segments (weft_critical_segment_t, a new array), NULL when cancelled. */
GArray *weft_critical_job_run_finish(GAsyncResult *result, GError **error);

G_END_DECLS

#endif /* WEFT_CRITICAL_JOB_H */
