/*
 * weft-analysis-cpu.h - where the CPU time went, by function, from the
 * threads' CPU samples: the table `go tool pprof -top` prints (flat: in
 * the function itself, cum: in it and what it called).
 */
#ifndef WEFT_ANALYSIS_CPU_H
#define WEFT_ANALYSIS_CPU_H

#include <glib.h>

#include "weft-analysis-options.h"
#include "weft-model.h"
#include "weft-table.h"

G_BEGIN_DECLS

/* Whether a thread options selects (by pid) has CPU samples. */
gboolean weft_cpu_has_samples(const weft_model_t *model, const weft_analysis_options_t *options);

/* Section "cpu": one row per function, most flat time first. */
weft_table_t *weft_cpu_table_new(const weft_model_t *model, const weft_analysis_options_t *options);

G_END_DECLS

#endif /* WEFT_ANALYSIS_CPU_H */
