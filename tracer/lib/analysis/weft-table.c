/*
 * Analysis result tables and their two renderings: fixed-width text and
 * JSON. The viewer renders cells with weft_table_dup_cell_text().
 */
#include "weft-table.h"

#include <math.h>
#include <string.h>

#define DEFAULT_WIDTH 100
#define MIN_EXPAND_WIDTH 10
#define SPARK_WIDTH 12

guint weft_histogram_bucket(guint64 value)
{
	return value ? 63 - (guint) __builtin_clzll(value) : 0;
}

void weft_histogram_add(weft_histogram_t *h, guint64 value, guint64 n)
{
	h->count[weft_histogram_bucket(value)] += n;
}

weft_table_t *weft_table_new(const char *name, const char *title, const weft_column_t *columns,
                             guint n_columns, weft_time_t origin)
{
	weft_table_t *table = g_new0(weft_table_t, 1);

	table->name = g_strdup(name);
	table->title = g_strdup(title);
	table->columns = g_memdup2(columns, sizeof(*columns) * n_columns);
	table->n_columns = n_columns;
	table->origin = origin;
	table->cells = g_array_new(FALSE, TRUE, sizeof(weft_cell_t));
	table->links = g_array_new(FALSE, TRUE, sizeof(weft_row_link_t));
	for (guint i = 0; i < n_columns; i++) {
		if (columns[i].flags & WEFT_COLUMN_ESTIMATE) {
			table->estimated = TRUE;
		}
	}
	return table;
}

static void cell_clear(weft_cell_type_t type, weft_cell_t *cell)
{
	if (!cell->set) {
		return;
	}
	if (type == WEFT_CELL_STRING) {
		g_free(cell->v.s);
	} else if (type == WEFT_CELL_HISTOGRAM) {
		g_free(cell->v.h);
	}
	cell->set = FALSE;
}

void weft_table_free(weft_table_t *table)
{
	if (!table) {
		return;
	}
	for (guint r = 0; r < table->n_rows; r++) {
		for (guint c = 0; c < table->n_columns; c++) {
			weft_cell_t *cell =
			    &g_array_index(table->cells, weft_cell_t, r * table->n_columns + c);

			cell_clear(table->columns[c].type, cell);
		}
	}
	g_array_free(table->cells, TRUE);
	g_array_free(table->links, TRUE);
	g_free(table->name);
	g_free(table->title);
	g_free(table->note);
	g_free(table->columns);
	g_free(table);
}

void weft_table_set_note(weft_table_t *table, const char *note)
{
	g_free(table->note);
	table->note = g_strdup(note);
}

void weft_table_mark_estimate(weft_table_t *table, guint col)
{
	g_return_if_fail(col < table->n_columns);
	table->columns[col].flags |= WEFT_COLUMN_ESTIMATE;
	table->estimated = TRUE;
}

guint weft_table_add_row(weft_table_t *table)
{
	weft_row_link_t link = {FALSE, G_MAXUINT, -1, 0, 0};

	g_array_set_size(table->cells, table->cells->len + table->n_columns);
	g_array_append_val(table->links, link);
	return table->n_rows++;
}

static weft_cell_t *cell_at(weft_table_t *table, guint row, guint col)
{
	g_assert(row < table->n_rows && col < table->n_columns);
	return &g_array_index(table->cells, weft_cell_t, row * table->n_columns + col);
}

void weft_table_set_int(weft_table_t *table, guint row, guint col, gint64 value)
{
	weft_cell_t *cell = cell_at(table, row, col);

	cell->v.i = value;
	cell->set = TRUE;
}

void weft_table_set_double(weft_table_t *table, guint row, guint col, double value)
{
	weft_cell_t *cell = cell_at(table, row, col);

	cell->v.d = value;
	cell->set = TRUE;
}

void weft_table_take_string(weft_table_t *table, guint row, guint col, char *value)
{
	weft_cell_t *cell = cell_at(table, row, col);

	g_return_if_fail(table->columns[col].type == WEFT_CELL_STRING);
	cell_clear(WEFT_CELL_STRING, cell);
	cell->v.s = value;
	cell->set = value != NULL;
}

void weft_table_set_string(weft_table_t *table, guint row, guint col, const char *value)
{
	weft_table_take_string(table, row, col, g_strdup(value));
}

void weft_table_set_histogram(weft_table_t *table, guint row, guint col,
                              const weft_histogram_t *value)
{
	weft_cell_t *cell = cell_at(table, row, col);

	g_return_if_fail(table->columns[col].type == WEFT_CELL_HISTOGRAM);
	cell_clear(WEFT_CELL_HISTOGRAM, cell);
	cell->v.h = g_memdup2(value, sizeof(*value));
	cell->set = TRUE;
}

void weft_table_set_link(weft_table_t *table, guint row, const weft_thread_t *thread,
                         weft_time_t start, weft_time_t end)
{
	weft_row_link_t *link = &g_array_index(table->links, weft_row_link_t, row);

	link->set = TRUE;
	link->thread = thread ? thread->index : G_MAXUINT;
	link->tid = thread ? thread->tid : -1;
	link->start = start;
	link->end = end;
}

const weft_cell_t *weft_table_borrow_cell(const weft_table_t *table, guint row, guint col)
{
	g_return_val_if_fail(row < table->n_rows && col < table->n_columns, NULL);
	return &g_array_index(table->cells, weft_cell_t, row * table->n_columns + col);
}

const weft_row_link_t *weft_table_borrow_link(const weft_table_t *table, guint row)
{
	g_return_val_if_fail(row < table->n_rows, NULL);
	return &g_array_index(table->links, weft_row_link_t, row);
}

int weft_table_find_column(const weft_table_t *table, const char *key)
{
	for (guint c = 0; c < table->n_columns; c++) {
		if (!strcmp(table->columns[c].key, key)) {
			return (int) c;
		}
	}
	return -1;
}

char *weft_table_format_duration(gint64 ns)
{
	double a = fabs((double) ns);

	if (a < 1e3) {
		return g_strdup_printf("%" G_GINT64_FORMAT " ns", ns);
	} else if (a < 1e6) {
		return g_strdup_printf("%.1f us", (double) ns / 1e3);
	} else if (a < 1e9) {
		return g_strdup_printf("%.1f ms", (double) ns / 1e6);
	}
	return g_strdup_printf("%.2f s", (double) ns / 1e9);
}

char *weft_table_format_bytes(gint64 bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	double v = (double) bytes;
	guint u = 0;

	if (llabs(bytes) < 1024) {
		return g_strdup_printf("%" G_GINT64_FORMAT " B", bytes);
	}
	v /= 1024;
	while (fabs(v) >= 1024 && u + 1 < G_N_ELEMENTS(units)) {
		v /= 1024;
		u++;
	}
	return g_strdup_printf("%.1f %s", v, units[u]);
}

static char *format_rate(double r)
{
	if (r >= 1e6) {
		return g_strdup_printf("%.2fM/s", r / 1e6);
	} else if (r >= 1e4) {
		return g_strdup_printf("%.1fk/s", r / 1e3);
	} else if (r >= 10) {
		return g_strdup_printf("%.0f/s", r);
	}
	return g_strdup_printf("%.2f/s", r);
}

/* The non-empty span of a histogram as a bar of ASCII levels. */
static char *format_histogram(const weft_histogram_t *h)
{
	static const char levels[] = " .:-=+*#";
	guint lo = WEFT_HISTOGRAM_BUCKETS, hi = 0, per, n;
	guint64 sums[SPARK_WIDTH] = {0}, max = 0;
	GString *s;

	for (guint b = 0; b < WEFT_HISTOGRAM_BUCKETS; b++) {
		if (h->count[b]) {
			lo = MIN(lo, b);
			hi = b;
		}
	}
	if (lo > hi) {
		return g_strdup("");
	}
	per = (hi - lo) / SPARK_WIDTH + 1;
	n = (hi - lo) / per + 1;
	for (guint b = lo; b <= hi; b++) {
		sums[(b - lo) / per] += h->count[b];
	}
	for (guint i = 0; i < n; i++) {
		max = MAX(max, sums[i]);
	}
	s = g_string_new("|");
	for (guint i = 0; i < n; i++) {
		guint level = sums[i] ? 1 + (guint) ((sums[i] * 6 + max - 1) / max) : 0;

		g_string_append_c(s, levels[MIN(level, 7u)]);
	}
	g_string_append_c(s, '|');
	return g_string_free(s, FALSE);
}

char *weft_table_dup_cell_text(const weft_table_t *table, guint row, guint col)
{
	const weft_cell_t *cell = weft_table_borrow_cell(table, row, col);

	if (!cell || !cell->set) {
		return g_strdup("-");
	}
	switch (table->columns[col].type) {
	case WEFT_CELL_STRING:
		return g_strdup(cell->v.s);
	case WEFT_CELL_COUNT:
		return g_strdup_printf("%" G_GINT64_FORMAT, cell->v.i);
	case WEFT_CELL_DURATION:
		return weft_table_format_duration(cell->v.i);
	case WEFT_CELL_TIME:
		return g_strdup_printf("%.6f s", (double) (cell->v.i - table->origin) / 1e9);
	case WEFT_CELL_BYTES:
		return weft_table_format_bytes(cell->v.i);
	case WEFT_CELL_RATIO:
		return g_strdup_printf("%.1f%%", cell->v.d * 100);
	case WEFT_CELL_RATE:
		return format_rate(cell->v.d);
	case WEFT_CELL_ADDRESS:
		return g_strdup_printf("0x%" G_GINT64_MODIFIER "x", (guint64) cell->v.i);
	case WEFT_CELL_HISTOGRAM:
		return format_histogram(cell->v.h);
	}
	return g_strdup("?");
}

static gboolean column_in_text(const weft_column_t *col)
{
	return !(col->flags & WEFT_COLUMN_WIDE);
}

static gboolean left_aligned(const weft_column_t *col)
{
	return col->type == WEFT_CELL_STRING || col->type == WEFT_CELL_HISTOGRAM;
}

/* Header text: estimated columns are marked with a leading '~'. */
static char *column_header(const weft_column_t *col)
{
	return g_strdup_printf("%s%s", (col->flags & WEFT_COLUMN_ESTIMATE) ? "~" : "", col->title);
}

static void append_cell(GString *out, const char *text, guint width, gboolean left)
{
	glong len = g_utf8_strlen(text, -1);

	if ((guint) len > width) {
		/*
		 * Elide the middle: the start says which function or object kind
		 * it is, the end holds the line number or the address digits
		 * that tell two rows apart.
		 */
		guint keep = width > 2 ? width - 2 : 0;
		guint head = width >= 8 ? keep - keep * 2 / 5 : keep;
		const char *paren = strrchr(text, '(');
		const char *colon = strrchr(text, ':');
		const char *cut;

		/* A call site, "function (file:line)": keep the function and the line. */
		if (paren && colon && colon > paren && width >= 8) {
			glong fn = g_utf8_pointer_to_offset(text, paren) + 1;
			glong line = g_utf8_strlen(colon, -1);

			if ((glong) keep >= line) {
				head = (guint) MIN(fn, (glong) keep - line);
			}
		}
		cut = g_utf8_offset_to_pointer(text, head);

		g_string_append_len(out, text, cut - text);
		g_string_append(out, width > 2 ? ".." : "");
		g_string_append(out, g_utf8_offset_to_pointer(text, len - (glong) (keep - head)));
		return;
	}
	if (!left) {
		for (guint i = (guint) len; i < width; i++) {
			g_string_append_c(out, ' ');
		}
	}
	g_string_append(out, text);
	if (left) {
		for (guint i = (guint) len; i < width; i++) {
			g_string_append_c(out, ' ');
		}
	}
}

/* Appends text indented by two spaces, wrapped at spaces to fit width. */
static void append_wrapped(GString *out, const char *text, guint width)
{
	g_auto(GStrv) words = g_strsplit(text, " ", -1);
	guint col = 0;

	for (guint i = 0; words[i]; i++) {
		guint len = (guint) g_utf8_strlen(words[i], -1);

		if (col > 2 && col + 1 + len > width) {
			g_string_append_c(out, '\n');
			col = 0;
		}
		if (col == 0) {
			g_string_append(out, "  ");
			col = 2;
		} else {
			g_string_append_c(out, ' ');
			col++;
		}
		g_string_append(out, words[i]);
		col += len;
	}
	g_string_append_c(out, '\n');
}

/* The widest string column that may still shrink (EXPAND ones first), or -1. */
static int widest_shrinkable(const weft_table_t *table, const guint *widths)
{
	for (int pass = 0; pass < 2; pass++) {
		int best = -1;

		for (guint c = 0; c < table->n_columns; c++) {
			const weft_column_t *col = &table->columns[c];

			if (!column_in_text(col) || col->type != WEFT_CELL_STRING ||
			    widths[c] <= MIN_EXPAND_WIDTH ||
			    (pass == 0 && !(col->flags & WEFT_COLUMN_EXPAND))) {
				continue;
			}
			if (best < 0 || widths[c] > widths[best]) {
				best = (int) c;
			}
		}
		if (best >= 0) {
			return best;
		}
	}
	return -1;
}

/* Shrinks the widest string columns one column at a time until the table fits. */
static void fit_widths(const weft_table_t *table, guint *widths, guint width)
{
	guint total = 0;

	for (guint c = 0; c < table->n_columns; c++) {
		if (column_in_text(&table->columns[c])) {
			total += widths[c] + (total ? 2 : 0);
		}
	}
	while (total > width) {
		int c = widest_shrinkable(table, widths);

		if (c < 0) {
			break;
		}
		widths[c]--;
		total--;
	}
}

void weft_table_format_text(const weft_table_t *table, GString *out, guint width, guint max_rows)
{
	guint n_rows = max_rows ? MIN(max_rows, table->n_rows) : table->n_rows;
	g_autofree guint *widths = g_new0(guint, table->n_columns);
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);

	width = width ? width : DEFAULT_WIDTH;
	g_string_append_printf(out, "%s (%s)\n", table->title, table->name);
	if (table->note) {
		append_wrapped(out, table->note, width);
	}
	if (table->n_rows == 0) {
		g_string_append(out, "  (no data)\n");
		return;
	}
	for (guint c = 0; c < table->n_columns; c++) {
		char *h = column_header(&table->columns[c]);

		widths[c] = (guint) g_utf8_strlen(h, -1);
		g_ptr_array_add(texts, h);
	}
	for (guint r = 0; r < n_rows; r++) {
		for (guint c = 0; c < table->n_columns; c++) {
			char *t = weft_table_dup_cell_text(table, r, c);

			widths[c] = MAX(widths[c], (guint) g_utf8_strlen(t, -1));
			g_ptr_array_add(texts, t);
		}
	}
	fit_widths(table, widths, width);
	for (guint r = 0; r <= n_rows; r++) {
		gboolean first = TRUE;
		gsize line_start = out->len;

		for (guint c = 0; c < table->n_columns; c++) {
			const weft_column_t *col = &table->columns[c];

			if (!column_in_text(col)) {
				continue;
			}
			if (!first) {
				g_string_append(out, "  ");
			}
			first = FALSE;
			append_cell(out, g_ptr_array_index(texts, r * table->n_columns + c),
			            widths[c], left_aligned(col));
		}
		while (out->len > line_start && out->str[out->len - 1] == ' ') {
			g_string_truncate(out, out->len - 1);
		}
		g_string_append_c(out, '\n');
	}
	if (n_rows < table->n_rows) {
		g_string_append_printf(out, "  ... %u more rows (--top N)\n",
		                       table->n_rows - n_rows);
	}
}

static const char *type_name(weft_cell_type_t type)
{
	static const char *const names[] = {
	    [WEFT_CELL_STRING] = "string",       [WEFT_CELL_COUNT] = "count",
	    [WEFT_CELL_DURATION] = "duration",   [WEFT_CELL_TIME] = "time",
	    [WEFT_CELL_BYTES] = "bytes",         [WEFT_CELL_RATIO] = "ratio",
	    [WEFT_CELL_RATE] = "rate",           [WEFT_CELL_ADDRESS] = "address",
	    [WEFT_CELL_HISTOGRAM] = "histogram",
	};

	return names[type];
}

static json_object *histogram_to_json(const weft_histogram_t *h)
{
	json_object *arr = json_object_new_array();

	for (guint b = 0; b < WEFT_HISTOGRAM_BUCKETS; b++) {
		json_object *o;

		if (!h->count[b]) {
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "lo", json_object_new_uint64(b ? 1ull << b : 0));
		json_object_object_add(
		    o, "hi", json_object_new_uint64(b < 63 ? (1ull << (b + 1)) : G_MAXUINT64));
		json_object_object_add(o, "count", json_object_new_uint64(h->count[b]));
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *cell_to_json(const weft_table_t *table, guint row, guint col)
{
	const weft_cell_t *cell = weft_table_borrow_cell(table, row, col);

	if (!cell->set) {
		return NULL;
	}
	switch (table->columns[col].type) {
	case WEFT_CELL_STRING:
		return json_object_new_string(cell->v.s);
	case WEFT_CELL_COUNT:
	case WEFT_CELL_DURATION:
	case WEFT_CELL_BYTES:
		return json_object_new_int64(cell->v.i);
	case WEFT_CELL_TIME:
		return json_object_new_int64(cell->v.i - table->origin);
	case WEFT_CELL_RATIO:
	case WEFT_CELL_RATE:
		return json_object_new_double(cell->v.d);
	case WEFT_CELL_ADDRESS: {
		char buf[24];

		g_snprintf(buf, sizeof(buf), "0x%" G_GINT64_MODIFIER "x", (guint64) cell->v.i);
		return json_object_new_string(buf);
	}
	case WEFT_CELL_HISTOGRAM:
		return histogram_to_json(cell->v.h);
	}
	return NULL;
}

static json_object *columns_to_json(const weft_table_t *table)
{
	json_object *arr = json_object_new_array();

	for (guint c = 0; c < table->n_columns; c++) {
		const weft_column_t *col = &table->columns[c];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "key", json_object_new_string(col->key));
		json_object_object_add(o, "title", json_object_new_string(col->title));
		json_object_object_add(o, "type", json_object_new_string(type_name(col->type)));
		json_object_object_add(
		    o, "estimate", json_object_new_boolean(!!(col->flags & WEFT_COLUMN_ESTIMATE)));
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *link_to_json(const weft_table_t *table, const weft_row_link_t *link)
{
	json_object *o;

	if (!link->set) {
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(
	    o, "thread", link->thread == G_MAXUINT ? NULL : json_object_new_int64(link->thread));
	json_object_object_add(o, "tid",
	                       link->thread == G_MAXUINT ? NULL : json_object_new_int64(link->tid));
	json_object_object_add(o, "start", json_object_new_int64(link->start - table->origin));
	json_object_object_add(o, "end", json_object_new_int64(link->end - table->origin));
	return o;
}

json_object *weft_table_to_json(const weft_table_t *table, guint max_rows)
{
	guint n_rows = max_rows ? MIN(max_rows, table->n_rows) : table->n_rows;
	json_object *o = json_object_new_object();
	json_object *rows = json_object_new_array();

	json_object_object_add(o, "name", json_object_new_string(table->name));
	json_object_object_add(o, "title", json_object_new_string(table->title));
	json_object_object_add(o, "note", table->note ? json_object_new_string(table->note) : NULL);
	json_object_object_add(o, "estimated", json_object_new_boolean(table->estimated));
	json_object_object_add(o, "columns", columns_to_json(table));
	json_object_object_add(o, "total_rows", json_object_new_int64(table->n_rows));
	for (guint r = 0; r < n_rows; r++) {
		json_object *row = json_object_new_object();

		for (guint c = 0; c < table->n_columns; c++) {
			json_object_object_add(row, table->columns[c].key,
			                       cell_to_json(table, r, c));
		}
		json_object_object_add(row, "link",
		                       link_to_json(table, weft_table_borrow_link(table, r)));
		json_object_array_add(rows, row);
	}
	json_object_object_add(o, "rows", rows);
	return o;
}
