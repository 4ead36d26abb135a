/*
 * weft-analysis-allocs.h - allocations: heap in use (peak and when),
 * allocation rate, per call site (count, bytes, bytes still live at the
 * end), blocks never freed (possible leaks) by call site, and a size
 * histogram. In sampled mode every record stands for `weight` bytes:
 * counts and bytes are then scaled estimates and labelled as such.
 */
#ifndef WEFT_ANALYSIS_ALLOCS_H
#define WEFT_ANALYSIS_ALLOCS_H

#include "weft-analysis-options.h"
#include "weft-table.h"

G_BEGIN_DECLS

typedef struct {
	const weft_process_t *process; /* borrowed */
	gboolean estimated;            /* sampled records: counts and bytes are estimates */
	double allocs, frees;          /* allocations and frees (scaled when sampled) */
	gint64 bytes;                  /* bytes allocated */
	gint64 live_end;               /* bytes never freed within the trace */
	gint64 peak;                   /* heap in use at its peak */
	weft_time_t peak_ts;
	gboolean peak_exact;          /* from the runtime's heap counter, not the records */
	double alloc_rate, byte_rate; /* per second of the process's life */
} weft_heap_row_t;

typedef struct {
	const weft_process_t *process; /* borrowed */
	guint32 callsite;
	gboolean estimated;
	double count;              /* allocations (scaled) */
	gint64 bytes;              /* bytes allocated */
	double live_count;         /* never freed (scaled) */
	gint64 live_bytes;         /* never freed */
	gint64 largest;            /* largest single block */
	weft_time_t first_live_ts; /* first never-freed block, G_MAXINT64 when none */
	gint64 first_live_tid;
} weft_alloc_site_row_t;

/* weft_heap_row_t per process with allocations, by pid. */
GArray *weft_heap_analysis_new(const weft_model_t *model, const weft_analysis_options_t *options);
/* weft_alloc_site_row_t, by bytes allocated (or live bytes when live_only), largest first. */
GArray *weft_alloc_site_analysis_new(const weft_model_t *model, gboolean live_only,
                                     const weft_analysis_options_t *options);

/* Sections "heap", "allocs", "leaks" and "sizes". */
weft_table_t *weft_heap_table_new(const weft_model_t *model,
                                  const weft_analysis_options_t *options);
weft_table_t *weft_alloc_site_table_new(const weft_model_t *model,
                                        const weft_analysis_options_t *options);
weft_table_t *weft_leak_table_new(const weft_model_t *model,
                                  const weft_analysis_options_t *options);
weft_table_t *weft_size_table_new(const weft_model_t *model,
                                  const weft_analysis_options_t *options);

G_END_DECLS

#endif /* WEFT_ANALYSIS_ALLOCS_H */
