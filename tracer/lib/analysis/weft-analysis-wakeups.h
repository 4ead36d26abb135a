/*
 * weft-analysis-wakeups.h - how often waits on condition variables and
 * semaphores end, and how many of those wake-ups were futile: the thread
 * went back to waiting on the same object without doing any work in
 * between: no wait but for a lock, no region entered or left, at most
 * options->rewait_window of running. A wait loop woken far
 * more often than its predicate turns true shows up here first.
 */
#ifndef WEFT_ANALYSIS_WAKEUPS_H
#define WEFT_ANALYSIS_WAKEUPS_H

#include "weft-analysis-options.h"
#include "weft-table.h"

G_BEGIN_DECLS

typedef struct {
	const weft_process_t *process; /* borrowed */
	guint64 object;
	guint8 state; /* CONDVAR or SEMAPHORE */
	guint32 callsite;
	guint64 wakeups; /* waits that ended */
	guint64 futile;  /* followed by another wait on the object, no work between */
	weft_time_t wait_total;
	guint n_threads;
	const weft_thread_t *example_thread; /* borrowed: a futile (else any) wake-up */
	weft_time_t example_start, example_end;
} weft_wakeup_row_t;

/* weft_wakeup_row_t rows, the most futile wake-ups first, then the most wake-ups. */
GArray *weft_wakeup_analysis_new(const weft_model_t *model, const weft_analysis_options_t *options);

/* Section "wakeups". */
weft_table_t *weft_wakeup_table_new(const weft_model_t *model,
                                    const weft_analysis_options_t *options);

G_END_DECLS

#endif /* WEFT_ANALYSIS_WAKEUPS_H */
