/*
 * weft convert - write CTF traces as Chrome Trace Event JSON (Perfetto).
 *
 *   weft convert TRACE... -o OUT.json[.gz] [--pid N]... [--tid N]...
 *                [--from T] [--to T] [--exclude PATTERN]... [--max-size MB]
 *                [--no-symbols] [--force] [--quiet]
 *
 * docs/convert.md is the manual.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "weft-chrome.h"
#include "weft-cli.h"
#include "weft-reader.h"

#define PROGRESS_DELAY_US (G_USEC_PER_SEC / 2) /* no bar for traces read faster */

typedef struct {
	char *output;    /* owned */
	char **pid_strs; /* owned */
	char **tid_strs; /* owned */
	char *from, *to; /* owned */
	char **exclude;  /* owned */
	char *max_size;  /* owned */
	gboolean no_symbols;
	gboolean force;
	gboolean quiet;
	char **traces; /* owned: the remaining arguments */
} convert_args_t;

typedef struct {
	gboolean enabled;  /* stderr is a terminal and not --quiet */
	gboolean shown;    /* a bar is on screen */
	gint64 started;    /* g_get_monotonic_time() at the start */
	const char *phase; /* borrowed */
} progress_t;

static void args_clear(convert_args_t *a)
{
	g_free(a->output);
	g_strfreev(a->pid_strs);
	g_strfreev(a->tid_strs);
	g_free(a->from);
	g_free(a->to);
	g_strfreev(a->exclude);
	g_free(a->max_size);
	g_strfreev(a->traces);
}

/* Prints `weft convert: WHAT: path="…", reason="…"` from a library error. */
static int fail(const char *what, const char *message)
{
	const char *detail = message;

	if (g_str_has_prefix(message, "Failed to ") && strstr(message, ": ")) {
		detail = strstr(message, ": ") + 2;
	}
	fprintf(stderr, "weft convert: %s: %s\n", what, detail);
	return 1;
}

static int usage_error(const char *message)
{
	fprintf(stderr, "weft convert: %s (see 'weft convert --help')\n", message);
	return 2;
}

static gboolean parse_ids(char **strs, GArray *out)
{
	for (guint i = 0; strs && strs[i]; i++) {
		char *end = NULL;
		gint64 v;

		errno = 0;
		v = g_ascii_strtoll(strs[i], &end, 10);
		if (end == strs[i] || *end || errno || v < 0) {
			return FALSE;
		}
		g_array_append_val(out, v);
	}
	return TRUE;
}

static gboolean parse_max_size(const char *s, guint64 *bytes)
{
	char *end = NULL;
	double mb;

	errno = 0;
	mb = g_ascii_strtod(s, &end);
	if (end == s || *end || errno || mb <= 0 || mb > 1e9) {
		return FALSE;
	}
	*bytes = (guint64) (mb * 1e6);
	return TRUE;
}

/* ---- progress bar on stderr ---- */

static void progress_draw(progress_t *p, double fraction, const char *detail)
{
	char bar[31];
	int filled = (int) (fraction * 30.0);

	if (!p->enabled || g_get_monotonic_time() - p->started < PROGRESS_DELAY_US) {
		return;
	}
	if (fraction <= 0) {
		/* no estimate (yet): the count alone */
		fprintf(stderr, "\rweft convert: %-8s %s\033[K", p->phase, detail);
	} else {
		for (int i = 0; i < 30; i++) {
			bar[i] = i < filled ? '#' : '.';
		}
		bar[30] = '\0';
		fprintf(stderr, "\rweft convert: %-8s [%s] %3d%% %s\033[K", p->phase, bar,
		        (int) (fraction * 100.0), detail);
	}
	fflush(stderr);
	p->shown = TRUE;
}

static void progress_clear(progress_t *p)
{
	if (p->shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
		p->shown = FALSE;
	}
}

static void on_read_progress(double fraction, guint64 n_events, gpointer data)
{
	char detail[48];

	g_snprintf(detail, sizeof(detail), "%" G_GUINT64_FORMAT " events", n_events);
	progress_draw(data, fraction, detail);
}

static void on_write_progress(double fraction, gpointer data)
{
	progress_draw(data, fraction, "");
}

/* ---- options ---- */

static int parse_args(int argc, char **argv, convert_args_t *a)
{
	GOptionEntry entries[] = {
	    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &a->output,
	     "Write JSON to OUT (.gz: compressed, -: stdout)", "OUT"},
	    {"pid", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->pid_strs,
	     "Keep only process N (repeatable)", "N"},
	    {"tid", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->tid_strs,
	     "Keep only thread N (repeatable)", "N"},
	    {"from", 0, 0, G_OPTION_ARG_STRING, &a->from,
	     "Start of the window, after the trace start (1.5s, 200ms, 750us, 10ns)", "T"},
	    {"to", 0, 0, G_OPTION_ARG_STRING, &a->to, "End of the window, after the trace start",
	     "T"},
	    {"exclude", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->exclude,
	     "Leave out events whose name matches the glob (repeatable)", "PATTERN"},
	    {"max-size", 0, 0, G_OPTION_ARG_STRING, &a->max_size,
	     "Keep the JSON under MB megabytes: drop the shortest slices, then instants", "MB"},
	    {"no-symbols", 0, 0, G_OPTION_ARG_NONE, &a->no_symbols,
	     "Do not symbolize call sites (faster; no site or stack in args)", NULL},
	    {"force", 'f', 0, G_OPTION_ARG_NONE, &a->force, "Overwrite OUT if it exists", NULL},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &a->quiet, "No progress bar and no summary", NULL},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->traces, NULL, "TRACE..."},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	GOptionContext *ctx;
	GError *error = NULL;
	int rc = 0;

	g_set_prgname("weft convert");
	ctx = g_option_context_new("- write traces as Chrome Trace Event JSON");
	g_option_context_set_summary(
	    ctx, "Reads one or more CTF trace folders (they merge into one timeline) and writes\n"
	         "the Chrome Trace Event JSON that Perfetto (ui.perfetto.dev) opens.\n"
	         "Times for --from/--to are relative to the trace start; docs/convert.md\n"
	         "describes the JSON.");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		rc = usage_error(error->message);
		g_error_free(error);
	} else if (!a->traces || !a->traces[0]) {
		rc = usage_error("no trace given");
	} else if (!a->output) {
		rc = usage_error("no output given (-o OUT.json)");
	}
	g_option_context_free(ctx);
	return rc;
}

static int build_options(const convert_args_t *a, weft_chrome_options_t *opt, GArray *pids,
                         GArray *tids)
{
	weft_chrome_options_init(opt);
	if (!parse_ids(a->pid_strs, pids)) {
		return usage_error("--pid takes a process id");
	}
	if (!parse_ids(a->tid_strs, tids)) {
		return usage_error("--tid takes a thread id");
	}
	opt->pids = (const int64_t *) (void *) pids->data;
	opt->n_pids = pids->len;
	opt->tids = (const int64_t *) (void *) tids->data;
	opt->n_tids = tids->len;
	if (a->from && !(opt->has_from = weft_time_parse(a->from, &opt->from))) {
		return usage_error("--from takes a time such as 1.5s, 200ms, 750us or 10ns");
	}
	if (a->to && !(opt->has_to = weft_time_parse(a->to, &opt->to))) {
		return usage_error("--to takes a time such as 1.5s, 200ms, 750us or 10ns");
	}
	if (opt->has_from && opt->has_to && opt->to < opt->from) {
		return usage_error("--to is before --from");
	}
	if (a->max_size && !parse_max_size(a->max_size, &opt->max_size)) {
		return usage_error("--max-size takes a size in megabytes");
	}
	opt->exclude = (const char *const *) a->exclude;
	opt->no_symbols = a->no_symbols;
	opt->force = a->force;
	return 0;
}

static void print_summary(const convert_args_t *a, const weft_model_t *m,
                          const weft_chrome_stats_t *st)
{
	FILE *out = strcmp(a->output, "-") == 0 ? stderr : stdout;
	char *dropped = weft_chrome_stats_describe_dropped(st);

	fprintf(out,
	        "weft convert: %s: %" G_GUINT64_FORMAT
	        " JSON events, %.1f MB from %" G_GUINT64_FORMAT " trace events; %" G_GUINT64_FORMAT
	        " discarded by the tracer, %" G_GUINT64_FORMAT " skipped (not understood)",
	        a->output, st->n_json_events, (double) st->n_bytes / 1e6, m->n_events,
	        m->n_discarded, m->n_skipped);
	if (*dropped) {
		fprintf(out, "; --max-size dropped %s", dropped);
	}
	if (m->n_events > 0 && m->n_skipped == m->n_events) {
		fprintf(out, "; no event weft understands (record weft or lttng_ust_* events)");
	} else if (st->n_json_events == 0 &&
	           (a->pid_strs || a->tid_strs || a->from || a->to || a->exclude)) {
		fprintf(out, "; nothing matched the filters");
	}
	fprintf(out, "\n");
	g_free(dropped);
}

/*
 * A trace argument that is not a folder gets one line saying what weft
 * convert reads, before anything is read or written. Missing paths and
 * folders without a trace are left to the reader's own messages.
 */
static int check_inputs(char **traces)
{
	for (guint i = 0; traces[i]; i++) {
		const char *t = traces[i];
		char *dir;

		if (!g_file_test(t, G_FILE_TEST_EXISTS) || g_file_test(t, G_FILE_TEST_IS_DIR)) {
			continue;
		}
		if (!g_file_test(t, G_FILE_TEST_IS_REGULAR)) {
			fprintf(stderr,
			        "weft convert: %s is not a folder; weft convert reads CTF trace "
			        "folders\n",
			        t);
			return 1;
		}
		dir = g_path_get_dirname(t);
		if (strcmp(strrchr(t, '/') ? strrchr(t, '/') + 1 : t, "metadata") == 0) {
			fprintf(stderr,
			        "weft convert: %s is a file; weft convert reads CTF trace folders "
			        "(give "
			        "its folder: weft convert %s)\n",
			        t, dir);
		} else {
			fprintf(stderr,
			        "weft convert: %s is a file; weft convert reads CTF trace folders "
			        "(weft "
			        "view opens weft's JSON files)\n",
			        t);
		}
		g_free(dir);
		return 1;
	}
	return 0;
}

static int convert(const convert_args_t *a, weft_chrome_options_t *opt)
{
	progress_t progress = {isatty(STDERR_FILENO) && !a->quiet, FALSE, g_get_monotonic_time(),
	                       "reading"};
	weft_reader_options_t ropt = {
	    .progress = on_read_progress,
	    .progress_data = &progress,
	    .no_symbols = a->no_symbols,
	};
	weft_chrome_stats_t st;
	weft_model_t *model;
	GError *error = NULL;
	int rc = 0;

	if (!a->force && strcmp(a->output, "-") != 0 &&
	    g_file_test(a->output, G_FILE_TEST_EXISTS)) {
		char *msg = g_strdup_printf(
		    "path=\"%s\", reason=\"file exists (use --force to overwrite)\"", a->output);

		rc = fail("cannot write output", msg);
		g_free(msg);
		return rc;
	}
	model = weft_reader_load((const char *const *) a->traces, &ropt, &error);
	progress_clear(&progress);
	if (!model) {
		rc = fail("cannot read trace", error->message);
		g_error_free(error);
		return rc;
	}
	for (guint i = 0; i < model->warnings->len; i++) {
		fprintf(stderr, "weft convert: warning: %s\n",
		        (const char *) g_ptr_array_index(model->warnings, i));
	}
	progress.phase = "writing";
	opt->progress = on_write_progress;
	opt->progress_data = &progress;
	if (!weft_chrome_write_file(model, a->output, opt, &st, &error)) {
		progress_clear(&progress);
		rc = fail("cannot write output", error->message);
		g_error_free(error);
	} else {
		progress_clear(&progress);
		if (!a->quiet) {
			print_summary(a, model, &st);
		}
	}
	weft_model_free(model);
	return rc;
}

int weft_cmd_convert(int argc, char **argv)
{
	convert_args_t args = {0};
	weft_chrome_options_t opt;
	GArray *pids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	GArray *tids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	int rc;

	rc = parse_args(argc, argv, &args);
	if (rc == 0) {
		rc = build_options(&args, &opt, pids, tids);
	}
	if (rc == 0) {
		rc = check_inputs(args.traces);
	}
	if (rc == 0) {
		rc = convert(&args, &opt);
	}
	g_array_free(pids, TRUE);
	g_array_free(tids, TRUE);
	args_clear(&args);
	return rc;
}
