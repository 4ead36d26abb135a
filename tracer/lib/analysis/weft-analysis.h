/*
 * weft-analysis.h - every analysis by section name, and the whole report
 * as text or JSON (what `weft stats` prints and the viewer's pages show).
 */
#ifndef WEFT_ANALYSIS_H
#define WEFT_ANALYSIS_H

#include <json-c/json.h>

#include "weft-analysis-allocs.h"
#include "weft-analysis-blocking.h"
#include "weft-analysis-critical.h"
#include "weft-analysis-deadlocks.h"
#include "weft-analysis-folded.h"
#include "weft-analysis-locks.h"
#include "weft-analysis-mmu.h"
#include "weft-analysis-options.h"
#include "weft-analysis-regions.h"
#include "weft-analysis-threads.h"
#include "weft-analysis-wakeups.h"
#include "weft-table.h"

G_BEGIN_DECLS

#define WEFT_STATS_FORMAT_VERSION 1

typedef struct {
	const char *name;  /* `--section NAME` */
	const char *title; /* page title */
	const char *group; /* page group in the viewer: threads, blocking, ... */
} weft_section_info_t;

/* Every section in report order; *n_sections receives the count. */
const weft_section_info_t *weft_analysis_sections(guint *n_sections);
gboolean weft_analysis_has_section(const char *name);

/* The table of one section, or NULL when name is not a section. */
weft_table_t *weft_analysis_section_new(const weft_model_t *model, const char *name,
                                        const weft_analysis_options_t *options);

/*
 * Text report: a summary line then each section (all when sections is
 * NULL or empty), tables width columns wide with at most top rows each.
 */
void weft_analysis_report_text(const weft_model_t *model, const char *const *sections,
                               const weft_analysis_options_t *options, guint top, guint width,
                               GString *out);

/* JSON report (docs/stats.md): at most top rows per section (0: all). */
json_object *weft_analysis_report_json(const weft_model_t *model, const char *const *sections,
                                       const weft_analysis_options_t *options, guint top);

G_END_DECLS

#endif /* WEFT_ANALYSIS_H */
