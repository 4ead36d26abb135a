/*
 * weft stats - the analyses of a trace as text tables, JSON, or folded
 * stacks for flame graphs. docs/stats.md describes every section and the
 * JSON schema.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "weft-analysis-sites.h"
#include "weft-analysis.h"
#include "weft-cli.h"
#include "weft-reader.h"

enum {
	EXIT_USAGE = 2,
	EXIT_TRACE = 1,
};

typedef struct {
	gboolean json;
	gint top;
	gint cpus;
	gint width;
	gint64 pid;
	gchar **sections; /* owned */
	gchar *folded;    /* owned; "" for --folded without KIND */
	gchar *from, *to; /* owned */
	gchar *region;    /* owned */
	gchar **threads;  /* owned */
	gchar *output;    /* owned */
	gboolean no_symbols;
	gboolean list;
	gchar **traces;       /* owned */
	gchar *critical;      /* owned: --critical-path REGION */
	gchar *critical_task; /* owned */
	gint64 critical_tid;  /* --critical-path-thread, 0: none */
	gchar *group;         /* owned: --group */
	weft_group_t group_by;
} stats_args_t;

static void args_clear(stats_args_t *a)
{
	g_strfreev(a->sections);
	g_free(a->folded);
	g_free(a->from);
	g_free(a->to);
	g_free(a->region);
	g_strfreev(a->threads);
	g_free(a->output);
	g_strfreev(a->traces);
	g_free(a->critical);
	g_free(a->critical_task);
	g_free(a->group);
}

/* At most one critical-path target; --from/--to are times. */
static gboolean check_critical(const stats_args_t *a, GError **error)
{
	weft_time_t t;
	int n = !!a->critical + !!a->critical_task + (a->critical_tid != 0);

	if (n > 1) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "give one of --critical-path, --critical-path-task and "
		            "--critical-path-thread");
		return FALSE;
	}
	if (a->critical_tid < 0) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--critical-path-thread takes a thread id");
		return FALSE;
	}
	if ((a->from && !weft_time_parse(a->from, &t)) || (a->to && !weft_time_parse(a->to, &t))) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--from and --to take a time such as 1.5s, 200ms, 750us or 10ns");
		return FALSE;
	}
	return TRUE;
}

/*
 * `--folded` takes an optional KIND, which GOption cannot express: a bare
 * `--folded` (followed by an option, an existing trace, or nothing) becomes
 * `--folded=`, and `--folded KIND` becomes `--folded=KIND`. args holds the
 * strings made here (owned).
 */
static char **folded_argv(int *argc, char **argv, GPtrArray *args)
{
	GPtrArray *out = g_ptr_array_new();

	for (int i = 0; i < *argc; i++) {
		const char *next = i + 1 < *argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--folded") != 0) {
			g_ptr_array_add(out, argv[i]);
		} else if (next && next[0] != '-' && !g_file_test(next, G_FILE_TEST_EXISTS)) {
			g_ptr_array_add(args, g_strconcat("--folded=", next, NULL));
			g_ptr_array_add(out, g_ptr_array_index(args, args->len - 1));
			i++;
		} else {
			g_ptr_array_add(out, "--folded=");
		}
	}
	*argc = (int) out->len;
	g_ptr_array_add(out, NULL);
	return (char **) g_ptr_array_free(out, FALSE);
}

static gboolean parse_args(int argc, char **argv, stats_args_t *a, GError **error)
{
	g_autofree char *folded_help = g_strdup_printf(
	    "Write folded stacks: %s (no KIND: wall with CPU samples, else blocked)",
	    weft_folded_kind_list());
	GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &a->json, "Write JSON (schema: docs/stats.md)", NULL},
	    {"top", 0, 0, G_OPTION_ARG_INT, &a->top,
	     "Rows per section (default: 10 in text, all in JSON)", "N"},
	    {"section", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->sections,
	     "Only this section (repeatable; --list-sections)", "NAME"},
	    {"folded", 0, 0, G_OPTION_ARG_STRING, &a->folded, folded_help, "KIND"},
	    {"from", 0, 0, G_OPTION_ARG_STRING, &a->from,
	     "Start of the window (folded stacks, --critical-path-thread), after the trace start "
	     "(1.5s, 200ms)",
	     "T"},
	    {"to", 0, 0, G_OPTION_ARG_STRING, &a->to, "End of the window, after the trace start",
	     "T"},
	    {"region", 0, 0, G_OPTION_ARG_STRING, &a->region,
	     "Folded stacks: only during the instances of this region", "NAME"},
	    {"thread", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->threads,
	     "Folded stacks: only this thread, a tid or a name glob (repeatable)", "TID|NAME"},
	    {"critical-path", 0, 0, G_OPTION_ARG_STRING, &a->critical,
	     "Critical path of every instance of this region", "REGION"},
	    {"critical-path-task", 0, 0, G_OPTION_ARG_STRING, &a->critical_task,
	     "Critical path of every instance of this task", "NAME"},
	    {"critical-path-thread", 0, 0, G_OPTION_ARG_INT64, &a->critical_tid,
	     "Critical path of this thread from --from to --to", "TID"},
	    {"cpus", 0, 0, G_OPTION_ARG_INT, &a->cpus,
	     "CPUs for the runnable estimate (default: from the trace)", "N"},
	    {"pid", 0, 0, G_OPTION_ARG_INT64, &a->pid, "Only the process with this (v)pid", "PID"},
	    {"group", 0, 0, G_OPTION_ARG_STRING, &a->group,
	     "By-call-site rows: caller (default: the program's own caller, past libraries "
	     "and lock wrappers), leaf or stack",
	     "caller|leaf|stack"},
	    {"width", 0, 0, G_OPTION_ARG_INT, &a->width, "Text width (default 100)", "COLUMNS"},
	    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &a->output, "Write to FILE", "FILE"},
	    {"no-symbols", 0, 0, G_OPTION_ARG_NONE, &a->no_symbols, "Do not symbolize call sites",
	     NULL},
	    {"list-sections", 0, 0, G_OPTION_ARG_NONE, &a->list, "List the sections", NULL},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->traces, NULL, "TRACE..."},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) ctx = NULL;
	g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func(g_free);
	g_autofree char **args = folded_argv(&argc, argv, made);

	g_set_prgname("weft stats");
	ctx = g_option_context_new("- analyse traces");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
	    ctx, "Threads, blocking profiles, lock contention, allocations, regions and tasks,\n"
	         "and minimum utilization of one or more traces (merged into one timeline).\n"
	         "Folded stacks (--folded) are docs/stats.md's flame-graph input.");
	argv = args;
	if (!g_option_context_parse(ctx, &argc, &argv, error)) {
		return FALSE;
	}
	if (!a->folded && (a->region || a->threads || ((a->from || a->to) && !a->critical_tid))) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--from, --to, --region and --thread select folded stacks "
		            "(--from/--to also a --critical-path-thread): add --folded");
		return FALSE;
	}
	if (a->group && !weft_group_parse(a->group, &a->group_by)) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--group takes caller, leaf or stack, not '%s'", a->group);
		return FALSE;
	}
	if (a->top < 0 || a->cpus < 0 || a->width < 0) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            "--top, --cpus and --width take a positive number");
		return FALSE;
	}
	return check_critical(a, error);
}

/* Splits "a,b" arguments and checks every name. */
static gboolean check_sections(stats_args_t *a, GError **error)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; a->sections && a->sections[i]; i++) {
		g_auto(GStrv) parts = g_strsplit(a->sections[i], ",", -1);

		for (guint j = 0; parts[j]; j++) {
			if (!weft_analysis_has_section(parts[j])) {
				g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				            "unknown section '%s' (see --list-sections)", parts[j]);
				return FALSE;
			}
			g_ptr_array_add(names, g_strdup(parts[j]));
		}
	}
	if (!names->len && (a->critical || a->critical_task || a->critical_tid)) {
		/* A critical-path target alone asks for that section only. */
		g_ptr_array_add(names, g_strdup("critical-path"));
	}
	g_ptr_array_add(names, NULL);
	g_strfreev(a->sections);
	a->sections = (gchar **) g_ptr_array_free(g_steal_pointer(&names), FALSE);
	return TRUE;
}

static void list_sections(void)
{
	guint n;
	const weft_section_info_t *s = weft_analysis_sections(&n);

	for (guint i = 0; i < n; i++) {
		printf("%-17s %s\n", s[i].name, s[i].title);
	}
}

static int write_output(const stats_args_t *a, const GString *text)
{
	FILE *out = stdout;

	if (a->output) {
		out = fopen(a->output, "w");
		if (!out) {
			fprintf(stderr,
			        "weft stats: cannot write output: path=\"%s\", reason=\"%s\"\n",
			        a->output, g_strerror(errno));
			return EXIT_TRACE;
		}
	}
	fwrite(text->str, 1, text->len, out);
	if ((out != stdout && fclose(out) != 0) || (out == stdout && fflush(out) != 0)) {
		fprintf(stderr, "weft stats: cannot write output: path=\"%s\", reason=\"%s\"\n",
		        a->output ? a->output : "-", g_strerror(errno));
		return EXIT_TRACE;
	}
	return 0;
}

/* Folded stacks of the kind asked for, in the window and threads asked for. */
static int render_folded(const weft_model_t *model, const stats_args_t *a, weft_folded_kind_t kind,
                         GString *out)
{
	weft_profile_request_t request = {
	    a->from, a->to, a->region, NULL, (const char *const *) a->threads, a->pid};
	weft_profile_options_t options;
	g_autoptr(GError) error = NULL;

	if (!weft_profile_options_init(&options, model, &request, &error)) {
		fprintf(stderr, "weft stats: %s\n", error->message);
		return EXIT_USAGE;
	}
	weft_folded_write(model, kind, &options, out);
	weft_profile_options_clear(&options);
	return 0;
}

static void render(const weft_model_t *model, const stats_args_t *a,
                   const weft_analysis_options_t *options, GString *out)
{
	const char *const *sections = (const char *const *) a->sections;

	if (a->json) {
		json_object *root =
		    weft_analysis_report_json(model, sections, options, (guint) a->top);

		g_string_append(
		    out, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
		                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
		g_string_append_c(out, '\n');
		json_object_put(root);
	} else {
		weft_analysis_report_text(model, sections, options, a->top ? (guint) a->top : 10,
		                          (guint) a->width, out);
	}
}

static gboolean has_process(const weft_model_t *model, gint64 pid)
{
	for (guint i = 0; i < model->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(model->processes, i);

		if (p->pid == pid) {
			return TRUE;
		}
	}
	return FALSE;
}

static int run(stats_args_t *a)
{
	weft_analysis_options_t options = WEFT_ANALYSIS_OPTIONS_INIT;
	weft_reader_options_t ropts = {0};
	weft_folded_kind_t kind = WEFT_FOLDED_BLOCKED;
	g_autoptr(weft_model_t) model = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);

	if (a->folded && *a->folded && !weft_folded_kind_from_name(a->folded, &kind)) {
		fprintf(stderr, "weft stats: unknown folded kind '%s' (%s)\n", a->folded,
		        weft_folded_kind_list());
		return EXIT_USAGE;
	}
	ropts.no_symbols = a->no_symbols;
	model = weft_reader_load((const char *const *) a->traces, &ropts, &error);
	if (!model) {
		fprintf(stderr, "weft stats: cannot read trace: %s\n", error->message);
		return EXIT_TRACE;
	}
	for (guint i = 0; i < model->warnings->len; i++) {
		fprintf(stderr, "weft stats: warning: %s\n",
		        (const char *) g_ptr_array_index(model->warnings, i));
	}
	if (a->pid && !has_process(model, a->pid)) {
		fprintf(stderr,
		        "weft stats: no process with pid %" G_GINT64_FORMAT " in the trace\n",
		        a->pid);
		return EXIT_TRACE;
	}
	options.ncpus = (guint) a->cpus;
	options.pid = a->pid;
	options.group = a->group_by;
	options.critical_region = a->critical;
	options.critical_task = a->critical_task;
	options.critical_tid = a->critical_tid;
	if (a->from) {
		weft_time_parse(a->from, &options.critical_from);
	}
	if (a->to) {
		weft_time_parse(a->to, &options.critical_to);
	}
	if (a->folded && *a->folded && kind == WEFT_FOLDED_CRITICAL) {
		weft_folded_write_critical(model, &options, out);
	} else if (a->folded) {
		int rc = render_folded(model, a,
		                       *a->folded ? kind : weft_folded_default_kind(model), out);

		if (rc) {
			return rc;
		}
	} else {
		render(model, a, &options, out);
	}
	return write_output(a, out);
}

int weft_cmd_stats(int argc, char **argv)
{
	stats_args_t a = {0};
	g_autoptr(GError) error = NULL;
	int ret;

	if (!parse_args(argc, argv, &a, &error) || !check_sections(&a, &error)) {
		fprintf(stderr, "weft stats: %s\n", error->message);
		args_clear(&a);
		return EXIT_USAGE;
	}
	if (a.list) {
		list_sections();
		args_clear(&a);
		return 0;
	}
	if (!a.traces || !a.traces[0]) {
		fprintf(stderr,
		        "weft stats: no trace given (usage: weft stats [OPTION...] TRACE...)\n");
		args_clear(&a);
		return EXIT_USAGE;
	}
	ret = run(&a);
	args_clear(&a);
	return ret;
}
