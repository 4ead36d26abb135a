/*
 * weft-cpu-table.h - the CPU page's table: the profile's functions
 * (weft-cpu-profile.h), most self time first, as a grid of labels:
 * Function | Self | Self % | Total | Total %.
 */
#ifndef WEFT_CPU_TABLE_H
#define WEFT_CPU_TABLE_H

#include <gtk/gtk.h>

#include "weft-cpu-profile.h"

G_BEGIN_DECLS

#define WEFT_CPU_TABLE_MAX_ROWS 200

/* An empty table (a GtkGrid). */
GtkWidget *weft_cpu_page_table_new(void);

/*
 * Shows the first WEFT_CPU_TABLE_MAX_ROWS of functions (weft_cpu_function_t,
 * borrowed for the call; NULL: none), shares of total, under a header row.
 */
void weft_cpu_table_fill(GtkWidget *table, const GArray *functions, gint64 total);

/* The text at (row, column) (row 0 is the header; borrowed), NULL when none. */
const char *weft_cpu_table_get_text(GtkWidget *table, int row, int column);

G_END_DECLS

#endif /* WEFT_CPU_TABLE_H */
