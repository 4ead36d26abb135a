/*
 * weft-export.h - "Export selection as pprof profile…" and "Export
 * selection as Chrome JSON…": the selected time range (else the whole
 * trace) and the selected threads (else every thread), written by the
 * model library's writers, those `weft pprof` (weft-pprof.h) and
 * `weft convert` (weft-chrome.h) use. docs/viewer.md.
 */
#ifndef WEFT_EXPORT_H
#define WEFT_EXPORT_H

#include <gtk/gtk.h>

#include "weft-profile.h"
#include "weft-session.h"

G_BEGIN_DECLS

/* What is exported. */
typedef struct {
	gboolean has_range;
	weft_time_t start, end; /* absolute ns, when has_range */
	GArray *threads;        /* guint model thread indexes, owned; empty: every thread */
} weft_export_selection_t;

/* The session's selection: its time range, no thread restriction. */
void weft_export_selection_init(weft_export_selection_t *sel, WeftSession *session);
void weft_export_selection_clear(weft_export_selection_t *sel);

/*
 * Writes the profile called name (weft_profile_lookup) of sel to path.
 * An existing path is an error unless overwrite (the file chooser asked).
 * On error returns FALSE with error set, one line.
 */
gboolean weft_export_pprof(const weft_model_t *model, const weft_export_selection_t *sel,
                           const char *name, const char *path, gboolean overwrite, GError **error);

/* Writes sel as Chrome JSON (".gz": compressed) to path; as above. */
gboolean weft_export_chrome(const weft_model_t *model, const weft_export_selection_t *sel,
                            const char *path, gboolean overwrite, GError **error);

typedef enum {
	WEFT_EXPORT_PPROF,
	WEFT_EXPORT_CHROME,
} weft_export_format_t;

/* Reports an export's end in parent: error NULL when path was written. */
typedef void (*weft_export_done_func_t)(GtkWindow *parent, const char *path, const GError *error);

/*
 * Exports the session's selection to path in a worker thread (the chooser
 * confirmed overwriting it); profile: a weft_profile_lookup() name, for
 * pprof. Calls on_done (may be NULL) on the main thread when done.
 */
void weft_export_start(GtkWindow *parent, WeftSession *session, weft_export_format_t format,
                       const char *profile, const char *path, weft_export_done_func_t on_done);

/*
 * Asks for a file (and, for pprof, the profile) with a save chooser that
 * confirms overwriting, then weft_export_start().
 */
void weft_export_run_chooser(GtkWindow *parent, WeftSession *session, weft_export_format_t format,
                             weft_export_done_func_t on_done);

G_END_DECLS

#endif /* WEFT_EXPORT_H */
