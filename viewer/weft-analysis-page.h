/*
 * weft-analysis-page.h - one analysis section (weft-analysis.h) as a
 * sortable table: a GtkColumnView over the section's weft_table_t.
 * Activating a row emits "reveal" with the row's link (thread index or
 * G_MAXUINT, start, end) so the window can show it on the timeline.
 *
 * The sections with call stacks (sync, syscall, sleep, locks, allocs,
 * leaks) also have a flame graph of their profile (weft-profile.h: block,
 * syscall, sleep, mutex, alloc_space, leak), over the whole trace, behind
 * a "Table | Flame graph" switch; the worker computes it with the table.
 */
#ifndef WEFT_ANALYSIS_PAGE_H
#define WEFT_ANALYSIS_PAGE_H

#include <gtk/gtk.h>

#include "weft-analysis.h"

G_BEGIN_DECLS

#define WEFT_TYPE_ANALYSIS_PAGE (weft_analysis_page_get_type())
G_DECLARE_FINAL_TYPE(WeftAnalysisPage, weft_analysis_page, WEFT, ANALYSIS_PAGE, GtkBox)

/* A page for section (a name from weft_analysis_sections()). */
GtkWidget *weft_analysis_page_new(const char *section);
const char *weft_analysis_page_get_section(WeftAnalysisPage *self);

/* Recomputes the table from model (borrowed for the call; NULL: empty). */
void weft_analysis_page_set_model(WeftAnalysisPage *self, const weft_model_t *model,
                                  const weft_analysis_options_t *options);
/*
 * Computes the table in a worker thread and shows it when done; until then
 * the page shows a spinner. model must not change while computing: keeper
 * (referenced until the worker ends; may be NULL) is the object that owns
 * it, so it outlives the worker even if the page moves on to another model.
 * A later call, or weft_analysis_page_set_model(), cancels this one.
 */
void weft_analysis_page_compute(WeftAnalysisPage *self, const weft_model_t *model,
                                const weft_analysis_options_t *options, GObject *keeper);
/* Is a worker computing the page's table? */
gboolean weft_analysis_page_is_computing(WeftAnalysisPage *self);
/* The shown table (borrowed; NULL before a model is set and while computing). */
const weft_table_t *weft_analysis_page_borrow_table(WeftAnalysisPage *self);

GtkColumnView *weft_analysis_page_get_column_view(WeftAnalysisPage *self);
/* The table row shown at position (after sorting), or G_MAXUINT. */
guint weft_analysis_page_get_row_at(WeftAnalysisPage *self, guint position);
/* Sorts by the column with key; returns FALSE when there is none. */
gboolean weft_analysis_page_sort_by(WeftAnalysisPage *self, const char *key, GtkSortType order);
/* What activating the row at position does: emits "reveal" if it has a link. */
void weft_analysis_page_activate(WeftAnalysisPage *self, guint position);

/* The page's WeftFlameGraph, NULL when its section has none. */
GtkWidget *weft_analysis_page_get_flame_graph(WeftAnalysisPage *self);
/* Shows the flame graph (when the section has one) or the table. */
void weft_analysis_page_show_flame_graph(WeftAnalysisPage *self, gboolean flame);

G_END_DECLS

#endif /* WEFT_ANALYSIS_PAGE_H */
