/*
 * The model builder: neutral events in, the timeline model out.
 *
 * Everything here must survive arbitrary input (the fuzz target feeds it
 * random sequences): times that go backwards are clamped, every lookup may
 * miss, every end may lack its begin. docs/model.md is the semantics.
 */
#include <string.h>

#include "weft-builder-private.h"
#include "weft-schema.h"
#include "weft-symbols-private.h"

/* Bounds on per-object bookkeeping, so hostile input cannot grow it unboundedly. */
#define MAX_STACK 64
#define MAX_FIXUPS 32
#define MAX_PENDING_WAKES 64
#define MAX_OPEN_SLICES 4096
/* Each end without begin re-nests the whole track: bound the cost. */
#define MAX_UNSTARTED_DEPTH 256

/* Direct-mapped caches in front of the hash tables hit on every event. */
#define CACHE_SIZE 64

typedef struct {
	uint64_t key;
	gpointer value; /* NULL: empty */
} thread_slot_t;

typedef struct {
	int64_t pid;
	uint64_t ip;
	guint32 index; /* 0: empty */
} site_slot_t;

typedef struct {
	weft_state_t state;
	guint8 flags;
	gboolean is_lock;
	uint64_t object;
	int32_t aux;
	guint32 callsite;
	guint32 stack;           /* model stack index, 0: none */
	weft_time_t seg_start;   /* start of the segment not yet written */
	weft_time_t first_start; /* when the wait began */
} open_state_t;

typedef struct {
	uint64_t lock;
	guint interval; /* index in the thread's state track */
} wait_fixup_t;

typedef struct {
	uint64_t lock;
	guint8 kind;
	gboolean contended;
	weft_time_t wait_start, start;
	guint32 callsite;
	guint32 stack; /* the contended acquisition's stack, 0: none */
} open_hold_t;

typedef struct bprocess bprocess_t;

typedef struct {
	weft_thread_t *t;    /* borrowed from the model */
	bprocess_t *p;       /* weak */
	GArray *stack;       /* open_state_t, owned */
	GArray *fixups;      /* wait_fixup_t, owned */
	GArray *holds;       /* open_hold_t, owned */
	GArray *open_slices; /* guint slice indexes, owned */
	gboolean named;      /* an explicit name was given */
	gboolean started;    /* a thread_start was seen */
	gboolean exited;
	gboolean exit_seen;       /* exited through weft:thread_exit (its teardown follows) */
	gboolean unfinished_wait; /* a wait was clipped at the trace end */
	uint64_t pthread;
	uint64_t last_hold_lock;   /* the hold this thread ended last ... */
	weft_time_t last_hold_end; /* ... and when: a second report of it is dropped */
	gboolean has_last_hold;
	guint64 cpu_mask; /* CPUs its events came from (bit 63: any higher) */
} bthread_t;

typedef struct {
	guint from;
	weft_time_t ts;
	int remaining;
	guint32 stack; /* the signaller's */
} pending_wake_t;

typedef struct {
	/* lock hand-off */
	gboolean handoff_pending;
	guint handoff_from;
	weft_time_t handoff_ts;
	guint32 handoff_stack; /* the releaser's */
	/* cond / sem wakes */
	int waiting;
	GArray *wakes; /* pending_wake_t, owned, lazily created */
} bobject_t;

typedef struct {
	guint parent;
	weft_time_t ts;
	uint64_t start_routine;
	guint32 callsite;
	guint32 stack; /* pthread_create's */
} pending_create_t;

typedef struct {
	GArray *allocs;   /* weft_alloc_t, owned */
	GHashTable *live; /* ptr -> alloc index + 1 */
	GArray *heap_ts;  /* computed heap curve */
	GArray *heap_val;
	int64_t in_use;
} alloc_source_t;

struct bprocess {
	weft_process_t *p;           /* borrowed from the model */
	GHashTable *objects;         /* address -> bobject_t*, owned values */
	GHashTable *creates;         /* create_id -> pending_create_t*, owned values */
	GHashTable *pthreads;        /* pthread -> bthread_t*, weak */
	GHashTable *names;           /* pthread -> weft_str_t (name given before thread_start) */
	GHashTable *counters;        /* weft_str_t -> weft_counter_t*, weak (process owns) */
	GHashTable *callsites;       /* ip -> callsite index */
	GHashTable *routines;        /* start_routine address -> callsite index */
	GHashTable *stacks;          /* weft:stack id -> model stack index */
	GHashTable *exact_sites;     /* exact PC (a stack's exact leaf) -> callsite index */
	weft_counter_t *heap_events; /* from weft:heap, NULL until seen */
	alloc_source_t weft_allocs, libc_allocs;
	gboolean named_by_main;
};

typedef struct {
	guint thread;
	weft_time_t ts;
} pending_flow_t;

typedef struct {
	int64_t tid;
	weft_time_t start, end;
	guint8 state;
} kinterval_t;

typedef struct {
	int state; /* 0 running, WEFT_STATE_RUNNABLE, WEFT_STATE_BLOCKED_KERNEL */
	weft_time_t since;
	weft_time_t first;
	GArray *intervals; /* kinterval_t, owned */
} ktask_t;

typedef struct {
	int64_t tid;
	weft_time_t start, end;
} krun_t;

typedef struct {
	gboolean running;
	guint thread;
	weft_time_t start, last;
	int64_t ktid; /* kernel lane: tid on CPU, -1 when idle/unknown */
	weft_time_t kstart;
	GArray *kruns; /* krun_t, owned */
} bcpu_t;

struct weft_builder {
	weft_model_t *model; /* owned until finish */
	gboolean have_ts;
	weft_time_t last_ts;
	GHashTable *processes;      /* pid -> bprocess_t*, owned values */
	GHashTable *threads;        /* pid<<32|tid -> bthread_t*, latest per tid, weak */
	GPtrArray *bthreads;        /* bthread_t*, owned, same index as model->threads */
	GHashTable *tasks;          /* task id -> task index + 1 */
	GHashTable *flows;          /* flow id -> pending_flow_t*, owned values */
	GHashTable *ktasks;         /* kernel tid -> ktask_t*, owned values */
	GHashTable *kparents;       /* child tid -> parent tid (sched_process_fork) */
	GHashTable *kppids;         /* child pid -> parent pid */
	GPtrArray *cpus;            /* bcpu_t*, owned, by cpu number */
	weft_symbolizer_t *symbols; /* owned */
	weft_time_t recording_end;  /* latest packet end, 0: none */
	thread_slot_t thread_cache[CACHE_SIZE]; /* weak values */
	site_slot_t site_cache[CACHE_SIZE];
	gboolean symbolize;
};

/* ---- small helpers ---- */

/*
 * g_array_append_val() without the memcpy call per element: val must be an
 * lvalue of the array's element type (as for g_array_append_val()).
 */
#define PUSH(arr, val)                                                                      \
	do {                                                                                \
		GArray *push_a_ = (arr);                                                    \
		guint push_n_ = push_a_->len;                                               \
		g_array_set_size(push_a_, push_n_ + 1);                                     \
		memcpy(push_a_->data + (gsize) push_n_ * sizeof(val), &(val), sizeof(val)); \
	} while (0)

static guint cache_slot(uint64_t key)
{
	key ^= key >> 29;
	key *= G_GUINT64_CONSTANT(0xbf58476d1ce4e5b9);
	return (guint) (key >> 58) & (CACHE_SIZE - 1);
}

#define KEY(x) ((gpointer) (uintptr_t) (uint64_t) (x))
#define UKEY(p) ((uint64_t) (uintptr_t) (p))

static GArray *new_array(gsize elt)
{
	return g_array_new(FALSE, FALSE, (guint) elt);
}

static uint64_t thread_key(int64_t pid, int64_t tid)
{
	return ((uint64_t) (uint32_t) pid << 32) | (uint32_t) tid;
}

static weft_time_t clamp_time(weft_time_t t, weft_time_t lo, weft_time_t hi)
{
	if (t < lo) {
		return lo;
	}
	if (t > hi) {
		return hi;
	}
	return t;
}

static void alloc_source_init(alloc_source_t *s)
{
	s->allocs = new_array(sizeof(weft_alloc_t));
	s->live = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->heap_ts = new_array(sizeof(weft_time_t));
	s->heap_val = new_array(sizeof(gint64));
}

static void alloc_source_clear(alloc_source_t *s)
{
	if (s->allocs) {
		g_array_free(s->allocs, TRUE);
	}
	if (s->live) {
		g_hash_table_destroy(s->live);
	}
	if (s->heap_ts) {
		g_array_free(s->heap_ts, TRUE);
	}
	if (s->heap_val) {
		g_array_free(s->heap_val, TRUE);
	}
	memset(s, 0, sizeof(*s));
}

static void bobject_free(bobject_t *o)
{
	if (o->wakes) {
		g_array_free(o->wakes, TRUE);
	}
	g_free(o);
}

static void bprocess_free(bprocess_t *bp)
{
	g_hash_table_destroy(bp->objects);
	g_hash_table_destroy(bp->creates);
	g_hash_table_destroy(bp->pthreads);
	g_hash_table_destroy(bp->names);
	g_hash_table_destroy(bp->counters);
	g_hash_table_destroy(bp->callsites);
	g_hash_table_destroy(bp->routines);
	g_hash_table_destroy(bp->stacks);
	g_hash_table_destroy(bp->exact_sites);
	alloc_source_clear(&bp->weft_allocs);
	alloc_source_clear(&bp->libc_allocs);
	g_free(bp);
}

static void bthread_free(bthread_t *bt)
{
	GArray *arrays[] = {bt->stack, bt->fixups, bt->holds, bt->open_slices};

	for (gsize i = 0; i < G_N_ELEMENTS(arrays); i++) {
		if (arrays[i]) {
			g_array_free(arrays[i], TRUE);
		}
	}
	g_free(bt);
}

static void ktask_free(ktask_t *k)
{
	g_array_free(k->intervals, TRUE);
	g_free(k);
}

static void bcpu_free(bcpu_t *c)
{
	if (c) {
		g_array_free(c->kruns, TRUE);
		g_free(c);
	}
}

weft_builder_t *weft_builder_new(void)
{
	weft_builder_t *b = g_new0(weft_builder_t, 1);

	b->model = weft_model_new();
	b->processes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	                                     (GDestroyNotify) bprocess_free);
	b->threads = g_hash_table_new(g_direct_hash, g_direct_equal);
	b->bthreads = g_ptr_array_new_with_free_func((GDestroyNotify) bthread_free);
	b->tasks = g_hash_table_new(g_direct_hash, g_direct_equal);
	b->flows = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	b->ktasks =
	    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) ktask_free);
	b->kparents = g_hash_table_new(g_direct_hash, g_direct_equal);
	b->kppids = g_hash_table_new(g_direct_hash, g_direct_equal);
	b->cpus = g_ptr_array_new_with_free_func((GDestroyNotify) bcpu_free);
	b->symbols = weft_symbolizer_new();
	b->symbolize = TRUE;
	return b;
}

weft_model_t *weft_builder_borrow_model(weft_builder_t *b)
{
	return b->model;
}

void weft_builder_set_symbolize(weft_builder_t *b, gboolean symbolize)
{
	b->symbolize = symbolize;
}

void weft_builder_free(weft_builder_t *b)
{
	if (!b) {
		return;
	}
	g_hash_table_destroy(b->processes);
	g_hash_table_destroy(b->threads);
	g_ptr_array_free(b->bthreads, TRUE);
	g_hash_table_destroy(b->tasks);
	g_hash_table_destroy(b->flows);
	g_hash_table_destroy(b->ktasks);
	g_hash_table_destroy(b->kparents);
	g_hash_table_destroy(b->kppids);
	g_ptr_array_free(b->cpus, TRUE);
	weft_symbolizer_free(b->symbols);
	weft_model_free(b->model);
	g_free(b);
}

/* ---- processes and threads ---- */

static bprocess_t *get_process(weft_builder_t *b, int64_t pid, weft_time_t ts)
{
	bprocess_t *bp = g_hash_table_lookup(b->processes, KEY(pid));
	gpointer ppid;

	if (bp) {
		return bp;
	}
	bp = g_new0(bprocess_t, 1);
	bp->p = weft_model_add_process(b->model, pid, ts);
	if (g_hash_table_lookup_extended(b->kppids, KEY(pid), NULL, &ppid)) {
		bp->p->parent_pid = (int64_t) (intptr_t) ppid;
	}
	bp->objects = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	                                    (GDestroyNotify) bobject_free);
	bp->creates = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	bp->pthreads = g_hash_table_new(g_direct_hash, g_direct_equal);
	bp->names = g_hash_table_new(g_direct_hash, g_direct_equal);
	bp->counters = g_hash_table_new(g_direct_hash, g_direct_equal);
	bp->callsites = g_hash_table_new(g_direct_hash, g_direct_equal);
	bp->routines = g_hash_table_new(g_direct_hash, g_direct_equal);
	bp->stacks = g_hash_table_new(g_direct_hash, g_direct_equal);
	bp->exact_sites = g_hash_table_new(g_direct_hash, g_direct_equal);
	alloc_source_init(&bp->weft_allocs);
	alloc_source_init(&bp->libc_allocs);
	g_hash_table_insert(b->processes, KEY(pid), bp);
	return bp;
}

static bthread_t *new_thread(weft_builder_t *b, int64_t pid, int64_t tid, weft_time_t ts)
{
	bprocess_t *bp = get_process(b, pid, ts);
	bthread_t *bt = g_new0(bthread_t, 1);
	weft_thread_t *t = weft_model_add_thread(b->model, bp->p, tid, ts);
	gpointer parent;

	if (g_hash_table_lookup_extended(b->kparents, KEY(tid), NULL, &parent)) {
		t->parent_tid = (int64_t) (intptr_t) parent;
	}
	bt->t = t;
	bt->p = bp;
	g_ptr_array_add(b->bthreads, bt);
	g_hash_table_insert(b->threads, KEY(thread_key(pid, tid)), bt);
	b->thread_cache[cache_slot(thread_key(pid, tid))] =
	    (thread_slot_t){thread_key(pid, tid), bt};
	return bt;
}

static bthread_t *get_thread(weft_builder_t *b, int64_t pid, int64_t tid, weft_time_t ts)
{
	uint64_t key = thread_key(pid, tid);
	thread_slot_t *slot = &b->thread_cache[cache_slot(key)];
	bthread_t *bt;

	if (slot->value && slot->key == key) {
		bt = slot->value;
	} else {
		bt = g_hash_table_lookup(b->threads, KEY(key));
	}
	if (bt && bt->t->process->pid == pid && bt->t->tid == tid) {
		*slot = (thread_slot_t){key, bt};
		return bt;
	}
	return new_thread(b, pid, tid, ts);
}

static bthread_t *thread_at(weft_builder_t *b, guint index)
{
	return g_ptr_array_index(b->bthreads, index);
}

static void set_thread_name(weft_builder_t *b, bthread_t *bt, const char *name, gboolean explicit)
{
	weft_thread_t *t = bt->t;

	if (!name || !*name) {
		return;
	}
	if (!explicit && bt->named) {
		return;
	}
	if (!strcmp(weft_model_borrow_string(b->model, t->name), name)) {
		return;
	}
	t->name = weft_model_intern(b->model, name);
	if (explicit) {
		bt->named = TRUE;
	}
}

static void update_process_name(weft_builder_t *b, bthread_t *bt, const char *procname)
{
	weft_process_t *p = bt->p->p;

	if (!procname || !*procname || bt->p->named_by_main) {
		return;
	}
	if (bt->t->tid == p->pid || !p->name) {
		p->name = weft_model_intern(b->model, procname);
		bt->p->named_by_main = bt->t->tid == p->pid;
	}
}

/* ---- call sites ---- */

/* "func+0x12" -> "func"; src "file.c:123" -> file, line; bin "path+0x1f" / "path@0x.." */
static guint32 new_callsite(weft_builder_t *b, const weft_event_t *ev)
{
	weft_callsite_t cs = {.ip = ev->ip};

	if (ev->sym_func && *ev->sym_func) {
		const char *plus = strrchr(ev->sym_func, '+');
		g_autofree char *f = plus ? g_strndup(ev->sym_func, (gsize) (plus - ev->sym_func))
		                          : g_strdup(ev->sym_func);

		cs.function = weft_model_intern(b->model, f);
	}
	if (ev->sym_src && *ev->sym_src) {
		const char *colon = strrchr(ev->sym_src, ':');
		g_autofree char *f = colon ? g_strndup(ev->sym_src, (gsize) (colon - ev->sym_src))
		                           : g_strdup(ev->sym_src);

		cs.file = weft_model_intern(b->model, f);
		cs.line = colon ? (uint32_t) g_ascii_strtoull(colon + 1, NULL, 10) : 0;
	}
	if (ev->sym_bin && *ev->sym_bin) {
		const char *sep = strrchr(ev->sym_bin, '+');
		g_autofree char *f = NULL;

		if (!sep) {
			sep = strrchr(ev->sym_bin, '@');
		}
		f = sep ? g_strndup(ev->sym_bin, (gsize) (sep - ev->sym_bin))
		        : g_strdup(ev->sym_bin);
		cs.binary = weft_model_intern(b->model, f);
		if (sep && sep[0] == '+') {
			cs.offset = g_ascii_strtoull(sep + 1, NULL, 16);
		}
	}
	PUSH(b->model->callsites, cs);
	return b->model->callsites->len - 1;
}

static guint32 callsite_of(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev)
{
	gpointer found;
	guint32 index;

	site_slot_t *slot;
	int64_t pid = bt->p->p->pid;

	if (!ev->ip) {
		return 0;
	}
	slot = &b->site_cache[cache_slot(ev->ip ^ ((uint64_t) pid << 40))];
	if (slot->index && slot->ip == ev->ip && slot->pid == pid) {
		return slot->index;
	}
	found = g_hash_table_lookup(bt->p->callsites, KEY(ev->ip));
	if (found) {
		index = GPOINTER_TO_UINT(found);
	} else {
		index = new_callsite(b, ev);
		g_hash_table_insert(bt->p->callsites, KEY(ev->ip), GUINT_TO_POINTER(index));
	}
	*slot = (site_slot_t){pid, ev->ip, index};
	return index;
}

/*
 * The call site of a bare address in bp: a return address (a stack frame,
 * an acquire_ip; named from the call before it), or, from table
 * bp->exact_sites, an exact PC (named from itself).
 */
static guint32 site_in(weft_builder_t *b, GHashTable *table, uint64_t ip)
{
	gpointer found;
	weft_callsite_t cs = {.ip = ip};

	if (!ip) {
		return 0;
	}
	found = g_hash_table_lookup(table, KEY(ip));
	if (found) {
		return GPOINTER_TO_UINT(found);
	}
	PUSH(b->model->callsites, cs);
	g_hash_table_insert(table, KEY(ip), GUINT_TO_POINTER(b->model->callsites->len - 1));
	return b->model->callsites->len - 1;
}

static guint32 site_of_ip(weft_builder_t *b, bprocess_t *bp, uint64_t ip)
{
	return site_in(b, bp->callsites, ip);
}

/* ---- call stacks ---- */

/*
 * weft:stack defines stack id of the process: its frames (return
 * addresses, leaf first) become call sites, the sequence a model stack.
 * A later definition of the same id (a forked child reusing its parent's
 * pid namespace numbering) replaces the earlier one.
 */
static void on_stack(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev)
{
	guint32 frames[WEFT_EVENT_MAX_FRAMES];
	guint n = 0;
	guint32 index;

	if (ev->i[0] <= 0 || ev->i[0] > G_MAXUINT32) {
		b->model->n_skipped++;
		return;
	}
	for (guint i = 0; i < ev->n_frames && i < G_N_ELEMENTS(frames); i++) {
		gboolean exact = i == 0 && ev->i[2] != 0;

		if (ev->frames[i]) {
			frames[n++] = site_in(b, exact ? bt->p->exact_sites : bt->p->callsites,
			                      ev->frames[i]);
		}
	}
	index = weft_model_add_stack(b->model, frames, n, ev->i[1] != 0);
	if (index) {
		g_hash_table_insert(bt->p->stacks, KEY(ev->i[0]), GUINT_TO_POINTER(index));
	}
}

/* The model stack of a `stack` field: 0 when none, or never defined. */
static guint32 stack_of(const bthread_t *bt, int64_t id)
{
	if (id <= 0) {
		return 0;
	}
	return GPOINTER_TO_UINT(g_hash_table_lookup(bt->p->stacks, KEY(id)));
}

/* ---- state track ---- */

static weft_time_t last_state_end(const weft_thread_t *t)
{
	guint n = t->states.end->len;

	return n ? g_array_index(t->states.end, weft_time_t, n - 1) : t->start;
}

static guint append_state(weft_thread_t *t, weft_time_t start, weft_time_t end,
                          const open_state_t *s, guint8 flags)
{
	weft_state_track_t *tr = &t->states;
	guint8 state = (guint8) s->state;

	start = MAX(start, last_state_end(t));
	end = MAX(end, start);
	PUSH(tr->start, start);
	PUSH(tr->end, end);
	PUSH(tr->state, state);
	PUSH(tr->flags, flags);
	PUSH(tr->object, s->object);
	PUSH(tr->aux, s->aux);
	PUSH(tr->callsite, s->callsite);
	if (s->stack) {
		weft_state_track_set_stack(tr, tr->start->len - 1, s->stack);
	}
	return tr->start->len - 1;
}

static GArray *thread_stack(bthread_t *bt)
{
	if (!bt->stack) {
		bt->stack = new_array(sizeof(open_state_t));
	}
	return bt->stack;
}

/* Writes the open segment of the top of the stack up to ts (a nested wait begins). */
static void flush_top(bthread_t *bt, weft_time_t ts)
{
	open_state_t *top;

	if (!bt->stack || !bt->stack->len) {
		return;
	}
	top = &g_array_index(bt->stack, open_state_t, bt->stack->len - 1);
	if (ts > top->seg_start) {
		append_state(bt->t, top->seg_start, ts, top, top->flags);
		top->flags &= (guint8) ~WEFT_FLAG_UNSTARTED;
	}
	top->seg_start = ts;
}

static void push_state(bthread_t *bt, weft_time_t ts, weft_state_t state, uint64_t object,
                       int32_t aux, guint32 callsite, guint32 stack, gboolean is_lock)
{
	GArray *open = thread_stack(bt);
	open_state_t s = {
	    .state = state,
	    .is_lock = is_lock,
	    .object = object,
	    .aux = aux,
	    .callsite = callsite,
	    .stack = stack,
	    .seg_start = ts,
	    .first_start = ts,
	};

	if (open->len >= MAX_STACK) {
		return;
	}
	flush_top(bt, ts);
	PUSH(open, s);
}

/* Pops the top at ts (writing its last segment); returns the interval index or G_MAXUINT. */
static guint pop_state(bthread_t *bt, weft_time_t ts, guint8 extra_flags, open_state_t *out)
{
	GArray *stack = bt->stack;
	open_state_t top;
	guint index = G_MAXUINT;

	if (!stack || !stack->len) {
		return G_MAXUINT;
	}
	top = g_array_index(stack, open_state_t, stack->len - 1);
	g_array_set_size(stack, stack->len - 1);
	ts = MAX(ts, top.seg_start);
	if (ts > top.seg_start || top.seg_start == top.first_start) {
		index = append_state(bt->t, top.seg_start, ts, &top, top.flags | extra_flags);
	}
	if (stack->len) {
		g_array_index(stack, open_state_t, stack->len - 1).seg_start = ts;
	}
	if (out) {
		*out = top;
	}
	return index;
}

static open_state_t *top_state(bthread_t *bt)
{
	if (!bt->stack || !bt->stack->len) {
		return NULL;
	}
	return &g_array_index(bt->stack, open_state_t, bt->stack->len - 1);
}

/* An end event whose begin was not seen: it began at the thread's start. */
static void add_unstarted(bthread_t *bt, weft_time_t ts, weft_state_t state, uint64_t object,
                          int32_t aux, guint32 callsite)
{
	open_state_t s = {.state = state, .object = object, .aux = aux, .callsite = callsite};

	if (bt->stack && bt->stack->len) {
		return; /* something else is open: the begin cannot have been earlier */
	}
	append_state(bt->t, bt->t->start, ts, &s, WEFT_FLAG_UNSTARTED);
}

/*
 * Ends the innermost open state of kind state (and object when object_match),
 * closing whatever was opened inside it. Returns FALSE when none is open.
 */
static gboolean end_state(bthread_t *bt, weft_time_t ts, weft_state_t state, gboolean object_match,
                          uint64_t object, open_state_t *out, guint *index)
{
	GArray *stack = bt->stack;
	gint found = -1;

	if (!stack) {
		return FALSE;
	}
	for (gint i = (gint) stack->len - 1; i >= 0; i--) {
		open_state_t *s = &g_array_index(stack, open_state_t, i);

		if (s->state == state && (!object_match || s->object == object)) {
			found = i;
			break;
		}
	}
	if (found < 0) {
		return FALSE;
	}
	while ((gint) stack->len - 1 > found) {
		pop_state(bt, ts, WEFT_FLAG_INFERRED, NULL);
	}
	*index = pop_state(bt, ts, 0, out);
	return TRUE;
}

static void remember_fixup(bthread_t *bt, uint64_t lock, guint interval)
{
	wait_fixup_t f = {lock, interval};

	if (interval == G_MAXUINT) {
		return;
	}
	if (!bt->fixups) {
		bt->fixups = new_array(sizeof(wait_fixup_t));
	}
	if (bt->fixups->len >= MAX_FIXUPS) {
		g_array_remove_index(bt->fixups, 0);
	}
	PUSH(bt->fixups, f);
}

/*
 * A lock wait is open and the thread does something else: it must hold the
 * lock by now. Close the wait here (inferred); the release may later give
 * the exact acquire time.
 */
static void close_inferred_lock_wait(bthread_t *bt, weft_time_t ts)
{
	open_state_t *top = top_state(bt);
	open_state_t closed;
	guint index;
	open_hold_t h;

	if (!top || !top->is_lock) {
		return;
	}
	index = pop_state(bt, ts, WEFT_FLAG_INFERRED, &closed);
	remember_fixup(bt, closed.object, index);
	if (!bt->holds) {
		bt->holds = new_array(sizeof(open_hold_t));
	}
	if (bt->holds->len < MAX_STACK) {
		h = (open_hold_t){
		    closed.object,   (guint8) closed.state, TRUE, closed.first_start, ts,
		    closed.callsite, closed.stack};
		PUSH(bt->holds, h);
	}
}

/* ---- locks ---- */

static bobject_t *get_object(bprocess_t *bp, uint64_t addr)
{
	bobject_t *o = g_hash_table_lookup(bp->objects, KEY(addr));

	if (!o) {
		o = g_new0(bobject_t, 1);
		g_hash_table_insert(bp->objects, KEY(addr), o);
	}
	return o;
}

static weft_state_t lock_state(int64_t kind)
{
	switch (kind) {
	case WEFT_LOCK_MUTEX:
		return WEFT_STATE_MUTEX;
	case WEFT_LOCK_RWLOCK_READ:
		return WEFT_STATE_RWLOCK_READ;
	case WEFT_LOCK_RWLOCK_WRITE:
		return WEFT_STATE_RWLOCK_WRITE;
	case WEFT_LOCK_SPIN:
		return WEFT_STATE_SPIN;
	default:
		return WEFT_STATE_LOCK_CUSTOM;
	}
}

static open_hold_t *find_hold(bthread_t *bt, uint64_t lock)
{
	if (!bt->holds) {
		return NULL;
	}
	for (gint i = (gint) bt->holds->len - 1; i >= 0; i--) {
		open_hold_t *h = &g_array_index(bt->holds, open_hold_t, i);

		if (h->lock == lock) {
			return h;
		}
	}
	return NULL;
}

static void drop_hold(bthread_t *bt, open_hold_t *h)
{
	g_array_remove_index(bt->holds, (guint) (h - (open_hold_t *) (void *) bt->holds->data));
}

static void add_flow(weft_builder_t *b, weft_flow_kind_t kind, guint from, weft_time_t from_ts,
                     guint to, weft_time_t to_ts, uint64_t object, guint32 stack)
{
	weft_flow_t f = {kind, from, to, from_ts, MAX(to_ts, from_ts), object, stack};

	PUSH(b->model->flows, f);
}

/* A contended acquire: draw the hand-off from the last releaser, if it fits. */
static void lock_handoff_to(weft_builder_t *b, bthread_t *bt, uint64_t lock, weft_time_t wait_start,
                            weft_time_t acquire)
{
	bobject_t *o = get_object(bt->p, lock);

	if (o->handoff_pending && o->handoff_from != bt->t->index && o->handoff_ts >= wait_start &&
	    o->handoff_ts <= acquire) {
		add_flow(b, WEFT_FLOW_LOCK_HANDOFF, o->handoff_from, o->handoff_ts, bt->t->index,
		         acquire, lock, o->handoff_stack);
	}
	o->handoff_pending = FALSE;
}

/* The thread holds lock since acquire (closing its wait, if one is open). */
static void lock_acquired(weft_builder_t *b, bthread_t *bt, uint64_t lock, int64_t kind,
                          weft_time_t acquire, weft_time_t now, guint32 callsite)
{
	open_state_t *top = top_state(bt);
	open_hold_t h = {lock, (guint8) lock_state(kind), FALSE, 0, 0, callsite, 0};

	if (find_hold(bt, lock) && !(top && top->is_lock && top->object == lock)) {
		return; /* already held: a second source (macro and wrapper) reports it */
	}
	if (top && top->is_lock && top->object == lock) {
		open_state_t closed;

		acquire = clamp_time(acquire, top->seg_start, now);
		pop_state(bt, acquire, 0, &closed);
		h.contended = TRUE;
		h.wait_start = closed.first_start;
		h.kind = (guint8) closed.state;
		h.callsite = closed.callsite;
		h.stack = closed.stack;
		lock_handoff_to(b, bt, lock, closed.first_start, acquire);
	} else {
		acquire = clamp_time(acquire, bt->t->start, now);
		h.wait_start = acquire;
	}
	h.start = acquire;
	if (!bt->holds) {
		bt->holds = new_array(sizeof(open_hold_t));
	}
	if (bt->holds->len < MAX_STACK) {
		PUSH(bt->holds, h);
	}
}

static void add_hold(weft_builder_t *b, bthread_t *bt, const open_hold_t *h, weft_time_t release,
                     guint32 release_site, guint32 release_stack)
{
	weft_lock_hold_t hold = {
	    .lock = h->lock,
	    .kind = h->kind,
	    .contended = (guint8) h->contended,
	    .thread = bt->t->index,
	    .wait_start = MIN(h->wait_start, h->start),
	    .start = h->start,
	    .end = MAX(release, h->start),
	    .callsite = h->callsite,
	    .stack = h->stack,
	    .release_stack = release_stack,
	    .release_callsite = release_site,
	};

	/*
	 * Two sources may report one hold (a TRACE_LOCK_* macro around a call
	 * the preload runtime or the pthread wrapper also records): a hold of
	 * the same lock that began before the previous one ended is that one.
	 */
	if (bt->has_last_hold && bt->last_hold_lock == h->lock && h->start < bt->last_hold_end) {
		return;
	}
	bt->has_last_hold = TRUE;
	bt->last_hold_lock = h->lock;
	bt->last_hold_end = hold.end;
	PUSH(b->model->holds, hold);
}

/* A wait closed as inferred: the release now tells when the lock was taken. */
static gboolean fix_inferred_wait(bthread_t *bt, uint64_t lock, weft_time_t acquire,
                                  weft_time_t *wait_start)
{
	weft_state_track_t *tr = &bt->t->states;

	if (!bt->fixups) {
		return FALSE;
	}
	for (gint i = (gint) bt->fixups->len - 1; i >= 0; i--) {
		wait_fixup_t f = g_array_index(bt->fixups, wait_fixup_t, i);
		weft_time_t *start, *end;

		if (f.lock != lock) {
			continue;
		}
		g_array_remove_index(bt->fixups, (guint) i);
		if (f.interval >= tr->start->len) {
			return FALSE;
		}
		start = &g_array_index(tr->start, weft_time_t, f.interval);
		end = &g_array_index(tr->end, weft_time_t, f.interval);
		*end = clamp_time(acquire, *start, *end);
		g_array_index(tr->flags, guint8, f.interval) &= (guint8) ~WEFT_FLAG_INFERRED;
		*wait_start = *start;
		return TRUE;
	}
	return FALSE;
}

static void on_lock_released(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev,
                             weft_time_t now, guint32 callsite)
{
	uint64_t lock = (uint64_t) ev->i[0];
	int64_t kind = ev->i[1];
	weft_time_t acquire = ev->i[2];
	weft_time_t release = ev->i[3] ? clamp_time(ev->i[3], bt->t->start, now) : now;
	gboolean waited = ev->i[4] != 0;
	int64_t waiters = ev->i[5];
	/* a hold that began here began where the thread took the lock */
	guint32 acquire_site = ev->i[6] ? site_of_ip(b, bt->p, (uint64_t) ev->i[6]) : callsite;
	guint32 release_stack = stack_of(bt, ev->i[7]);
	open_hold_t *h = find_hold(bt, lock);
	open_state_t *top = top_state(bt);

	if (waited && top && top->is_lock && top->object == lock) {
		/* the wait ends at acquire_ts: lock_acquired's logic does it */
		lock_acquired(b, bt, lock, kind, acquire ? acquire : release, release, callsite);
		h = find_hold(bt, lock);
	} else if (waited && !h && acquire) {
		weft_time_t wait_start = acquire;
		open_hold_t nh = {lock, (guint8) lock_state(kind), TRUE, 0, 0, acquire_site, 0};

		acquire = clamp_time(acquire, bt->t->start, release);
		if (fix_inferred_wait(bt, lock, acquire, &wait_start)) {
			lock_handoff_to(b, bt, lock, wait_start, acquire);
		}
		nh.wait_start = wait_start;
		nh.start = acquire;
		add_hold(b, bt, &nh, release, callsite, release_stack);
	} else if (!h && acquire) {
		open_hold_t nh = {lock, (guint8) lock_state(kind), FALSE, 0, 0, acquire_site, 0};

		nh.start = nh.wait_start = clamp_time(acquire, bt->t->start, release);
		add_hold(b, bt, &nh, release, callsite, release_stack);
	}
	if (h) {
		if (waited && acquire && !h->contended) {
			h->start = clamp_time(acquire, bt->t->start, release);
		}
		if (waited && h->contended) {
			weft_time_t wait_start = h->wait_start;

			if (acquire &&
			    fix_inferred_wait(bt, lock, clamp_time(acquire, h->wait_start, release),
			                      &wait_start)) {
				h->start = clamp_time(acquire, h->wait_start, release);
				lock_handoff_to(b, bt, lock, wait_start, h->start);
			}
		}
		add_hold(b, bt, h, release, callsite, release_stack);
		drop_hold(bt, h);
	}
	if (waiters != 0) {
		bobject_t *o = get_object(bt->p, lock);

		o->handoff_pending = TRUE;
		o->handoff_from = bt->t->index;
		o->handoff_ts = release;
		o->handoff_stack = release_stack;
	}
}

/* lttng-ust's pthread wrapper: unlock knows no waiters, so any waiter may be next. */
static void on_pthread_unlock(weft_builder_t *b, bthread_t *bt, uint64_t lock, weft_time_t now,
                              guint32 site)
{
	open_hold_t *h = find_hold(bt, lock);
	bobject_t *o;

	if (h) {
		add_hold(b, bt, h, now, site, 0);
		drop_hold(bt, h);
	}
	o = get_object(bt->p, lock);
	o->handoff_pending = TRUE;
	o->handoff_from = bt->t->index;
	o->handoff_ts = now;
	o->handoff_stack = 0;
}

/* ---- cond / sem wakes ---- */

static void add_wake(bthread_t *bt, uint64_t obj, weft_time_t ts, int64_t waiters,
                     gboolean broadcast, guint32 stack)
{
	bobject_t *o = get_object(bt->p, obj);
	pending_wake_t w = {bt->t->index, ts, 1, stack};

	if (broadcast) {
		w.remaining = waiters > 0 ? (int) MIN(waiters, G_MAXINT) : o->waiting;
	} else if (waiters == 0) {
		w.remaining = 0;
	}
	if (w.remaining <= 0) {
		return;
	}
	if (!o->wakes) {
		o->wakes = new_array(sizeof(pending_wake_t));
	}
	if (o->wakes->len >= MAX_PENDING_WAKES) {
		g_array_remove_index(o->wakes, 0);
	}
	PUSH(o->wakes, w);
}

/* A wait on obj began at wait_start and ended at end: which wake ended it? */
static void take_wake(weft_builder_t *b, bthread_t *bt, weft_flow_kind_t kind, uint64_t obj,
                      weft_time_t wait_start, weft_time_t end)
{
	bobject_t *o = get_object(bt->p, obj);

	if (o->waiting > 0) {
		o->waiting--;
	}
	if (!o->wakes) {
		return;
	}
	for (guint i = 0; i < o->wakes->len; i++) {
		pending_wake_t *w = &g_array_index(o->wakes, pending_wake_t, i);

		if (w->ts < wait_start || w->ts > end || w->from == bt->t->index) {
			continue;
		}
		add_flow(b, kind, w->from, w->ts, bt->t->index, end, obj, w->stack);
		if (--w->remaining <= 0) {
			g_array_remove_index(o->wakes, i);
		}
		return;
	}
}

static void begin_object_wait(bthread_t *bt, weft_time_t ts, weft_state_t state, uint64_t obj,
                              guint32 callsite, guint32 stack)
{
	get_object(bt->p, obj)->waiting++;
	push_state(bt, ts, state, obj, 0, callsite, stack, FALSE);
}

static void end_object_wait(weft_builder_t *b, bthread_t *bt, weft_time_t ts, weft_state_t state,
                            uint64_t obj, weft_flow_kind_t kind, guint32 callsite)
{
	open_state_t closed;
	guint index;

	if (end_state(bt, ts, state, TRUE, obj, &closed, &index)) {
		if (kind != WEFT_FLOW_COUNT) {
			take_wake(b, bt, kind, obj, closed.first_start, ts);
		}
	} else {
		add_unstarted(bt, ts, state, obj, 0, callsite);
	}
}

/* ---- regions, tasks, instants, counters ---- */

static void region_begin(weft_builder_t *b, bthread_t *bt, weft_time_t ts, const char *name,
                         guint32 callsite)
{
	weft_slice_track_t *s = &bt->t->slices;
	weft_time_t end = -1;
	guint8 flags = 0;
	weft_str_t n = weft_model_intern(b->model, name);
	guint16 depth;
	guint index = s->start->len;

	if (!bt->open_slices) {
		bt->open_slices = new_array(sizeof(guint));
	}
	if (bt->open_slices->len >= MAX_OPEN_SLICES) {
		return;
	}
	depth = (guint16) bt->open_slices->len;
	PUSH(s->start, ts);
	PUSH(s->end, end);
	PUSH(s->depth, depth);
	PUSH(s->flags, flags);
	PUSH(s->name, n);
	PUSH(s->callsite, callsite);
	s->max_depth = MAX(s->max_depth, (guint) depth + 1);
	PUSH(bt->open_slices, index);
}

/* An end without begin: a region enclosing everything so far, from the thread's start. */
static void region_unstarted(weft_builder_t *b, bthread_t *bt, weft_time_t ts, const char *name,
                             guint32 callsite)
{
	weft_slice_track_t *s = &bt->t->slices;
	weft_time_t start = bt->t->start;
	guint8 flags = WEFT_FLAG_UNSTARTED;
	guint16 depth = 0;
	weft_str_t n = weft_model_intern(b->model, name);

	if (s->max_depth >= MAX_UNSTARTED_DEPTH) {
		return;
	}
	for (guint i = 0; i < s->depth->len; i++) {
		g_array_index(s->depth, guint16, i)++;
	}
	g_array_prepend_val(s->start, start);
	g_array_prepend_val(s->end, ts);
	g_array_prepend_val(s->depth, depth);
	g_array_prepend_val(s->flags, flags);
	g_array_prepend_val(s->name, n);
	g_array_prepend_val(s->callsite, callsite);
	s->max_depth++;
	if (bt->open_slices) {
		for (guint i = 0; i < bt->open_slices->len; i++) {
			g_array_index(bt->open_slices, guint, i)++;
		}
	}
}

static void region_end(weft_builder_t *b, bthread_t *bt, weft_time_t ts, const char *name,
                       guint32 callsite)
{
	weft_slice_track_t *s = &bt->t->slices;
	weft_str_t n = weft_model_intern(b->model, name);
	gint found = -1;

	if (bt->open_slices) {
		for (gint i = (gint) bt->open_slices->len - 1; i >= 0; i--) {
			guint idx = g_array_index(bt->open_slices, guint, i);

			if (g_array_index(s->name, weft_str_t, idx) == n || !name || !*name) {
				found = i;
				break;
			}
		}
	}
	if (found < 0) {
		/* It began before everything still open, which therefore ends with it. */
		while (bt->open_slices && bt->open_slices->len) {
			guint idx = g_array_index(bt->open_slices, guint, bt->open_slices->len - 1);

			g_array_index(s->end, weft_time_t, idx) = ts;
			g_array_index(s->flags, guint8, idx) |= WEFT_FLAG_INFERRED;
			g_array_set_size(bt->open_slices, bt->open_slices->len - 1);
		}
		region_unstarted(b, bt, ts, name, callsite);
		return;
	}
	/* Regions opened inside the one that ends end with it (mismatched names). */
	while ((gint) bt->open_slices->len > found) {
		guint idx = g_array_index(bt->open_slices, guint, bt->open_slices->len - 1);

		g_array_index(s->end, weft_time_t, idx) = ts;
		if ((gint) bt->open_slices->len - 1 > found) {
			g_array_index(s->flags, guint8, idx) |= WEFT_FLAG_INFERRED;
		}
		g_array_set_size(bt->open_slices, bt->open_slices->len - 1);
	}
}

static void task_begin(weft_builder_t *b, bthread_t *bt, weft_time_t ts, uint64_t id,
                       const char *name, guint32 callsite)
{
	gpointer old = g_hash_table_lookup(b->tasks, KEY(id));
	weft_task_t task = {
	    .id = id,
	    .name = weft_model_intern(b->model, name),
	    .start = ts,
	    .end = -1,
	    .begin_thread = bt->t->index,
	    .end_thread = G_MAXUINT,
	    .callsite = callsite,
	};

	if (old) {
		weft_task_t *prev =
		    &g_array_index(b->model->tasks, weft_task_t, GPOINTER_TO_UINT(old) - 1);

		prev->end = ts;
		prev->flags |= WEFT_FLAG_UNFINISHED;
	}
	PUSH(b->model->tasks, task);
	g_hash_table_insert(b->tasks, KEY(id), GUINT_TO_POINTER(b->model->tasks->len));
}

static void task_end(weft_builder_t *b, bthread_t *bt, weft_time_t ts, uint64_t id,
                     guint32 callsite)
{
	gpointer found = g_hash_table_lookup(b->tasks, KEY(id));
	weft_task_t *task;

	if (!found) {
		weft_task_t t = {
		    .id = id,
		    .start = b->model->start,
		    .end = ts,
		    .begin_thread = G_MAXUINT,
		    .end_thread = bt->t->index,
		    .flags = WEFT_FLAG_UNSTARTED,
		    .callsite = callsite,
		};

		PUSH(b->model->tasks, t);
		return;
	}
	g_hash_table_remove(b->tasks, KEY(id));
	task = &g_array_index(b->model->tasks, weft_task_t, GPOINTER_TO_UINT(found) - 1);
	task->end = MAX(ts, task->start);
	task->end_thread = bt->t->index;
	if (task->begin_thread != bt->t->index) {
		add_flow(b, WEFT_FLOW_TASK, task->begin_thread, task->start, bt->t->index,
		         task->end, id, 0);
	}
}

static void add_instant(weft_builder_t *b, bthread_t *bt, weft_time_t ts, weft_instant_kind_t kind,
                        const char *name, const char *message, guint32 callsite)
{
	weft_instant_track_t *in = &bt->t->instants;
	guint8 k = (guint8) kind;
	weft_str_t n = weft_model_intern(b->model, name);
	weft_str_t m = weft_model_intern(b->model, message);

	PUSH(in->ts, ts);
	PUSH(in->kind, k);
	PUSH(in->name, n);
	PUSH(in->message, m);
	PUSH(in->callsite, callsite);
}

static weft_counter_t *new_counter(weft_str_t name, gboolean is_heap)
{
	weft_counter_t *c = g_new0(weft_counter_t, 1);

	c->name = name;
	c->is_heap = is_heap;
	c->ts = new_array(sizeof(weft_time_t));
	c->value = new_array(sizeof(gint64));
	return c;
}

static void counter_add(weft_counter_t *c, weft_time_t ts, int64_t value)
{
	guint n = c->ts->len;

	/* Several values at one instant: the last one wins. */
	if (n && g_array_index(c->ts, weft_time_t, n - 1) == ts) {
		g_array_index(c->value, gint64, n - 1) = value;
		return;
	}
	PUSH(c->ts, ts);
	PUSH(c->value, value);
}

static void user_counter(weft_builder_t *b, bthread_t *bt, weft_time_t ts, const char *name,
                         int64_t value)
{
	weft_str_t n = weft_model_intern(b->model, name);
	weft_counter_t *c = g_hash_table_lookup(bt->p->counters, GUINT_TO_POINTER(n));

	if (!c) {
		c = new_counter(n, FALSE);
		g_ptr_array_add(bt->p->p->counters, c);
		g_hash_table_insert(bt->p->counters, GUINT_TO_POINTER(n), c);
	}
	counter_add(c, ts, value);
}

/* ---- allocations ---- */

static void heap_point(alloc_source_t *s, weft_time_t ts, int64_t delta)
{
	guint n = s->heap_ts->len;

	s->in_use += delta;
	if (n && g_array_index(s->heap_ts, weft_time_t, n - 1) == ts) {
		g_array_index(s->heap_val, gint64, n - 1) = s->in_use;
		return;
	}
	PUSH(s->heap_ts, ts);
	PUSH(s->heap_val, s->in_use);
}

static void record_alloc(alloc_source_t *s, bthread_t *bt, weft_time_t ts, uint64_t ptr,
                         uint64_t size, uint64_t weight, guint32 callsite, guint32 stack)
{
	weft_alloc_t a = {
	    .ts = ts,
	    .free_ts = G_MAXINT64,
	    .ptr = ptr,
	    .size = size,
	    .weight = weight,
	    .tid = bt->t->tid,
	    .callsite = callsite,
	    .stack = stack,
	};

	if (!ptr) {
		return;
	}
	if (weight != size) {
		bt->p->p->alloc_sampled = TRUE;
	}
	PUSH(s->allocs, a);
	g_hash_table_insert(s->live, KEY(ptr), GUINT_TO_POINTER(s->allocs->len));
	heap_point(s, ts, (int64_t) MIN(weight, (uint64_t) G_MAXINT32 * 1024));
}

static void record_free(alloc_source_t *s, weft_time_t ts, uint64_t ptr, guint32 callsite)
{
	gpointer found;
	weft_alloc_t *a;

	if (!ptr || !g_hash_table_steal_extended(s->live, KEY(ptr), NULL, &found)) {
		return;
	}
	a = &g_array_index(s->allocs, weft_alloc_t, GPOINTER_TO_UINT(found) - 1);
	a->free_ts = ts;
	a->free_callsite = callsite;
	heap_point(s, ts, -(int64_t) MIN(a->weight, (uint64_t) G_MAXINT32 * 1024));
}

static void on_alloc_event(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev, weft_time_t ts,
                           guint32 cs)
{
	alloc_source_t *w = &bt->p->weft_allocs, *l = &bt->p->libc_allocs;
	uint64_t u0 = (uint64_t) ev->i[0], u1 = (uint64_t) ev->i[1], u2 = (uint64_t) ev->i[2];

	switch (ev->id) {
	case WEFT_EV_ALLOC:
		record_alloc(w, bt, ts, u0, u1, (uint64_t) ev->i[3], cs, stack_of(bt, ev->i[4]));
		break;
	case WEFT_EV_FREE:
		record_free(w, ts, u0, cs);
		break;
	case WEFT_EV_REALLOC:
		record_free(w, ts, u0, cs);
		record_alloc(w, bt, ts, u1, u2, (uint64_t) ev->i[3], cs, stack_of(bt, ev->i[4]));
		break;
	case WEFT_EV_HEAP:
		if (!bt->p->heap_events) {
			bt->p->heap_events =
			    new_counter(weft_model_intern(b->model, "heap in use"), TRUE);
		}
		counter_add(bt->p->heap_events, ts, ev->i[0]);
		break;
	case WEFT_EV_LIBC_MALLOC:
		record_alloc(l, bt, ts, u1, u0, u0, cs, 0);
		break;
	case WEFT_EV_LIBC_CALLOC:
		record_alloc(l, bt, ts, u2, u0 * u1, u0 * u1, cs, 0);
		break;
	case WEFT_EV_LIBC_REALLOC:
		record_free(l, ts, u0, cs);
		record_alloc(l, bt, ts, u2, u1, u1, cs, 0);
		break;
	case WEFT_EV_LIBC_FREE:
		record_free(l, ts, u0, cs);
		break;
	case WEFT_EV_LIBC_MEMALIGN:
		record_alloc(l, bt, ts, u2, u1, u1, cs, 0);
		break;
	case WEFT_EV_LIBC_POSIX_MEMALIGN:
		/* out_ptr is where the pointer was stored: the block itself is not recorded */
		break;
	default:
		break;
	}
}

/* ---- threads ---- */

/*
 * What the exiting thread's own teardown emits after weft:thread_exit (TLS
 * destructors freeing, libc releasing its locks in pthread_exit): such an
 * event stays on that thread, which does not grow; any other event after
 * the exit is a tid reused without a thread_start.
 */
static gboolean is_teardown_event(weft_event_id_t id)
{
	switch (id) {
	case WEFT_EV_LOCK_RELEASED:
	case WEFT_EV_FREE:
	case WEFT_EV_LIBC_FREE:
	case WEFT_EV_COND_SIGNAL:
	case WEFT_EV_COND_BROADCAST:
	case WEFT_EV_SEM_POST:
		return TRUE;
	default:
		return FALSE;
	}
}

static bthread_t *on_thread_start(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev,
                                  weft_time_t ts)
{
	pending_create_t *c;
	uint64_t create_id = (uint64_t) ev->i[0];
	uint64_t pthread = (uint64_t) ev->i[2];
	gpointer name;

	/* tid reuse: a second start on the same tid is a new thread */
	if (bt->started || bt->exited) {
		bt = new_thread(b, bt->p->p->pid, bt->t->tid, ts);
	}
	bt->started = TRUE;
	bt->t->start = MIN(bt->t->start, ts);
	bt->t->start_routine = (uint64_t) ev->i[1];
	/* The runtime passes the start routine as this event's ip: its symbol. */
	if (ev->ip) {
		bt->t->start_routine_site = callsite_of(b, bt, ev);
	}
	bt->pthread = pthread;
	if (pthread) {
		g_hash_table_insert(bt->p->pthreads, KEY(pthread), bt);
		if (g_hash_table_steal_extended(bt->p->names, KEY(pthread), NULL, &name)) {
			bt->t->name = GPOINTER_TO_UINT(name);
			bt->named = TRUE;
		}
	}
	c = g_hash_table_lookup(bt->p->creates, KEY(create_id));
	if (c && c->parent < b->model->threads->len && c->parent != bt->t->index) {
		bthread_t *parent = thread_at(b, c->parent);

		bt->t->parent_tid = parent->t->tid;
		add_flow(b, WEFT_FLOW_THREAD_CREATE, c->parent, c->ts, bt->t->index, ts, create_id,
		         c->stack);
		bt->t->create_stack = c->stack;
		g_hash_table_remove(bt->p->creates, KEY(create_id));
	}
	return bt;
}

static void on_thread_create(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev,
                             weft_time_t ts, guint32 cs)
{
	pending_create_t *c = g_new0(pending_create_t, 1);

	c->parent = bt->t->index;
	c->ts = ts;
	c->start_routine = (uint64_t) ev->i[1];
	c->callsite = cs;
	c->stack = stack_of(bt, ev->i[2]);
	g_hash_table_replace(bt->p->creates, KEY(ev->i[0]), c);
}

static void on_thread_name(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev)
{
	uint64_t pthread = (uint64_t) ev->i[0];
	bthread_t *target;

	if (!pthread || pthread == bt->pthread) {
		set_thread_name(b, bt, ev->s[0], TRUE);
		return;
	}
	target = g_hash_table_lookup(bt->p->pthreads, KEY(pthread));
	if (target) {
		set_thread_name(b, target, ev->s[0], TRUE);
	} else if (ev->s[0] && *ev->s[0]) {
		g_hash_table_insert(bt->p->names, KEY(pthread),
		                    GUINT_TO_POINTER(weft_model_intern(b->model, ev->s[0])));
	}
}

static void on_join_end(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev, weft_time_t ts,
                        guint32 cs)
{
	uint64_t pthread = (uint64_t) ev->i[0];
	bthread_t *joined = g_hash_table_lookup(bt->p->pthreads, KEY(pthread));
	open_state_t closed;
	guint index;

	if (!end_state(bt, ts, WEFT_STATE_JOIN, TRUE, pthread, &closed, &index)) {
		add_unstarted(bt, ts, WEFT_STATE_JOIN, pthread, 0, cs);
	}
	if (joined && joined->exited && joined != bt) {
		add_flow(b, WEFT_FLOW_JOIN, joined->t->index, joined->t->end, bt->t->index, ts,
		         pthread, 0);
	}
}

/* ---- CPU lanes ---- */

static bcpu_t *get_cpu(weft_builder_t *b, int cpu)
{
	bcpu_t *c;

	if (cpu < 0 || cpu >= 4096) {
		return NULL;
	}
	if ((guint) cpu >= b->cpus->len) {
		g_ptr_array_set_size(b->cpus, cpu + 1);
	}
	c = g_ptr_array_index(b->cpus, cpu);
	if (!c) {
		c = g_new0(bcpu_t, 1);
		c->ktid = -1;
		c->kruns = new_array(sizeof(krun_t));
		g_ptr_array_index(b->cpus, cpu) = c;
	}
	return c;
}

static weft_cpu_lane_t *model_lane(weft_builder_t *b, guint cpu)
{
	weft_model_t *m = b->model;

	if (cpu >= m->cpus->len) {
		g_ptr_array_set_size(m->cpus, cpu + 1);
	}
	if (!g_ptr_array_index(m->cpus, cpu)) {
		weft_cpu_lane_t *lane = g_new0(weft_cpu_lane_t, 1);

		lane->cpu = cpu;
		lane->start = new_array(sizeof(weft_time_t));
		lane->end = new_array(sizeof(weft_time_t));
		lane->thread = new_array(sizeof(guint));
		g_ptr_array_index(m->cpus, cpu) = lane;
	}
	return g_ptr_array_index(m->cpus, cpu);
}

static void lane_append(weft_cpu_lane_t *lane, weft_time_t start, weft_time_t end, guint thread)
{
	PUSH(lane->start, start);
	PUSH(lane->end, end);
	PUSH(lane->thread, thread);
}

static void cpu_event(weft_builder_t *b, bthread_t *bt, int cpu, weft_time_t ts)
{
	bcpu_t *c = get_cpu(b, cpu);

	if (!c) {
		return;
	}
	bt->cpu_mask |= cpu < 63 ? (G_GUINT64_CONSTANT(1) << cpu) : (G_GUINT64_CONSTANT(1) << 63);
	if (c->running && c->thread == bt->t->index) {
		c->last = ts;
		return;
	}
	if (c->running) {
		lane_append(model_lane(b, (guint) cpu), c->start, c->last, c->thread);
	}
	c->running = TRUE;
	c->thread = bt->t->index;
	c->start = c->last = ts;
}

/* ---- kernel scheduler ---- */

static ktask_t *get_ktask(weft_builder_t *b, int64_t tid, weft_time_t ts)
{
	ktask_t *k = g_hash_table_lookup(b->ktasks, KEY(tid));

	if (!k) {
		k = g_new0(ktask_t, 1);
		k->since = k->first = ts;
		k->state = -1; /* unknown until the first transition */
		k->intervals = new_array(sizeof(kinterval_t));
		g_hash_table_insert(b->ktasks, KEY(tid), k);
	}
	return k;
}

static void kset(weft_builder_t *b, int64_t tid, int state, weft_time_t ts)
{
	ktask_t *k;

	if (tid <= 0) {
		return; /* the idle task */
	}
	k = get_ktask(b, tid, ts);
	if (k->state == state) {
		return;
	}
	if (k->state > 0 && ts > k->since) {
		kinterval_t ki = {tid, k->since, ts, (guint8) k->state};

		PUSH(k->intervals, ki);
	}
	if (k->state < 0) {
		k->first = ts;
	}
	k->state = state;
	k->since = ts;
}

static void on_sched_switch(weft_builder_t *b, const weft_event_t *ev, weft_time_t ts)
{
	int64_t prev = ev->i[0], next = ev->i[2];
	bcpu_t *c = get_cpu(b, ev->cpu);

	kset(b, prev, ev->i[1] == 0 ? WEFT_STATE_RUNNABLE : WEFT_STATE_BLOCKED_KERNEL, ts);
	kset(b, next, 0, ts);
	if (!c) {
		return;
	}
	if (c->ktid > 0 && ts >= c->kstart) {
		krun_t r = {c->ktid, c->kstart, ts};

		PUSH(c->kruns, r);
	}
	c->ktid = next;
	c->kstart = ts;
}

static void on_kernel_event(weft_builder_t *b, const weft_event_t *ev, weft_time_t ts)
{
	b->model->has_kernel = TRUE;
	switch (ev->id) {
	case WEFT_EV_SCHED_SWITCH:
		on_sched_switch(b, ev, ts);
		break;
	case WEFT_EV_SCHED_WAKEUP:
	case WEFT_EV_SCHED_WAKEUP_NEW: {
		ktask_t *k = get_ktask(b, ev->i[0], ts);

		if (k->state != 0) {
			kset(b, ev->i[0], WEFT_STATE_RUNNABLE, ts);
		}
		break;
	}
	case WEFT_EV_SCHED_PROCESS_FORK:
		g_hash_table_insert(b->kparents, KEY(ev->i[2]), KEY(ev->i[0]));
		if (ev->i[3] != ev->i[1]) {
			g_hash_table_insert(b->kppids, KEY(ev->i[3]), KEY(ev->i[1]));
		}
		kset(b, ev->i[2], WEFT_STATE_RUNNABLE, ts);
		break;
	case WEFT_EV_SCHED_PROCESS_EXIT: {
		bthread_t *bt = NULL;
		GHashTableIter it;
		gpointer v;

		kset(b, ev->i[0], WEFT_STATE_BLOCKED_KERNEL, ts);
		/* The exiting tid's latest thread (vtid == tid outside containers). */
		g_hash_table_iter_init(&it, b->processes);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			bprocess_t *bp = v;
			bthread_t *cand =
			    g_hash_table_lookup(b->threads, KEY(thread_key(bp->p->pid, ev->i[0])));

			if (cand) {
				bt = cand;
			}
		}
		if (bt && !bt->exited) {
			bt->exited = TRUE;
			bt->t->end = MAX(bt->t->end, ts);
		}
		break;
	}
	default:
		break;
	}
}

/* ---- dispatch ---- */

static void on_thread_event(weft_builder_t *b, bthread_t *bt, const weft_event_t *ev,
                            weft_time_t ts)
{
	guint32 cs;

	switch (ev->id) {
	case WEFT_EV_LOCK_RELEASED:
	case WEFT_EV_LOCK_ACQUIRED:
	case WEFT_EV_LOCK_WAIT_END:
	case WEFT_EV_LOCK_WAIT:
	case WEFT_EV_PTHREAD_LOCK_REQ:
	case WEFT_EV_PTHREAD_LOCK_ACQ:
	case WEFT_EV_PTHREAD_TRYLOCK: {
		open_state_t *top = top_state(bt);

		if (top && top->is_lock && top->object != (uint64_t) ev->i[0]) {
			close_inferred_lock_wait(bt, ts);
		}
		break;
	}
	default:
		close_inferred_lock_wait(bt, ts);
		break;
	}
	cs = callsite_of(b, bt, ev);
	switch (ev->id) {
	case WEFT_EV_THREAD_NAME:
		on_thread_name(b, bt, ev);
		break;
	case WEFT_EV_REGION_BEGIN:
		region_begin(b, bt, ts, ev->s[0], cs);
		break;
	case WEFT_EV_REGION_END:
		region_end(b, bt, ts, ev->s[0], cs);
		break;
	case WEFT_EV_MARK:
		add_instant(b, bt, ts, WEFT_INSTANT_MARK, ev->s[0], NULL, cs);
		break;
	case WEFT_EV_LOG:
		add_instant(b, bt, ts, WEFT_INSTANT_LOG, ev->s[0], ev->s[1], cs);
		break;
	case WEFT_EV_COUNTER:
		user_counter(b, bt, ts, ev->s[0], ev->i[0]);
		break;
	case WEFT_EV_BLOCK_BEGIN:
		push_state(bt, ts, WEFT_STATE_BLOCK_CUSTOM, 0,
		           (int32_t) weft_model_intern(b->model, ev->s[0]), cs, 0, FALSE);
		break;
	case WEFT_EV_BLOCK_END: {
		open_state_t closed;
		guint index;

		if (!end_state(bt, ts, WEFT_STATE_BLOCK_CUSTOM, FALSE, 0, &closed, &index)) {
			add_unstarted(bt, ts, WEFT_STATE_BLOCK_CUSTOM, 0, 0, cs);
		}
		break;
	}
	case WEFT_EV_TASK_BEGIN:
		task_begin(b, bt, ts, (uint64_t) ev->i[0], ev->s[0], cs);
		break;
	case WEFT_EV_TASK_END:
		task_end(b, bt, ts, (uint64_t) ev->i[0], cs);
		break;
	case WEFT_EV_FLOW_OUT: {
		pending_flow_t *f = g_new(pending_flow_t, 1);

		f->thread = bt->t->index;
		f->ts = ts;
		g_hash_table_replace(b->flows, KEY(ev->i[0]), f);
		break;
	}
	case WEFT_EV_FLOW_IN: {
		pending_flow_t *f = g_hash_table_lookup(b->flows, KEY(ev->i[0]));

		if (f) {
			add_flow(b, WEFT_FLOW_USER, f->thread, f->ts, bt->t->index, ts,
			         (uint64_t) ev->i[0], 0);
			g_hash_table_remove(b->flows, KEY(ev->i[0]));
		}
		break;
	}
	case WEFT_EV_LOCK_WAIT: {
		open_state_t *top = top_state(bt);

		if (top && top->is_lock && top->object == (uint64_t) ev->i[0]) {
			break; /* already waiting for it */
		}
		/* aux of a lock wait: the holder's tid when the lock said (0: unknown) */
		push_state(bt, ts, lock_state(ev->i[1]), (uint64_t) ev->i[0],
		           (int32_t) CLAMP(ev->i[3], 0, G_MAXINT32), cs, stack_of(bt, ev->i[2]),
		           TRUE);
		break;
	}
	case WEFT_EV_LOCK_ACQUIRED:
		lock_acquired(b, bt, (uint64_t) ev->i[0], ev->i[1], ev->i[2] ? ev->i[2] : ts, ts,
		              cs);
		break;
	case WEFT_EV_LOCK_WAIT_END: {
		open_state_t *top = top_state(bt);

		if (top && top->is_lock && top->object == (uint64_t) ev->i[0]) {
			pop_state(bt, ts, 0, NULL);
		} else {
			add_unstarted(bt, ts, lock_state(ev->i[1]), (uint64_t) ev->i[0], 0, cs);
		}
		break;
	}
	case WEFT_EV_LOCK_RELEASED:
		on_lock_released(b, bt, ev, ts, cs);
		break;
	case WEFT_EV_PTHREAD_LOCK_REQ: {
		open_state_t *top = top_state(bt);

		if (!(top && top->is_lock && top->object == (uint64_t) ev->i[0])) {
			push_state(bt, ts, WEFT_STATE_MUTEX, (uint64_t) ev->i[0], 0, cs, 0, TRUE);
		}
		break;
	}
	case WEFT_EV_PTHREAD_LOCK_ACQ:
		if (ev->i[1] == 0) {
			lock_acquired(b, bt, (uint64_t) ev->i[0], WEFT_LOCK_MUTEX, ts, ts, cs);
		} else {
			open_state_t *top = top_state(bt);

			if (top && top->is_lock && top->object == (uint64_t) ev->i[0]) {
				pop_state(bt, ts, 0, NULL);
			}
		}
		break;
	case WEFT_EV_PTHREAD_TRYLOCK:
		if (ev->i[1] == 0) {
			lock_acquired(b, bt, (uint64_t) ev->i[0], WEFT_LOCK_MUTEX, ts, ts, cs);
		}
		break;
	case WEFT_EV_PTHREAD_UNLOCK:
		on_pthread_unlock(b, bt, (uint64_t) ev->i[0], ts, cs);
		break;
	case WEFT_EV_ALLOC:
	case WEFT_EV_FREE:
	case WEFT_EV_REALLOC:
	case WEFT_EV_HEAP:
	case WEFT_EV_LIBC_MALLOC:
	case WEFT_EV_LIBC_CALLOC:
	case WEFT_EV_LIBC_REALLOC:
	case WEFT_EV_LIBC_FREE:
	case WEFT_EV_LIBC_MEMALIGN:
	case WEFT_EV_LIBC_POSIX_MEMALIGN:
		on_alloc_event(b, bt, ev, ts, cs);
		break;
	case WEFT_EV_THREAD_CREATE:
		on_thread_create(b, bt, ev, ts, cs);
		break;
	case WEFT_EV_STACK:
		on_stack(b, bt, ev);
		break;
	case WEFT_EV_THREAD_EXIT:
		bt->exited = TRUE;
		bt->exit_seen = TRUE;
		bt->t->end = ts;
		break;
	case WEFT_EV_THREAD_JOIN_BEGIN:
		push_state(bt, ts, WEFT_STATE_JOIN, (uint64_t) ev->i[0], 0, cs,
		           stack_of(bt, ev->i[1]), FALSE);
		break;
	case WEFT_EV_THREAD_JOIN_END:
		on_join_end(b, bt, ev, ts, cs);
		break;
	case WEFT_EV_PROCESS_FORK:
		g_hash_table_insert(b->kppids, KEY(ev->i[0]), KEY(bt->p->p->pid));
		{
			bprocess_t *child = g_hash_table_lookup(b->processes, KEY(ev->i[0]));

			if (child && child != bt->p) {
				child->p->parent_pid = bt->p->p->pid;
			}
		}
		break;
	case WEFT_EV_RUNTIME_CONFIG:
		/* allocations are sampled: records stand for more bytes than their size */
		if (ev->i[0] > 1) {
			bt->p->p->alloc_sampled = TRUE;
		}
		break;
	case WEFT_EV_PROCESS_EXEC:
		if (ev->s[0] && *ev->s[0]) {
			bt->p->p->name = weft_model_intern(b->model, ev->s[0]);
			bt->p->named_by_main = TRUE;
		}
		break;
	case WEFT_EV_COND_WAIT_BEGIN:
		begin_object_wait(bt, ts, WEFT_STATE_CONDVAR, (uint64_t) ev->i[0], cs,
		                  stack_of(bt, ev->i[3]));
		break;
	case WEFT_EV_COND_WAIT_END:
		end_object_wait(b, bt, ts, WEFT_STATE_CONDVAR, (uint64_t) ev->i[0],
		                WEFT_FLOW_COND_WAKE, cs);
		break;
	case WEFT_EV_COND_SIGNAL:
	case WEFT_EV_COND_BROADCAST:
		add_wake(bt, (uint64_t) ev->i[0], ts, ev->i[1], ev->id == WEFT_EV_COND_BROADCAST,
		         stack_of(bt, ev->i[2]));
		break;
	case WEFT_EV_SEM_POST:
		add_wake(bt, (uint64_t) ev->i[0], ts, ev->i[1], FALSE, stack_of(bt, ev->i[2]));
		break;
	case WEFT_EV_SEM_WAIT_BEGIN:
		begin_object_wait(bt, ts, WEFT_STATE_SEMAPHORE, (uint64_t) ev->i[0], cs,
		                  stack_of(bt, ev->i[2]));
		break;
	case WEFT_EV_SEM_WAIT_END:
		end_object_wait(b, bt, ts, WEFT_STATE_SEMAPHORE, (uint64_t) ev->i[0],
		                WEFT_FLOW_SEM_WAKE, cs);
		break;
	case WEFT_EV_BARRIER_WAIT_BEGIN:
		begin_object_wait(bt, ts, WEFT_STATE_BARRIER, (uint64_t) ev->i[0], cs,
		                  stack_of(bt, ev->i[2]));
		break;
	case WEFT_EV_BARRIER_WAIT_END:
		end_object_wait(b, bt, ts, WEFT_STATE_BARRIER, (uint64_t) ev->i[0], WEFT_FLOW_COUNT,
		                cs);
		break;
	case WEFT_EV_SYSCALL_BEGIN: {
		int64_t kind = ev->i[0];
		gboolean sleep = kind == WEFT_SYSCALL_NANOSLEEP ||
		                 kind == WEFT_SYSCALL_CLOCK_NANOSLEEP ||
		                 kind == WEFT_SYSCALL_USLEEP || kind == WEFT_SYSCALL_SLEEP;

		push_state(bt, ts, sleep ? WEFT_STATE_SLEEP : WEFT_STATE_SYSCALL,
		           sleep ? 0 : (uint64_t) ev->i[1], (int32_t) kind, cs, 0, FALSE);
		break;
	}
	case WEFT_EV_SYSCALL_END: {
		int64_t kind = ev->i[0];
		gboolean sleep = kind == WEFT_SYSCALL_NANOSLEEP ||
		                 kind == WEFT_SYSCALL_CLOCK_NANOSLEEP ||
		                 kind == WEFT_SYSCALL_USLEEP || kind == WEFT_SYSCALL_SLEEP;
		weft_state_t st = sleep ? WEFT_STATE_SLEEP : WEFT_STATE_SYSCALL;
		open_state_t *top = top_state(bt);

		if (top && top->state == st && top->aux == (int32_t) kind) {
			/* the stack was captured after the call returned */
			top->stack = stack_of(bt, ev->i[2]);
			pop_state(bt, ts, 0, NULL);
		} else {
			open_state_t closed;
			guint index;

			if (!end_state(bt, ts, st, FALSE, 0, &closed, &index)) {
				add_unstarted(bt, ts, st, 0, (int32_t) kind, cs);
			}
		}
		break;
	}
	default:
		break;
	}
}

static void update_bounds(weft_builder_t *b, weft_time_t ts)
{
	if (!b->have_ts) {
		b->have_ts = TRUE;
		b->model->start = ts;
	}
	b->last_ts = ts;
	b->model->end = ts;
}

static weft_time_t event_time(weft_builder_t *b, weft_time_t ts)
{
	return b->have_ts && ts < b->last_ts ? b->last_ts : ts;
}

void weft_builder_add_event(weft_builder_t *b, const weft_event_t *ev)
{
	weft_time_t ts = event_time(b, ev->ts);
	bthread_t *bt;
	int64_t pid, tid;

	update_bounds(b, ts);
	b->model->n_events++;
	if (ev->id <= WEFT_EV_UNKNOWN || ev->id >= WEFT_EV_COUNT) {
		b->model->n_skipped++;
		return;
	}
	if (ev->id >= WEFT_EV_SCHED_SWITCH) {
		on_kernel_event(b, ev, ts);
		return;
	}
	pid = ev->vpid >= 0 ? ev->vpid : 0;
	tid = ev->vtid >= 0 ? ev->vtid : pid;
	if (ev->id == WEFT_EV_UST_STATEDUMP || ev->id == WEFT_EV_UST_BIN_INFO ||
	    ev->id == WEFT_EV_UST_DLOPEN) {
		/* emitted by lttng-ust's own thread on the process's behalf */
		bprocess_t *bp = get_process(b, pid, ts);

		bp->p->end = MAX(bp->p->end, ts);
		if (ev->id != WEFT_EV_UST_STATEDUMP) {
			weft_symbolizer_add_mapping(b->symbols, pid, (uint64_t) ev->i[0],
			                            (uint64_t) ev->i[1], ev->s[0],
			                            ev->id == WEFT_EV_UST_DLOPEN || ev->i[2]);
		}
		return;
	}
	bt = get_thread(b, pid, tid, ts);
	if (ev->id == WEFT_EV_THREAD_START) {
		bt = on_thread_start(b, bt, ev, ts);
	} else if (bt->exited && !(bt->exit_seen && is_teardown_event(ev->id))) {
		/* an event after the thread's exit: the tid was reused without a start */
		bt = new_thread(b, pid, tid, ts);
	}
	if (!bt->exited) {
		bt->t->end = MAX(bt->t->end, ts);
	}
	bt->p->p->end = MAX(bt->p->p->end, ts);
	set_thread_name(b, bt, ev->procname, FALSE);
	update_process_name(b, bt, ev->procname);
	cpu_event(b, bt, ev->cpu, ts);
	on_thread_event(b, bt, ev, ts);
}

void weft_builder_add_recording_end(weft_builder_t *b, weft_time_t ts)
{
	b->recording_end = MAX(b->recording_end, ts);
}

void weft_builder_add_skipped(weft_builder_t *b, weft_time_t ts)
{
	update_bounds(b, event_time(b, ts));
	b->model->n_events++;
	b->model->n_skipped++;
}

void weft_builder_add_discarded(weft_builder_t *b, weft_time_t start, weft_time_t end,
                                uint64_t count, int cpu, int64_t pid)
{
	weft_lost_t lost = {start, end, count, cpu, pid};

	if (lost.end < 0) {
		lost.end = b->have_ts ? b->last_ts : 0;
	}
	if (lost.start < 0 || lost.start > lost.end) {
		lost.start = lost.end;
	}
	b->model->n_discarded += count;
	PUSH(b->model->lost, lost);
}

/* ---- finishing: close what is open, overlay kernel truth and lost data, sort ---- */

typedef struct {
	weft_time_t start, end;
	guint8 state, flags;
	uint64_t object;
	int32_t aux;
	guint32 callsite;
} seg_t;

static weft_time_t thread_clip_end(weft_builder_t *b, bthread_t *bt)
{
	return bt->exited ? bt->t->end : b->model->end;
}

/*
 * Whether a thread was still waiting when the events stopped: then the
 * trace ends where the recording ended, so the wait keeps its length (a
 * deadlock, a service recorded while idle). A program that ran to its end
 * ends the trace at its last event, without the recorder's teardown.
 */
static gboolean waits_at_end(weft_builder_t *b)
{
	for (guint i = 0; i < b->bthreads->len; i++) {
		bthread_t *bt = thread_at(b, i);

		if (!bt->exited && bt->stack && bt->stack->len) {
			return TRUE;
		}
	}
	return FALSE;
}

static void close_thread(weft_builder_t *b, bthread_t *bt)
{
	weft_thread_t *t = bt->t;
	weft_time_t end = thread_clip_end(b, bt);

	while (bt->stack && bt->stack->len) {
		pop_state(bt, end, WEFT_FLAG_UNFINISHED, NULL);
		bt->unfinished_wait = TRUE;
	}
	while (bt->holds && bt->holds->len) {
		open_hold_t *h = &g_array_index(bt->holds, open_hold_t, bt->holds->len - 1);

		add_hold(b, bt, h, MAX(t->end, h->start), 0, 0);
		g_array_set_size(bt->holds, bt->holds->len - 1);
	}
	if (bt->unfinished_wait) {
		t->end = MAX(t->end, last_state_end(t));
	}
	while (bt->open_slices && bt->open_slices->len) {
		guint idx = g_array_index(bt->open_slices, guint, bt->open_slices->len - 1);

		g_array_index(t->slices.end, weft_time_t, idx) =
		    MAX(t->end, g_array_index(t->slices.start, weft_time_t, idx));
		g_array_index(t->slices.flags, guint8, idx) |= WEFT_FLAG_UNFINISHED;
		g_array_set_size(bt->open_slices, bt->open_slices->len - 1);
	}
	/* unstarted regions may reach past the last event */
	for (guint i = 0; i < t->slices.end->len; i++) {
		t->end = MAX(t->end, g_array_index(t->slices.end, weft_time_t, i));
	}
	t->process->end = MAX(t->process->end, t->end);
	t->process->start = MIN(t->process->start, t->start);
}

static void close_tasks(weft_builder_t *b)
{
	for (guint i = 0; i < b->model->tasks->len; i++) {
		weft_task_t *task = &g_array_index(b->model->tasks, weft_task_t, i);

		if (task->end < 0) {
			task->end = MAX(b->model->end, task->start);
			task->flags |= WEFT_FLAG_UNFINISHED;
		}
	}
}

static void track_to_segs(const weft_state_track_t *tr, GArray *out)
{
	for (guint i = 0; i < tr->start->len; i++) {
		seg_t s = {
		    g_array_index(tr->start, weft_time_t, i),
		    g_array_index(tr->end, weft_time_t, i),
		    g_array_index(tr->state, guint8, i),
		    g_array_index(tr->flags, guint8, i),
		    g_array_index(tr->object, guint64, i),
		    g_array_index(tr->aux, gint32, i),
		    g_array_index(tr->callsite, guint32, i),
		};

		PUSH(out, s);
	}
}

static void segs_to_track(GArray *segs, weft_state_track_t *tr)
{
	GArray *arrays[] = {tr->start,  tr->end, tr->state,   tr->flags,
	                    tr->object, tr->aux, tr->callsite};

	for (gsize i = 0; i < G_N_ELEMENTS(arrays); i++) {
		g_array_set_size(arrays[i], 0);
	}
	for (guint i = 0; i < segs->len; i++) {
		seg_t *s = &g_array_index(segs, seg_t, i);

		PUSH(tr->start, s->start);
		PUSH(tr->end, s->end);
		PUSH(tr->state, s->state);
		PUSH(tr->flags, s->flags);
		PUSH(tr->object, s->object);
		PUSH(tr->aux, s->aux);
		PUSH(tr->callsite, s->callsite);
	}
}

static int cmp_time(gconstpointer a, gconstpointer b)
{
	weft_time_t x = *(const weft_time_t *) a, y = *(const weft_time_t *) b;

	return x < y ? -1 : x > y;
}

/* The segment of sorted list segs covering [a, b), advancing *pos; NULL if none. */
static const seg_t *covering(GArray *segs, guint *pos, weft_time_t a)
{
	while (*pos < segs->len && g_array_index(segs, seg_t, *pos).end <= a) {
		(*pos)++;
	}
	if (*pos < segs->len && g_array_index(segs, seg_t, *pos).start <= a) {
		return &g_array_index(segs, seg_t, *pos);
	}
	return NULL;
}

static void push_seg(GArray *out, weft_time_t a, weft_time_t e, const seg_t *like)
{
	seg_t s = *like;

	s.start = a;
	s.end = e;
	if (out->len) {
		seg_t *prev = &g_array_index(out, seg_t, out->len - 1);

		if (prev->end == a && prev->state == s.state && prev->object == s.object &&
		    prev->aux == s.aux && prev->callsite == s.callsite && prev->flags == s.flags) {
			prev->end = e;
			return;
		}
	}
	PUSH(out, s);
}

/*
 * user: the thread's own intervals; kern: kernel RUNNABLE/BLOCKED intervals
 * (known from kfirst on; outside them the thread was on a CPU); lost: data
 * lost. Data lost wins; then the kernel's truth, with the user-space reason
 * kept for blocked time.
 */
static GArray *overlay(GArray *user, GArray *kern, weft_time_t kfirst, GArray *lost)
{
	GArray *points = new_array(sizeof(weft_time_t));
	GArray *out = new_array(sizeof(seg_t));
	GArray *lists[] = {user, kern, lost};
	guint pu = 0, pk = 0, pl = 0;

	for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
		for (guint i = 0; i < lists[l]->len; i++) {
			seg_t *s = &g_array_index(lists[l], seg_t, i);

			PUSH(points, s->start);
			PUSH(points, s->end);
		}
	}
	g_array_sort(points, cmp_time);
	for (guint i = 0; i + 1 < points->len; i++) {
		weft_time_t a = g_array_index(points, weft_time_t, i);
		weft_time_t e = g_array_index(points, weft_time_t, i + 1);
		const seg_t *u, *k, *l;

		if (e <= a) {
			continue;
		}
		u = covering(user, &pu, a);
		k = covering(kern, &pk, a);
		l = covering(lost, &pl, a);
		if (l) {
			push_seg(out, a, e, l);
		} else if (kern->len && a >= kfirst) {
			if (k && k->state == WEFT_STATE_BLOCKED_KERNEL && u) {
				push_seg(out, a, e, u);
			} else if (k) {
				push_seg(out, a, e, k);
			}
		} else if (u) {
			push_seg(out, a, e, u);
		}
	}
	g_array_free(points, TRUE);
	return out;
}

static void kernel_segs(weft_builder_t *b, bthread_t *bt, GArray *out, weft_time_t *kfirst)
{
	ktask_t *k = g_hash_table_lookup(b->ktasks, KEY(bt->t->tid));
	weft_time_t lo = bt->t->start, hi = bt->t->end;

	*kfirst = G_MAXINT64;
	if (!k) {
		return;
	}
	*kfirst = k->first;
	for (guint i = 0; i < k->intervals->len; i++) {
		kinterval_t *ki = &g_array_index(k->intervals, kinterval_t, i);
		seg_t s = {MAX(ki->start, lo), MIN(ki->end, hi), ki->state, 0, 0, 0, 0};

		if (s.end > s.start) {
			PUSH(out, s);
		}
	}
}

static gboolean lost_concerns(const weft_lost_t *l, const bthread_t *bt)
{
	if (l->pid >= 0 && l->pid != bt->t->process->pid) {
		return FALSE;
	}
	if (l->cpu >= 0) {
		guint64 bit =
		    l->cpu < 63 ? (G_GUINT64_CONSTANT(1) << l->cpu) : (G_GUINT64_CONSTANT(1) << 63);

		return (bt->cpu_mask & bit) != 0;
	}
	return TRUE;
}

static void lost_segs(weft_builder_t *b, bthread_t *bt, GArray *out)
{
	for (guint i = 0; i < b->model->lost->len; i++) {
		weft_lost_t *l = &g_array_index(b->model->lost, weft_lost_t, i);
		seg_t s = {MAX(l->start, bt->t->start),
		           MIN(l->end, bt->t->end),
		           WEFT_STATE_DATA_LOST,
		           0,
		           l->count,
		           0,
		           0};

		if (s.end > s.start && lost_concerns(l, bt)) {
			if (out->len && g_array_index(out, seg_t, out->len - 1).end > s.start) {
				g_array_index(out, seg_t, out->len - 1).end =
				    MAX(g_array_index(out, seg_t, out->len - 1).end, s.end);
				continue;
			}
			PUSH(out, s);
		}
	}
}

static void finish_states(weft_builder_t *b, bthread_t *bt)
{
	GArray *user = new_array(sizeof(seg_t));
	GArray *kern = new_array(sizeof(seg_t));
	GArray *lost = new_array(sizeof(seg_t));
	weft_time_t kfirst;

	kernel_segs(b, bt, kern, &kfirst);
	lost_segs(b, bt, lost);
	if (kern->len || lost->len) {
		GArray *merged;

		track_to_segs(&bt->t->states, user);
		merged = overlay(user, kern, kfirst, lost);
		segs_to_track(merged, &bt->t->states);
		g_array_free(merged, TRUE);
	}
	g_array_free(user, TRUE);
	g_array_free(kern, TRUE);
	g_array_free(lost, TRUE);
}

static void close_kernel(weft_builder_t *b)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, b->ktasks);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		ktask_t *k = v;

		if (k->state > 0 && b->model->end > k->since) {
			kinterval_t ki = {0, k->since, b->model->end, (guint8) k->state};

			PUSH(k->intervals, ki);
		}
	}
}

/* The thread that had tid during [start, end], or NULL. */
static bthread_t *thread_for_tid(weft_builder_t *b, GHashTable *by_tid, int64_t tid,
                                 weft_time_t start, weft_time_t end)
{
	GPtrArray *cands = g_hash_table_lookup(by_tid, KEY(tid));

	if (!cands) {
		return NULL;
	}
	for (guint i = 0; i < cands->len; i++) {
		bthread_t *bt = g_ptr_array_index(cands, i);

		if (bt->t->start <= end && bt->t->end >= start) {
			return bt;
		}
	}
	return NULL;
}

static void finish_cpus(weft_builder_t *b)
{
	GHashTable *by_tid = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	                                           (GDestroyNotify) g_ptr_array_unref);

	for (guint i = 0; i < b->bthreads->len; i++) {
		bthread_t *bt = thread_at(b, i);
		GPtrArray *list = g_hash_table_lookup(by_tid, KEY(bt->t->tid));

		if (!list) {
			list = g_ptr_array_new();
			g_hash_table_insert(by_tid, KEY(bt->t->tid), list);
		}
		g_ptr_array_add(list, bt);
	}
	for (guint cpu = 0; cpu < b->cpus->len; cpu++) {
		bcpu_t *c = g_ptr_array_index(b->cpus, cpu);
		weft_cpu_lane_t *lane;

		if (!c) {
			continue;
		}
		if (c->ktid > 0 && b->model->end >= c->kstart) {
			krun_t r = {c->ktid, c->kstart, b->model->end};

			PUSH(c->kruns, r);
		}
		if (c->running) {
			lane_append(model_lane(b, cpu), c->start, c->last, c->thread);
		}
		if (!c->kruns->len) {
			continue;
		}
		/* the kernel's scheduler knows exactly who ran: it replaces the guess */
		lane = model_lane(b, cpu);
		g_array_set_size(lane->start, 0);
		g_array_set_size(lane->end, 0);
		g_array_set_size(lane->thread, 0);
		for (guint i = 0; i < c->kruns->len; i++) {
			krun_t *r = &g_array_index(c->kruns, krun_t, i);
			bthread_t *bt = thread_for_tid(b, by_tid, r->tid, r->start, r->end);

			if (bt) {
				lane_append(lane, MAX(r->start, bt->t->start),
				            MIN(r->end, MAX(bt->t->end, r->start)), bt->t->index);
			}
		}
	}
	/* lanes are dense by cpu number: fill holes so that cpus[i]->cpu == i */
	for (guint cpu = 0; cpu < b->model->cpus->len; cpu++) {
		model_lane(b, cpu);
	}
	g_hash_table_destroy(by_tid);
}

static void finish_allocs(weft_builder_t *b, bprocess_t *bp)
{
	alloc_source_t *src = bp->weft_allocs.allocs->len ? &bp->weft_allocs : &bp->libc_allocs;
	weft_counter_t *heap = bp->heap_events;

	if (!heap && src->heap_ts->len) {
		heap = new_counter(weft_model_intern(b->model, "heap in use"), TRUE);
		g_array_free(heap->ts, TRUE);
		g_array_free(heap->value, TRUE);
		heap->ts = src->heap_ts;
		heap->value = src->heap_val;
		src->heap_ts = NULL;
		src->heap_val = NULL;
	}
	/*
	 * weft:heap is written at most once per ms, so the changes after its
	 * last sample are missing from it. When every allocation and free was
	 * recorded (weft's records, not sampled), the records' running total at
	 * the last of them is exact: the curve ends with it.
	 */
	if (heap && heap == bp->heap_events && src == &bp->weft_allocs && !bp->p->alloc_sampled &&
	    src->heap_ts->len) {
		guint n = src->heap_ts->len;
		weft_time_t last = g_array_index(src->heap_ts, weft_time_t, n - 1);

		if (!heap->ts->len ||
		    g_array_index(heap->ts, weft_time_t, heap->ts->len - 1) < last) {
			counter_add(heap, last, g_array_index(src->heap_val, gint64, n - 1));
		}
	}
	if (heap) {
		g_ptr_array_insert(bp->p->counters, 0, heap);
		bp->heap_events = NULL;
	}
	g_array_free(bp->p->allocs, TRUE);
	bp->p->allocs = src->allocs;
	src->allocs = NULL;
}

static int cmp_process(gconstpointer a, gconstpointer b)
{
	const weft_process_t *x = *(weft_process_t *const *) a, *y = *(weft_process_t *const *) b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int cmp_thread(gconstpointer a, gconstpointer b)
{
	const weft_thread_t *x = *(weft_thread_t *const *) a, *y = *(weft_thread_t *const *) b;

	if (x->process->index != y->process->index) {
		return x->process->index < y->process->index ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	if (x->tid != y->tid) {
		return x->tid < y->tid ? -1 : 1;
	}
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_thread_start(gconstpointer a, gconstpointer b)
{
	return cmp_thread(a, b);
}

#define DEFINE_CMP(name, type, field)                                  \
	static int name(gconstpointer a, gconstpointer b)              \
	{                                                              \
		const type *x = a, *y = b;                             \
		return x->field < y->field ? -1 : x->field > y->field; \
	}

DEFINE_CMP(cmp_flow, weft_flow_t, from_ts)
DEFINE_CMP(cmp_task, weft_task_t, start)
DEFINE_CMP(cmp_hold, weft_lock_hold_t, start)
DEFINE_CMP(cmp_lost, weft_lost_t, start)
DEFINE_CMP(cmp_alloc, weft_alloc_t, ts)

static guint remap(const guint *map, guint n, guint old)
{
	return old < n ? map[old] : old;
}

/* Sort processes by pid and threads by process then start; fix every index. */
static void sort_model(weft_model_t *m)
{
	guint n = m->threads->len;
	guint *map = g_new(guint, MAX(n, 1));

	g_ptr_array_sort(m->processes, cmp_process);
	for (guint i = 0; i < m->processes->len; i++) {
		weft_process_t *p = g_ptr_array_index(m->processes, i);

		p->index = i;
		g_ptr_array_sort(p->threads, cmp_thread_start);
		if (p->allocs) {
			g_array_sort(p->allocs, cmp_alloc);
		}
	}
	g_ptr_array_sort(m->threads, cmp_thread);
	for (guint i = 0; i < n; i++) {
		weft_thread_t *t = g_ptr_array_index(m->threads, i);

		map[t->index] = i;
		t->index = i;
	}
	for (guint i = 0; i < m->flows->len; i++) {
		weft_flow_t *f = &g_array_index(m->flows, weft_flow_t, i);

		f->from_thread = remap(map, n, f->from_thread);
		f->to_thread = remap(map, n, f->to_thread);
	}
	for (guint i = 0; i < m->tasks->len; i++) {
		weft_task_t *t = &g_array_index(m->tasks, weft_task_t, i);

		t->begin_thread = remap(map, n, t->begin_thread);
		t->end_thread = remap(map, n, t->end_thread);
	}
	for (guint i = 0; i < m->holds->len; i++) {
		weft_lock_hold_t *h = &g_array_index(m->holds, weft_lock_hold_t, i);

		h->thread = remap(map, n, h->thread);
	}
	for (guint c = 0; c < m->cpus->len; c++) {
		weft_cpu_lane_t *lane = g_ptr_array_index(m->cpus, c);

		for (guint i = 0; i < lane->thread->len; i++) {
			guint *t = &g_array_index(lane->thread, guint, i);

			*t = remap(map, n, *t);
		}
	}
	g_array_sort(m->flows, cmp_flow);
	g_array_sort(m->tasks, cmp_task);
	g_array_sort(m->holds, cmp_hold);
	g_array_sort(m->lost, cmp_lost);
	g_free(map);
}

/*
 * Names cs from frame f of sym: the function, where it is, and which
 * binary holds it.
 */
static void set_callsite(weft_builder_t *b, weft_callsite_t *cs, const weft_symbol_t *sym,
                         const weft_symbol_frame_t *f)
{
	cs->function = weft_model_intern(b->model, f ? f->function : NULL);
	cs->file = weft_model_intern(b->model, f ? f->file : NULL);
	cs->line = f ? f->line : 0;
	cs->binary = weft_model_intern(b->model, sym->binary);
	cs->offset = sym->offset;
}

/*
 * Names call site index: the innermost function at its address. When
 * functions are inlined there, their callers up to the out-of-line one
 * are appended as new call sites, and callers[index] = {first, count}
 * gives them to expand_stacks().
 */
static void name_callsite(weft_builder_t *b, int64_t pid, guint32 index, gboolean return_address,
                          GArray *callers)
{
	weft_callsite_t *cs = &g_array_index(b->model->callsites, weft_callsite_t, index);
	weft_symbol_t sym;
	guint32 first = b->model->callsites->len;

	if (cs->function ||
	    !weft_symbolizer_lookup(b->symbols, pid, cs->ip, return_address, &sym)) {
		return; /* already named by the debug-info filter, or no binary holds it */
	}
	set_callsite(b, cs, &sym, sym.n_frames ? &sym.frames[0] : NULL);
	if (sym.n_frames < 2) {
		return;
	}
	cs->inlined = 1;
	for (guint i = 1; i < sym.n_frames; i++) {
		weft_callsite_t caller = {.ip = cs->ip, .inlined = i + 1 < sym.n_frames};

		set_callsite(b, &caller, &sym, &sym.frames[i]);
		PUSH(b->model->callsites, caller);
		cs = &g_array_index(b->model->callsites, weft_callsite_t, index);
	}
	g_array_index(callers, guint32, 2 * index) = first;
	g_array_index(callers, guint32, 2 * index + 1) = sym.n_frames - 1;
}

/*
 * Rewrites every stack with the callers of its inlined frames after them,
 * in place: stack k stays stack k, now with its inline frames.
 */
static void expand_stacks(weft_model_t *m, const GArray *callers)
{
	GArray *frames = g_array_sized_new(FALSE, FALSE, sizeof(guint32), m->stack_frames->len);

	for (guint k = 1; k < m->stacks->len; k++) {
		weft_stack_t *st = &g_array_index(m->stacks, weft_stack_t, k);
		guint first = frames->len;

		for (guint i = 0; i < st->depth && frames->len - first < G_MAXUINT16; i++) {
			guint32 site = g_array_index(m->stack_frames, guint32, st->first + i);
			guint n = 2 * site + 1 < callers->len
			              ? g_array_index(callers, guint32, 2 * site + 1)
			              : 0;

			g_array_append_val(frames, site);
			for (guint j = 0; j < n && frames->len - first < G_MAXUINT16; j++) {
				guint32 caller = g_array_index(callers, guint32, 2 * site) + j;

				g_array_append_val(frames, caller);
			}
		}
		if (frames->len - first < st->depth) {
			st->truncated = 1; /* more than G_MAXUINT16 frames once expanded */
		}
		st->first = first;
		st->depth = (guint16) (frames->len - first);
	}
	g_array_free(m->stack_frames, TRUE);
	m->stack_frames = frames;
	weft_model_reindex_stacks(m);
}

/* Names every distinct call site once, and each thread's start routine. */
static void symbolize(weft_builder_t *b)
{
	GHashTableIter it;
	gpointer key, value;
	/* per call site: first caller and caller count, {0, 0} when nothing is inlined */
	g_autoptr(GArray) callers = g_array_new(FALSE, TRUE, sizeof(guint32));
	gboolean inlined = FALSE;

	g_array_set_size(callers, 2 * b->model->callsites->len);
	g_hash_table_iter_init(&it, b->processes);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		bprocess_t *bp = value;
		GHashTableIter ci;
		gpointer index;

		g_hash_table_iter_init(&ci, bp->callsites);
		while (g_hash_table_iter_next(&ci, NULL, &index)) {
			name_callsite(b, bp->p->pid, GPOINTER_TO_UINT(index), TRUE, callers);
		}
		g_hash_table_iter_init(&ci, bp->exact_sites);
		while (g_hash_table_iter_next(&ci, NULL, &index)) {
			name_callsite(b, bp->p->pid, GPOINTER_TO_UINT(index), FALSE, callers);
		}
	}
	inlined = b->model->callsites->len * 2 > callers->len;
	for (guint i = 0; i < b->bthreads->len; i++) {
		bthread_t *bt = thread_at(b, i);
		gpointer found;
		weft_callsite_t cs = {.ip = bt->t->start_routine};
		weft_symbol_t sym;

		if (!cs.ip) {
			continue;
		}
		found = g_hash_table_lookup(bt->p->routines, KEY(cs.ip));
		if (!found) {
			/* an exact address, named by its out-of-line function */
			if (weft_symbolizer_lookup(b->symbols, bt->p->p->pid, cs.ip, FALSE, &sym)) {
				set_callsite(b, &cs, &sym,
				             sym.n_frames ? &sym.frames[sym.n_frames - 1] : NULL);
			}
			PUSH(b->model->callsites, cs);
			found = GUINT_TO_POINTER(b->model->callsites->len - 1);
			g_hash_table_insert(bt->p->routines, KEY(cs.ip), found);
		}
		bt->t->start_routine_site = GPOINTER_TO_UINT(found);
	}
	if (inlined) {
		expand_stacks(b->model, callers);
	}
}

weft_model_t *weft_builder_finish(weft_builder_t *b)
{
	weft_model_t *model;
	GHashTableIter it;
	gpointer v;

	if (b->have_ts && b->recording_end > b->model->end && waits_at_end(b)) {
		b->model->end = b->recording_end;
	}
	for (guint i = 0; i < b->bthreads->len; i++) {
		close_thread(b, thread_at(b, i));
	}
	close_tasks(b);
	close_kernel(b);
	for (guint i = 0; i < b->bthreads->len; i++) {
		finish_states(b, thread_at(b, i));
	}
	finish_cpus(b);
	if (b->symbolize) {
		symbolize(b);
	}
	g_hash_table_iter_init(&it, b->processes);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		finish_allocs(b, v);
	}
	model = b->model;
	b->model = NULL;
	sort_model(model);
	weft_builder_free(b);
	return model;
}
