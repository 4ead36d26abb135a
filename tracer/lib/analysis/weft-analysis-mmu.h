/*
 * weft-analysis-mmu.h - minimum utilization over window sizes, like go
 * tool trace's MMU page. Utilization at a time is the share of usable
 * CPUs that running threads use: running / min(live threads, CPUs), with
 * running capped at the CPUs (without kernel scheduling events more
 * threads may look running than there are CPUs). For a window size w,
 * the MMU is the lowest mean utilization of any window of length w.
 */
#ifndef WEFT_ANALYSIS_MMU_H
#define WEFT_ANALYSIS_MMU_H

#include "weft-analysis-options.h"
#include "weft-table.h"

G_BEGIN_DECLS

typedef struct {
	weft_time_t window;
	double mmu;           /* in [0, 1] */
	weft_time_t worst_at; /* start of a window with that utilization */
} weft_mmu_point_t;

typedef struct {
	GArray *points;           /* weft_mmu_point_t by window size, owned */
	double mean_utilization;  /* over the whole trace */
	guint ncpus;              /* CPUs the threads shared */
	const char *ncpus_source; /* static: where that number came from */
} weft_mmu_t;

/* Windows: 1, 2, 5 x 10^k ns up to the trace's duration, which is the last. */
weft_mmu_t *weft_mmu_new(const weft_model_t *model, const weft_analysis_options_t *options);
/* MMU for given window sizes (ns, any order) into points. */
weft_mmu_t *weft_mmu_new_for_windows(const weft_model_t *model,
                                     const weft_analysis_options_t *options,
                                     const weft_time_t *windows, guint n_windows);
void weft_mmu_free(weft_mmu_t *mmu);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_mmu_t, weft_mmu_free)

/* Section "mmu". */
weft_table_t *weft_mmu_table_new(const weft_model_t *model, const weft_analysis_options_t *options);

G_END_DECLS

#endif /* WEFT_ANALYSIS_MMU_H */
