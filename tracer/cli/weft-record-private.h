/*
 * weft record's command line, shared by weft-record.c (the recording) and
 * weft-record-options.c (parsing, checking, and turning the runtime options
 * into the preload runtime's WEFT_* environment).
 */
#ifndef WEFT_RECORD_PRIVATE_H
#define WEFT_RECORD_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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
	/* Attaching (--pid) and the channel; the numbers are set by the checks. */
	const char *pid;         /* borrowed (argv) */
	const char *seconds;     /* borrowed (argv) */
	const char *subbuf_size; /* borrowed (argv) */
	const char *num_subbuf;  /* borrowed (argv) */
	const char *buffers;     /* borrowed (argv) */
	pid_t attach_pid;        /* 0: run PROGRAM */
	unsigned attach_seconds; /* 0: until a signal or the process exits */
	uint64_t subbuf_bytes;
	uint64_t subbuf_count;
	bool per_pid_buffers;
	char **argv; /* borrowed: PROGRAM [ARGS...], NULL-terminated; NULL with --pid */
};

/* Returns 0 to go on, 1 after --help, -1 on a usage error (already printed). */
int weft_record_parse_opts(int argc, char **argv, struct weft_record_opts *o);

/* Sets the WEFT_* variables of the runtime options given; 0 or -1. */
int weft_record_set_runtime_env(const struct weft_record_opts *o);

/* Checks --pid, --seconds and the channel options, sets their numbers; 0 or -1. */
int weft_record_check_attach_opts(struct weft_record_opts *o);

/*
 * --pid: checks that the process exists and what it can record, sets
 * `comm` to its name. Returns 0 to record, 1 when there is nothing to
 * record (already said, one line).
 */
int weft_record_attach_check(pid_t pid, char *comm, size_t len);

/* Records only `pid`'s events (the session's vpid tracker); 0 or -1. */
int weft_record_track_pid(const char *session, pid_t pid);

/*
 * Blocks SIGINT, SIGTERM and SIGHUP until weft_record_attach_wait
 * takes them, so a Ctrl-C during the setup stops the recording too.
 */
void weft_record_attach_block_signals(void);

/* Waits `seconds` (0: forever), for a stopping signal or for pid to exit. */
void weft_record_attach_wait(pid_t pid, unsigned seconds);

#endif /* WEFT_RECORD_PRIVATE_H */
