/*
 * weft-loader.h - opens a trace off the main thread: a directory is read
 * as CTF through the timeline library's reader, a file as Chrome JSON.
 * Progress is delivered on the caller's main context.
 */
#ifndef WEFT_LOADER_H
#define WEFT_LOADER_H

#include <gio/gio.h>

#include "weft-model.h"

G_BEGIN_DECLS

typedef void (*weft_loader_progress_func_t)(double fraction, gpointer user_data);

void weft_loader_load_async(const char *path, GCancellable *cancellable,
                            weft_loader_progress_func_t progress, gpointer progress_data,
                            GAsyncReadyCallback callback, gpointer user_data);
/* A new model, or NULL with error set. */
weft_model_t *weft_loader_load_finish(GAsyncResult *result, GError **error);

/* The same, blocking (benchmarks, tests). */
weft_model_t *weft_loader_load(const char *path, GCancellable *cancellable, GError **error);

G_END_DECLS

#endif /* WEFT_LOADER_H */
