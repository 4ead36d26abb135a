/*
 * weft-lod.h - level of detail for one lane: walks the intervals of a
 * time-sorted, non-overlapping sequence that intersect the visible window
 * and folds those narrower than a few pixels into boxes that stand for
 * several intervals (as Tracy does), skipping over them by binary search.
 * The cost per frame is O(boxes * log n), independent of how many
 * intervals the window holds, and nothing is allocated.
 *
 * A sequence is the model's start/end arrays, optionally seen through an
 * index array (slices of one depth, tasks of one row).
 */
#ifndef WEFT_LOD_H
#define WEFT_LOD_H

#include <glib.h>

#include "weft-model.h"

G_BEGIN_DECLS

typedef enum {
	/* A run of narrow intervals extends as long as the gaps in it are
	 * narrow too (slices, tasks, CPU lanes). */
	WEFT_LOD_EXTEND,
	/* Narrow intervals fold into buckets of about merge_ns each, so a
	 * dense lane stays a sequence of small boxes (state tracks). */
	WEFT_LOD_BUCKET,
} weft_lod_mode_t;

typedef struct {
	guint first;       /* position (in the sequence) of the first interval */
	guint count;       /* how many intervals the box stands for */
	weft_time_t start; /* start of the first */
	weft_time_t end;   /* end of the last */
} weft_lod_box_t;

typedef struct {
	const weft_time_t *starts; /* borrowed */
	const weft_time_t *ends;   /* borrowed */
	const guint32 *index;      /* borrowed, NULL: direct */
	guint n;
	guint pos;
	weft_time_t t1;
	weft_time_t merge_ns;
	weft_lod_mode_t mode;
} weft_lod_iter_t;

/* merge_ns: intervals shorter than this fold (typically 3 px of time). */
void weft_lod_iter_init(weft_lod_iter_t *iter, const GArray *starts, const GArray *ends,
                        const guint32 *index, guint n, weft_time_t t0, weft_time_t t1,
                        weft_time_t merge_ns, weft_lod_mode_t mode);
gboolean weft_lod_iter_next(weft_lod_iter_t *iter, weft_lod_box_t *box);

/*
 * Advances to the box under time t, with tol_ns of slack on each side (a box
 * is at least tol_ns wide, as it is drawn at least one pixel wide). FALSE
 * when the walk passes t without a hit.
 */
gboolean weft_lod_iter_find(weft_lod_iter_t *iter, weft_time_t t, double tol_ns,
                            weft_lod_box_t *box);

/* The model index of sequence position pos. */
static inline guint weft_lod_iter_model_index(const weft_lod_iter_t *iter, guint pos)
{
	return iter->index ? iter->index[pos] : pos;
}

/* First index i >= from in a sorted weft_time_t array with a[i] >= t,
 * by galloping from `from`: for walks that move forward (pixel columns,
 * ticks), each step touches memory near the previous one. */
guint weft_lod_gallop(const GArray *times, guint from, weft_time_t t);

/* Last position whose start is <= t, or G_MAXUINT. For hit tests. */
guint weft_lod_find(const GArray *starts, const guint32 *index, guint n, weft_time_t t);

G_END_DECLS

#endif /* WEFT_LOD_H */
