/*
 * weft-analysis-pages.h - the analyses beside the timeline: one sidebar
 * page per group of sections (threads, blocking, locks, allocations,
 * regions and tasks, utilization), each section a tab holding a
 * WeftAnalysisPage. Tables are computed when first shown after a trace
 * loads; activating a row reveals its instance on the timeline.
 */
#ifndef WEFT_ANALYSIS_PAGES_H
#define WEFT_ANALYSIS_PAGES_H

#include "weft-window.h"

G_BEGIN_DECLS

/* Adds the analysis pages to window (once). */
void weft_analysis_pages_install(WeftWindow *window);

/* The page of section in window, or NULL (borrowed). */
GtkWidget *weft_analysis_pages_find(WeftWindow *window, const char *section);

G_END_DECLS

#endif /* WEFT_ANALYSIS_PAGES_H */
