/*
 * weft-model.h - the timeline model: the one place where events become
 * meaning. The CTF reader (weft-reader.c) builds it; the Chrome JSON writer,
 * the analyses and the viewer only read it.
 *
 * Needs only GLib: no babeltrace2 and no GTK type appears here.
 *
 * Times are nanoseconds since the Unix epoch origin of the trace clock
 * (babeltrace2's "ns from origin"); model->start/end bound every event.
 * Storage is struct-of-arrays per track, sorted by start time, so that a
 * visible window is found by binary search (weft_model_lower_bound()).
 * Strings are interned: a weft_str_t indexes the model's string table,
 * 0 is the empty string.
 *
 * Everything returned by a borrow_/get_ accessor stays owned by the model.
 */
#ifndef WEFT_MODEL_H
#define WEFT_MODEL_H

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef int64_t weft_time_t;

/*
 * Parses a duration or a time after the trace start, as every --from/--to
 * takes it: a number and a unit without a space, ns, us (or µs), ms, s or
 * min; a bare number is seconds ("1.5s", "200ms", "750us", "0").
 */
gboolean weft_time_parse(const char *text, weft_time_t *out);
typedef uint32_t weft_str_t;

/* What a thread is doing during a state interval. Append only. */
typedef enum {
	WEFT_STATE_RUNNING = 0,    /* not in any traced wait (user-space view) */
	WEFT_STATE_MUTEX,          /* blocked acquiring a mutex */
	WEFT_STATE_RWLOCK_READ,    /* blocked acquiring an rwlock for reading */
	WEFT_STATE_RWLOCK_WRITE,   /* blocked acquiring an rwlock for writing */
	WEFT_STATE_SPIN,           /* spinning on a spinlock */
	WEFT_STATE_LOCK_CUSTOM,    /* TRACE_LOCK_WAIT .. TRACE_LOCK_ACQUIRED */
	WEFT_STATE_CONDVAR,        /* in pthread_cond_wait/timedwait */
	WEFT_STATE_SEMAPHORE,      /* in sem_wait/timedwait */
	WEFT_STATE_BARRIER,        /* in pthread_barrier_wait */
	WEFT_STATE_JOIN,           /* in pthread_join */
	WEFT_STATE_SYSCALL,        /* blocking system call; aux = syscall kind */
	WEFT_STATE_SLEEP,          /* nanosleep, usleep, sleep, clock_nanosleep */
	WEFT_STATE_BLOCK_CUSTOM,   /* TRACE_BLOCK_BEGIN .. TRACE_BLOCK_END */
	WEFT_STATE_RUNNABLE,       /* kernel: ready, waiting for a CPU */
	WEFT_STATE_BLOCKED_KERNEL, /* kernel: off CPU, not runnable */
	WEFT_STATE_DATA_LOST,      /* events were discarded: unknown */
	WEFT_STATE_COUNT
} weft_state_t;

/* Interval flags. */
enum {
	WEFT_FLAG_UNFINISHED = 1 << 0, /* no end seen: clipped at the trace end */
	WEFT_FLAG_UNSTARTED = 1 << 1,  /* no begin seen: starts at the trace start */
	WEFT_FLAG_INFERRED = 1 << 2,   /* an end the converter inferred */
};

/* A symbolized call site; index 0 is "unknown". */
typedef struct {
	uint64_t ip;
	weft_str_t function; /* 0 when unknown */
	weft_str_t file;     /* source file, 0 when unknown */
	uint32_t line;
	weft_str_t binary; /* path of the ELF object */
	uint64_t offset;   /* ip - load address of binary */
	/*
	 * 1 when this entry is a function inlined at ip: in a stack, the next
	 * frame (its caller) has the same ip, and the last frame of such a run
	 * is the real (out-of-line) function.
	 */
	guint8 inlined;
} weft_callsite_t;

/*
 * A call stack: frames leaf first, each an index into model->callsites, in
 * model->stack_frames[first .. first + depth). Inline frames are frames of
 * their own (weft_callsite_t.inlined). Stacks are interned: one entry per
 * distinct frame sequence; index 0 is "no stack".
 */
typedef struct {
	guint32 first;    /* index of the leaf frame in model->stack_frames */
	guint16 depth;    /* number of frames, inline frames included */
	guint8 truncated; /* the walk stopped at the depth limit */
	guint8 reserved;
} weft_stack_t;

/* Per-thread state track: non-overlapping, time-sorted intervals. */
typedef struct {
	GArray *start;  /* weft_time_t */
	GArray *end;    /* weft_time_t */
	GArray *state;  /* guint8: weft_state_t */
	GArray *flags;  /* guint8: WEFT_FLAG_* */
	GArray *object; /* guint64: lock/cond/sem/barrier address, joined pthread, fd */
	/*
	 * gint32: syscall kind for SYSCALL/SLEEP, custom reason string for
	 * BLOCK_CUSTOM, the holder's tid for a lock wait (0: unknown)
	 */
	GArray *aux;
	GArray *callsite; /* guint32: index into model->callsites */
	/*
	 * guint32: index into model->stacks (0 = none). May be shorter than
	 * start (an interval past its end has no stack): read it through
	 * weft_state_track_stack().
	 */
	GArray *stack;
} weft_state_track_t;

/* Per-thread slice track: nested regions, sorted by start, then depth. */
typedef struct {
	GArray *start;    /* weft_time_t */
	GArray *end;      /* weft_time_t */
	GArray *depth;    /* guint16, 0 = outermost */
	GArray *flags;    /* guint8: WEFT_FLAG_* */
	GArray *name;     /* weft_str_t */
	GArray *callsite; /* guint32 */
	guint max_depth;  /* deepest depth + 1; 0 when empty */
} weft_slice_track_t;

typedef enum {
	WEFT_INSTANT_LOG = 0,
	WEFT_INSTANT_MARK,
} weft_instant_kind_t;

/* Per-thread instants: logs and marks. */
typedef struct {
	GArray *ts;       /* weft_time_t */
	GArray *kind;     /* guint8: weft_instant_kind_t */
	GArray *name;     /* weft_str_t: mark name or log category */
	GArray *message;  /* weft_str_t: log message, 0 for marks */
	GArray *callsite; /* guint32 */
} weft_instant_track_t;

/* Per-thread CPU samples, time-sorted: one per timer expiry. */
typedef struct {
	GArray *ts;    /* weft_time_t */
	GArray *stack; /* guint32: index into model->stacks */
} weft_sample_track_t;

typedef struct weft_process weft_process_t;

typedef struct {
	guint index;                /* in model->threads */
	int64_t tid;                /* vtid */
	weft_process_t *process;    /* weak */
	weft_str_t name;            /* latest name (TRACE_THREAD_NAME, setname, procname) */
	weft_time_t start;          /* first event, or thread_start */
	weft_time_t end;            /* thread_exit, or last event */
	int64_t parent_tid;         /* creating thread, -1 when unknown */
	uint64_t start_routine;     /* address, 0 when unknown */
	guint32 start_routine_site; /* callsite index symbolizing start_routine */
	guint32 create_stack;       /* stack of the pthread_create call, 0 when unknown */
	weft_state_track_t states;
	weft_slice_track_t slices;
	weft_instant_track_t instants;
	weft_sample_track_t samples;
} weft_thread_t;

typedef struct {
	weft_str_t name;
	gboolean is_heap; /* the process's heap-in-use curve */
	GArray *ts;       /* weft_time_t */
	GArray *value;    /* gint64 */
} weft_counter_t;

/* One allocation record (sampled or not) for the allocation analyses. */
typedef struct {
	weft_time_t ts;
	weft_time_t free_ts; /* G_MAXINT64 when never freed within the trace */
	uint64_t ptr;
	uint64_t size;
	uint64_t weight; /* bytes this record stands for (size unless sampled) */
	int64_t tid;
	guint32 callsite;
	guint32 free_callsite;
	guint32 stack; /* index into model->stacks, 0 when not captured */
} weft_alloc_t;

struct weft_process {
	guint index;     /* in model->processes */
	int64_t pid;     /* vpid */
	weft_str_t name; /* procname of the main thread, or exec path */
	weft_time_t start, end;
	int64_t parent_pid;     /* -1 when unknown */
	GPtrArray *threads;     /* weft_thread_t*, weak, ordered by start */
	GPtrArray *counters;    /* weft_counter_t*, owned */
	GArray *allocs;         /* weft_alloc_t, by ts */
	gboolean alloc_sampled; /* weight != size for some records */
};

typedef enum {
	WEFT_FLOW_THREAD_CREATE = 0, /* pthread_create -> child's start */
	WEFT_FLOW_LOCK_HANDOFF,      /* unlock -> the waiter's acquire */
	WEFT_FLOW_COND_WAKE,         /* signal/broadcast -> woken waiter */
	WEFT_FLOW_SEM_WAKE,          /* sem_post -> waiter */
	WEFT_FLOW_USER,              /* TRACE_FLOW_OUT -> TRACE_FLOW_IN */
	WEFT_FLOW_TASK,              /* task begin -> end on another thread */
	WEFT_FLOW_JOIN,              /* thread exit -> joiner returns */
	WEFT_FLOW_COUNT
} weft_flow_kind_t;

typedef struct {
	weft_flow_kind_t kind;
	guint from_thread, to_thread; /* indexes into model->threads */
	weft_time_t from_ts, to_ts;
	uint64_t object; /* lock/cond/sem address, flow or task id */
	guint32 stack;   /* stack at the from side (release, signal, post), 0 = none */
} weft_flow_t;

/* An async task (TRACE_TASK_BEGIN/END), may cross threads. */
typedef struct {
	uint64_t id;
	weft_str_t name;
	weft_time_t start, end;
	guint begin_thread, end_thread; /* G_MAXUINT when unknown */
	guint8 flags;                   /* WEFT_FLAG_* */
	guint32 callsite;
} weft_task_t;

/* One lock hold (when recorded), for the lock-contention analysis. */
typedef struct {
	uint64_t lock;
	guint8 kind;      /* weft_state_t of the wait (MUTEX, RWLOCK_*, ...) */
	guint8 contended; /* the holder waited first */
	guint thread;
	weft_time_t wait_start; /* == start when not contended */
	weft_time_t start, end;
	guint32 callsite;
	guint32 stack;            /* where the holder acquired it, 0 when not captured */
	guint32 release_stack;    /* where the holder released it, 0 when not captured */
	guint32 release_callsite; /* the unlock's call site, 0 when unknown */
} weft_lock_hold_t;

/* Which thread ran on a CPU when (from each event's cpu_id). */
typedef struct {
	guint cpu;
	GArray *start;  /* weft_time_t */
	GArray *end;    /* weft_time_t */
	GArray *thread; /* guint: index into model->threads */
} weft_cpu_lane_t;

/* A stretch of time where a stream lost events. */
typedef struct {
	weft_time_t start, end;
	uint64_t count; /* events discarded, 0 when unknown */
	int cpu;        /* -1 when unknown */
	int64_t pid;    /* -1 when it concerns every process */
} weft_lost_t;

typedef struct {
	weft_time_t start, end; /* bounds of every event, absolute ns */
	GPtrArray *processes;   /* weft_process_t*, owned, by pid */
	GPtrArray *threads;     /* weft_thread_t*, owned, by process then start */
	GPtrArray *cpus;        /* weft_cpu_lane_t*, owned, by cpu */
	GArray *callsites;      /* weft_callsite_t; [0] = unknown */
	GArray *stacks;         /* weft_stack_t; [0] = no stack */
	GArray *stack_frames;   /* guint32: callsite indexes, see weft_stack_t */
	uint64_t sample_period; /* ns of CPU time per sample, 0 when none */
	GArray *flows;          /* weft_flow_t, by from_ts */
	GArray *tasks;          /* weft_task_t, by start */
	GArray *holds;          /* weft_lock_hold_t, by start */
	GArray *lost;           /* weft_lost_t, by start */
	uint64_t n_events;      /* events read */
	uint64_t n_discarded;   /* events the tracer reported discarded */
	uint64_t n_skipped;     /* events read that weft does not understand */
	gboolean has_kernel;    /* kernel sched events gave the thread states */
	/*
	 * Data loss the reader found outside the events: one sentence per
	 * problem (char*, owned), e.g. a stream file that is empty or shorter
	 * than its index says. Callers show them as warnings.
	 */
	GPtrArray *warnings;
	/*
	 * guint, sorted, unique: the CPUs that had an LTTng per-CPU stream file
	 * (named CHANNEL_CPU), readable or not: the CPU count of the traced
	 * machine stays known when a stream file is lost.
	 */
	GArray *stream_cpus;
	/* private to weft-model.c */
	GStringChunk *strings_chunk;
	GHashTable *strings_index; /* const char* -> index+1, borrowed keys */
	GPtrArray *strings;        /* const char*, borrowed from the chunk */
	GHashTable *stacks_index;  /* GBytes* (frames) -> index, owned keys */
} weft_model_t;

weft_model_t *weft_model_new(void);
void weft_model_free(weft_model_t *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_model_t, weft_model_free)

/*
 * A new process with pid, alive at ts, appended to model->processes, with
 * empty thread, counter and allocation arrays; parent_pid is -1.
 */
weft_process_t *weft_model_add_process(weft_model_t *model, int64_t pid, weft_time_t ts);

/*
 * A new thread tid of process, alive at ts, appended to model->threads and
 * process->threads, with every track empty; parent_tid is -1.
 */
weft_thread_t *weft_model_add_thread(weft_model_t *model, weft_process_t *process, int64_t tid,
                                     weft_time_t ts);

/* Interning. */
weft_str_t weft_model_intern(weft_model_t *model, const char *s);
/* The id of s when interned already, 0 otherwise (and for NULL or ""). */
weft_str_t weft_model_lookup_string(const weft_model_t *model, const char *s);
const char *weft_model_borrow_string(const weft_model_t *model, weft_str_t id);

const weft_callsite_t *weft_model_borrow_callsite(const weft_model_t *model, guint32 index);

/*
 * Interns the stack frames[0 .. n) (callsite indexes, leaf first) and
 * returns its index in model->stacks; 0 when n is 0. n is capped at
 * G_MAXUINT16 frames (the stack is then marked truncated).
 */
guint32 weft_model_add_stack(weft_model_t *model, const guint32 *frames, guint n,
                             gboolean truncated);

/*
 * Rebuilds the stack interning table after model->stacks' frames were
 * rewritten in place (inline frames expanded): later weft_model_add_stack()
 * calls find them.
 */
void weft_model_reindex_stacks(weft_model_t *model);

/* The stack at index (NULL for 0 or out of range); *frames borrows its frames. */
const weft_stack_t *weft_model_borrow_stack(const weft_model_t *model, guint32 index,
                                            const guint32 **frames);

/* The stack of interval i of a state track, 0 when none was recorded. */
guint32 weft_state_track_stack(const weft_state_track_t *track, guint i);

/* Sets the stack of interval i (grows track->stack with zeros as needed). */
void weft_state_track_set_stack(weft_state_track_t *track, guint i, guint32 stack);

/* Human-readable name of a state ("running", "mutex", ...), never NULL. */
const char *weft_state_name(weft_state_t state);
const char *weft_flow_kind_name(weft_flow_kind_t kind);

/* First index i in a sorted weft_time_t array with a[i] >= t (n if none). */
guint weft_model_lower_bound(const GArray *times, weft_time_t t);

G_END_DECLS

#endif /* WEFT_MODEL_H */
