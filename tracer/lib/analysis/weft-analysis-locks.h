/*
 * weft-analysis-locks.h - lock contention per lock object: acquisitions
 * (when holds are recorded), contended acquisitions, wait and hold times,
 * the threads involved, and the call sites that waited most and held the
 * lock longest.
 */
#ifndef WEFT_ANALYSIS_LOCKS_H
#define WEFT_ANALYSIS_LOCKS_H

#include "weft-analysis-options.h"
#include "weft-table.h"

G_BEGIN_DECLS

typedef struct {
	const weft_process_t *process; /* borrowed */
	guint64 lock;
	guint8 kind;         /* weft_state_t of the first wait or hold seen */
	gint64 acquisitions; /* holds recorded; -1 when none were */
	guint64 contended;   /* waits */
	weft_time_t wait_total, wait_max;
	weft_time_t hold_total, hold_max;
	guint n_threads;
	GArray *tids;      /* gint64, the threads involved, ascending; owned by the rows array */
	guint32 wait_site; /* the call site with the most wait */
	guint32 hold_site; /* the call site with the most hold time */
	/* the release site whose hold made its waiters wait longest (the mutex profile's rule) */
	guint32 cause_site;
	const weft_thread_t *worst_thread; /* borrowed: longest wait (else hold) */
	weft_time_t worst_start, worst_end;
} weft_lock_row_t;

/* weft_lock_row_t rows, the most wait first (freeing the array frees the rows). */
GArray *weft_lock_analysis_new(const weft_model_t *model, const weft_analysis_options_t *options);

/* Section "locks". */
weft_table_t *weft_lock_table_new(const weft_model_t *model,
                                  const weft_analysis_options_t *options);

G_END_DECLS

#endif /* WEFT_ANALYSIS_LOCKS_H */
