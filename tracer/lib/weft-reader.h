/*
 * weft-reader.h - build a timeline model from CTF traces through a
 * libbabeltrace2 graph: source.ctf.fs -> filter.utils.muxer ->
 * [filter.lttng-utils.debug-info] -> weft's sink.
 */
#ifndef WEFT_READER_H
#define WEFT_READER_H

#include <gio/gio.h>

#include "weft-model.h"

G_BEGIN_DECLS

#define WEFT_READER_ERROR (weft_reader_error_quark())
GQuark weft_reader_error_quark(void);

typedef enum {
	WEFT_READER_ERROR_NOT_A_TRACE, /* a path holds no CTF trace */
	WEFT_READER_ERROR_READ,        /* unreadable or truncated stream */
	WEFT_READER_ERROR_EMPTY,       /* the trace holds no events */
	WEFT_READER_ERROR_CANCELLED,
} weft_reader_error_t;

/*
 * Called from the thread that loads, a few times a second at most.
 * fraction is in [0, 1] (an estimate from bytes read).
 */
typedef void (*weft_reader_progress_func_t)(double fraction, guint64 n_events, gpointer user_data);

typedef struct {
	weft_reader_progress_func_t progress; /* may be NULL */
	gpointer progress_data;               /* borrowed */
	GCancellable *cancellable;            /* borrowed, may be NULL */
	gboolean no_symbols;                  /* leave call sites unnamed */
	/*
	 * Name call sites with babeltrace2's filter.lttng-utils.debug-info
	 * (per event, in the graph) instead of weft's own symbolizer (elfutils,
	 * once per distinct address). Slower; see docs/model.md.
	 */
	gboolean debug_info_filter;
} weft_reader_options_t;

/*
 * Reads every trace under paths (NULL-terminated; several traces merge
 * into one timeline). A path ending in .json or .json.gz is a Chrome Trace
 * Event JSON file (weft convert's output), read alone. options may be
 * NULL. Returns a new model, or NULL with error set, worded
 * `Failed to …: path="…", reason="…"`.
 */
weft_model_t *weft_reader_load(const char *const *paths, const weft_reader_options_t *options,
			       GError **error);

G_END_DECLS

#endif /* WEFT_READER_H */
