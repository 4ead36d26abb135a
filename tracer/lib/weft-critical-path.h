/*
 * weft-critical-path.h - the critical path of an interval on a thread: where
 * the time really went, following who woke whom across threads (after
 * Giraldeau and Dagenais, "Wait Analysis of Distributed Systems Using Kernel
 * Tracing", IEEE TPDS 2016, on weft's user-space model).
 *
 * The walk goes backwards from the interval's end. Running, syscall, sleep
 * and every other state that is not a wait for another thread stay on the
 * path. A wait for another thread (lock, condvar, semaphore, barrier, join)
 * that a flow ended (model->flows: unlock -> acquire, signal -> wake,
 * sem_post -> sem_wait, exit -> join) jumps: from the wake on, the waiter
 * itself is on the path (the wake-up latency), and before it the waker,
 * walked backwards down to the wait's start, recursively. A wait with no
 * known waker stays on its own thread, marked so. Before a thread's start
 * the path follows its creation (pthread_create -> start) into the parent.
 *
 * The segments cover [start, end] exactly, in time order; the walk is linear
 * in the intervals it visits (plus one binary search per jump).
 */
#ifndef WEFT_CRITICAL_PATH_H
#define WEFT_CRITICAL_PATH_H

#include <glib.h>

#include "weft-model.h"

G_BEGIN_DECLS

/* Why a segment is on the path. */
typedef enum {
	WEFT_CRITICAL_OWN = 0,  /* the thread's own state (running, syscall, sleep, ...) */
	WEFT_CRITICAL_WOKEN,    /* woken by the waker, not yet returned from the wait */
	WEFT_CRITICAL_NO_WAKER, /* a wait no recorded flow ended */
	WEFT_CRITICAL_UNTRACED, /* before the thread's first event, no known creator */
	WEFT_CRITICAL_DEADLOCK, /* a wait in a cycle of waits that never ended (analyses) */
	WEFT_CRITICAL_KIND_COUNT
} weft_critical_kind_t;

typedef struct {
	guint thread;     /* index into model->threads */
	guint8 state;     /* weft_state_t of the interval (RUNNING for gaps) */
	guint8 kind;      /* weft_critical_kind_t */
	guint64 object;   /* the interval's object */
	guint32 callsite; /* the interval's call site, 0 for gaps */
	guint32 stack;    /* the interval's stack, 0 when none */
	weft_time_t start, duration;
	/*
	 * Index into model->flows of the jump from this segment to the next
	 * one on the path (this segment's thread woke or created the next
	 * one's), G_MAXUINT when the path goes on without a jump.
	 */
	guint flow;
} weft_critical_segment_t;

/* Which flows end which thread's waits; built once per model. */
typedef struct weft_critical_index weft_critical_index_t;

weft_critical_index_t *weft_critical_index_new(const weft_model_t *model);
void weft_critical_index_free(weft_critical_index_t *index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_critical_index_t, weft_critical_index_free)

/* Whether a wait in this state is a wait for another thread (the path may jump). */
gboolean weft_critical_state_jumps(weft_state_t state);

/*
 * Appends to out (weft_critical_segment_t) the critical path of
 * [start, end] on the thread at index thread, in time order; the appended
 * durations sum to end - start. Nothing is appended when end <= start.
 */
void weft_critical_path(const weft_critical_index_t *index, guint thread, weft_time_t start,
                        weft_time_t end, GArray *out);

G_END_DECLS

#endif /* WEFT_CRITICAL_PATH_H */
