/*
 * weft-analysis-deadlocks.h - cycles of lock waits that never ended.
 *
 * A thread whose last state is a lock wait still open when the recording
 * ended (WEFT_FLAG_UNFINISHED) waits for the thread that holds the lock,
 * as the lock itself recorded it (the wait's aux: the holder's tid, taken
 * from a glibc mutex's owner or an rwlock's writer when the wait began).
 * A cycle of such waits within one process is a deadlock.
 */
#ifndef WEFT_ANALYSIS_DEADLOCKS_H
#define WEFT_ANALYSIS_DEADLOCKS_H

#include <glib.h>

#include "weft-analysis-options.h"
#include "weft-model.h"
#include "weft-table.h"

G_BEGIN_DECLS

/* One thread of a cycle and the wait it is stuck in. */
typedef struct {
	const weft_thread_t *thread; /* borrowed */
	guint interval;              /* its last state: the wait */
	guint64 lock;
	guint8 state;  /* weft_state_t of the wait */
	gint64 holder; /* tid of the next thread in the cycle */
	guint32 stack; /* the wait's stack, 0: none */
	guint32 site;  /* the wait's call site */
	weft_time_t since;
} weft_deadlock_wait_t;

typedef struct {
	const weft_process_t *process; /* borrowed */
	GArray *waits;     /* weft_deadlock_wait_t in cycle order, the lowest tid first; owned */
	weft_time_t since; /* when the last of the waits began: the deadlock's start */
} weft_deadlock_t;

/* weft_deadlock_t, oldest first (freeing the array frees the cycles). */
GArray *weft_deadlock_analysis_new(const weft_model_t *model,
                                   const weft_analysis_options_t *options);

/* Whether the model has a deadlock among the threads options selects. */
gboolean weft_deadlocks_found(const weft_model_t *model, const weft_analysis_options_t *options);

/* Section "deadlocks": one row per cycle. */
weft_table_t *weft_deadlock_table_new(const weft_model_t *model,
                                      const weft_analysis_options_t *options);

G_END_DECLS

#endif /* WEFT_ANALYSIS_DEADLOCKS_H */
