/*
 * weft record's command line: the usage, getopt, the checks that refuse a
 * bad value before anything exists (one line, exit 2), and the preload
 * runtime's settings passed to PROGRAM as WEFT_* environment variables
 * (docs/record.md, docs/preload.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lttng/lttng.h>

#include "weft-model.h"
#include "weft-record-private.h"

/* The runtime's WEFT_STACK_DEPTH_MAX (instrument/preload/weft-preload-private.h). */
#define WEFT_RECORD_STACK_DEPTH_MAX 256
/* The runtime's WEFT_CPU_HZ_MAX. */
#define WEFT_RECORD_CPU_HZ_MAX 10000
/* WEFT_STACK_SYSCALL_MIN is a count of microseconds the runtime keeps in 32 bits. */
#define WEFT_RECORD_SYSCALL_MIN_MAX_US UINT32_MAX

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: weft record [OPTIONS] [--] PROGRAM [ARGS...]\n"
	        "       weft record [OPTIONS] --pid PID [--seconds N]\n"
	        "\n"
	        "Run PROGRAM under a new LTTng session, wait for it, and keep the trace;\n"
	        "or record the running process PID for N seconds or until Ctrl-C.\n"
	        "\n"
	        "  -o, --output DIR      write the trace to DIR (new or empty folder); default:\n"
	        "                        ./weft-trace-PROGRAM-YYYYMMDD-HHMMSS\n"
	        "      --name NAME       session name (default: weft-PROGRAM-PID)\n"
	        "      --pid PID         record the running process PID (started with\n"
	        "                        LD_PRELOAD=libweft-preload.so), only its events\n"
	        "      --seconds N       with --pid: stop after N seconds (default: at Ctrl-C)\n"
	        "      --subbuf-size SIZE\n"
	        "                        channel sub-buffer size, a power of two: 64k, 4M (4M)\n"
	        "      --num-subbuf N    sub-buffers per CPU, a power of two (default: 256 MiB\n"
	        "                        split across the CPUs, 16-64 MiB per CPU)\n"
	        "      --buffers MODE    uid (one buffer set per user, default) | pid\n"
	        "      --preload         LD_PRELOAD libweft-preload.so (threads, locks, blocking\n"
	        "                        calls and allocations of an unmodified program)\n"
	        "      --locks MODE      with --preload: contended | all | off\n"
	        "      --alloc MODE      with --preload: sampled | full | off\n"
	        "      --alloc-sample N  with --preload: mean bytes between sampled allocations\n"
	        "      --stacks MODE     with --preload: on | off (call stacks at waits, wakes,\n"
	        "                        thread creation, sampled allocations, long syscalls)\n"
	        "      --stack-depth N   with --preload: most frames per stack, 1-256 (64)\n"
	        "      --stack-unwind MODE\n"
	        "                        with --preload: dwarf (libunwind) | fp (frame pointers)\n"
	        "      --stack-syscall-min DUR\n"
	        "                        with --preload: shortest system call whose end gets a\n"
	        "                        stack, with its unit: 0, 500us, 1ms (default 10us)\n"
	        "      --cpu-hz N        with --preload: CPU samples per second of each thread's\n"
	        "                        CPU time, 0-10000 (default 99, 0: off)\n"
	        "      --lttng-wrappers  also LD_PRELOAD lttng-ust's libc and pthread wrappers\n"
	        "                        and record their events\n"
	        "  -h, --help            show this help\n"
	        "\n"
	        "The session records weft:*, lttng_ust_statedump:*, lttng_ust_dl:* and\n"
	        "lttng_ust_lib:* events of every instrumented process on the machine, with\n"
	        "the vpid, vtid, procname and ip contexts. weft's exit status is PROGRAM's\n"
	        "(128+N if killed by signal N); 2 for a bad command line, 125 when weft\n"
	        "itself fails, 126/127 when PROGRAM cannot be run / is not found.\n"
	        "The summary (trace path, event and discarded-event counts) goes to stderr.\n");
}

static void bad_value(const char *flag, const char *value, const char *expected)
{
	fprintf(stderr, "weft record: invalid value for %s: \"%s\" (expected %s)\n", flag, value,
	        expected);
}

static bool one_of(const char *value, const char *const *allowed)
{
	for (size_t i = 0; allowed[i]; i++) {
		if (!strcmp(value, allowed[i])) {
			return true;
		}
	}
	return false;
}

static int check_mode(const char *flag, const char *value, const char *const *allowed)
{
	if (!value || one_of(value, allowed)) {
		return 0;
	}
	fprintf(stderr, "weft record: invalid value for %s: \"%s\" (expected %s", flag, value,
	        allowed[0]);
	for (size_t i = 1; allowed[i]; i++) {
		fprintf(stderr, "%s%s", allowed[i + 1] ? ", " : " or ", allowed[i]);
	}
	fprintf(stderr, ")\n");
	return -1;
}

/* A plain decimal number in [lo, hi]: no sign, no space, nothing after it. */
static bool parse_decimal(const char *value, unsigned long long lo, unsigned long long hi)
{
	char *end = NULL;
	unsigned long long n;

	if (value[0] < '0' || value[0] > '9') {
		return false;
	}
	errno = 0;
	n = strtoull(value, &end, 10);
	return !errno && end != value && !*end && n >= lo && n <= hi;
}

static int check_counts(const struct weft_record_opts *o)
{
	if (o->alloc_sample && !parse_decimal(o->alloc_sample, 1, ULLONG_MAX)) {
		bad_value("--alloc-sample", o->alloc_sample, "a positive number of bytes");
		return -1;
	}
	if (o->stack_depth && !parse_decimal(o->stack_depth, 1, WEFT_RECORD_STACK_DEPTH_MAX)) {
		bad_value("--stack-depth", o->stack_depth, "a number of frames from 1 to 256");
		return -1;
	}
	if (o->cpu_hz && !parse_decimal(o->cpu_hz, 0, WEFT_RECORD_CPU_HZ_MAX)) {
		bad_value("--cpu-hz", o->cpu_hz, "a number of samples per second from 0 to 10000");
		return -1;
	}
	return 0;
}

/*
 * A duration as the other commands' --from/--to take it, except that a
 * bare number other than 0 is refused: WEFT_STACK_SYSCALL_MIN counts
 * microseconds and weft's durations seconds, so "10" would be ambiguous.
 * The runtime counts whole microseconds.
 */
static int check_syscall_min(struct weft_record_opts *o)
{
	const char *value = o->stack_syscall_min;
	const char *unit;
	weft_time_t ns;

	if (!value) {
		return 0;
	}
	unit = value + strspn(value, "0123456789.");
	if (!weft_time_parse(value, &ns) || (!*unit && ns != 0) ||
	    ns / 1000 > WEFT_RECORD_SYSCALL_MIN_MAX_US) {
		bad_value("--stack-syscall-min", value,
		          "a duration with its unit, such as 0, 500us or 1ms, up to 71min");
		return -1;
	}
	if (ns % 1000 != 0) {
		bad_value("--stack-syscall-min", value, "a whole number of microseconds");
		return -1;
	}
	snprintf(o->stack_syscall_min_us, sizeof(o->stack_syscall_min_us), "%" PRId64,
	         (int64_t) (ns / 1000));
	return 0;
}

static bool has_runtime_option(const struct weft_record_opts *o)
{
	return o->locks || o->alloc || o->alloc_sample || o->stacks || o->stack_depth ||
	       o->stack_unwind || o->stack_syscall_min || o->cpu_hz;
}

static int validate_opts(struct weft_record_opts *o)
{
	static const char *const locks[] = {"contended", "all", "off", NULL};
	static const char *const alloc[] = {"sampled", "full", "off", NULL};
	static const char *const stacks[] = {"on", "off", NULL};
	static const char *const unwind[] = {"dwarf", "fp", NULL};

	if (check_mode("--locks", o->locks, locks) || check_mode("--alloc", o->alloc, alloc) ||
	    check_mode("--stacks", o->stacks, stacks) ||
	    check_mode("--stack-unwind", o->stack_unwind, unwind) || check_counts(o) ||
	    check_syscall_min(o)) {
		return -1;
	}
	if (weft_record_check_attach_opts(o)) {
		return -1;
	}
	if (!o->preload && has_runtime_option(o)) {
		fprintf(stderr, "weft record: --locks, --alloc, --alloc-sample, --cpu-hz and the "
		                "--stack options need --preload\n");
		return -1;
	}
	if (o->name &&
	    (!*o->name || strchr(o->name, '/') || strlen(o->name) >= LTTNG_NAME_MAX - 1)) {
		fprintf(stderr, "weft record: invalid session name \"%s\"\n", o->name);
		return -1;
	}
	if (o->out_dir && !*o->out_dir) {
		fprintf(stderr, "weft record: the output folder name is empty\n");
		return -1;
	}
	return 0;
}

enum {
	OPT_PRELOAD = 256,
	OPT_WRAPPERS,
	OPT_NAME,
	OPT_PID,
	OPT_SECONDS,
	OPT_SUBBUF_SIZE,
	OPT_NUM_SUBBUF,
	OPT_BUFFERS,
	OPT_LOCKS,
	OPT_ALLOC,
	OPT_ALLOC_SAMPLE,
	OPT_STACKS,
	OPT_STACK_DEPTH,
	OPT_STACK_UNWIND,
	OPT_STACK_SYSCALL_MIN,
	OPT_CPU_HZ,
};

static const struct option weft_record_longopts[] = {
    {"output", required_argument, NULL, 'o'},
    {"preload", no_argument, NULL, OPT_PRELOAD},
    {"lttng-wrappers", no_argument, NULL, OPT_WRAPPERS},
    {"name", required_argument, NULL, OPT_NAME},
    {"pid", required_argument, NULL, OPT_PID},
    {"seconds", required_argument, NULL, OPT_SECONDS},
    {"subbuf-size", required_argument, NULL, OPT_SUBBUF_SIZE},
    {"num-subbuf", required_argument, NULL, OPT_NUM_SUBBUF},
    {"buffers", required_argument, NULL, OPT_BUFFERS},
    {"locks", required_argument, NULL, OPT_LOCKS},
    {"alloc", required_argument, NULL, OPT_ALLOC},
    {"alloc-sample", required_argument, NULL, OPT_ALLOC_SAMPLE},
    {"stacks", required_argument, NULL, OPT_STACKS},
    {"stack-depth", required_argument, NULL, OPT_STACK_DEPTH},
    {"stack-unwind", required_argument, NULL, OPT_STACK_UNWIND},
    {"stack-syscall-min", required_argument, NULL, OPT_STACK_SYSCALL_MIN},
    {"cpu-hz", required_argument, NULL, OPT_CPU_HZ},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Where each option that takes a value keeps it (the value stays in argv). */
static const char **value_slot(struct weft_record_opts *o, int c)
{
	switch (c) {
	case 'o':
		return &o->out_dir;
	case OPT_NAME:
		return &o->name;
	case OPT_PID:
		return &o->pid;
	case OPT_SECONDS:
		return &o->seconds;
	case OPT_SUBBUF_SIZE:
		return &o->subbuf_size;
	case OPT_NUM_SUBBUF:
		return &o->num_subbuf;
	case OPT_BUFFERS:
		return &o->buffers;
	case OPT_LOCKS:
		return &o->locks;
	case OPT_ALLOC:
		return &o->alloc;
	case OPT_ALLOC_SAMPLE:
		return &o->alloc_sample;
	case OPT_STACKS:
		return &o->stacks;
	case OPT_STACK_DEPTH:
		return &o->stack_depth;
	case OPT_STACK_UNWIND:
		return &o->stack_unwind;
	case OPT_STACK_SYSCALL_MIN:
		return &o->stack_syscall_min;
	case OPT_CPU_HZ:
		return &o->cpu_hz;
	default:
		return NULL;
	}
}

int weft_record_parse_opts(int argc, char **argv, struct weft_record_opts *o)
{
	const char **slot;
	int c;

	opterr = 0;
	optind = 1;
	/* '+': stop at PROGRAM, whose own options are not ours. */
	while ((c = getopt_long(argc, argv, "+:o:h", weft_record_longopts, NULL)) != -1) {
		if ((slot = value_slot(o, c))) {
			*slot = optarg;
		} else if (c == OPT_PRELOAD) {
			o->preload = true;
		} else if (c == OPT_WRAPPERS) {
			o->lttng_wrappers = true;
		} else if (c == 'h') {
			usage(stdout);
			return 1;
		} else if (c == ':') {
			fprintf(
			    stderr,
			    "weft record: option '%s' needs a value (see 'weft record --help')\n",
			    argv[optind - 1]);
			return -1;
		} else {
			fprintf(stderr,
			        "weft record: unknown option '%s' (see 'weft record --help')\n",
			        argv[optind - 1]);
			return -1;
		}
	}
	if (o->pid && optind < argc) {
		fprintf(stderr, "weft record: --pid records a running process: give no PROGRAM "
		                "(see 'weft record --help')\n");
		return -1;
	}
	if (!o->pid && optind >= argc) {
		fprintf(stderr, "weft record: no program given (see 'weft record --help')\n");
		return -1;
	}
	o->argv = o->pid ? NULL : argv + optind;
	return validate_opts(o);
}

int weft_record_set_runtime_env(const struct weft_record_opts *o)
{
	const struct {
		const char *var;
		const char *value; /* borrowed: from o */
	} settings[] = {
	    {"WEFT_LOCKS", o->locks},
	    {"WEFT_ALLOC", o->alloc},
	    {"WEFT_ALLOC_SAMPLE", o->alloc_sample},
	    {"WEFT_STACKS", o->stacks},
	    {"WEFT_STACK_DEPTH", o->stack_depth},
	    {"WEFT_STACK_UNWIND", o->stack_unwind},
	    {"WEFT_STACK_SYSCALL_MIN", o->stack_syscall_min ? o->stack_syscall_min_us : NULL},
	    {"WEFT_CPU_HZ", o->cpu_hz},
	};

	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		if (settings[i].value && setenv(settings[i].var, settings[i].value, 1)) {
			return -1;
		}
	}
	return 0;
}
