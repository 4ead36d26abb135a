/*
 * weft-cpu-page.h - the "CPU" page of a window: the `cpu` profile of the
 * CPU samples (or, with the Wall switch, the `wall` profile: samples plus
 * every off-CPU interval) as a flame graph. It follows the session's
 * selected time range (dragged on the ruler) and, with "Selected thread
 * only", the thread of the selected item; a line above the graph says
 * what the selection is. A "Table | Flame graph" switch shows the
 * profile's functions by self time instead. Profiles are computed in a
 * worker thread.
 */
#ifndef WEFT_CPU_PAGE_H
#define WEFT_CPU_PAGE_H

#include <gtk/gtk.h>

#include "weft-cpu-profile.h"
#include "weft-flame-graph.h"
#include "weft-session.h"
#include "weft-window.h"

G_BEGIN_DECLS

#define WEFT_TYPE_CPU_PAGE (weft_cpu_page_get_type())
G_DECLARE_FINAL_TYPE(WeftCpuPage, weft_cpu_page, WEFT, CPU_PAGE, GtkBox)

GtkWidget *weft_cpu_page_new(void);
/* Adds a CPU page named "cpu" to window (once), following its session. */
void weft_cpu_page_install(WeftWindow *window);
/* The CPU page of window, NULL when none (borrowed). */
WeftCpuPage *weft_cpu_page_find(WeftWindow *window);

/* Follows session (referenced; NULL: shows nothing). */
void weft_cpu_page_set_session(WeftCpuPage *self, WeftSession *session);

/* Shows the wall-clock profile (TRUE) or the CPU profile. */
void weft_cpu_page_set_wall(WeftCpuPage *self, gboolean wall);
/* Restricts the profile to the thread of the session's selected item. */
void weft_cpu_page_set_thread_only(WeftCpuPage *self, gboolean only);

/* Shows the table of functions (TRUE) or the flame graph (the default). */
void weft_cpu_page_show_table(WeftCpuPage *self, gboolean table);
/* The table (weft-cpu-table.h; borrowed). */
GtkWidget *weft_cpu_page_get_table(WeftCpuPage *self);

/* Is a worker computing the profile? */
gboolean weft_cpu_page_is_computing(WeftCpuPage *self);
/* The shown result (borrowed; NULL before a session and while computing);
 * its tree has moved to the flame graph (weft_flame_graph_borrow_tree()). */
const weft_cpu_result_t *weft_cpu_page_borrow_result(WeftCpuPage *self);
WeftFlameGraph *weft_cpu_page_get_flame_graph(WeftCpuPage *self);
/* The line saying what is selected, or why nothing shows. */
const char *weft_cpu_page_get_summary(WeftCpuPage *self);

G_END_DECLS

#endif /* WEFT_CPU_PAGE_H */
