/*
 * weft-json-import.h - reads a Chrome Trace Event Format file (as `weft
 * convert` writes it, or any other producer) into a timeline model.
 *
 * Understood: M (process_name, thread_name), X and B/E (slices; "state"
 * category slices named after a weft state become state intervals), b/e
 * (async tasks), C (counters), i/I/n (instants), s/t/f and flow v2
 * (bind_id with flow_in/flow_out) as flows; call stacks ("sf" into
 * "stackFrames", an inline "stack", args.stack) of states and flow
 * sources. Everything else is counted in model->n_skipped.
 */
#ifndef WEFT_JSON_IMPORT_H
#define WEFT_JSON_IMPORT_H

#include <gio/gio.h>

#include "weft-model.h"

G_BEGIN_DECLS

typedef void (*weft_json_progress_func_t)(double fraction, gpointer user_data);

/* Returns a new model or NULL with error set (G_IO_ERROR_INVALID_DATA for
 * what is not a Chrome trace), worded `Failed to …: path="…", reason="…"`. */
weft_model_t *weft_json_import_file(const char *path, weft_json_progress_func_t progress,
                                    gpointer progress_data, GCancellable *cancellable,
                                    GError **error);
/* The same from a string (tests). */
weft_model_t *weft_json_import_string(const char *json, gssize len, GError **error);

G_END_DECLS

#endif /* WEFT_JSON_IMPORT_H */
