/*
 * weft-chrome-select.c - what the Chrome JSON writer keeps: threads by
 * --pid/--tid, names by --exclude, the --from/--to window, and --max-size.
 *
 * --max-size runs the writer twice: a measuring pass that counts bytes per
 * class (slices by duration, instants, flows, counters) without
 * output, then the real pass with the finest detail dropped. The measuring
 * pass keeps the duration and size of every slice, so the threshold is
 * exact: the shortest slice kept, and the output fills the budget up to
 * the slices of that one duration. The decisions live here, apart from
 * the events, so that both passes take the same ones.
 */
#include "weft-chrome-private.h"

#include <stdlib.h>

#define SIZE_MARGIN 128     /* bytes: the "dropped" counts in the metadata grow after measuring */
#define THIN_ONE (1u << 20) /* the thin of a class dropped whole */

typedef enum {
	SEL_UNKNOWN = 0,
	SEL_KEEP,
	SEL_EXCLUDED,
} sel_t;

/* ---- selection: --pid, --tid, window, --exclude ---- */

gboolean weft_chrome_name_excluded(const weft_chrome_writer_t *w, const char *name)
{
	for (guint i = 0; i < w->patterns->len; i++) {
		if (g_pattern_spec_match_string(g_ptr_array_index(w->patterns, i), name)) {
			return TRUE;
		}
	}
	return FALSE;
}

gboolean weft_chrome_cached_excluded(weft_chrome_writer_t *w, guint8 *cache, const char *name)
{
	if (*cache == SEL_UNKNOWN) {
		*cache = weft_chrome_name_excluded(w, name) ? SEL_EXCLUDED : SEL_KEEP;
	}
	return *cache == SEL_EXCLUDED;
}

gboolean weft_chrome_str_excluded(weft_chrome_writer_t *w, weft_str_t id)
{
	if (w->patterns->len == 0) {
		return FALSE;
	}
	if (id >= w->model->strings->len) {
		id = 0;
	}
	return weft_chrome_cached_excluded(w, &w->str_sel[id],
	                                   weft_model_borrow_string(w->model, id));
}

static gboolean in_list(const int64_t *list, guint n, int64_t v)
{
	for (guint i = 0; i < n; i++) {
		if (list[i] == v) {
			return TRUE;
		}
	}
	return FALSE;
}

void weft_chrome_select_threads(weft_chrome_writer_t *w)
{
	const weft_model_t *m = w->model;
	const weft_chrome_options_t *o = w->opt;

	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);
		int64_t pid = t->process ? t->process->pid : -1;
		gboolean keep = (!o->n_pids || in_list(o->pids, o->n_pids, pid)) &&
		                (!o->n_tids || in_list(o->tids, o->n_tids, t->tid));

		w->thread_sel[i] = keep;
		if (keep && t->process && t->process->index < m->processes->len) {
			w->process_sel[t->process->index] = 1;
		}
	}
}

gboolean weft_chrome_thread_selected(const weft_chrome_writer_t *w, guint index)
{
	return index < w->model->threads->len && w->thread_sel[index];
}

/* ---- --max-size ---- */

static int cmp_slice_size(const void *a, const void *b)
{
	weft_time_t x = ((const weft_chrome_slice_size_t *) a)->dur,
	            y = ((const weft_chrome_slice_size_t *) b)->dur;

	return x < y ? -1 : x > y;
}

/* Whether this item of the class is dropped (same sequence in both passes). */
gboolean weft_chrome_class_drops(weft_chrome_drop_class_t *c)
{
	if (c->thin == 0 || c->thin >= THIN_ONE) {
		return c->thin != 0;
	}
	c->acc += c->thin;
	if (c->acc >= THIN_ONE) {
		c->acc -= THIN_ONE;
		return TRUE;
	}
	return FALSE;
}

void weft_chrome_class_account(weft_chrome_writer_t *w, weft_chrome_drop_class_t *c, guint64 mark)
{
	if (w->measuring) {
		guint32 size = (guint32) MIN(weft_chrome_out_pos(w) - mark, G_MAXUINT32);

		g_array_append_val(c->sizes, size);
		c->bytes += size;
	}
}

static guint64 thinned_bytes(const weft_chrome_drop_class_t *c, guint32 thin)
{
	weft_chrome_drop_class_t t = {NULL, 0, thin, 0};
	guint64 sum = 0;

	for (guint i = 0; i < c->sizes->len; i++) {
		if (weft_chrome_class_drops(&t)) {
			sum += g_array_index(c->sizes, guint32, i);
		}
	}
	return sum;
}

/*
 * Sets the class to free at least need bytes with the least thinning
 * (binary search; all of it when even that is not enough). Returns FALSE
 * when dropping the whole class is not enough.
 */
static gboolean choose_thinning(weft_chrome_drop_class_t *c, guint64 need)
{
	guint32 lo = 0, hi = THIN_ONE;

	if (c->bytes == 0) {
		return need == 0;
	}
	c->thin = THIN_ONE;
	if (c->bytes <= need) {
		return c->bytes == need;
	}
	while (hi - lo > 1) {
		guint32 mid = lo + (hi - lo) / 2;

		if (thinned_bytes(c, mid) >= need) {
			hi = mid;
		} else {
			lo = mid;
		}
	}
	c->thin = hi;
	return TRUE;
}

/*
 * Drops detail until total fits: slices shortest first
 * (all slices of one duration together), then instants, flows, counters,
 * each thinned evenly or dropped whole.
 */
void weft_chrome_choose_drops(weft_chrome_writer_t *w, guint64 total)
{
	weft_chrome_slice_size_t *sz = (weft_chrome_slice_size_t *) (void *) w->slice_sizes->data;
	guint n = w->slice_sizes->len, k = 0;
	guint64 need, cum = 0;

	if (!w->opt->max_size || total <= w->opt->max_size) {
		return;
	}
	need = total - w->opt->max_size + MIN(SIZE_MARGIN, w->opt->max_size);
	if (n > 0) {
		qsort(sz, n, sizeof(*sz), cmp_slice_size); /* data is NULL when empty */
	}
	while (k < n && cum < need) {
		weft_time_t d = sz[k].dur;

		for (; k < n && sz[k].dur == d; k++) {
			cum += sz[k].bytes;
		}
	}
	if (k > 0) {
		/* the shortest kept duration; past the longest when all go */
		w->drop_below = k < n ? sz[k].dur : sz[n - 1].dur + 1;
		w->stats->dropped_below = w->drop_below;
		w->stats->dropped_all_slices = k == n;
	}
	if (cum >= need) {
		return;
	}
	need -= cum;
	if (choose_thinning(&w->instants, need)) {
		return;
	}
	need -= w->instants.bytes;
	if (choose_thinning(&w->flows, need)) {
		return;
	}
	need -= w->flows.bytes;
	if (!choose_thinning(&w->counters, need)) {
		w->stats->over_size = TRUE;
	}
}

/*
 * Clips [*s, *e] to the window and applies the --max-size slice threshold.
 * Returns FALSE when the slice is not written.
 */
gboolean weft_chrome_slice_visible(weft_chrome_writer_t *w, weft_time_t *s, weft_time_t *e)
{
	if (*s > w->hi || *e < w->lo) {
		w->stats->n_filtered++;
		return FALSE;
	}
	*s = MAX(*s, w->lo);
	*e = MIN(*e, w->hi);
	if (*e - *s < w->drop_below) {
		w->stats->dropped_slices++;
		return FALSE;
	}
	return TRUE;
}

void weft_chrome_slice_account(weft_chrome_writer_t *w, weft_time_t dur, guint64 mark)
{
	if (w->measuring) {
		weft_chrome_slice_size_t sz = {dur, weft_chrome_out_pos(w) - mark};

		g_array_append_val(w->slice_sizes, sz);
	}
}
