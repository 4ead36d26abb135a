/*
 * weft-analysis-regions.h - user regions (TRACE_REGION_*) and tasks
 * (TRACE_TASK_*) per name: count, total, mean, p50, p99, max, a duration
 * histogram, and the slowest instances with their thread and time so the
 * viewer can reveal them.
 */
#ifndef WEFT_ANALYSIS_REGIONS_H
#define WEFT_ANALYSIS_REGIONS_H

#include "weft-analysis-dist.h"
#include "weft-analysis-options.h"
#include "weft-table.h"

G_BEGIN_DECLS

typedef struct {
	const weft_thread_t *thread; /* borrowed; NULL when unknown */
	weft_time_t start, end;
	guint8 flags; /* WEFT_FLAG_* */
} weft_span_instance_t;

typedef struct {
	weft_str_t name;
	weft_dist_t dist;
	GArray *slowest; /* weft_span_instance_t, slowest first, owned */
} weft_span_stats_t;

typedef enum {
	WEFT_SPAN_REGIONS = 0,
	WEFT_SPAN_TASKS,
} weft_span_kind_t;

/* weft_span_stats_t per name, the largest total first; free with weft_span_stats_free(). */
GArray *weft_span_analysis_new(const weft_model_t *model, weft_span_kind_t kind,
                               const weft_analysis_options_t *options);
void weft_span_stats_free(GArray *stats);

/* Sections "regions"/"tasks" and "region-instances"/"task-instances". */
weft_table_t *weft_span_table_new(const weft_model_t *model, weft_span_kind_t kind,
                                  const weft_analysis_options_t *options);
weft_table_t *weft_span_instances_table_new(const weft_model_t *model, weft_span_kind_t kind,
                                            const weft_analysis_options_t *options);

G_END_DECLS

#endif /* WEFT_ANALYSIS_REGIONS_H */
