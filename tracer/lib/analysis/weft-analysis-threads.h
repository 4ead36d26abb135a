/*
 * weft-analysis-threads.h - where each thread's time went, per thread and
 * grouped by start routine (go tool trace's goroutine analysis).
 *
 * Without kernel scheduling events the model only knows "running" in the
 * user-space sense; the analysis then estimates runnable time: while k
 * threads run on n < k CPUs, each is taken to wait (k - n) / k of the time.
 */
#ifndef WEFT_ANALYSIS_THREADS_H
#define WEFT_ANALYSIS_THREADS_H

#include "weft-analysis-options.h"
#include "weft-table.h"

G_BEGIN_DECLS

typedef struct {
	guint thread; /* index into model->threads */
	weft_time_t total;
	/* Time in each state; [RUNNING] includes untraced gaps, [RUNNABLE] the estimate. */
	weft_time_t time[WEFT_STATE_COUNT];
} weft_thread_stats_t;

typedef struct {
	char *routine;                 /* owned */
	const weft_process_t *process; /* borrowed from the model */
	guint n_threads;
	weft_time_t total;
	weft_time_t time[WEFT_STATE_COUNT];
	guint longest_thread; /* index into model->threads */
} weft_thread_group_t;

typedef struct {
	GArray *threads; /* weft_thread_stats_t, by total time, longest first; owned */
	GArray *groups;  /* weft_thread_group_t, by total time, longest first; owned */
	guint ncpus;
	const char *ncpus_source; /* static */
	gboolean runnable_estimated;
} weft_thread_analysis_t;

weft_thread_analysis_t *weft_thread_analysis_new(const weft_model_t *model,
                                                 const weft_analysis_options_t *options);
void weft_thread_analysis_free(weft_thread_analysis_t *analysis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_thread_analysis_t, weft_thread_analysis_free)

/* Sums of time kinds used by both tables. */
weft_time_t weft_thread_time_sync(const weft_time_t *time);
weft_time_t weft_thread_time_other(const weft_time_t *time);

/* Section "threads": one row per (process, start routine). */
weft_table_t *weft_thread_analysis_groups_table(const weft_thread_analysis_t *analysis,
                                                const weft_model_t *model);
/* Section "thread-list": one row per thread. */
weft_table_t *weft_thread_analysis_threads_table(const weft_thread_analysis_t *analysis,
                                                 const weft_model_t *model);

G_END_DECLS

#endif /* WEFT_ANALYSIS_THREADS_H */
