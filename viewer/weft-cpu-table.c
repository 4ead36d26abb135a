/*
 * The CPU page's table, a GtkGrid: at most WEFT_CPU_TABLE_MAX_ROWS rows of
 * five labels, rebuilt when the profile changes.
 */
#include "weft-cpu-table.h"

#include "weft-format.h"

static const char *const headers[] = {"Function", "Self", "Self %", "Total", "Total %"};

GtkWidget *weft_cpu_page_table_new(void)
{
	GtkWidget *grid = gtk_grid_new();

	gtk_grid_set_column_spacing(GTK_GRID(grid), 18);
	gtk_grid_set_row_spacing(GTK_GRID(grid), 2);
	gtk_widget_set_margin_start(grid, 12);
	gtk_widget_set_margin_end(grid, 12);
	gtk_accessible_update_property(GTK_ACCESSIBLE(grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
	                               "CPU functions", -1);
	return grid;
}

static void add_cell(GtkWidget *table, int row, int column, const char *text)
{
	GtkWidget *label = gtk_label_new(text);

	gtk_label_set_xalign(GTK_LABEL(label), column == 0 ? 0.0f : 1.0f);
	if (column == 0) {
		gtk_label_set_ellipsize(GTK_LABEL(label), PANGO_ELLIPSIZE_END);
		gtk_widget_set_hexpand(label, TRUE);
	} else {
		gtk_widget_add_css_class(label, "numeric");
	}
	if (row == 0) {
		gtk_widget_add_css_class(label, "heading");
	}
	gtk_grid_attach(GTK_GRID(table), label, column, row, 1, 1);
}

static void add_row(GtkWidget *table, int row, const weft_cpu_function_t *f, gint64 total)
{
	char self[32], all[32], self_pct[16], all_pct[16];

	weft_format_value(self, sizeof self, f->self, "nanoseconds");
	weft_format_value(all, sizeof all, f->total, "nanoseconds");
	g_snprintf(self_pct, sizeof self_pct, "%.1f%%", total > 0 ? 100.0 * f->self / total : 0.0);
	g_snprintf(all_pct, sizeof all_pct, "%.1f%%", total > 0 ? 100.0 * f->total / total : 0.0);
	add_cell(table, row, 0, f->name);
	add_cell(table, row, 1, self);
	add_cell(table, row, 2, self_pct);
	add_cell(table, row, 3, all);
	add_cell(table, row, 4, all_pct);
}

void weft_cpu_table_fill(GtkWidget *table, const GArray *functions, gint64 total)
{
	GtkWidget *child;

	g_return_if_fail(GTK_IS_GRID(table));
	while ((child = gtk_widget_get_first_child(table))) {
		gtk_grid_remove(GTK_GRID(table), child);
	}
	for (guint c = 0; c < G_N_ELEMENTS(headers); c++) {
		add_cell(table, 0, (int) c, headers[c]);
	}
	for (guint i = 0; functions && i < MIN(functions->len, WEFT_CPU_TABLE_MAX_ROWS); i++) {
		add_row(table, (int) i + 1, &g_array_index(functions, weft_cpu_function_t, i),
		        total);
	}
}

const char *weft_cpu_table_get_text(GtkWidget *table, int row, int column)
{
	GtkWidget *child;

	g_return_val_if_fail(GTK_IS_GRID(table), NULL);
	child = gtk_grid_get_child_at(GTK_GRID(table), column, row);
	return GTK_IS_LABEL(child) ? gtk_label_get_text(GTK_LABEL(child)) : NULL;
}
