/*
 * Level-of-detail walk over one lane's intervals; see weft-lod.h.
 */
#include "weft-lod.h"

static inline weft_time_t seq_start(const weft_lod_iter_t *it, guint pos)
{
	return it->starts[it->index ? it->index[pos] : pos];
}

static inline weft_time_t seq_end(const weft_lod_iter_t *it, guint pos)
{
	return it->ends[it->index ? it->index[pos] : pos];
}

/* First position in [lo, n) whose start is >= t. Galloping from lo
 * (probes lo+1, lo+3, lo+7, ...) then bisecting: the walk moves forward
 * by a few intervals per box, so the probes stay close together in
 * memory instead of jumping across the whole array (cache misses
 * dominated a plain bisection on 10-million-interval lanes). */
static guint seq_lower_bound(const weft_lod_iter_t *it, guint lo, weft_time_t t)
{
	guint hi = it->n, step = 1;

	while (lo + step < hi && seq_start(it, lo + step) < t) {
		lo += step + 1;
		step *= 2;
	}
	hi = MIN(hi, lo + step + 1);

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (seq_start(it, mid) < t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

void weft_lod_iter_init(weft_lod_iter_t *iter, const GArray *starts, const GArray *ends,
                        const guint32 *index, guint n, weft_time_t t0, weft_time_t t1,
                        weft_time_t merge_ns, weft_lod_mode_t mode)
{
	guint pos;

	iter->starts = (const weft_time_t *) (const void *) starts->data;
	iter->ends = (const weft_time_t *) (const void *) ends->data;
	iter->index = index;
	iter->n = n;
	iter->t1 = t1;
	iter->merge_ns = MAX(merge_ns, 1);
	iter->mode = mode;
	/* Intervals do not overlap, so only the one just before the first
	 * start >= t0 can reach into the window. */
	pos = seq_lower_bound(iter, 0, t0);
	if (pos > 0 && seq_end(iter, pos - 1) > t0) {
		pos--;
	}
	iter->pos = pos;
}

/* Position one past the run of narrow intervals that starts at pos. */
static guint run_end(const weft_lod_iter_t *it, guint pos)
{
	weft_time_t reach = seq_start(it, pos) + it->merge_ns;
	guint next = pos + 1;

	for (;;) {
		guint j = seq_lower_bound(it, next, reach);

		/* A wide interval ends the run and is drawn on its own. */
		if (j > next && seq_end(it, j - 1) - seq_start(it, j - 1) >= it->merge_ns) {
			j--;
		}
		if (j <= next || it->mode == WEFT_LOD_BUCKET || j >= it->n ||
		    seq_start(it, j - 1) >= it->t1) {
			return MAX(j, next);
		}
		next = j;
		reach = seq_end(it, j - 1) + it->merge_ns;
	}
}

gboolean weft_lod_iter_next(weft_lod_iter_t *iter, weft_lod_box_t *box)
{
	guint pos = iter->pos, last;
	weft_time_t start;

	if (pos >= iter->n) {
		return FALSE;
	}
	start = seq_start(iter, pos);
	if (start >= iter->t1) {
		return FALSE;
	}
	if (seq_end(iter, pos) - start >= iter->merge_ns) {
		last = pos + 1;
	} else {
		last = run_end(iter, pos);
	}
	box->first = pos;
	box->count = last - pos;
	box->start = start;
	box->end = MAX(seq_end(iter, last - 1), start);
	iter->pos = last;
	return TRUE;
}

guint weft_lod_find(const GArray *starts, const guint32 *index, guint n, weft_time_t t)
{
	const weft_time_t *s = (const weft_time_t *) (const void *) starts->data;
	guint lo = 0, hi = n;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (s[index ? index[mid] : mid] <= t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo == 0 ? G_MAXUINT : lo - 1;
}

guint weft_lod_gallop(const GArray *times, guint from, weft_time_t t)
{
	const weft_time_t *a = (const weft_time_t *) (const void *) times->data;
	guint lo = from, hi = times->len, step = 1;

	while (lo + step < hi && a[lo + step] < t) {
		lo += step + 1;
		step *= 2;
	}
	hi = MIN(hi, lo + step + 1);
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (a[mid] < t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

gboolean weft_lod_iter_find(weft_lod_iter_t *iter, weft_time_t t, double tol_ns,
                            weft_lod_box_t *box)
{
	while (weft_lod_iter_next(iter, box)) {
		double x0 = (double) box->start;
		double x1 = MAX((double) box->end, x0 + tol_ns);

		if ((double) t < x0 - tol_ns) {
			return FALSE;
		}
		if ((double) t <= x1 + tol_ns) {
			return TRUE;
		}
	}
	return FALSE;
}
