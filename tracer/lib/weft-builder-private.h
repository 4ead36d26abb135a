/*
 * weft-builder-private.h - turns neutral decoded events into the timeline
 * model. No babeltrace2 type appears here: the CTF reader fills a
 * weft_event_t per event, the fuzz target feeds arbitrary sequences.
 *
 * docs/model.md describes what every event means to the builder.
 */
#ifndef WEFT_BUILDER_PRIVATE_H
#define WEFT_BUILDER_PRIVATE_H

#include <stdint.h>

#include "weft-model.h"

G_BEGIN_DECLS

/*
 * The events weft understands. The order of each event's integer (i[]) and
 * string (s[]) fields is given by weft_event_spec(); *_ts fields arrive
 * already converted to nanoseconds from the trace's origin (0 stays 0).
 */
typedef enum {
	WEFT_EV_UNKNOWN = 0,
	/* weft: the TRACE_* macros */
	WEFT_EV_THREAD_NAME,
	WEFT_EV_REGION_BEGIN,
	WEFT_EV_REGION_END,
	WEFT_EV_MARK,
	WEFT_EV_BLOCK_BEGIN,
	WEFT_EV_BLOCK_END,
	WEFT_EV_TASK_BEGIN,
	WEFT_EV_TASK_END,
	WEFT_EV_FLOW_OUT,
	WEFT_EV_FLOW_IN,
	WEFT_EV_LOG,
	WEFT_EV_COUNTER,
	WEFT_EV_LOCK_WAIT,
	WEFT_EV_LOCK_ACQUIRED,
	WEFT_EV_LOCK_WAIT_END,
	WEFT_EV_LOCK_RELEASED,
	WEFT_EV_ALLOC,
	WEFT_EV_FREE,
	WEFT_EV_REALLOC,
	WEFT_EV_HEAP,
	/* weft: the preload runtime */
	WEFT_EV_RUNTIME_CONFIG,
	WEFT_EV_THREAD_CREATE,
	WEFT_EV_THREAD_START,
	WEFT_EV_THREAD_EXIT,
	WEFT_EV_THREAD_JOIN_BEGIN,
	WEFT_EV_THREAD_JOIN_END,
	WEFT_EV_THREAD_DETACH,
	WEFT_EV_PROCESS_FORK,
	WEFT_EV_PROCESS_EXEC,
	WEFT_EV_COND_WAIT_BEGIN,
	WEFT_EV_COND_WAIT_END,
	WEFT_EV_COND_SIGNAL,
	WEFT_EV_COND_BROADCAST,
	WEFT_EV_SEM_POST,
	WEFT_EV_SEM_WAIT_BEGIN,
	WEFT_EV_SEM_WAIT_END,
	WEFT_EV_BARRIER_WAIT_BEGIN,
	WEFT_EV_BARRIER_WAIT_END,
	WEFT_EV_SYSCALL_BEGIN,
	WEFT_EV_SYSCALL_END,
	WEFT_EV_STACK, /* weft:stack: an interned call stack (frames[]) */
	/* lttng-ust's own wrappers */
	WEFT_EV_LIBC_MALLOC,
	WEFT_EV_LIBC_CALLOC,
	WEFT_EV_LIBC_REALLOC,
	WEFT_EV_LIBC_FREE,
	WEFT_EV_LIBC_MEMALIGN,
	WEFT_EV_LIBC_POSIX_MEMALIGN,
	WEFT_EV_PTHREAD_LOCK_REQ,
	WEFT_EV_PTHREAD_LOCK_ACQ,
	WEFT_EV_PTHREAD_TRYLOCK,
	WEFT_EV_PTHREAD_UNLOCK,
	/* lttng-ust statedump / dl: the binaries mapped, for the call sites */
	WEFT_EV_UST_STATEDUMP, /* any other lttng_ust_statedump:* / lttng_ust_dl:* */
	WEFT_EV_UST_BIN_INFO,  /* lttng_ust_statedump:bin_info */
	WEFT_EV_UST_DLOPEN,    /* lttng_ust_dl:dlopen */
	/* kernel scheduler */
	WEFT_EV_SCHED_SWITCH,
	WEFT_EV_SCHED_WAKEUP,
	WEFT_EV_SCHED_WAKEUP_NEW,
	WEFT_EV_SCHED_PROCESS_FORK,
	WEFT_EV_SCHED_PROCESS_EXIT,
	WEFT_EV_SCHED_PROCESS_FREE,
	WEFT_EV_COUNT
} weft_event_id_t;

#define WEFT_EVENT_MAX_INTS 8
#define WEFT_EVENT_MAX_STRS 2

/* Field value kinds in an event spec. */
typedef enum {
	WEFT_FIELD_INT = 0, /* signed or unsigned integer / enumeration */
	WEFT_FIELD_TS,      /* integer holding CLOCK_MONOTONIC ns, 0 = unset */
	WEFT_FIELD_STR,
} weft_field_kind_t;

typedef struct {
	const char *name; /* full event name, e.g. "weft:lock_wait" */
	guint n_ints, n_strs;
	const char *ints[WEFT_EVENT_MAX_INTS]; /* payload field names, i[] order */
	guint8 int_kinds[WEFT_EVENT_MAX_INTS]; /* weft_field_kind_t */
	const char *strs[WEFT_EVENT_MAX_STRS]; /* payload field names, s[] order */
	const char *array;                     /* an array of integers (frames[]), NULL: none */
} weft_event_spec_t;

/* The spec of id, or NULL for WEFT_EV_UNKNOWN / out of range. */
const weft_event_spec_t *weft_event_spec(weft_event_id_t id);
/* The id of an event name, WEFT_EV_UNKNOWN when weft does not know it. */
weft_event_id_t weft_event_id_from_name(const char *name);

/* One decoded event. Strings are borrowed for the duration of the call. */
typedef struct {
	weft_time_t ts; /* ns from origin */
	weft_event_id_t id;
	int64_t vpid, vtid; /* -1 when absent (kernel events) */
	int cpu;            /* -1 when unknown */
	const char *procname;
	uint64_t ip; /* call site, 0 when absent */
	/* From the debug-info filter; NULL when absent. */
	const char *sym_func, *sym_src, *sym_bin;
	int64_t i[WEFT_EVENT_MAX_INTS];
	const char *s[WEFT_EVENT_MAX_STRS]; /* never NULL: "" when absent */
	/* The spec's array field, borrowed for the call; NULL/0 when absent. */
	const uint64_t *frames;
	guint n_frames;
} weft_event_t;

/* The most elements of an array field the reader passes on (longer: truncated). */
#define WEFT_EVENT_MAX_FRAMES 1024

typedef struct weft_builder weft_builder_t;

weft_builder_t *weft_builder_new(void);
/* Frees the builder and a model not yet taken by weft_builder_finish(). */
void weft_builder_free(weft_builder_t *b);

/*
 * The model being built, owned by the builder until finish: for tests that
 * put in what no event carries (stacks interned by hand).
 */
weft_model_t *weft_builder_borrow_model(weft_builder_t *b);

/* Whether finish names the call sites from the mapped binaries (default TRUE). */
void weft_builder_set_symbolize(weft_builder_t *b, gboolean symbolize);

/* Any sequence is accepted; times that go backwards are clamped. */
void weft_builder_add_event(weft_builder_t *b, const weft_event_t *ev);
/* An event weft does not understand: counted in model->n_skipped. */
void weft_builder_add_skipped(weft_builder_t *b, weft_time_t ts);
/*
 * The tracer discarded count events on a stream between start and end
 * (either may be -1 when unknown). cpu and pid: -1 when unknown.
 */
void weft_builder_add_discarded(weft_builder_t *b, weft_time_t start, weft_time_t end,
                                uint64_t count, int cpu, int64_t pid);

/*
 * The recording went on until at least ts (a packet's end time). When a
 * thread was still waiting at the last event, the model ends there, so a
 * wait that never ended keeps its true length.
 */
void weft_builder_add_recording_end(weft_builder_t *b, weft_time_t ts);

/* Closes what is open, sorts, and hands the model over (the builder is freed). */
weft_model_t *weft_builder_finish(weft_builder_t *b);

G_END_DECLS

#endif /* WEFT_BUILDER_PRIVATE_H */
