/* Duration distributions: nearest-rank percentiles over sorted values. */
#include "weft-analysis-dist.h"

#include "weft-analysis-private.h"

#include <math.h>
#include <string.h>

void weft_dist_builder_init(weft_dist_builder_t *b)
{
	b->values = g_array_new(FALSE, FALSE, sizeof(gint64));
}

void weft_dist_builder_add(weft_dist_builder_t *b, gint64 value)
{
	g_array_append_val(b->values, value);
}

/* Sorts signed values as unsigned ones by flipping the sign bit. */
static void sort_i64(gint64 *v, gsize n)
{
	guint64 *u = (guint64 *) (void *) v;

	for (gsize i = 0; i < n; i++) {
		u[i] ^= (guint64) 1 << 63;
	}
	weft_analysis_sort_u64(u, n);
	for (gsize i = 0; i < n; i++) {
		u[i] ^= (guint64) 1 << 63;
	}
}

gint64 weft_dist_percentile(const gint64 *sorted, guint64 n, double p)
{
	guint64 rank = (guint64) ceil(p / 100.0 * (double) n);

	rank = CLAMP(rank, 1, n);
	return sorted[rank - 1];
}

void weft_dist_builder_finish(weft_dist_builder_t *b, weft_dist_t *out)
{
	const gint64 *v;
	guint64 n = b->values->len;

	memset(out, 0, sizeof(*out));
	if (n) {
		sort_i64((gint64 *) (void *) b->values->data, n);
		v = (const gint64 *) (const void *) b->values->data;
		for (guint64 i = 0; i < n; i++) {
			out->total += v[i];
			weft_histogram_add(&out->histogram, v[i] > 0 ? (guint64) v[i] : 0, 1);
		}
		out->count = n;
		out->mean = (double) out->total / (double) n;
		out->min = v[0];
		out->max = v[n - 1];
		out->p50 = weft_dist_percentile(v, n, 50);
		out->p99 = weft_dist_percentile(v, n, 99);
	}
	g_array_free(b->values, TRUE);
	b->values = NULL;
}
