/*
 * An analysis section as a sortable GtkColumnView; layout in
 * weft-analysis-page.ui. Rows are WeftAnalysisRow objects holding the
 * table row index; columns are built from the table's columns.
 *
 * weft_analysis_page_compute() runs the analysis in a GTask worker thread:
 * the model is read-only once loaded, so the worker and the UI thread may
 * read it together. The page shows a spinner meanwhile and fills the table
 * when the worker returns; a newer request cancels the older one, whose
 * result is dropped.
 */
#include "weft-analysis-page.h"

#include "weft-flame-graph.h"
#include "weft-format.h"

/* The sections that also show a flame graph, and of which profile value. */
static const struct {
	const char *section;
	weft_profile_kind_t kind;
	guint value; /* index into the profile's sample types */
	const char *caption;
} flames[] = {
    {"sync", WEFT_PROFILE_BLOCK, 1, "Time blocked on synchronization, at the waiter's stack"},
    {"syscall", WEFT_PROFILE_SYSCALL, 1, "Time in blocking system calls"},
    {"sleep", WEFT_PROFILE_SLEEP, 1, "Time sleeping"},
    {"locks", WEFT_PROFILE_MUTEX, 1, "Lock wait time, charged to the stack that released the lock"},
    {"allocs", WEFT_PROFILE_HEAP, 1, "Bytes allocated, at the allocating stack"},
    {"leaks", WEFT_PROFILE_LEAK, 1, "Bytes never freed, at the allocating stack"},
};

/* The flames entry of section, -1 when it has no flame graph. */
static int flame_of(const char *section)
{
	for (guint i = 0; i < G_N_ELEMENTS(flames); i++) {
		if (!g_strcmp0(flames[i].section, section)) {
			return (int) i;
		}
	}
	return -1;
}

/* What a computation gives: the table and, for some sections, the flame tree. */
typedef struct {
	weft_table_t *table;      /* owned */
	weft_flame_tree_t *tree;  /* owned, NULL when the section has no flame graph */
	const char *empty_reason; /* static, NULL when the profile has samples */
} result_t;

static void result_free(gpointer data)
{
	result_t *r = data;

	g_clear_pointer(&r->table, weft_table_free);
	g_clear_pointer(&r->tree, weft_flame_tree_free);
	g_free(r);
}

/* Computes both, on any thread: the model is read-only once loaded. */
static result_t *result_new(const weft_model_t *model, const char *section,
                            const weft_analysis_options_t *options)
{
	result_t *r = g_new0(result_t, 1);
	int f = flame_of(section);

	r->table = weft_analysis_section_new(model, section, options);
	if (f >= 0) {
		g_autoptr(weft_profile_t) prof = weft_profile_new(model, flames[f].kind, NULL);

		r->tree = weft_flame_tree_new(prof, flames[f].value);
		if (weft_flame_tree_node(r->tree, 0)->value <= 0) {
			r->empty_reason = weft_profile_empty_reason(prof);
		}
	}
	return r;
}

/* A table row in the list model. */
#define WEFT_TYPE_ANALYSIS_ROW (weft_analysis_row_get_type())
G_DECLARE_FINAL_TYPE(WeftAnalysisRow, weft_analysis_row, WEFT, ANALYSIS_ROW, GObject)

struct _WeftAnalysisRow {
	GObject parent_instance;
	guint index;
};

G_DEFINE_FINAL_TYPE(WeftAnalysisRow, weft_analysis_row, G_TYPE_OBJECT)

static void weft_analysis_row_class_init(WeftAnalysisRowClass *klass)
{
}

static void weft_analysis_row_init(WeftAnalysisRow *self)
{
}

static WeftAnalysisRow *weft_analysis_row_new(guint index)
{
	WeftAnalysisRow *row = g_object_new(WEFT_TYPE_ANALYSIS_ROW, NULL);

	row->index = index;
	return row;
}

struct _WeftAnalysisPage {
	GtkBox parent_instance;
	GtkWidget *title_label;
	GtkWidget *note_label;
	GtkWidget *empty_label;
	GtkWidget *busy_box;
	GtkWidget *spinner;
	GtkColumnView *column_view;
	GtkWidget *view_switcher;
	GtkStack *views;
	GtkWidget *flame_caption;
	WeftFlameGraph *flame_graph;
	GListStore *rows;         /* WeftAnalysisRow, owned */
	GtkSortListModel *sorted; /* owned */
	weft_table_t *table;      /* owned, NULL before a model */
	char *section;            /* owned */
	GCancellable *computing;  /* owned, the running worker's; NULL when none */
};

G_DEFINE_FINAL_TYPE(WeftAnalysisPage, weft_analysis_page, GTK_TYPE_BOX)

enum { SIGNAL_REVEAL, N_SIGNALS };

static guint signals[N_SIGNALS];

/* What a column's factory and sorter need: the page (weak) and the column. */
typedef struct {
	WeftAnalysisPage *page;
	guint col;
} column_ctx_t;

static gboolean is_numeric(weft_cell_type_t type)
{
	return type != WEFT_CELL_STRING && type != WEFT_CELL_HISTOGRAM;
}

static int compare_cells(weft_cell_type_t type, const weft_cell_t *a, const weft_cell_t *b)
{
	if (!a->set || !b->set) {
		return (int) b->set - (int) a->set; /* unknown values sort last */
	}
	switch (type) {
	case WEFT_CELL_STRING:
		return g_utf8_collate(a->v.s, b->v.s);
	case WEFT_CELL_RATIO:
	case WEFT_CELL_RATE:
		return (a->v.d > b->v.d) - (a->v.d < b->v.d);
	case WEFT_CELL_ADDRESS:
		return ((guint64) a->v.i > (guint64) b->v.i) -
		       ((guint64) a->v.i < (guint64) b->v.i);
	case WEFT_CELL_HISTOGRAM:
		return 0;
	default:
		return (a->v.i > b->v.i) - (a->v.i < b->v.i);
	}
}

static int compare_rows(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const column_ctx_t *ctx = data;
	const weft_table_t *table = ctx->page->table;
	const WeftAnalysisRow *a = pa, *b = pb;
	int c;

	if (!table || ctx->col >= table->n_columns) {
		return GTK_ORDERING_EQUAL;
	}
	c = compare_cells(table->columns[ctx->col].type,
	                  weft_table_borrow_cell(table, a->index, ctx->col),
	                  weft_table_borrow_cell(table, b->index, ctx->col));
	if (c == 0) {
		c = (a->index > b->index) - (a->index < b->index);
	}
	return c < 0 ? GTK_ORDERING_SMALLER : c > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void on_setup(GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
	const column_ctx_t *ctx = data;
	GtkWidget *label = gtk_label_new(NULL);
	weft_cell_type_t type = ctx->page->table->columns[ctx->col].type;

	gtk_label_set_xalign(GTK_LABEL(label), is_numeric(type) ? 1.0f : 0.0f);
	if (type == WEFT_CELL_STRING) {
		gtk_label_set_ellipsize(GTK_LABEL(label), PANGO_ELLIPSIZE_END);
	}
	if (type == WEFT_CELL_HISTOGRAM) {
		gtk_widget_add_css_class(label, "monospace");
	}
	gtk_list_item_set_child(item, label);
}

static void on_bind(GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
	const column_ctx_t *ctx = data;
	WeftAnalysisRow *row = gtk_list_item_get_item(item);
	g_autofree char *text = NULL;

	if (!ctx->page->table || row->index >= ctx->page->table->n_rows) {
		return;
	}
	text = weft_table_dup_cell_text(ctx->page->table, row->index, ctx->col);
	gtk_label_set_text(GTK_LABEL(gtk_list_item_get_child(item)), text);
	if (ctx->page->table->columns[ctx->col].type == WEFT_CELL_STRING) {
		gtk_widget_set_tooltip_text(gtk_list_item_get_child(item), text);
	}
}

static GtkColumnViewColumn *build_column(WeftAnalysisPage *self, guint col)
{
	const weft_column_t *c = &self->table->columns[col];
	column_ctx_t *ctx = g_new0(column_ctx_t, 1);
	GtkListItemFactory *factory = gtk_signal_list_item_factory_new();
	g_autofree char *title =
	    g_strdup_printf("%s%s", (c->flags & WEFT_COLUMN_ESTIMATE) ? "~" : "", c->title);
	GtkColumnViewColumn *column;
	GtkSorter *sorter;

	ctx->page = self;
	ctx->col = col;
	g_signal_connect(factory, "setup", G_CALLBACK(on_setup), ctx);
	g_signal_connect(factory, "bind", G_CALLBACK(on_bind), ctx);
	column = gtk_column_view_column_new(title, factory);
	sorter = GTK_SORTER(gtk_custom_sorter_new(compare_rows, ctx, NULL));
	gtk_column_view_column_set_sorter(column, sorter);
	g_object_unref(sorter);
	gtk_column_view_column_set_resizable(column, TRUE);
	gtk_column_view_column_set_expand(column, (c->flags & WEFT_COLUMN_EXPAND) != 0);
	g_object_set_data_full(G_OBJECT(column), "weft-column", ctx, g_free);
	g_object_set_data(G_OBJECT(column), "weft-key", (gpointer) c->key);
	return column;
}

static void remove_columns(WeftAnalysisPage *self)
{
	GListModel *columns = gtk_column_view_get_columns(self->column_view);

	gtk_column_view_sort_by_column(self->column_view, NULL, GTK_SORT_ASCENDING);
	while (g_list_model_get_n_items(columns) > 0) {
		g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item(columns, 0);

		gtk_column_view_remove_column(self->column_view, c);
	}
}

static void show_table(WeftAnalysisPage *self)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_object_unref);
	gboolean empty = !self->table || self->table->n_rows == 0;

	gtk_label_set_text(GTK_LABEL(self->title_label),
	                   self->table ? self->table->title : self->section);
	gtk_label_set_text(GTK_LABEL(self->note_label),
	                   self->table && self->table->note ? self->table->note : "");
	gtk_widget_set_visible(self->note_label, self->table && self->table->note);
	gtk_widget_set_visible(self->empty_label, empty && !self->computing);
	gtk_widget_set_visible(self->busy_box, self->computing != NULL);
	if (self->computing) {
		gtk_spinner_start(GTK_SPINNER(self->spinner));
	} else {
		gtk_spinner_stop(GTK_SPINNER(self->spinner));
	}
	for (guint r = 0; self->table && r < self->table->n_rows; r++) {
		g_ptr_array_add(items, weft_analysis_row_new(r));
	}
	g_list_store_splice(self->rows, 0, g_list_model_get_n_items(G_LIST_MODEL(self->rows)),
	                    items->pdata, items->len);
	for (guint c = 0; self->table && c < self->table->n_columns; c++) {
		g_autoptr(GtkColumnViewColumn) column = build_column(self, c);

		gtk_column_view_append_column(self->column_view, column);
	}
}

static void show_flame(WeftAnalysisPage *self, weft_flame_tree_t *tree, const char *empty_reason)
{
	int f = flame_of(self->section);
	g_autofree char *caption = NULL;
	char total[64];

	gtk_widget_set_visible(self->view_switcher, f >= 0);
	if (f < 0) {
		return;
	}
	if (!tree) {
		caption = g_strdup(self->computing ? "Computing…" : flames[f].caption);
	} else if (empty_reason) {
		caption = g_strdup_printf("No flame graph: %s.", empty_reason);
	} else {
		weft_format_value(total, sizeof total, weft_flame_tree_node(tree, 0)->value,
		                  tree->unit);
		caption = g_strdup_printf("%s: %s in all. Click a frame to zoom into it and "
		                          "highlight its waits on the timeline.",
		                          flames[f].caption, total);
	}
	gtk_label_set_text(GTK_LABEL(self->flame_caption), caption);
	weft_flame_graph_set_tree(self->flame_graph, tree);
}

/* Shows r (taken over; NULL: nothing yet). */
static void show_result(WeftAnalysisPage *self, result_t *r)
{
	self->table = r ? g_steal_pointer(&r->table) : NULL;
	show_flame(self, r ? g_steal_pointer(&r->tree) : NULL, r ? r->empty_reason : NULL);
	show_table(self);
	g_clear_pointer(&r, result_free);
}

static void on_flame_reset(GtkButton *button, WeftAnalysisPage *self)
{
	weft_flame_graph_reset(self->flame_graph);
}

/* Forgets the running worker, if any: its result will be dropped. */
static void cancel_compute(WeftAnalysisPage *self)
{
	if (self->computing) {
		g_cancellable_cancel(self->computing);
		g_clear_object(&self->computing);
	}
}

static void on_activate(GtkColumnView *view, guint position, WeftAnalysisPage *self)
{
	weft_analysis_page_activate(self, position);
}

static void weft_analysis_page_dispose(GObject *object)
{
	WeftAnalysisPage *self = WEFT_ANALYSIS_PAGE(object);

	cancel_compute(self);
	if (self->column_view) {
		remove_columns(self);
	}
	gtk_widget_dispose_template(GTK_WIDGET(self), WEFT_TYPE_ANALYSIS_PAGE);
	self->column_view = NULL;
	G_OBJECT_CLASS(weft_analysis_page_parent_class)->dispose(object);
}

static void weft_analysis_page_finalize(GObject *object)
{
	WeftAnalysisPage *self = WEFT_ANALYSIS_PAGE(object);

	g_clear_object(&self->sorted);
	g_clear_object(&self->rows);
	g_clear_pointer(&self->table, weft_table_free);
	g_free(self->section);
	G_OBJECT_CLASS(weft_analysis_page_parent_class)->finalize(object);
}

static void weft_analysis_page_class_init(WeftAnalysisPageClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = weft_analysis_page_dispose;
	object_class->finalize = weft_analysis_page_finalize;
	g_type_ensure(WEFT_TYPE_FLAME_GRAPH);
	gtk_widget_class_set_template_from_resource(
	    widget_class, "/org/weft/View/analysis/weft-analysis-page.ui");
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, title_label);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, note_label);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, empty_label);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, busy_box);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, spinner);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, column_view);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, view_switcher);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, views);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, flame_caption);
	gtk_widget_class_bind_template_child(widget_class, WeftAnalysisPage, flame_graph);
	gtk_widget_class_bind_template_callback(widget_class, on_activate);
	gtk_widget_class_bind_template_callback(widget_class, on_flame_reset);

	/* (thread index or G_MAXUINT, start ns, end ns): show this on the timeline. */
	signals[SIGNAL_REVEAL] =
	    g_signal_new("reveal", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
	                 G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_INT64, G_TYPE_INT64);
}

static void weft_analysis_page_init(WeftAnalysisPage *self)
{
	GtkSingleSelection *selection;

	gtk_widget_init_template(GTK_WIDGET(self));
	self->rows = g_list_store_new(WEFT_TYPE_ANALYSIS_ROW);
	self->sorted =
	    gtk_sort_list_model_new(G_LIST_MODEL(g_object_ref(self->rows)),
	                            g_object_ref(gtk_column_view_get_sorter(self->column_view)));
	selection = gtk_single_selection_new(G_LIST_MODEL(g_object_ref(self->sorted)));
	gtk_column_view_set_model(self->column_view, GTK_SELECTION_MODEL(selection));
	g_object_unref(selection);
}

GtkWidget *weft_analysis_page_new(const char *section)
{
	WeftAnalysisPage *self;

	g_return_val_if_fail(weft_analysis_has_section(section), NULL);
	self = g_object_new(WEFT_TYPE_ANALYSIS_PAGE, NULL);
	self->section = g_strdup(section);
	show_result(self, NULL);
	return GTK_WIDGET(self);
}

const char *weft_analysis_page_get_section(WeftAnalysisPage *self)
{
	g_return_val_if_fail(WEFT_IS_ANALYSIS_PAGE(self), NULL);
	return self->section;
}

void weft_analysis_page_set_model(WeftAnalysisPage *self, const weft_model_t *model,
                                  const weft_analysis_options_t *options)
{
	g_return_if_fail(WEFT_IS_ANALYSIS_PAGE(self));

	cancel_compute(self);
	remove_columns(self);
	g_clear_pointer(&self->table, weft_table_free);
	show_result(self, model ? result_new(model, self->section, options) : NULL);
}

/* What the worker needs; the keeper keeps the model alive. */
typedef struct {
	const weft_model_t *model; /* borrowed */
	GObject *keeper;           /* owned, may be NULL */
	char *section;             /* owned */
	weft_analysis_options_t options;
	gboolean has_options;
} compute_t;

static void compute_free(gpointer data)
{
	compute_t *c = data;

	g_clear_object(&c->keeper);
	g_free(c->section);
	g_free(c);
}

static void compute_in_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
	compute_t *c = data;

	if (g_cancellable_is_cancelled(cancel)) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	g_task_return_pointer(task,
	                      result_new(c->model, c->section, c->has_options ? &c->options : NULL),
	                      result_free);
}

static void compute_done(GObject *source, GAsyncResult *result, gpointer data)
{
	WeftAnalysisPage *self = WEFT_ANALYSIS_PAGE(source);
	GCancellable *cancel = g_task_get_cancellable(G_TASK(result));
	result_t *r = g_task_propagate_pointer(G_TASK(result), NULL);

	/* Superseded or disposed: drop the result. */
	if (!self->computing || cancel != self->computing) {
		g_clear_pointer(&r, result_free);
		return;
	}
	g_clear_object(&self->computing);
	remove_columns(self);
	g_clear_pointer(&self->table, weft_table_free);
	show_result(self, r);
}

void weft_analysis_page_compute(WeftAnalysisPage *self, const weft_model_t *model,
                                const weft_analysis_options_t *options, GObject *keeper)
{
	g_autoptr(GTask) task = NULL;
	compute_t *c;

	g_return_if_fail(WEFT_IS_ANALYSIS_PAGE(self));
	if (!model) {
		weft_analysis_page_set_model(self, NULL, options);
		return;
	}
	cancel_compute(self);
	remove_columns(self);
	g_clear_pointer(&self->table, weft_table_free);
	self->computing = g_cancellable_new();
	show_result(self, NULL);

	c = g_new0(compute_t, 1);
	c->model = model;
	c->keeper = keeper ? g_object_ref(keeper) : NULL;
	c->section = g_strdup(self->section);
	if (options) {
		c->options = *options;
		c->has_options = TRUE;
	}
	task = g_task_new(self, self->computing, compute_done, NULL);
	/* The result of a cancelled task is dropped in compute_done, not here. */
	g_task_set_check_cancellable(task, FALSE);
	g_task_set_task_data(task, c, compute_free);
	g_task_run_in_thread(task, compute_in_thread);
}

gboolean weft_analysis_page_is_computing(WeftAnalysisPage *self)
{
	g_return_val_if_fail(WEFT_IS_ANALYSIS_PAGE(self), FALSE);
	return self->computing != NULL;
}

const weft_table_t *weft_analysis_page_borrow_table(WeftAnalysisPage *self)
{
	g_return_val_if_fail(WEFT_IS_ANALYSIS_PAGE(self), NULL);
	return self->table;
}

GtkColumnView *weft_analysis_page_get_column_view(WeftAnalysisPage *self)
{
	g_return_val_if_fail(WEFT_IS_ANALYSIS_PAGE(self), NULL);
	return self->column_view;
}

guint weft_analysis_page_get_row_at(WeftAnalysisPage *self, guint position)
{
	g_autoptr(WeftAnalysisRow) row = NULL;

	g_return_val_if_fail(WEFT_IS_ANALYSIS_PAGE(self), G_MAXUINT);
	row = g_list_model_get_item(G_LIST_MODEL(self->sorted), position);
	return row ? row->index : G_MAXUINT;
}

gboolean weft_analysis_page_sort_by(WeftAnalysisPage *self, const char *key, GtkSortType order)
{
	GListModel *columns;

	g_return_val_if_fail(WEFT_IS_ANALYSIS_PAGE(self), FALSE);
	columns = gtk_column_view_get_columns(self->column_view);
	for (guint i = 0; i < g_list_model_get_n_items(columns); i++) {
		g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item(columns, i);

		if (!g_strcmp0(g_object_get_data(G_OBJECT(c), "weft-key"), key)) {
			gtk_column_view_sort_by_column(self->column_view, c, order);
			return TRUE;
		}
	}
	return FALSE;
}

void weft_analysis_page_activate(WeftAnalysisPage *self, guint position)
{
	const weft_row_link_t *link;
	guint row;

	g_return_if_fail(WEFT_IS_ANALYSIS_PAGE(self));
	row = weft_analysis_page_get_row_at(self, position);
	if (!self->table || row >= self->table->n_rows) {
		return;
	}
	link = weft_table_borrow_link(self->table, row);
	if (link->set) {
		g_signal_emit(self, signals[SIGNAL_REVEAL], 0, link->thread, (gint64) link->start,
		              (gint64) link->end);
	}
}

GtkWidget *weft_analysis_page_get_flame_graph(WeftAnalysisPage *self)
{
	g_return_val_if_fail(WEFT_IS_ANALYSIS_PAGE(self), NULL);
	return flame_of(self->section) >= 0 ? GTK_WIDGET(self->flame_graph) : NULL;
}

void weft_analysis_page_show_flame_graph(WeftAnalysisPage *self, gboolean flame)
{
	g_return_if_fail(WEFT_IS_ANALYSIS_PAGE(self));
	gtk_stack_set_visible_child_name(self->views,
	                                 flame && flame_of(self->section) >= 0 ? "flame" : "table");
}
