/*
 * Minimum mutator-style utilization. U(t), the integral of utilization,
 * is piecewise linear between steps, so the lowest mean over windows of
 * length w is found at a window whose start or end is a step.
 */
#include "weft-analysis-mmu.h"

#include "weft-analysis-private.h"

typedef struct {
	const weft_time_t *t; /* step times, borrowed */
	double *u;            /* utilization during step i, owned */
	double *integral;     /* U at t[i], owned */
	guint n;
} curve_t;

static void curve_init(curve_t *c, const weft_steps_t *steps, guint cap)
{
	c->n = steps->t->len;
	c->t = (const weft_time_t *) (const void *) steps->t->data;
	c->u = g_new0(double, c->n + 1);
	c->integral = g_new0(double, c->n + 1);
	for (guint i = 0; i < c->n; i++) {
		guint32 r = g_array_index(steps->running, guint32, i);
		guint32 a = g_array_index(steps->alive, guint32, i);

		/* Of the CPUs the live threads could use, the share running threads used. */
		r = MIN(MIN(r, cap), a);
		a = MIN(a, cap);
		c->u[i] = a ? (double) r / a : 1.0;
		if (i > 0) {
			c->integral[i] =
			    c->integral[i - 1] + c->u[i - 1] * (double) (c->t[i] - c->t[i - 1]);
		}
	}
}

static void curve_clear(curve_t *c)
{
	g_free(c->u);
	g_free(c->integral);
}

/* U(x) for x in [t[0], t[n-1]]; *hint is a step at or before x, moved forward. */
static double curve_at(const curve_t *c, weft_time_t x, guint *hint)
{
	guint h = *hint;

	while (h + 1 < c->n && c->t[h + 1] <= x) {
		h++;
	}
	*hint = h;
	return c->integral[h] + c->u[h] * (double) (x - c->t[h]);
}

/* Keeps the lower mean of the window [x, x + w], given U at both ends. */
static inline void keep(weft_mmu_point_t *p, weft_time_t x, double u_start, double u_end,
                        double inv_w)
{
	double mean = (u_end - u_start) * inv_w;

	if (mean < p->mmu - 1e-12) {
		p->mmu = mean;
		p->worst_at = x;
	}
}

/*
 * The lowest mean starts or ends a window at a step: two sweeps, windows
 * starting at each step and windows ending at each step, each in time
 * order so the hint for the other end only moves forward. The end that
 * sits on a step reads U there directly.
 *
 * The mean's slope is u(x + w) - u(x): a minimum needs it to turn
 * upwards, so a window may start only where u steps down (down[], found
 * once for all window sizes), or end where it steps up (up[]), or touch
 * the ends of the trace.
 */
static weft_mmu_point_t mmu_for(const curve_t *c, const guint *down, guint n_down, const guint *up,
                                guint n_up, weft_time_t w)
{
	weft_mmu_point_t p = {w, 2.0, c->t[0]};
	weft_time_t first = c->t[0], last = c->t[c->n - 1] - w;
	double inv_w = 1.0 / (double) w;
	guint hint = 0;

	keep(&p, first, c->integral[0], curve_at(c, first + w, &hint), inv_w);
	for (guint k = 0; k < n_down; k++) {
		guint i = down[k];

		if (c->t[i] > last) {
			break;
		}
		keep(&p, c->t[i], c->integral[i], curve_at(c, c->t[i] + w, &hint), inv_w);
	}
	hint = 0;
	for (guint k = 0; k < n_up; k++) {
		guint i = up[k];

		if (c->t[i] - w < first) {
			continue;
		}
		keep(&p, c->t[i] - w, curve_at(c, c->t[i] - w, &hint), c->integral[i], inv_w);
	}
	keep(&p, last, curve_at(c, last, &hint), c->integral[c->n - 1], inv_w);
	p.mmu = CLAMP(p.mmu, 0.0, 1.0);
	return p;
}

static int cmp_time(gconstpointer a, gconstpointer b)
{
	weft_time_t x = *(const weft_time_t *) a, y = *(const weft_time_t *) b;

	return (x > y) - (x < y);
}

weft_mmu_t *weft_mmu_new_for_windows(const weft_model_t *model,
                                     const weft_analysis_options_t *options,
                                     const weft_time_t *windows, guint n_windows)
{
	weft_mmu_t *mmu = g_new0(weft_mmu_t, 1);
	g_autofree weft_time_t *sorted = g_memdup2(windows, sizeof(*windows) * n_windows);
	weft_steps_t steps;
	curve_t c;
	weft_time_t span;

	mmu->points = g_array_new(FALSE, FALSE, sizeof(weft_mmu_point_t));
	mmu->ncpus = weft_analysis_ncpus(model, options, &mmu->ncpus_source);
	weft_steps_init(&steps, model, options);
	curve_init(&c, &steps, mmu->ncpus);
	span = c.n ? c.t[c.n - 1] - c.t[0] : 0;
	if (span > 0) {
		mmu->mean_utilization = c.integral[c.n - 1] / (double) span;
		g_autofree guint *down = g_new(guint, c.n), *up = g_new(guint, c.n);
		guint n_down = 0, n_up = 0;

		for (guint i = 1; i < c.n; i++) {
			if (c.u[i] < c.u[i - 1]) {
				down[n_down++] = i;
			} else if (c.u[i] > c.u[i - 1]) {
				up[n_up++] = i;
			}
		}
		qsort(sorted, n_windows, sizeof(*sorted), cmp_time);
		for (guint i = 0; i < n_windows; i++) {
			weft_mmu_point_t p;

			if (sorted[i] <= 0 || sorted[i] > span) {
				continue;
			}
			p = mmu_for(&c, down, n_down, up, n_up, sorted[i]);
			g_array_append_val(mmu->points, p);
		}
	}
	curve_clear(&c);
	weft_steps_clear(&steps);
	return mmu;
}

weft_mmu_t *weft_mmu_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	g_autoptr(GArray) windows = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	weft_time_t span = model->end - model->start;
	static const int mant[] = {1, 2, 5};

	for (weft_time_t p = 1000; p > 0 && p <= span; p *= 10) {
		for (guint m = 0; m < G_N_ELEMENTS(mant); m++) {
			weft_time_t w = p * mant[m];

			if (w < span) {
				g_array_append_val(windows, w);
			}
		}
	}
	g_array_append_val(windows, span);
	return weft_mmu_new_for_windows(
	    model, options, (const weft_time_t *) (const void *) windows->data, windows->len);
}

void weft_mmu_free(weft_mmu_t *mmu)
{
	if (!mmu) {
		return;
	}
	g_array_free(mmu->points, TRUE);
	g_free(mmu);
}

static const weft_column_t mmu_columns[] = {
    {"window", "window", WEFT_CELL_DURATION, 0},
    {"mmu", "min utilization", WEFT_CELL_RATIO, 0},
    {"worst_at", "worst window at", WEFT_CELL_TIME, 0},
};

weft_table_t *weft_mmu_table_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	g_autoptr(weft_mmu_t) mmu = weft_mmu_new(model, options);
	weft_table_t *table = weft_table_new("mmu", "Minimum utilization", mmu_columns,
	                                     G_N_ELEMENTS(mmu_columns), model->start);
	g_autofree char *note = NULL;

	note = g_strdup_printf("utilization: of the CPUs the live threads could use (%u, %s), "
	                       "the share running threads used; mean %.1f%%",
	                       mmu->ncpus, mmu->ncpus_source, mmu->mean_utilization * 100);
	weft_table_set_note(table, note);
	for (guint i = 0; i < mmu->points->len; i++) {
		const weft_mmu_point_t *p = &g_array_index(mmu->points, weft_mmu_point_t, i);
		guint row = weft_table_add_row(table);

		weft_table_set_int(table, row, 0, p->window);
		weft_table_set_double(table, row, 1, p->mmu);
		weft_table_set_int(table, row, 2, p->worst_at);
		weft_table_set_link(table, row, NULL, p->worst_at, p->worst_at + p->window);
	}
	return table;
}
