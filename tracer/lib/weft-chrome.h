/*
 * weft-chrome.h - write a timeline model as Chrome Trace Event Format JSON,
 * the format Perfetto and chrome://tracing import.
 *
 * docs/convert.md describes the mapping: M metadata for names and sort
 * order, X events for thread states and regions (strictly nested per
 * thread), b/e async events for tasks, C for counters, i for logs and
 * marks, flow v2 (bind_id + flow_out/flow_in on zero-length X events) for
 * flows, call stacks as "sf" into a trailing "stackFrames" tree plus a
 * readable args.stack. Timestamps are microseconds with nanosecond
 * fractions, relative to the trace start (model->start).
 *
 * Needs only GLib in this header.
 */
#ifndef WEFT_CHROME_H
#define WEFT_CHROME_H

#include <glib.h>

#include "weft-model.h"

G_BEGIN_DECLS

#define WEFT_CHROME_ERROR (weft_chrome_error_quark())
GQuark weft_chrome_error_quark(void);

typedef enum {
	WEFT_CHROME_ERROR_EXISTS,  /* the output exists and force is not set */
	WEFT_CHROME_ERROR_OPEN,    /* cannot create the output */
	WEFT_CHROME_ERROR_WRITE,   /* write or close failed (disk full, ...) */
	WEFT_CHROME_ERROR_INVALID, /* a bad option (pattern, window) */
} weft_chrome_error_t;

/* Called a few times a second at most; fraction in [0, 1]. */
typedef void (*weft_chrome_progress_func_t)(double fraction, gpointer user_data);

typedef struct {
	const int64_t *pids; /* keep only these vpids; borrowed, NULL = all */
	guint n_pids;
	const int64_t *tids; /* keep only these vtids; borrowed, NULL = all */
	guint n_tids;
	gboolean has_from, has_to;
	weft_time_t from, to;                 /* window, ns relative to model->start */
	const char *const *exclude;           /* NULL-terminated globs on event names; borrowed */
	guint64 max_size;                     /* bytes of uncompressed JSON, 0 = no limit */
	gboolean no_symbols;                  /* leave call sites out of args */
	gboolean force;                       /* overwrite an existing output */
	int gzip_level;                       /* for *.gz outputs; 0 = default (1, fastest) */
	weft_chrome_progress_func_t progress; /* may be NULL */
	gpointer progress_data;               /* borrowed */
} weft_chrome_options_t;

/* What was written and what was left out. */
typedef struct {
	guint64 n_json_events; /* trace events written */
	guint64 n_bytes;       /* uncompressed JSON bytes */
	guint64 n_filtered;    /* model items outside --pid/--tid/window/exclude */
	guint64 n_bad_flows;   /* flows whose end precedes their start: left out */
	/* --max-size: what was dropped to fit, finest detail first. */
	/* slices shorter than this (ns) were dropped: the shortest slice kept; 0: none dropped */
	weft_time_t dropped_below;
	gboolean dropped_all_slices; /* no slice kept (dropped_below: past the longest) */
	guint64 dropped_slices;
	guint64 dropped_instants;
	guint64 dropped_flows;
	guint64 dropped_counters;
	gboolean over_size; /* even with everything droppable dropped, above max_size */
} weft_chrome_stats_t;

void weft_chrome_options_init(weft_chrome_options_t *options);

/*
 * Writes model as JSON to path (zlib-compressed when path ends in ".gz";
 * "-" writes to stdout). options may be NULL; stats may be NULL. On error
 * returns FALSE with error set, worded `Failed to …: path="…", reason="…"`,
 * and removes the partial output.
 */
gboolean weft_chrome_write_file(const weft_model_t *model, const char *path,
                                const weft_chrome_options_t *options, weft_chrome_stats_t *stats,
                                GError **error);

/* One line describing what --max-size dropped ("" when nothing); free with g_free. */
char *weft_chrome_stats_describe_dropped(const weft_chrome_stats_t *stats);

G_END_DECLS

#endif /* WEFT_CHROME_H */
