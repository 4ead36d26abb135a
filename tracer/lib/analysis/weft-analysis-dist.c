/* Duration distributions: exact nearest-rank percentiles, found by selection. */
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

static inline void swap_i64(gint64 *v, gsize i, gsize j)
{
	gint64 x = v[i];

	v[i] = v[j];
	v[j] = x;
}

/*
 * Moves the k-th smallest of v[lo..hi] (k an index of the whole array) to
 * v[k], with smaller or equal values before it and greater or equal ones
 * after: quickselect with a three-way partition around the median of
 * three, linear on average and safe with many equal values. It gives the
 * value sorting would, without sorting.
 */
static void select_i64(gint64 *v, gsize lo, gsize hi, gsize k)
{
	while (lo < hi) {
		gint64 a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
		gint64 pivot = MAX(MIN(a, b), MIN(MAX(a, b), c));
		gsize lt = lo, i = lo, gt = hi;

		/* v[lo..lt) < pivot, v[lt..i) == pivot, v(gt..hi] > pivot. */
		while (i <= gt) {
			if (v[i] < pivot) {
				swap_i64(v, lt++, i++);
			} else if (v[i] > pivot) {
				swap_i64(v, i, gt--);
			} else {
				i++;
			}
		}
		if (k < lt) {
			hi = lt - 1;
		} else if (k > gt) {
			lo = gt + 1;
		} else {
			return;
		}
	}
}

static gsize nearest_rank(guint64 n, double p)
{
	guint64 rank = (guint64) ceil(p / 100.0 * (double) n);

	return (gsize) (CLAMP(rank, 1, n) - 1);
}

gint64 weft_dist_percentile(const gint64 *sorted, guint64 n, double p)
{
	guint64 rank = (guint64) ceil(p / 100.0 * (double) n);

	rank = CLAMP(rank, 1, n);
	return sorted[rank - 1];
}

void weft_dist_builder_finish(weft_dist_builder_t *b, weft_dist_t *out)
{
	gint64 *v;
	guint64 n = b->values->len;

	memset(out, 0, sizeof(*out));
	if (n) {
		gsize r50 = nearest_rank(n, 50), r99 = nearest_rank(n, 99);

		v = (gint64 *) (void *) b->values->data;
		out->min = out->max = v[0];
		for (guint64 i = 0; i < n; i++) {
			out->total += v[i];
			out->min = MIN(out->min, v[i]);
			out->max = MAX(out->max, v[i]);
			weft_histogram_add(&out->histogram, v[i] > 0 ? (guint64) v[i] : 0, 1);
		}
		out->count = n;
		out->mean = (double) out->total / (double) n;
		/* Exact nearest-rank values by selection: p99 lies above p50. */
		select_i64(v, 0, n - 1, r50);
		out->p50 = v[r50];
		select_i64(v, r50, n - 1, r99);
		out->p99 = v[r99];
	}
	g_array_free(b->values, TRUE);
	b->values = NULL;
}
