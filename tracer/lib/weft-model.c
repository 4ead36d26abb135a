/*
 * The timeline model: storage, interning and lookups. Building it from
 * events is weft-builder.c's job; this file only owns memory.
 */
#include "weft-model.h"

#include "weft-schema.h"

#include <errno.h>
#include <string.h>

gboolean weft_time_parse(const char *text, weft_time_t *out)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {{"ns", 1},  {"us", 1e3},   {"\u00b5s", 1e3}, {"ms", 1e6},
	             {"s", 1e9}, {"min", 60e9}, {"", 1e9}};
	char *end = NULL;
	double v;

	if (!text || !*text) {
		return FALSE;
	}
	errno = 0;
	v = g_ascii_strtod(text, &end);
	if (end == text || errno || !(v >= 0) || v > 1e6 * 3600) {
		return FALSE;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
		if (!strcmp(end, units[i].unit)) {
			*out = (weft_time_t) (v * units[i].ns + 0.5);
			return TRUE;
		}
	}
	return FALSE;
}

static const char *const state_names[WEFT_STATE_COUNT] = {
    [WEFT_STATE_RUNNING] = "running",
    [WEFT_STATE_MUTEX] = "mutex",
    [WEFT_STATE_RWLOCK_READ] = "rwlock read",
    [WEFT_STATE_RWLOCK_WRITE] = "rwlock write",
    [WEFT_STATE_SPIN] = "spinlock",
    [WEFT_STATE_LOCK_CUSTOM] = "lock",
    [WEFT_STATE_CONDVAR] = "condvar",
    [WEFT_STATE_SEMAPHORE] = "semaphore",
    [WEFT_STATE_BARRIER] = "barrier",
    [WEFT_STATE_JOIN] = "join",
    [WEFT_STATE_SYSCALL] = "syscall",
    [WEFT_STATE_SLEEP] = "sleep",
    [WEFT_STATE_BLOCK_CUSTOM] = "blocked",
    [WEFT_STATE_RUNNABLE] = "runnable",
    [WEFT_STATE_BLOCKED_KERNEL] = "blocked (kernel)",
    [WEFT_STATE_DATA_LOST] = "data lost",
};

static const char *const flow_names[WEFT_FLOW_COUNT] = {
    [WEFT_FLOW_THREAD_CREATE] = "thread create",
    [WEFT_FLOW_LOCK_HANDOFF] = "lock hand-off",
    [WEFT_FLOW_COND_WAKE] = "condvar wake",
    [WEFT_FLOW_SEM_WAKE] = "semaphore wake",
    [WEFT_FLOW_USER] = "flow",
    [WEFT_FLOW_TASK] = "task",
    [WEFT_FLOW_JOIN] = "join",
};

#define SYSCALL_NAME(id, name) [WEFT_SYSCALL_##id] = #name,
static const char *const syscall_names[WEFT_SYSCALL_COUNT] = {WEFT_SYSCALL_KINDS(SYSCALL_NAME)};
#undef SYSCALL_NAME

const char *weft_syscall_kind_name(gint32 kind)
{
	if (kind < 0 || kind >= WEFT_SYSCALL_COUNT || !syscall_names[kind]) {
		return "syscall";
	}
	return syscall_names[kind];
}

const char *weft_state_name(weft_state_t state)
{
	if ((unsigned) state >= WEFT_STATE_COUNT) {
		return "unknown";
	}
	return state_names[state];
}

const char *weft_flow_kind_name(weft_flow_kind_t kind)
{
	if ((unsigned) kind >= WEFT_FLOW_COUNT) {
		return "unknown";
	}
	return flow_names[kind];
}

weft_model_t *weft_model_new(void)
{
	weft_model_t *model = g_new0(weft_model_t, 1);
	weft_callsite_t unknown = {0};

	model->processes = g_ptr_array_new();
	model->threads = g_ptr_array_new();
	model->cpus = g_ptr_array_new();
	model->callsites = g_array_new(FALSE, TRUE, sizeof(weft_callsite_t));
	g_array_append_val(model->callsites, unknown);
	model->stacks = g_array_new(FALSE, TRUE, sizeof(weft_stack_t));
	g_array_set_size(model->stacks, 1);
	model->stack_frames = g_array_new(FALSE, FALSE, sizeof(guint32));
	model->stacks_index = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
	                                            (GDestroyNotify) g_bytes_unref, NULL);
	model->flows = g_array_new(FALSE, FALSE, sizeof(weft_flow_t));
	model->tasks = g_array_new(FALSE, FALSE, sizeof(weft_task_t));
	model->holds = g_array_new(FALSE, FALSE, sizeof(weft_lock_hold_t));
	model->lost = g_array_new(FALSE, FALSE, sizeof(weft_lost_t));
	model->warnings = g_ptr_array_new_with_free_func(g_free);
	model->stream_cpus = g_array_new(FALSE, FALSE, sizeof(guint));
	model->strings_chunk = g_string_chunk_new(64 * 1024);
	model->strings_index = g_hash_table_new(g_str_hash, g_str_equal);
	model->strings = g_ptr_array_new();
	g_ptr_array_add(model->strings, (gpointer) "");
	return model;
}

static void free_arrays(GArray **arrays, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		if (arrays[i]) {
			g_array_free(arrays[i], TRUE);
		}
	}
}

static void thread_free(weft_thread_t *t)
{
	GArray *arrays[] = {
	    t->states.start,     t->states.end,        t->states.state,    t->states.flags,
	    t->states.object,    t->states.aux,        t->states.callsite, t->slices.start,
	    t->slices.end,       t->slices.depth,      t->slices.flags,    t->slices.name,
	    t->slices.callsite,  t->instants.ts,       t->instants.kind,   t->instants.name,
	    t->instants.message, t->instants.callsite, t->states.stack,    t->samples.ts,
	    t->samples.stack,
	};

	free_arrays(arrays, G_N_ELEMENTS(arrays));
	g_free(t);
}

static void counter_free(weft_counter_t *c)
{
	GArray *arrays[] = {c->ts, c->value};

	free_arrays(arrays, G_N_ELEMENTS(arrays));
	g_free(c);
}

static void process_free(weft_process_t *p)
{
	g_ptr_array_free(p->threads, TRUE);
	g_ptr_array_set_free_func(p->counters, (GDestroyNotify) counter_free);
	g_ptr_array_free(p->counters, TRUE);
	if (p->allocs) {
		g_array_free(p->allocs, TRUE);
	}
	g_free(p);
}

static void cpu_lane_free(weft_cpu_lane_t *lane)
{
	GArray *arrays[] = {lane->start, lane->end, lane->thread};

	free_arrays(arrays, G_N_ELEMENTS(arrays));
	g_free(lane);
}

void weft_model_free(weft_model_t *model)
{
	if (!model) {
		return;
	}
	g_ptr_array_set_free_func(model->threads, (GDestroyNotify) thread_free);
	g_ptr_array_free(model->threads, TRUE);
	g_ptr_array_set_free_func(model->processes, (GDestroyNotify) process_free);
	g_ptr_array_free(model->processes, TRUE);
	g_ptr_array_set_free_func(model->cpus, (GDestroyNotify) cpu_lane_free);
	g_ptr_array_free(model->cpus, TRUE);
	g_array_free(model->callsites, TRUE);
	g_array_free(model->stacks, TRUE);
	g_array_free(model->stack_frames, TRUE);
	g_hash_table_destroy(model->stacks_index);
	g_array_free(model->flows, TRUE);
	g_array_free(model->tasks, TRUE);
	g_array_free(model->holds, TRUE);
	g_array_free(model->lost, TRUE);
	g_ptr_array_free(model->warnings, TRUE);
	g_array_free(model->stream_cpus, TRUE);
	g_hash_table_destroy(model->strings_index);
	g_ptr_array_free(model->strings, TRUE);
	g_string_chunk_free(model->strings_chunk);
	g_free(model);
}

static GArray *new_array(guint element_size)
{
	return g_array_new(FALSE, FALSE, element_size);
}

weft_process_t *weft_model_add_process(weft_model_t *model, int64_t pid, weft_time_t ts)
{
	weft_process_t *p = g_new0(weft_process_t, 1);

	p->index = model->processes->len;
	p->pid = pid;
	p->start = p->end = ts;
	p->parent_pid = -1;
	p->threads = g_ptr_array_new();
	p->counters = g_ptr_array_new();
	p->allocs = new_array(sizeof(weft_alloc_t));
	g_ptr_array_add(model->processes, p);
	return p;
}

weft_thread_t *weft_model_add_thread(weft_model_t *model, weft_process_t *process, int64_t tid,
                                     weft_time_t ts)
{
	weft_thread_t *t = g_new0(weft_thread_t, 1);

	t->index = model->threads->len;
	t->tid = tid;
	t->process = process;
	t->start = t->end = ts;
	t->parent_tid = -1;
	t->states.start = new_array(sizeof(weft_time_t));
	t->states.end = new_array(sizeof(weft_time_t));
	t->states.state = new_array(sizeof(guint8));
	t->states.flags = new_array(sizeof(guint8));
	t->states.object = new_array(sizeof(guint64));
	t->states.aux = new_array(sizeof(gint32));
	t->states.callsite = new_array(sizeof(guint32));
	t->slices.start = new_array(sizeof(weft_time_t));
	t->slices.end = new_array(sizeof(weft_time_t));
	t->slices.depth = new_array(sizeof(guint16));
	t->slices.flags = new_array(sizeof(guint8));
	t->slices.name = new_array(sizeof(weft_str_t));
	t->slices.callsite = new_array(sizeof(guint32));
	t->instants.ts = new_array(sizeof(weft_time_t));
	t->instants.kind = new_array(sizeof(guint8));
	t->instants.name = new_array(sizeof(weft_str_t));
	t->instants.message = new_array(sizeof(weft_str_t));
	t->instants.callsite = new_array(sizeof(guint32));
	t->states.stack = new_array(sizeof(guint32));
	t->samples.ts = new_array(sizeof(weft_time_t));
	t->samples.stack = new_array(sizeof(guint32));
	g_ptr_array_add(model->threads, t);
	g_ptr_array_add(process->threads, t);
	return t;
}

weft_str_t weft_model_intern(weft_model_t *model, const char *s)
{
	gpointer found;
	const char *copy;

	if (!s || !*s) {
		return 0;
	}
	found = g_hash_table_lookup(model->strings_index, s);
	if (found) {
		return GPOINTER_TO_UINT(found) - 1;
	}
	copy = g_string_chunk_insert_const(model->strings_chunk, s);
	g_ptr_array_add(model->strings, (gpointer) copy);
	g_hash_table_insert(model->strings_index, (gpointer) copy,
	                    GUINT_TO_POINTER(model->strings->len));
	return model->strings->len - 1;
}

weft_str_t weft_model_lookup_string(const weft_model_t *model, const char *s)
{
	gpointer found = s && *s ? g_hash_table_lookup(model->strings_index, s) : NULL;

	return found ? GPOINTER_TO_UINT(found) - 1 : 0;
}

const char *weft_model_borrow_string(const weft_model_t *model, weft_str_t id)
{
	if (id >= model->strings->len) {
		return "";
	}
	return g_ptr_array_index(model->strings, id);
}

const weft_callsite_t *weft_model_borrow_callsite(const weft_model_t *model, guint32 index)
{
	if (index >= model->callsites->len) {
		index = 0;
	}
	return &g_array_index(model->callsites, weft_callsite_t, index);
}

guint weft_model_lower_bound(const GArray *times, weft_time_t t)
{
	const weft_time_t *a = (const weft_time_t *) (const void *) times->data;
	guint lo = 0, hi = times->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (a[mid] < t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

guint32 weft_model_add_stack(weft_model_t *model, const guint32 *frames, guint n,
                             gboolean truncated)
{
	weft_stack_t stack = {0};
	g_autoptr(GBytes) key = NULL;
	gpointer found;

	if (n == 0) {
		return 0;
	}
	if (n > G_MAXUINT16) {
		n = G_MAXUINT16;
		truncated = TRUE;
	}
	/* The key is the frames followed by the truncation mark. */
	{
		g_autofree guint32 *buf = g_new(guint32, n + 1);

		memcpy(buf, frames, n * sizeof(guint32));
		buf[n] = truncated ? 1 : 0;
		key = g_bytes_new(buf, (n + 1) * sizeof(guint32));
	}
	found = g_hash_table_lookup(model->stacks_index, key);
	if (found) {
		return GPOINTER_TO_UINT(found);
	}
	stack.first = model->stack_frames->len;
	stack.depth = (guint16) n;
	stack.truncated = truncated ? 1 : 0;
	g_array_append_vals(model->stack_frames, frames, n);
	g_array_append_val(model->stacks, stack);
	g_hash_table_insert(model->stacks_index, g_bytes_ref(key),
	                    GUINT_TO_POINTER(model->stacks->len - 1));
	return model->stacks->len - 1;
}

void weft_model_reindex_stacks(weft_model_t *model)
{
	g_hash_table_remove_all(model->stacks_index);
	for (guint k = 1; k < model->stacks->len; k++) {
		const weft_stack_t *st = &g_array_index(model->stacks, weft_stack_t, k);
		g_autofree guint32 *buf = g_new(guint32, st->depth + 1u);
		GBytes *key;

		memcpy(buf, &g_array_index(model->stack_frames, guint32, st->first),
		       st->depth * sizeof(guint32));
		buf[st->depth] = st->truncated ? 1 : 0;
		key = g_bytes_new(buf, (st->depth + 1u) * sizeof(guint32));
		if (g_hash_table_contains(model->stacks_index, key)) {
			g_bytes_unref(key); /* equal stacks: the first keeps the name */
			continue;
		}
		g_hash_table_insert(model->stacks_index, key, GUINT_TO_POINTER(k));
	}
}

const weft_stack_t *weft_model_borrow_stack(const weft_model_t *model, guint32 index,
                                            const guint32 **frames)
{
	const weft_stack_t *stack;

	if (index == 0 || index >= model->stacks->len) {
		if (frames) {
			*frames = NULL;
		}
		return NULL;
	}
	stack = &g_array_index(model->stacks, weft_stack_t, index);
	if (frames) {
		*frames = &g_array_index(model->stack_frames, guint32, stack->first);
	}
	return stack;
}

guint32 weft_state_track_stack(const weft_state_track_t *track, guint i)
{
	if (!track->stack || i >= track->stack->len) {
		return 0;
	}
	return g_array_index(track->stack, guint32, i);
}

void weft_state_track_set_stack(weft_state_track_t *track, guint i, guint32 stack)
{
	if (i >= track->stack->len) {
		guint old = track->stack->len;

		g_array_set_size(track->stack, i + 1);
		memset(&g_array_index(track->stack, guint32, old), 0,
		       (i + 1 - old) * sizeof(guint32));
	}
	g_array_index(track->stack, guint32, i) = stack;
}
