/*
 * weft-table.h - the result of one analysis: a table of typed cells.
 *
 * Every analysis turns its typed result into a weft_table_t so that the
 * text printer, the JSON writer and the viewer's pages share one renderer.
 * A row may carry a link (thread, start, end) to the timeline: the instance
 * the viewer reveals when the row is activated.
 */
#ifndef WEFT_TABLE_H
#define WEFT_TABLE_H

#include <glib.h>
#include <json-c/json.h>

#include "weft-model.h"

G_BEGIN_DECLS

typedef enum {
	WEFT_CELL_STRING = 0,
	WEFT_CELL_COUNT,     /* integer */
	WEFT_CELL_DURATION,  /* integer ns */
	WEFT_CELL_TIME,      /* absolute ns; printed relative to the trace start */
	WEFT_CELL_BYTES,     /* integer bytes */
	WEFT_CELL_RATIO,     /* double, 1.0 = 100% */
	WEFT_CELL_RATE,      /* double, per second */
	WEFT_CELL_ADDRESS,   /* integer, printed in hex */
	WEFT_CELL_HISTOGRAM, /* weft_histogram_t */
} weft_cell_type_t;

enum {
	WEFT_COLUMN_WIDE = 1 << 0,     /* in JSON and the viewer, not in text tables */
	WEFT_COLUMN_ESTIMATE = 1 << 1, /* the values are estimates */
	WEFT_COLUMN_EXPAND = 1 << 2,   /* text: takes the width left, truncated */
};

typedef struct {
	const char *key;   /* JSON member name, static */
	const char *title; /* header, static */
	weft_cell_type_t type;
	guint flags; /* WEFT_COLUMN_* */
} weft_column_t;

/* Log2 buckets: bucket b counts values v with 2^b <= v < 2^(b+1), [0] also 0. */
#define WEFT_HISTOGRAM_BUCKETS 64
typedef struct {
	guint64 count[WEFT_HISTOGRAM_BUCKETS];
} weft_histogram_t;

void weft_histogram_add(weft_histogram_t *h, guint64 value, guint64 n);
guint weft_histogram_bucket(guint64 value);

typedef struct {
	gboolean set; /* FALSE: unknown, printed "-" and JSON null */
	union {
		gint64 i;
		double d;
		char *s;             /* owned */
		weft_histogram_t *h; /* owned */
	} v;
} weft_cell_t;

typedef struct {
	gboolean set; /* FALSE: the row links to nothing */
	guint thread; /* index into model->threads, G_MAXUINT when none */
	gint64 tid;   /* that thread's tid, -1 when none */
	weft_time_t start, end;
} weft_row_link_t;

typedef struct {
	char *name;             /* section name (`--section NAME`), owned */
	char *title;            /* owned */
	char *note;             /* one line under the title, owned, may be NULL */
	gboolean estimated;     /* some values are sampled or inferred estimates */
	weft_column_t *columns; /* owned copy; keys and titles static */
	guint n_columns;
	guint n_rows;
	weft_time_t origin; /* TIME cells print relative to this */
	GArray *cells;      /* weft_cell_t, n_rows * n_columns, owned */
	GArray *links;      /* weft_row_link_t, one per row, owned */
} weft_table_t;

weft_table_t *weft_table_new(const char *name, const char *title, const weft_column_t *columns,
                             guint n_columns, weft_time_t origin);
void weft_table_free(weft_table_t *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_table_t, weft_table_free)

void weft_table_set_note(weft_table_t *table, const char *note);
/* Marks a column's values as estimates (and so the table). */
void weft_table_mark_estimate(weft_table_t *table, guint col);

/* Appends an empty row (every cell unknown, no link); returns its index. */
guint weft_table_add_row(weft_table_t *table);
void weft_table_set_int(weft_table_t *table, guint row, guint col, gint64 value);
void weft_table_set_double(weft_table_t *table, guint row, guint col, double value);
void weft_table_set_string(weft_table_t *table, guint row, guint col, const char *value);
void weft_table_take_string(weft_table_t *table, guint row, guint col, char *value);
void weft_table_set_histogram(weft_table_t *table, guint row, guint col,
                              const weft_histogram_t *value);
/* thread may be NULL: the link is then a time range. */
void weft_table_set_link(weft_table_t *table, guint row, const weft_thread_t *thread,
                         weft_time_t start, weft_time_t end);

const weft_cell_t *weft_table_borrow_cell(const weft_table_t *table, guint row, guint col);
const weft_row_link_t *weft_table_borrow_link(const weft_table_t *table, guint row);
/* Column index of key, or -1. */
int weft_table_find_column(const weft_table_t *table, const char *key);

/* A cell as the text table and the viewer show it; newly allocated. */
char *weft_table_dup_cell_text(const weft_table_t *table, guint row, guint col);

/* Human-readable values: "1.25 ms", "3.0 MiB"; newly allocated. */
char *weft_table_format_duration(gint64 ns);
char *weft_table_format_bytes(gint64 bytes);

/*
 * Appends the table as text at most width columns wide (0: 100) with at
 * most max_rows rows (0: all): title, note, header, rows.
 */
void weft_table_format_text(const weft_table_t *table, GString *out, guint width, guint max_rows);

/* A new JSON object (see docs/stats.md); at most max_rows rows (0: all). */
json_object *weft_table_to_json(const weft_table_t *table, guint max_rows);

G_END_DECLS

#endif /* WEFT_TABLE_H */
