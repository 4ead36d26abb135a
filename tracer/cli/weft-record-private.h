/*
 * weft record's command line, shared by weft-record.c (the recording) and
 * weft-record-options.c (parsing, checking, and turning the runtime options
 * into the preload runtime's WEFT_* environment).
 */
#ifndef WEFT_RECORD_PRIVATE_H
#define WEFT_RECORD_PRIVATE_H

#include <stdbool.h>

struct weft_record_opts {
	const char *out_dir;           /* borrowed (argv); NULL: a new default folder */
	const char *name;              /* borrowed (argv); NULL: weft-PROGRAM-PID */
	const char *locks;             /* borrowed (argv) */
	const char *alloc;             /* borrowed (argv) */
	const char *alloc_sample;      /* borrowed (argv) */
	const char *stacks;            /* borrowed (argv) */
	const char *stack_depth;       /* borrowed (argv) */
	const char *stack_unwind;      /* borrowed (argv) */
	const char *stack_syscall_min; /* borrowed (argv): a duration with its unit */
	char stack_syscall_min_us[24]; /* the same in microseconds, for the runtime */
	const char *cpu_hz;            /* borrowed (argv) */
	bool preload;
	bool lttng_wrappers;
	char **argv; /* borrowed: PROGRAM [ARGS...], NULL-terminated */
};

/* Returns 0 to go on, 1 after --help, -1 on a usage error (already printed). */
int weft_record_parse_opts(int argc, char **argv, struct weft_record_opts *o);

/* Sets the WEFT_* variables of the runtime options given; 0 or -1. */
int weft_record_set_runtime_env(const struct weft_record_opts *o);

#endif /* WEFT_RECORD_PRIVATE_H */
