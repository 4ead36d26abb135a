/*
 * Exporting the selection; see weft-export.h. The selection becomes the
 * same request a command line gives (`--from/--to/--thread`, `--tid`), so
 * the files are those `weft pprof` and `weft convert` write.
 */
#include "weft-export.h"

#include "weft-chrome.h"
#include "weft-pprof.h"

#define EXPORT_ERROR (g_quark_from_static_string("weft-export-error"))
#define CHOICE_PROFILE "profile"

void weft_export_selection_init(weft_export_selection_t *sel, WeftSession *session)
{
	memset(sel, 0, sizeof(*sel));
	sel->threads = g_array_new(FALSE, FALSE, sizeof(guint));
	sel->has_range = weft_session_get_range(session, &sel->start, &sel->end);
}

void weft_export_selection_clear(weft_export_selection_t *sel)
{
	g_clear_pointer(&sel->threads, g_array_unref);
}

static gboolean refuse_existing(const char *path, gboolean overwrite, GError **error)
{
	if (!overwrite && g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, EXPORT_ERROR, 0, "Failed to export: path=\"%s\", reason=\"%s\"",
		            path, "file exists");
		return TRUE;
	}
	return FALSE;
}

/* The tids of sel's threads as "--thread" arguments, NULL-terminated. */
static GStrv dup_tids(const weft_model_t *model, const weft_export_selection_t *sel)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();

	for (guint i = 0; i < sel->threads->len; i++) {
		guint t = g_array_index(sel->threads, guint, i);
		const weft_thread_t *th = g_ptr_array_index(model->threads, t);

		g_autofree char *tid = g_strdup_printf("%" G_GINT64_FORMAT, (gint64) th->tid);

		g_strv_builder_add(b, tid);
	}
	return g_strv_builder_end(b);
}

static char *dup_offset(const weft_model_t *model, weft_time_t t)
{
	return g_strdup_printf("%" G_GUINT64_FORMAT "ns", (guint64) (t - model->start));
}

gboolean weft_export_pprof(const weft_model_t *model, const weft_export_selection_t *sel,
                           const char *name, const char *path, gboolean overwrite, GError **error)
{
	const weft_profile_name_t *pn = weft_profile_lookup(name);
	g_autofree char *from = sel->has_range ? dup_offset(model, sel->start) : NULL;
	g_autofree char *to = sel->has_range ? dup_offset(model, sel->end) : NULL;
	g_auto(GStrv) tids = dup_tids(model, sel);
	weft_profile_request_t request = {from, to, NULL, NULL, NULL, 0};
	weft_profile_options_t options;
	g_autoptr(weft_profile_t) profile = NULL;

	if (!pn) {
		g_set_error(error, EXPORT_ERROR, 0, "Unknown profile '%s' (%s)", name,
		            weft_profile_name_list());
		return FALSE;
	}
	if (refuse_existing(path, overwrite, error)) {
		return FALSE;
	}
	request.threads = tids[0] ? (const char *const *) tids : NULL;
	if (!weft_profile_options_init(&options, model, &request, error)) {
		return FALSE;
	}
	profile = weft_profile_new(model, pn->kind, &options);
	weft_profile_options_clear(&options);
	return weft_pprof_write_file(profile, pn->value, path, error);
}

gboolean weft_export_chrome(const weft_model_t *model, const weft_export_selection_t *sel,
                            const char *path, gboolean overwrite, GError **error)
{
	g_autoptr(GArray) tids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	weft_chrome_options_t opt;

	weft_chrome_options_init(&opt);
	for (guint i = 0; i < sel->threads->len; i++) {
		const weft_thread_t *th =
		    g_ptr_array_index(model->threads, g_array_index(sel->threads, guint, i));

		g_array_append_val(tids, th->tid);
	}
	opt.tids = tids->len ? (const int64_t *) (void *) tids->data : NULL;
	opt.n_tids = tids->len;
	if (sel->has_range) {
		opt.has_from = opt.has_to = TRUE;
		opt.from = sel->start - model->start;
		opt.to = sel->end - model->start;
	}
	opt.force = overwrite;
	return weft_chrome_write_file(model, path, &opt, NULL, error);
}

/* ---- in the background ---- */

typedef struct {
	WeftSession *session; /* owned: holds the model the worker reads */
	weft_export_format_t format;
	char *profile; /* owned, pprof only */
	char *path;    /* owned */
	weft_export_selection_t sel;
	weft_export_done_func_t on_done;
} job_t;

static void job_free(job_t *job)
{
	g_object_unref(job->session);
	g_free(job->profile);
	g_free(job->path);
	weft_export_selection_clear(&job->sel);
	g_free(job);
}

static void run_job(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	job_t *job = data;
	const weft_model_t *model = weft_session_borrow_model(job->session);
	GError *error = NULL;
	gboolean ok;

	/* The chooser confirmed any overwrite. */
	if (job->format == WEFT_EXPORT_PPROF) {
		ok = weft_export_pprof(model, &job->sel, job->profile, job->path, TRUE, &error);
	} else {
		ok = weft_export_chrome(model, &job->sel, job->path, TRUE, &error);
	}
	if (ok) {
		g_task_return_boolean(task, TRUE);
	} else {
		g_task_return_error(task, error);
	}
}

static void on_job_done(GObject *parent, GAsyncResult *result, gpointer data)
{
	const job_t *job = g_task_get_task_data(G_TASK(result));
	g_autoptr(GError) error = NULL;

	g_task_propagate_boolean(G_TASK(result), &error);
	if (job->on_done) {
		job->on_done(GTK_WINDOW(parent), job->path, error);
	}
}

void weft_export_start(GtkWindow *parent, WeftSession *session, weft_export_format_t format,
                       const char *profile, const char *path, weft_export_done_func_t on_done)
{
	/* The task holds parent until on_done has run. */
	GTask *task = g_task_new(parent, NULL, on_job_done, NULL);
	job_t *job = g_new0(job_t, 1);

	job->session = g_object_ref(session);
	job->format = format;
	job->profile = g_strdup(profile);
	job->path = g_strdup(path);
	job->on_done = on_done;
	weft_export_selection_init(&job->sel, session);
	g_task_set_task_data(task, job, (GDestroyNotify) job_free);
	g_task_run_in_thread(task, run_job);
	g_object_unref(task);
}

/* ---- the chooser ---- */

typedef struct {
	GtkWindow *parent;    /* owned */
	WeftSession *session; /* owned */
	weft_export_format_t format;
	weft_export_done_func_t on_done;
} chooser_data_t;

static void chooser_data_free(chooser_data_t *d)
{
	g_object_unref(d->parent);
	g_object_unref(d->session);
	g_free(d);
}

static void on_response(GtkNativeDialog *dialog, int response, chooser_data_t *d)
{
	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
		g_autofree char *path = file ? g_file_get_path(file) : NULL;

		if (path) {
			weft_export_start(
			    d->parent, d->session, d->format,
			    gtk_file_chooser_get_choice(GTK_FILE_CHOOSER(dialog), CHOICE_PROFILE),
			    path, d->on_done);
		}
	}
	chooser_data_free(d);
	g_object_unref(dialog);
}

static void add_profile_choice(GtkFileChooser *chooser)
{
	guint n;
	const weft_profile_name_t *names = weft_profile_names(&n);
	g_autofree const char **ids = g_new0(const char *, n + 1);

	for (guint i = 0; i < n; i++) {
		ids[i] = names[i].name;
	}
	gtk_file_chooser_add_choice(chooser, CHOICE_PROFILE, "Profile", ids, ids);
	gtk_file_chooser_set_choice(chooser, CHOICE_PROFILE, "cpu");
}

void weft_export_run_chooser(GtkWindow *parent, WeftSession *session, weft_export_format_t format,
                             weft_export_done_func_t on_done)
{
	gboolean pprof = format == WEFT_EXPORT_PPROF;
	GtkFileChooserNative *chooser = gtk_file_chooser_native_new(
	    pprof ? "Export Selection as pprof Profile" : "Export Selection as Chrome JSON", parent,
	    GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");
	chooser_data_t *d = g_new0(chooser_data_t, 1);

	d->parent = g_object_ref(parent);
	d->session = g_object_ref(session);
	d->format = format;
	d->on_done = on_done;
	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(chooser), TRUE);
	gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(chooser),
	                                  pprof ? "profile.pb.gz" : "trace.json");
	if (pprof) {
		add_profile_choice(GTK_FILE_CHOOSER(chooser));
	}
	g_signal_connect(chooser, "response", G_CALLBACK(on_response), d);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(chooser));
}
