/*
 * weft-profile.h - profiles from the timeline model: call stacks with
 * values, aggregated the way Go's runtime/pprof and `go tool trace -pprof`
 * aggregate them. `weft stats --folded=KIND` (folded stacks) and
 * `weft pprof` (profile.proto, weft-pprof.h) both print a weft_profile_t;
 * docs/pprof.md describes every kind.
 *
 * A sample is a stack (callsite indexes root first, the thread's start
 * routine at the root), the thread and process it belongs to, and one
 * value per sample type. An event without a recorded stack counts at its
 * call site, as a one-frame stack. Only the events inside the time window
 * and on the selected threads count; intervals are clipped to the window.
 *
 * Needs only GLib.
 */
#ifndef WEFT_PROFILE_H
#define WEFT_PROFILE_H

#include <glib.h>

#include "weft-model.h"

G_BEGIN_DECLS

#define WEFT_PROFILE_ERROR (weft_profile_error_quark())
GQuark weft_profile_error_quark(void);

typedef enum {
	WEFT_PROFILE_ERROR_INVALID, /* a bad time, window, region or thread */
	WEFT_PROFILE_ERROR_WRITE,   /* the output cannot be written */
} weft_profile_error_t;

typedef enum {
	WEFT_PROFILE_CPU = 0,      /* CPU samples: samples/count, cpu/nanoseconds */
	WEFT_PROFILE_WALL,         /* CPU samples x period + off-CPU intervals */
	WEFT_PROFILE_BLOCK,        /* synchronization waits, at the waiter's stack */
	WEFT_PROFILE_MUTEX,        /* lock waits, at the stack that released the lock */
	WEFT_PROFILE_THREADCREATE, /* thread creations, at pthread_create's stack */
	WEFT_PROFILE_SYSCALL,      /* blocking system calls */
	WEFT_PROFILE_SLEEP,        /* sleeps */
	WEFT_PROFILE_BLOCKED,      /* block + syscall + sleep, tagged with the kind of wait */
	WEFT_PROFILE_HEAP,         /* alloc_objects, alloc_space, inuse_objects, inuse_space */
	WEFT_PROFILE_LEAK,         /* allocations never freed: objects, bytes */
	WEFT_PROFILE_KIND_COUNT
} weft_profile_kind_t;

#define WEFT_PROFILE_MAX_VALUES 4

typedef struct {
	const char *type; /* "delay" */
	const char *unit; /* "nanoseconds" */
} weft_profile_value_type_t;

/* A profile name of `weft pprof --profile=NAME` and what it selects. */
typedef struct {
	const char *name; /* "alloc_space" */
	weft_profile_kind_t kind;
	guint value;         /* the default sample type (index into sample_types) */
	const char *summary; /* one line for --list */
} weft_profile_name_t;

/* The names `weft pprof` knows, in --list order. */
const weft_profile_name_t *weft_profile_names(guint *n);
/* The entry called name, NULL when there is none. */
const weft_profile_name_t *weft_profile_lookup(const char *name);
/* "cpu, wall, block, ...": every name, for error messages (static). */
const char *weft_profile_name_list(void);

/* A half-open stretch of time [start, end), absolute ns. */
typedef struct {
	weft_time_t start, end;
} weft_profile_span_t;

/* What the user asked for, as given on a command line. */
typedef struct {
	const char *from, *to; /* times after the trace start ("1.5s", "200ms"); NULL: bounds */
	const char *region;    /* the window is the union of this region's instances; NULL: none */
	const char *at;        /* in-use instant for the heap (after the trace start); NULL: end */
	/* NULL-terminated tids or thread-name globs, each may be "a,b"; NULL: every thread */
	const char *const *threads;
	gint64 pid; /* only this process; 0: every process */
} weft_profile_request_t;

/* A request resolved against a model. */
typedef struct {
	GArray *window;     /* weft_profile_span_t, owned: sorted, disjoint, inside the trace */
	weft_time_t at;     /* the in-use instant of the heap profile, absolute */
	GArray *selected;   /* guint8 per model thread, owned: 1 when selected */
	gint64 pid;         /* 0: every process */
	gboolean by_thread; /* threads were named: events of unknown threads do not count */
} weft_profile_options_t;

/*
 * Resolves request (may be NULL: the whole trace, every thread) against
 * model. On error returns FALSE with error set, worded
 * `Failed to select …: …, reason="…"`; options is then cleared.
 * The window of a region is the union of its instances on every thread of
 * the selected process(es), intersected with from/to; the in-use instant
 * defaults to the end of the window.
 */
gboolean weft_profile_options_init(weft_profile_options_t *options, const weft_model_t *model,
                                   const weft_profile_request_t *request, GError **error);
void weft_profile_options_clear(weft_profile_options_t *options);

/* Whether options select thread. */
gboolean weft_profile_options_wants_thread(const weft_profile_options_t *options,
                                           const weft_thread_t *thread);

/*
 * Whether the interval [start, end) counts (it overlaps the window, or is
 * instantaneous inside it); *inside is its length inside the window.
 */
gboolean weft_profile_options_clip(const weft_profile_options_t *options, weft_time_t start,
                                   weft_time_t end, weft_time_t *inside);

typedef struct {
	guint32 first;   /* index of the root frame in profile->frames */
	guint32 depth;   /* frames, root first; the leaf is frames[first + depth - 1] */
	guint thread;    /* index into model->threads, G_MAXUINT when unknown */
	guint process;   /* index into model->processes, G_MAXUINT when unknown */
	const char *tag; /* static: kind of wait or state (see tag_key), NULL when none */
	gint64 values[WEFT_PROFILE_MAX_VALUES]; /* one per sample type */
} weft_profile_sample_t;

typedef struct {
	const weft_model_t *model; /* borrowed: the profile names its callsites and threads */
	weft_profile_kind_t kind;
	guint n_values;
	const weft_profile_value_type_t *sample_types; /* static, n_values entries */
	weft_profile_value_type_t period_type;
	gint64 period;
	const char *tag_key;    /* static: what sample tags are ("state"), NULL: none */
	weft_time_t time_start; /* start of the window, absolute ns */
	weft_time_t duration;   /* ns covered by the window */
	GArray *samples;        /* weft_profile_sample_t, owned, in the order first seen */
	GArray *frames;         /* guint32 callsite indexes, owned: the samples' stacks */
	guint64 n_events;       /* events that counted */
	guint64 n_unattributed; /* mutex: waits whose releaser the model does not know */
	/* private */
	GHashTable *index; /* sample key -> sample index + 1, owned keys */
} weft_profile_t;

/*
 * The profile of kind over the window and threads of options (NULL: the
 * whole trace). model must outlive the profile.
 */
weft_profile_t *weft_profile_new(const weft_model_t *model, weft_profile_kind_t kind,
                                 const weft_profile_options_t *options);
void weft_profile_free(weft_profile_t *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_profile_t, weft_profile_free)

/* Sum of value v over every sample. */
gint64 weft_profile_total(const weft_profile_t *profile, guint v);

/* Why a profile of kind can be empty, for a one-line warning ("the trace has no CPU samples"). */
const char *weft_profile_empty_reason(const weft_profile_t *profile);

/*
 * Where a thread's own code begins in frames (leaf first): the outermost
 * frame in its start routine (main on a process's main thread), so the
 * C library's thread and process entry frames above it (clone,
 * start_thread, _start, __libc_start_main) are left out. G_MAXUINT when no
 * frame is in it (a truncated stack, an unnamed routine).
 */
guint weft_profile_root_frame(const weft_model_t *model, const weft_thread_t *thread,
                              const guint32 *frames, guint n);

G_END_DECLS

#endif /* WEFT_PROFILE_H */
