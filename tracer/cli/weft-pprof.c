/*
 * weft pprof - write one profile of a trace as a gzip'd profile.proto
 * for `go tool pprof`, Pyroscope or Parca. docs/pprof.md describes every
 * profile and how to look at it.
 */
#include <stdio.h>
#include <string.h>

#include "weft-cli.h"
#include "weft-pprof.h"
#include "weft-reader.h"

enum {
	EXIT_USAGE = 2,
	EXIT_TRACE = 1,
};

typedef struct {
	gchar *profile;   /* owned */
	gchar *output;    /* owned */
	gchar *from, *to; /* owned */
	gchar *region;    /* owned */
	gchar *at;        /* owned */
	gchar **threads;  /* owned */
	gint64 pid;
	gboolean no_symbols;
	gboolean list;
	gchar **traces; /* owned */
} pprof_args_t;

static void args_clear(pprof_args_t *a)
{
	g_free(a->profile);
	g_free(a->output);
	g_free(a->from);
	g_free(a->to);
	g_free(a->region);
	g_free(a->at);
	g_strfreev(a->threads);
	g_strfreev(a->traces);
}

static int usage_error(const char *message)
{
	fprintf(stderr, "weft pprof: %s (see 'weft pprof --help')\n", message);
	return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, pprof_args_t *a)
{
	GOptionEntry entries[] = {
	    {"profile", 'p', 0, G_OPTION_ARG_STRING, &a->profile, "The profile (see --list)",
	     "NAME"},
	    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &a->output,
	     "Write the profile to FILE (-: stdout)", "FILE"},
	    {"from", 0, 0, G_OPTION_ARG_STRING, &a->from,
	     "Start of the window, after the trace start (1.5s, 200ms, 750us, 10ns)", "T"},
	    {"to", 0, 0, G_OPTION_ARG_STRING, &a->to, "End of the window, after the trace start",
	     "T"},
	    {"region", 0, 0, G_OPTION_ARG_STRING, &a->region,
	     "Only during the instances of this region", "NAME"},
	    {"thread", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->threads,
	     "Only this thread, a tid or a name glob (repeatable)", "TID|NAME"},
	    {"pid", 0, 0, G_OPTION_ARG_INT64, &a->pid, "Only the process with this (v)pid", "PID"},
	    {"at", 0, 0, G_OPTION_ARG_STRING, &a->at,
	     "In-use profiles: the instant, after the trace start (default: window end)", "T"},
	    {"no-symbols", 0, 0, G_OPTION_ARG_NONE, &a->no_symbols, "Do not symbolize call sites",
	     NULL},
	    {"list", 0, 0, G_OPTION_ARG_NONE, &a->list, "List the profiles", NULL},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->traces, NULL, "TRACE..."},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	g_autoptr(GOptionContext) ctx = NULL;
	g_autoptr(GError) error = NULL;

	g_set_prgname("weft pprof");
	ctx = g_option_context_new("- write a pprof profile");

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
	    ctx, "Writes one profile of one or more traces (merged into one timeline) as\n"
	         "gzip'd profile.proto: go tool pprof -http=: FILE. docs/pprof.md.");
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		return usage_error(error->message);
	}
	return 0;
}

static void list_profiles(void)
{
	guint n;
	const weft_profile_name_t *names = weft_profile_names(&n);

	for (guint i = 0; i < n; i++) {
		printf("%-14s %s\n", names[i].name, names[i].summary);
	}
}

static int write_profile(const weft_model_t *model, const pprof_args_t *a,
                         const weft_profile_name_t *name, const weft_profile_options_t *options)
{
	g_autoptr(weft_profile_t) prof = weft_profile_new(model, name->kind, options);
	g_autoptr(GError) error = NULL;

	if (!weft_pprof_write_file(prof, name->value, a->output, &error)) {
		fprintf(stderr, "weft pprof: %s\n", error->message);
		return EXIT_TRACE;
	}
	if (!prof->samples->len) {
		fprintf(stderr, "weft pprof: warning: the %s profile is empty: %s%s\n", name->name,
		        weft_profile_empty_reason(prof),
		        a->from || a->to || a->region || a->threads || a->pid
		            ? " in the selected window and threads"
		            : " in the trace");
	} else if (prof->n_unattributed) {
		fprintf(stderr,
		        "weft pprof: warning: %" G_GUINT64_FORMAT
		        " lock waits have no recorded releaser and are not in the profile\n",
		        prof->n_unattributed);
	}
	return 0;
}

static int run(const pprof_args_t *a, const weft_profile_name_t *name)
{
	weft_reader_options_t ropts = {0};
	weft_profile_request_t request = {
	    a->from, a->to, a->region, a->at, (const char *const *) a->threads, a->pid};
	weft_profile_options_t options;
	g_autoptr(weft_model_t) model = NULL;
	g_autoptr(GError) error = NULL;
	int rc;

	ropts.no_symbols = a->no_symbols;
	model = weft_reader_load((const char *const *) a->traces, &ropts, &error);
	if (!model) {
		fprintf(stderr, "weft pprof: cannot read trace: %s\n", error->message);
		return EXIT_TRACE;
	}
	for (guint i = 0; i < model->warnings->len; i++) {
		fprintf(stderr, "weft pprof: warning: %s\n",
		        (const char *) g_ptr_array_index(model->warnings, i));
	}
	if (!weft_profile_options_init(&options, model, &request, &error)) {
		fprintf(stderr, "weft pprof: %s\n", error->message);
		return EXIT_USAGE;
	}
	rc = write_profile(model, a, name, &options);
	weft_profile_options_clear(&options);
	return rc;
}

static int check_args(const pprof_args_t *a, const weft_profile_name_t **name)
{
	g_autofree char *message = NULL;

	if (!a->profile) {
		message = g_strdup_printf("no profile given (--profile=NAME: %s)",
		                          weft_profile_name_list());
		return usage_error(message);
	}
	*name = weft_profile_lookup(a->profile);
	if (!*name) {
		message = g_strdup_printf("unknown profile '%s' (%s)", a->profile,
		                          weft_profile_name_list());
		return usage_error(message);
	}
	if (a->at && (*name)->kind != WEFT_PROFILE_HEAP) {
		return usage_error("--at is for the heap profiles (inuse_space, alloc_space, ...)");
	}
	if (!a->traces || !a->traces[0]) {
		return usage_error("no trace given");
	}
	if (!a->output) {
		return usage_error("no output given (-o FILE.pb.gz)");
	}
	return 0;
}

int weft_cmd_pprof(int argc, char **argv)
{
	pprof_args_t a = {0};
	const weft_profile_name_t *name = NULL;
	int rc = parse_args(argc, argv, &a);

	if (!rc && a.list) {
		list_profiles();
	} else if (!rc && !(rc = check_args(&a, &name))) {
		rc = run(&a, name);
	}
	args_clear(&a);
	return rc;
}
