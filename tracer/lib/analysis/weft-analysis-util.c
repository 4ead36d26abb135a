/* Labels and the machine-wide running/alive step functions. */
#include "weft-analysis-private.h"
#include "weft-analysis-sites.h"

#include "weft-schema.h"

#include <string.h>

#define SYSCALL_NAME(id, name) [WEFT_SYSCALL_##id] = #name,
static const char *const syscall_names[WEFT_SYSCALL_COUNT] = {WEFT_SYSCALL_KINDS(SYSCALL_NAME)};
#undef SYSCALL_NAME

const char *weft_analysis_syscall_name(gint32 kind)
{
	if (kind < 0 || (gsize) kind >= G_N_ELEMENTS(syscall_names) || !syscall_names[kind]) {
		return "syscall";
	}
	return syscall_names[kind];
}

static guint key_hash(gconstpointer p)
{
	const weft_key_t *k = p;
	guint64 h = (guint64) k->pid * 0x9e3779b97f4a7c15ull;

	h ^= k->object + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= ((guint64) k->a << 32 | k->b) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return (guint) (h ^ (h >> 32));
}

static gboolean key_equal(gconstpointer pa, gconstpointer pb)
{
	const weft_key_t *a = pa, *b = pb;

	return a->pid == b->pid && a->object == b->object && a->a == b->a && a->b == b->b;
}

GHashTable *weft_key_table_new(GDestroyNotify value_free)
{
	return g_hash_table_new_full(key_hash, key_equal, g_free, value_free);
}

void weft_key_table_insert(GHashTable *table, const weft_key_t *key, gpointer value)
{
	g_hash_table_insert(table, g_memdup2(key, sizeof(*key)), value);
}

static char *dup_callsite_label(const weft_model_t *model, guint32 callsite)
{
	const weft_callsite_t *cs = weft_model_borrow_callsite(model, callsite);
	const char *fn = weft_model_borrow_string(model, cs->function);
	const char *file = weft_model_borrow_string(model, cs->file);
	const char *bin = weft_model_borrow_string(model, cs->binary);

	if (*fn && *file) {
		g_autofree char *base = g_path_get_basename(file);

		return g_strdup_printf("%s (%s:%u)", fn, base, cs->line);
	} else if (*fn) {
		return g_strdup(fn);
	} else if (*bin) {
		g_autofree char *base = g_path_get_basename(bin);

		return g_strdup_printf("%s+0x%" G_GINT64_MODIFIER "x", base, cs->offset);
	} else if (cs->ip) {
		return g_strdup_printf("0x%" G_GINT64_MODIFIER "x", cs->ip);
	}
	return g_strdup("(unknown)");
}

/* A site key of --group=stack: its frames, leaf first. */
static const guint32 *key_frames(const weft_model_t *model, guint32 key, guint *n)
{
	const guint32 *frames = NULL;
	const weft_stack_t *st =
	    key & WEFT_SITE_KEY_STACK
	        ? weft_model_borrow_stack(model, key & ~WEFT_SITE_KEY_STACK, &frames)
	        : NULL;

	*n = st ? st->depth : 0;
	return frames;
}

char *weft_analysis_dup_site_label(const weft_model_t *model, guint32 key)
{
	guint n;
	const guint32 *frames = key_frames(model, key, &n);
	GString *out;

	if (!(key & WEFT_SITE_KEY_STACK)) {
		return dup_callsite_label(model, key);
	}
	/* the leaf with its line, then each caller: "f (a.c:3) <- g <- main" */
	out = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		g_autofree char *label = i ? weft_analysis_dup_site_function(model, frames[i])
		                           : dup_callsite_label(model, frames[i]);

		g_string_append_printf(out, "%s%s", i ? " <- " : "", label);
	}
	return g_string_free(out, FALSE);
}

char *weft_analysis_dup_site_function(const weft_model_t *model, guint32 key)
{
	guint n;
	const guint32 *frames = key_frames(model, key, &n);
	guint32 callsite = key & WEFT_SITE_KEY_STACK ? (n ? frames[0] : 0) : key;
	const weft_callsite_t *cs = weft_model_borrow_callsite(model, callsite);
	const char *fn = weft_model_borrow_string(model, cs->function);

	return *fn ? g_strdup(fn) : dup_callsite_label(model, callsite);
}

char *weft_analysis_dup_thread_label(const weft_model_t *model, const weft_thread_t *thread)
{
	const char *name = weft_model_borrow_string(model, thread->name);

	return *name ? g_strdup_printf("%" G_GINT64_FORMAT " %s", thread->tid, name)
	             : g_strdup_printf("%" G_GINT64_FORMAT, thread->tid);
}

char *weft_analysis_dup_routine_label(const weft_model_t *model, const weft_thread_t *thread)
{
	if (thread->start_routine_site) {
		const weft_callsite_t *cs =
		    weft_model_borrow_callsite(model, thread->start_routine_site);

		if (cs->function) {
			return g_strdup(weft_model_borrow_string(model, cs->function));
		}
		if (cs->binary) {
			/* unnamed (stripped, or not on this machine): as call sites print */
			return weft_analysis_dup_site_label(model, thread->start_routine_site);
		}
	}
	if (thread->start_routine) {
		return g_strdup_printf("0x%" G_GINT64_MODIFIER "x", thread->start_routine);
	}
	if (thread->process && thread->tid == thread->process->pid) {
		return g_strdup("main");
	}
	return g_strdup("(unknown)");
}

const char *weft_analysis_process_name(const weft_model_t *model, const weft_process_t *process)
{
	const char *name = process ? weft_model_borrow_string(model, process->name) : "";

	return *name ? name : "process";
}

char *weft_analysis_dup_process_label(const weft_model_t *model, const weft_process_t *process)
{
	if (!process) {
		return g_strdup("?");
	}
	return g_strdup_printf("%" G_GINT64_FORMAT " %s", process->pid,
	                       weft_analysis_process_name(model, process));
}

gboolean weft_analysis_wants_process(const weft_analysis_options_t *options,
                                     const weft_process_t *process)
{
	return !options || !options->pid || (process && process->pid == options->pid);
}

gboolean weft_analysis_wants_thread(const weft_analysis_options_t *options,
                                    const weft_thread_t *thread)
{
	return weft_analysis_wants_process(options, thread->process);
}

gboolean weft_analysis_is_lock_state(weft_state_t state)
{
	return state == WEFT_STATE_MUTEX || state == WEFT_STATE_RWLOCK_READ ||
	       state == WEFT_STATE_RWLOCK_WRITE || state == WEFT_STATE_SPIN ||
	       state == WEFT_STATE_LOCK_CUSTOM;
}

gboolean weft_analysis_is_sync_state(weft_state_t state)
{
	return weft_analysis_is_lock_state(state) || state == WEFT_STATE_CONDVAR ||
	       state == WEFT_STATE_SEMAPHORE || state == WEFT_STATE_BARRIER ||
	       state == WEFT_STATE_JOIN || state == WEFT_STATE_BLOCK_CUSTOM;
}

typedef struct {
	weft_span_func_t func;
	gpointer data;
	weft_time_t start, end; /* pending stretch, start == end when none */
} running_merge_t;

static void merge_push(running_merge_t *m, weft_time_t start, weft_time_t end)
{
	if (end <= start) {
		return;
	}
	if (m->end > m->start && start <= m->end) {
		m->end = MAX(m->end, end);
		return;
	}
	if (m->end > m->start) {
		m->func(m->start, m->end, m->data);
	}
	m->start = start;
	m->end = end;
}

void weft_analysis_foreach_running(const weft_thread_t *thread, weft_span_func_t func,
                                   gpointer data)
{
	const weft_state_track_t *st = &thread->states;
	running_merge_t m = {func, data, 0, 0};
	weft_time_t cursor = thread->start;
	guint n = st->start ? st->start->len : 0;

	for (guint i = 0; i < n; i++) {
		weft_time_t s = MAX(g_array_index(st->start, weft_time_t, i), thread->start);
		weft_time_t e = MIN(g_array_index(st->end, weft_time_t, i), thread->end);
		guint8 state = g_array_index(st->state, guint8, i);

		merge_push(&m, cursor, MIN(s, thread->end));
		if (state == WEFT_STATE_RUNNING) {
			merge_push(&m, s, e);
		}
		cursor = MAX(cursor, e);
	}
	merge_push(&m, cursor, thread->end);
	if (m.end > m.start) {
		func(m.start, m.end, data);
	}
}

guint weft_analysis_ncpus(const weft_model_t *model, const weft_analysis_options_t *options,
                          const char **source)
{
	const char *unused;

	source = source ? source : &unused;
	if (options && options->ncpus) {
		*source = "as given";
		return options->ncpus;
	}
	if ((model->cpus && model->cpus->len) || (model->stream_cpus && model->stream_cpus->len)) {
		guint max_cpu = 0;

		for (guint i = 0; model->cpus && i < model->cpus->len; i++) {
			const weft_cpu_lane_t *lane = g_ptr_array_index(model->cpus, i);

			max_cpu = MAX(max_cpu, lane->cpu + 1);
		}
		/* a CPU whose stream file was lost still existed */
		for (guint i = 0; model->stream_cpus && i < model->stream_cpus->len; i++) {
			max_cpu = MAX(max_cpu, g_array_index(model->stream_cpus, guint, i) + 1);
		}
		*source = "seen in the trace; --cpus N to override";
		return max_cpu;
	}
	*source = "of this machine; --cpus N to override";
	return g_get_num_processors();
}

void weft_analysis_sort_u64(guint64 *a, gsize n)
{
	g_autofree guint64 *tmp = NULL;
	guint64 *src = a, *dst;
	guint64 all_or = 0, all_and = G_MAXUINT64;

	if (n < 2) {
		return;
	}
	for (gsize i = 0; i < n; i++) {
		all_or |= a[i];
		all_and &= a[i];
	}
	g_autofree gsize *count = g_new(gsize, 65536 + 1);

	tmp = g_new(guint64, n);
	dst = tmp;
	/* LSD radix sort on 16-bit digits, skipping digits every key shares. */
	for (guint shift = 0; shift < 64; shift += 16) {
		if ((((all_or ^ all_and) >> shift) & 0xffff) == 0) {
			continue;
		}
		memset(count, 0, (65536 + 1) * sizeof(*count));
		for (gsize i = 0; i < n; i++) {
			count[((src[i] >> shift) & 0xffff) + 1]++;
		}
		for (guint d = 0; d < 65536; d++) {
			count[d + 1] += count[d];
		}
		for (gsize i = 0; i < n; i++) {
			dst[count[(src[i] >> shift) & 0xffff]++] = src[i];
		}
		src = dst;
		dst = src == a ? tmp : a;
	}
	if (src != a) {
		memcpy(a, src, n * sizeof(*a));
	}
}

/*
 * Step events packed as (time - origin) << 2 | kind, so that they sort as
 * integers. The kinds are in the order a thread emits them at one time
 * (alive, then running, stops running, then dies), so that each thread's
 * events come out already sorted.
 */
enum { EV_ALIVE_START, EV_RUN_START, EV_RUN_END, EV_ALIVE_END };

typedef struct {
	guint64 *keys; /* room for every event, counted up front */
	gsize n;
	weft_time_t origin;
} step_events_t;

static inline void push_event(step_events_t *ev, weft_time_t t, guint kind)
{
	ev->keys[ev->n++] = ((guint64) (MAX(t, ev->origin) - ev->origin) << 2) | kind;
}

static void add_running(weft_time_t start, weft_time_t end, gpointer data)
{
	push_event(data, start, EV_RUN_START);
	push_event(data, end, EV_RUN_END);
}

/*
 * Sorts keys made of n_runs sorted runs (run k is [runs[k], runs[k + 1]))
 * by merging runs pairwise, bottom up: sequential passes, log2(n_runs) of
 * them, where a radix sort scatters every key to one of 65536 places per
 * pass (at 40M keys twice as slow, mostly TLB misses). Returns keys or
 * tmp, whichever holds the result; runs is overwritten.
 */
static guint64 *merge_runs(guint64 *keys, guint64 *tmp, gsize *runs, gsize n_runs)
{
	guint64 *src = keys, *dst = tmp;

	while (n_runs > 1) {
		gsize w = 0;

		for (gsize k = 0; k < n_runs; k += 2) {
			gsize lo = runs[k], mid = runs[k + 1], hi, i, j, o;

			if (k + 1 == n_runs) {
				memcpy(dst + lo, src + lo, (mid - lo) * sizeof(*src));
				runs[w++] = lo;
				continue;
			}
			hi = runs[k + 2];
			i = lo;
			j = mid;
			o = lo;
			while (i < mid && j < hi) {
				guint64 x = src[i], y = src[j];
				gboolean take_j = y < x;

				dst[o++] = take_j ? y : x;
				i += !take_j;
				j += take_j;
			}
			memcpy(dst + o, src + i, (mid - i) * sizeof(*src));
			o += mid - i;
			memcpy(dst + o, src + j, (hi - j) * sizeof(*src));
			runs[w++] = lo;
		}
		runs[w] = runs[n_runs];
		n_runs = w;
		src = dst;
		dst = src == keys ? tmp : keys;
	}
	return src;
}

void weft_steps_init(weft_steps_t *steps, const weft_model_t *model,
                     const weft_analysis_options_t *options)
{
	step_events_t ev = {NULL, 0, model->start};
	gsize *runs, n_runs = 0;
	gboolean runs_sorted = TRUE;
	gint64 run = 0, alive = 0;
	gsize reserve = 0, n_steps = 0;
	weft_time_t *out_t;
	guint32 *out_run, *out_alive;

	/*
	 * Sized up front and written through plain pointers: these arrays are
	 * large, and growing them (or appending one element per call) copies
	 * and faults. A thread's running stretches are at most one more than
	 * its intervals.
	 */
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		reserve += 4 + 2 * (gsize) (t->states.start ? t->states.start->len : 0);
	}
	ev.keys = g_new(guint64, MAX(reserve, 1));
	runs = g_new(gsize, model->threads->len + 1);
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);
		gsize first = ev.n;

		if (t->end <= t->start || !weft_analysis_wants_thread(options, t)) {
			continue;
		}
		push_event(&ev, t->start, EV_ALIVE_START);
		weft_analysis_foreach_running(t, add_running, &ev);
		push_event(&ev, t->end, EV_ALIVE_END);
		runs[n_runs++] = first;
		for (gsize k = first + 1; k < ev.n && runs_sorted; k++) {
			runs_sorted = ev.keys[k - 1] <= ev.keys[k];
		}
	}
	runs[n_runs] = ev.n;
	if (runs_sorted && n_runs > 1) {
		/* Each thread's events are in time order: merge them. */
		guint64 *tmp = g_new(guint64, MAX(ev.n, 1));
		guint64 *sorted = merge_runs(ev.keys, tmp, runs, n_runs);

		g_free(sorted == ev.keys ? tmp : ev.keys);
		ev.keys = sorted;
	} else if (!runs_sorted) {
		/* A thread out of order (not from the model builder): sort it all. */
		weft_analysis_sort_u64(ev.keys, ev.n);
	}
	g_free(runs);
	/* Distinct times: the size of the step arrays. */
	for (gsize i = 0; i < ev.n; i++) {
		n_steps += i == 0 || ev.keys[i] >> 2 != ev.keys[i - 1] >> 2;
	}
	steps->t = g_array_sized_new(FALSE, FALSE, sizeof(weft_time_t), (guint) n_steps);
	steps->running = g_array_sized_new(FALSE, FALSE, sizeof(guint32), (guint) n_steps);
	steps->alive = g_array_sized_new(FALSE, FALSE, sizeof(guint32), (guint) n_steps);
	g_array_set_size(steps->t, (guint) n_steps);
	g_array_set_size(steps->running, (guint) n_steps);
	g_array_set_size(steps->alive, (guint) n_steps);
	out_t = (weft_time_t *) (void *) steps->t->data;
	out_run = (guint32 *) (void *) steps->running->data;
	out_alive = (guint32 *) (void *) steps->alive->data;
	for (gsize i = 0, k = 0; i < ev.n; k++) {
		guint64 at = ev.keys[i] >> 2;

		for (; i < ev.n && ev.keys[i] >> 2 == at; i++) {
			static const gint drun[] = {0, 1, -1, 0}, dalive[] = {1, 0, 0, -1};

			run += drun[ev.keys[i] & 3];
			alive += dalive[ev.keys[i] & 3];
		}
		out_t[k] = ev.origin + (weft_time_t) at;
		out_run[k] = (guint32) MAX(run, 0);
		out_alive[k] = (guint32) MAX(alive, 0);
	}
	g_free(ev.keys);
}

void weft_steps_clear(weft_steps_t *steps)
{
	g_clear_pointer(&steps->t, g_array_unref);
	g_clear_pointer(&steps->running, g_array_unref);
	g_clear_pointer(&steps->alive, g_array_unref);
}
