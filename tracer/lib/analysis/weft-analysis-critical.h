/*
 * weft-analysis-critical.h - the critical path (weft-critical-path.h) of
 * every instance of a region, of a task, or of one thread's time range,
 * aggregated: how much of the path each (thread, state, function) holds.
 * The row on top is where the requests' time really went, whichever
 * thread it was on.
 */
#ifndef WEFT_ANALYSIS_CRITICAL_H
#define WEFT_ANALYSIS_CRITICAL_H

#include "weft-analysis-options.h"
#include "weft-critical-path.h"
#include "weft-table.h"

G_BEGIN_DECLS

typedef struct {
	guint thread;  /* index into model->threads */
	guint8 state;  /* weft_state_t */
	guint8 kind;   /* weft_critical_kind_t */
	guint32 site;  /* the stack's first frame, else the interval's call site; 0: none */
	guint32 stack; /* the longest segment's stack, 0 when none */
	weft_time_t total;
	guint64 segments;
	weft_time_t example_start, example_end; /* the longest segment */
} weft_critical_row_t;

typedef struct {
	char *target;           /* "region NAME", "task NAME", "thread TID", owned */
	guint instances;        /* intervals walked */
	weft_time_t total;      /* their summed length: the rows' totals sum to it */
	GArray *rows;           /* weft_critical_row_t, the largest total first, owned */
	GArray *segments;       /* weft_critical_segment_t of every instance, in order, owned */
	GArray *instance_first; /* guint: index in segments where each instance starts, owned */
} weft_critical_analysis_t;

/* Whether options asks for a critical path at all. */
gboolean weft_critical_wanted(const weft_analysis_options_t *options);

/* NULL when options asks for no critical path. */
weft_critical_analysis_t *weft_critical_analysis_new(const weft_model_t *model,
                                                     const weft_analysis_options_t *options);
void weft_critical_analysis_free(weft_critical_analysis_t *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_critical_analysis_t, weft_critical_analysis_free)

/*
 * The rows of segments (weft_critical_segment_t of one or more paths):
 * a new array of weft_critical_row_t, the largest total first.
 */
GArray *weft_critical_rows_new(const weft_model_t *model, const GArray *segments);

/* The function a row is charged to, "(between traced calls)" for gaps. */
char *weft_critical_row_dup_function(const weft_model_t *model, const weft_critical_row_t *r);

/* "mutex", "condvar (woken)", "join (no waker)", ... */
char *weft_critical_dup_state_label(guint8 state, guint8 kind);

/* The function a segment is charged to: its stack's leaf frame, else its call site. */
guint32 weft_critical_segment_site(const weft_model_t *model, guint32 stack, guint32 callsite);

/* Section "critical-path" (empty, with a note, when options asks for none). */
weft_table_t *weft_critical_table_new(const weft_model_t *model,
                                      const weft_analysis_options_t *options);

G_END_DECLS

#endif /* WEFT_ANALYSIS_CRITICAL_H */
