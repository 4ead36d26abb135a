/*
 * Loading in a GTask thread. Progress crosses to the main context through
 * an idle source that carries only the latest fraction, so a fast loader
 * cannot flood the main loop.
 */
#include "weft-loader.h"

#include "weft-json-import.h"
#include "weft-reader.h"

typedef struct {
	char *path;
	GMainContext *context; /* owned */
	weft_loader_progress_func_t progress;
	gpointer progress_data; /* borrowed */
	GMutex lock;
	double fraction;
	gboolean idle_pending;
} load_data_t;

static void load_data_free(load_data_t *d)
{
	g_free(d->path);
	g_main_context_unref(d->context);
	g_mutex_clear(&d->lock);
	g_free(d);
}

static gboolean deliver_progress(gpointer user_data)
{
	GTask *task = user_data;
	load_data_t *d = g_task_get_task_data(task);
	double fraction;

	g_mutex_lock(&d->lock);
	fraction = d->fraction;
	d->idle_pending = FALSE;
	g_mutex_unlock(&d->lock);
	if (d->progress) {
		d->progress(fraction, d->progress_data);
	}
	return G_SOURCE_REMOVE;
}

static void report(double fraction, GTask *task)
{
	load_data_t *d = g_task_get_task_data(task);
	gboolean schedule;

	g_mutex_lock(&d->lock);
	d->fraction = fraction;
	schedule = !d->idle_pending;
	d->idle_pending = TRUE;
	g_mutex_unlock(&d->lock);
	if (schedule) {
		g_main_context_invoke_full(d->context, G_PRIORITY_DEFAULT, deliver_progress,
		                           g_object_ref(task), g_object_unref);
	}
}

static void on_json_progress(double fraction, gpointer task)
{
	report(fraction, task);
}

static void on_reader_progress(double fraction, guint64 n_events, gpointer task)
{
	report(fraction, task);
}

static weft_model_t *load_path(const char *path, GTask *task, GCancellable *cancellable,
                               GError **error)
{
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(
		    error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		    "Failed to open trace: path=\"%s\", reason=\"no such file or directory\"",
		    path);
		return NULL;
	}
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		const char *paths[] = {path, NULL};
		weft_reader_options_t options = {
		    .progress = task ? on_reader_progress : NULL,
		    .progress_data = task,
		    .cancellable = cancellable,
		};

		return weft_reader_load(paths, &options, error);
	}
	return weft_json_import_file(path, task ? on_json_progress : NULL, task, cancellable,
	                             error);
}

static void load_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	load_data_t *d = task_data;
	GError *error = NULL;
	weft_model_t *model = load_path(d->path, task, cancellable, &error);

	if (!model) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, model, (GDestroyNotify) weft_model_free);
}

void weft_loader_load_async(const char *path, GCancellable *cancellable,
                            weft_loader_progress_func_t progress, gpointer progress_data,
                            GAsyncReadyCallback callback, gpointer user_data)
{
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);
	load_data_t *d = g_new0(load_data_t, 1);

	d->path = g_strdup(path);
	d->context = g_main_context_ref_thread_default();
	d->progress = progress;
	d->progress_data = progress_data;
	g_mutex_init(&d->lock);
	g_task_set_task_data(task, d, (GDestroyNotify) load_data_free);
	g_task_run_in_thread(task, load_thread);
	g_object_unref(task);
}

weft_model_t *weft_loader_load_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

weft_model_t *weft_loader_load(const char *path, GCancellable *cancellable, GError **error)
{
	return load_path(path, NULL, cancellable, error);
}
