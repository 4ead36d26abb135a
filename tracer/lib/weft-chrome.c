/*
 * Chrome Trace Event Format JSON from the timeline model: the document,
 * the options, the output file and the two passes of --max-size.
 *
 * A streaming writer, in pieces that share weft-chrome-private.h: the
 * byte buffer and escaping (weft-chrome-buffer.c), what is kept
 * (weft-chrome-select.c), thread tracks (weft-chrome-slices.c), the other
 * tables of the model (weft-chrome-meta.c) and call stacks
 * (weft-chrome-stacks.c).
 */
#include "weft-chrome.h"
#include "weft-chrome-private.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* The quark's name is one token: kept from the formatter. */
/* clang-format off */
G_DEFINE_QUARK(weft-chrome-error-quark, weft_chrome_error)
/* clang-format on */

#define PROGRESS_STEP 65536

/* ---- progress ---- */

void weft_chrome_progress_step(weft_chrome_writer_t *w, guint64 units)
{
	w->work_done += units;
	if (w->opt->progress && w->work_done >= w->next_report) {
		guint64 total = w->work_total ? w->work_total : 1;

		w->next_report = w->work_done + MAX(PROGRESS_STEP, total / 100);
		w->opt->progress(MIN(1.0, (double) w->work_done / (double) total),
		                 w->opt->progress_data);
	}
}

/* ---- the document ---- */

/*
 * The frame tree, last: old Perfetto tokenizers stop at the first
 * top-level key they do not know, so it follows everything they read.
 */
static void emit_stack_frames(weft_chrome_writer_t *w)
{
	guint n = w->stacks ? weft_chrome_stacks_count(w->stacks) : 0;

	if (n == 0) {
		return;
	}
	PUT(w, ",\n\"stackFrames\":{");
	for (guint32 id = 1; id <= n; id++) {
		char *node = weft_chrome_stacks_node_json(w->stacks, id);

		if (id > 1) {
			PUT(w, ",\n");
		} else {
			weft_chrome_put_char(w, '\n');
		}
		weft_chrome_put_mem(w, node, strlen(node));
		g_free(node);
	}
	PUT(w, "\n}");
}

static void emit_trailer(weft_chrome_writer_t *w)
{
	const weft_model_t *m = w->model;
	const weft_chrome_stats_t *s = w->stats;

	PUT(w, "\n],\n\"metadata\":{\"producer\":\"weft\",\"trace-start-ns\":");
	weft_chrome_put_i64(w, m->start);
	PUT(w, ",\"trace-end-ns\":");
	weft_chrome_put_i64(w, m->end);
	PUT(w, ",\"events\":");
	weft_chrome_put_u64(w, m->n_events);
	PUT(w, ",\"discarded-events\":");
	weft_chrome_put_u64(w, m->n_discarded);
	PUT(w, ",\"skipped-events\":");
	weft_chrome_put_u64(w, m->n_skipped);
	PUT(w, ",\"kernel-states\":");
	if (m->has_kernel) {
		PUT(w, "true");
	} else {
		PUT(w, "false");
	}
	PUT(w, ",\"data-lost\":[");
	for (guint i = 0; i < m->lost->len; i++) {
		const weft_lost_t *l = &g_array_index(m->lost, weft_lost_t, i);

		if (i) {
			weft_chrome_put_char(w, ',');
		}
		PUT(w, "{\"ts\":");
		weft_chrome_put_us(w, l->start - m->start);
		PUT(w, ",\"dur\":");
		weft_chrome_put_us(w, l->end - l->start);
		PUT(w, ",\"discarded\":");
		weft_chrome_put_u64(w, l->count);
		PUT(w, ",\"cpu\":");
		weft_chrome_put_i64(w, l->cpu);
		PUT(w, ",\"pid\":");
		weft_chrome_put_i64(w, l->pid);
		weft_chrome_put_char(w, '}');
	}
	PUT(w, "],\"dropped\":{\"slices-shorter-than-ns\":");
	weft_chrome_put_i64(w, s->dropped_below);
	PUT(w, ",\"slices\":");
	weft_chrome_put_u64(w, s->dropped_slices);
	PUT(w, ",\"instants\":");
	weft_chrome_put_u64(w, s->dropped_instants);
	PUT(w, ",\"flows\":");
	weft_chrome_put_u64(w, s->dropped_flows);
	PUT(w, ",\"counter-samples\":");
	weft_chrome_put_u64(w, s->dropped_counters);
	PUT(w, "}}");
	emit_stack_frames(w);
	PUT(w, "}\n");
}

static void write_document(weft_chrome_writer_t *w)
{
	const weft_model_t *m = w->model;

	w->n_events = 0;
	w->bind_id = 0;
	if (w->stacks) {
		weft_chrome_stacks_reset(w->stacks);
	}
	PUT(w, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	for (guint i = 0; i < m->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(m->processes, i);

		if (w->process_sel[i]) {
			weft_chrome_emit_process(w, p);
			weft_chrome_emit_counters(w, p);
		}
	}
	weft_chrome_emit_tasks(w);
	weft_chrome_emit_flows(w);
	weft_chrome_emit_lost(w);
	emit_trailer(w);
	weft_chrome_flush(w);
}

static guint64 count_work(const weft_model_t *m)
{
	guint64 n = m->tasks->len + m->flows->len;

	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);

		n += t->slices.start ? t->slices.start->len : 0;
		n += t->states.start ? t->states.start->len : 0;
		n += t->instants.ts ? t->instants.ts->len : 0;
	}
	for (guint i = 0; i < m->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(m->processes, i);

		for (guint k = 0; k < p->counters->len; k++) {
			const weft_counter_t *c = g_ptr_array_index(p->counters, k);

			n += c->ts ? c->ts->len : 0;
		}
	}
	return n;
}

/* ---- setup, output files ---- */

static gboolean writer_init(weft_chrome_writer_t *w, const weft_model_t *model,
                            const weft_chrome_options_t *opt, weft_chrome_stats_t *stats,
                            GError **error)
{
	guint nstr = model->strings->len;

	memset(w, 0, sizeof(*w));
	w->model = model;
	w->opt = opt;
	w->stats = stats;
	if (opt->has_from && opt->has_to && opt->to < opt->from) {
		g_set_error(error, WEFT_CHROME_ERROR, WEFT_CHROME_ERROR_INVALID,
		            "Failed to select a time window: reason=\"--to is before --from\"");
		return FALSE;
	}
	w->lo = opt->has_from ? model->start + opt->from : G_MININT64;
	w->hi = opt->has_to ? model->start + opt->to : G_MAXINT64;
	w->buf = g_malloc(WEFT_CHROME_BUF_CAP);
	w->jstr = json_object_new_string("");
	w->esc = g_new0(char *, nstr);
	w->str_sel = g_new0(guint8, nstr);
	w->site = g_new0(char *, model->callsites->len);
	w->stacks = opt->no_symbols ? NULL : weft_chrome_stacks_new(model);
	w->patterns = g_ptr_array_new_with_free_func((GDestroyNotify) g_pattern_spec_free);
	for (guint i = 0; opt->exclude && opt->exclude[i]; i++) {
		g_ptr_array_add(w->patterns, g_pattern_spec_new(opt->exclude[i]));
	}
	w->thread_sel = g_new0(guint8, model->threads->len + 1);
	w->process_sel = g_new0(guint8, model->processes->len + 1);
	w->region_end = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	w->boundaries = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	w->stack = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	w->slice_sizes = g_array_new(FALSE, FALSE, sizeof(weft_chrome_slice_size_t));
	w->instants.sizes = g_array_new(FALSE, FALSE, sizeof(guint32));
	w->flows.sizes = g_array_new(FALSE, FALSE, sizeof(guint32));
	w->counters.sizes = g_array_new(FALSE, FALSE, sizeof(guint32));
	w->work_total = count_work(model) * (opt->max_size ? 2 : 1);
	weft_chrome_select_threads(w);
	return TRUE;
}

static void writer_clear(weft_chrome_writer_t *w)
{
	guint nstr = w->model->strings->len;

	for (guint i = 0; w->esc && i < nstr; i++) {
		g_free(w->esc[i]);
	}
	for (guint i = 0; w->site && i < w->model->callsites->len; i++) {
		g_free(w->site[i]);
	}
	g_free(w->esc);
	g_free(w->site);
	weft_chrome_stacks_free(w->stacks);
	g_free(w->str_sel);
	g_free(w->thread_sel);
	g_free(w->process_sel);
	if (w->patterns) {
		g_ptr_array_free(w->patterns, TRUE);
	}
	if (w->jstr) {
		json_object_put(w->jstr);
	}
	if (w->region_end) {
		g_array_free(w->region_end, TRUE);
		g_array_free(w->boundaries, TRUE);
		g_array_free(w->stack, TRUE);
		g_array_free(w->slice_sizes, TRUE);
		g_array_free(w->instants.sizes, TRUE);
		g_array_free(w->flows.sizes, TRUE);
		g_array_free(w->counters.sizes, TRUE);
	}
	g_free(w->buf);
}

static gboolean is_stdout(const char *path)
{
	return strcmp(path, "-") == 0;
}

static gboolean open_output(weft_chrome_writer_t *w, const char *path, GError **error)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (w->opt->force ? O_TRUNC : O_EXCL);
	int fd, level = w->opt->gzip_level > 0 ? MIN(w->opt->gzip_level, 9) : 1;
	char mode[8];

	fd = is_stdout(path) ? dup(STDOUT_FILENO) : open(path, flags, 0644);
	if (fd < 0) {
		int err = errno;

		g_set_error(error, WEFT_CHROME_ERROR,
		            err == EEXIST ? WEFT_CHROME_ERROR_EXISTS : WEFT_CHROME_ERROR_OPEN,
		            "Failed to create output: path=\"%s\", reason=\"%s\"", path,
		            err == EEXIST ? "file exists (use --force to overwrite)"
		                          : g_strerror(err));
		return FALSE;
	}
	if (g_str_has_suffix(path, ".gz")) {
		g_snprintf(mode, sizeof(mode), "wb%d", level);
		w->gz = gzdopen(fd, mode);
		if (w->gz) {
			gzbuffer(w->gz, 256 * 1024);
		}
	} else {
		w->fp = fdopen(fd, "w");
		if (w->fp) {
			setvbuf(w->fp, NULL, _IONBF, 0); /* the writer buffers */
		}
	}
	if (!w->gz && !w->fp) {
		close(fd);
		g_set_error(error, WEFT_CHROME_ERROR, WEFT_CHROME_ERROR_OPEN,
		            "Failed to create output: path=\"%s\", reason=\"out of memory\"", path);
		return FALSE;
	}
	return TRUE;
}

static gboolean close_output(weft_chrome_writer_t *w, const char *path, GError **error)
{
	int err = w->write_errno;

	if (w->gz) {
		int rc = gzclose(w->gz);

		if (!err && rc != Z_OK) {
			err = rc == Z_ERRNO ? errno : EIO;
		}
	} else if (w->fp) {
		if (fclose(w->fp) != 0 && !err) {
			err = errno ? errno : EIO;
		}
	}
	w->gz = NULL;
	w->fp = NULL;
	if (err) {
		g_set_error(error, WEFT_CHROME_ERROR, WEFT_CHROME_ERROR_WRITE,
		            "Failed to write output: path=\"%s\", reason=\"%s\"", path,
		            g_strerror(err));
		return FALSE;
	}
	return TRUE;
}

void weft_chrome_options_init(weft_chrome_options_t *options)
{
	memset(options, 0, sizeof(*options));
}

gboolean weft_chrome_write_file(const weft_model_t *model, const char *path,
                                const weft_chrome_options_t *options, weft_chrome_stats_t *stats,
                                GError **error)
{
	weft_chrome_options_t defaults;
	weft_chrome_stats_t local_stats;
	weft_chrome_writer_t w;
	gboolean ok = FALSE;

	g_return_val_if_fail(model != NULL && path != NULL, FALSE);
	if (!options) {
		weft_chrome_options_init(&defaults);
		options = &defaults;
	}
	if (!stats) {
		stats = &local_stats;
	}
	memset(stats, 0, sizeof(*stats));
	if (!writer_init(&w, model, options, stats, error)) {
		goto end;
	}
	if (options->max_size) {
		w.measuring = TRUE;
		write_document(&w);
		memset(stats, 0, sizeof(*stats));
		weft_chrome_choose_drops(&w, w.flushed);
		g_array_set_size(w.slice_sizes, 0);
		g_array_set_size(w.instants.sizes, 0);
		g_array_set_size(w.flows.sizes, 0);
		g_array_set_size(w.counters.sizes, 0);
		w.measuring = FALSE;
		w.flushed = 0;
	}
	if (!open_output(&w, path, error)) {
		goto end;
	}
	write_document(&w);
	stats->n_json_events = w.n_events;
	stats->n_bytes = w.flushed;
	ok = close_output(&w, path, error);
	if (!ok && !is_stdout(path)) {
		unlink(path);
	}
end:
	writer_clear(&w);
	return ok;
}

/* ns as a number from 1 to 999.x in ns, us, ms or s; exact below 1 ms. */
static void append_duration(GString *out, weft_time_t ns)
{
	if (ns < 1000) {
		g_string_append_printf(out, "%" G_GINT64_FORMAT " ns", ns);
	} else if (ns < 1000000) {
		g_string_append_printf(out, "%.3f us", (double) ns / 1e3);
	} else if (ns < 1000000000) {
		g_string_append_printf(out, "%.3f ms", (double) ns / 1e6);
	} else {
		g_string_append_printf(out, "%.3f s", (double) ns / 1e9);
	}
}

char *weft_chrome_stats_describe_dropped(const weft_chrome_stats_t *s)
{
	GString *out = g_string_new(NULL);

	if (s->dropped_slices && s->dropped_all_slices) {
		g_string_append_printf(out, "all %" G_GUINT64_FORMAT " slices", s->dropped_slices);
	} else if (s->dropped_slices) {
		g_string_append_printf(out, "%" G_GUINT64_FORMAT " slices shorter than ",
		                       s->dropped_slices);
		append_duration(out, s->dropped_below);
	}
	if (s->dropped_instants) {
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT " instants",
		                       out->len ? ", " : "", s->dropped_instants);
	}
	if (s->dropped_flows) {
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT " flows", out->len ? ", " : "",
		                       s->dropped_flows);
	}
	if (s->dropped_counters) {
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT " counter samples",
		                       out->len ? ", " : "", s->dropped_counters);
	}
	if (s->over_size) {
		g_string_append(out,
		                out->len ? " (still above --max-size)" : "still above --max-size");
	}
	return g_string_free(out, FALSE);
}
