/*
 * weft-analysis-dist.h - summary of a set of durations (or sizes):
 * count, total, mean, nearest-rank p50/p99, max and a log2 histogram.
 */
#ifndef WEFT_ANALYSIS_DIST_H
#define WEFT_ANALYSIS_DIST_H

#include <glib.h>

#include "weft-table.h"

G_BEGIN_DECLS

typedef struct {
	guint64 count;
	gint64 total;
	double mean;
	gint64 min, p50, p99, max;
	weft_histogram_t histogram;
} weft_dist_t;

/* Collects values, then summarizes them. */
typedef struct {
	GArray *values; /* gint64, owned */
} weft_dist_builder_t;

void weft_dist_builder_init(weft_dist_builder_t *b);
void weft_dist_builder_add(weft_dist_builder_t *b, gint64 value);
/* Fills out and frees the builder's storage. */
void weft_dist_builder_finish(weft_dist_builder_t *b, weft_dist_t *out);

/* Nearest-rank percentile of sorted values (n > 0), p in (0, 100]. */
gint64 weft_dist_percentile(const gint64 *sorted, guint64 n, double p);

G_END_DECLS

#endif /* WEFT_ANALYSIS_DIST_H */
