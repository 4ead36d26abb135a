/*
 * Profiles from the model: each kind walks the model arrays it needs
 * (state intervals, CPU samples, lock holds and hand-offs, thread-create
 * flows, allocation records), clips them to the window and adds one value
 * per event to the sample of (thread, stack). Samples are found by the
 * model's interned stack index, so an event costs one hash lookup; the
 * root-first frame list is built once per new sample.
 */
#include "weft-profile.h"

#include "analysis/weft-analysis-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The quark's name is one token: kept from the formatter. */
/* clang-format off */
G_DEFINE_QUARK(weft-profile-error-quark, weft_profile_error)
/* clang-format on */

/* ---- kinds ---- */

static const weft_profile_value_type_t cpu_types[] = {{"samples", "count"}, {"cpu", "nanoseconds"}};
static const weft_profile_value_type_t wall_types[] = {{"wall", "nanoseconds"}};
static const weft_profile_value_type_t contention_types[] = {{"contentions", "count"},
                                                             {"delay", "nanoseconds"}};
static const weft_profile_value_type_t threadcreate_types[] = {{"threadcreate", "count"}};
static const weft_profile_value_type_t heap_types[] = {{"alloc_objects", "count"},
                                                       {"alloc_space", "bytes"},
                                                       {"inuse_objects", "count"},
                                                       {"inuse_space", "bytes"}};
static const weft_profile_value_type_t leak_types[] = {{"leak_objects", "count"},
                                                       {"leak_space", "bytes"}};

typedef struct {
	const weft_profile_value_type_t *types;
	guint n;
	weft_profile_value_type_t period_type;
	const char *tag_key;
	const char *empty; /* what an empty profile lacks */
} kind_info_t;

#define TYPES(t) t, G_N_ELEMENTS(t)

static const kind_info_t kinds[WEFT_PROFILE_KIND_COUNT] = {
    [WEFT_PROFILE_CPU] = {TYPES(cpu_types), {"cpu", "nanoseconds"}, NULL, "no CPU samples"},
    [WEFT_PROFILE_WALL] = {TYPES(wall_types),
                           {"wall", "nanoseconds"},
                           "state",
                           "no CPU samples and no off-CPU intervals"},
    [WEFT_PROFILE_BLOCK] = {TYPES(contention_types),
                            {"contentions", "count"},
                            NULL,
                            "no synchronization waits"},
    [WEFT_PROFILE_MUTEX] = {TYPES(contention_types),
                            {"contentions", "count"},
                            NULL,
                            "no lock waits with a known releaser"},
    [WEFT_PROFILE_THREADCREATE] = {TYPES(threadcreate_types),
                                   {"threadcreate", "count"},
                                   NULL,
                                   "no thread creations"},
    [WEFT_PROFILE_SYSCALL] = {TYPES(contention_types),
                              {"contentions", "count"},
                              "syscall",
                              "no blocking system calls"},
    [WEFT_PROFILE_SLEEP] = {TYPES(contention_types), {"contentions", "count"}, NULL, "no sleeps"},
    [WEFT_PROFILE_BLOCKED] = {TYPES(contention_types),
                              {"contentions", "count"},
                              "wait",
                              "no waits"},
    [WEFT_PROFILE_HEAP] = {TYPES(heap_types),
                           {"space", "bytes"},
                           NULL,
                           "no allocation records (WEFT_ALLOC=off?)"},
    [WEFT_PROFILE_LEAK] = {TYPES(leak_types),
                           {"space", "bytes"},
                           NULL,
                           "no allocation left unfreed"},
};

static const weft_profile_name_t names[] = {
    {"cpu", WEFT_PROFILE_CPU, 1, "CPU time, from CPU samples"},
    {"wall", WEFT_PROFILE_WALL, 0, "wall-clock time: CPU samples plus every off-CPU interval"},
    {"block", WEFT_PROFILE_BLOCK, 1, "time blocked on synchronization, at the waiter's stack"},
    {"mutex", WEFT_PROFILE_MUTEX, 1, "lock wait time, at the stack that released the lock"},
    {"threadcreate", WEFT_PROFILE_THREADCREATE, 0, "thread creations, at pthread_create"},
    {"syscall", WEFT_PROFILE_SYSCALL, 1, "time in blocking system calls"},
    {"sleep", WEFT_PROFILE_SLEEP, 1, "time sleeping"},
    {"alloc_space", WEFT_PROFILE_HEAP, 1, "bytes allocated in the window"},
    {"alloc_objects", WEFT_PROFILE_HEAP, 0, "blocks allocated in the window"},
    {"inuse_space", WEFT_PROFILE_HEAP, 3, "bytes in use at --at (default: window end)"},
    {"inuse_objects", WEFT_PROFILE_HEAP, 2, "blocks in use at --at (default: window end)"},
};

const weft_profile_name_t *weft_profile_names(guint *n)
{
	*n = G_N_ELEMENTS(names);
	return names;
}

const weft_profile_name_t *weft_profile_lookup(const char *name)
{
	for (gsize i = 0; name && i < G_N_ELEMENTS(names); i++) {
		if (!strcmp(names[i].name, name)) {
			return &names[i];
		}
	}
	return NULL;
}

const char *weft_profile_name_list(void)
{
	static gsize once;
	static char *list;

	if (g_once_init_enter(&once)) {
		GString *s = g_string_new(NULL);

		for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
			g_string_append_printf(s, "%s%s", i ? ", " : "", names[i].name);
		}
		list = g_string_free(s, FALSE);
		g_once_init_leave(&once, 1);
	}
	return list;
}

static gboolean invalid(GError **error, const char *what, const char *name, const char *value,
                        const char *reason)
{
	g_set_error(error, WEFT_PROFILE_ERROR, WEFT_PROFILE_ERROR_INVALID,
	            "Failed to select %s: %s=\"%s\", reason=\"%s\"", what, name, value, reason);
	return FALSE;
}

static gboolean pid_ok(gint64 pid, const weft_process_t *p)
{
	return !pid || (p && p->pid == pid);
}

static gboolean parse_relative(const char *text, const char *name, const weft_model_t *model,
                               weft_time_t *out, GError **error)
{
	weft_time_t rel;

	if (!weft_time_parse(text, &rel)) {
		return invalid(error, "a time window", name, text,
		               "not a time such as 1.5s, 200ms, 750us or 10ns");
	}
	*out = model->start + rel;
	return TRUE;
}

static int cmp_span(gconstpointer pa, gconstpointer pb)
{
	const weft_profile_span_t *a = pa, *b = pb;

	return a->start < b->start ? -1 : a->start > b->start;
}

/* Every instance of region, merged into sorted disjoint spans. */
static void region_spans(const weft_model_t *model, const char *region, gint64 pid, GArray *out)
{
	weft_str_t match = 0;

	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);
		const weft_slice_track_t *sl = &t->slices;

		for (guint j = 0; pid_ok(pid, t->process) && sl->start && j < sl->start->len; j++) {
			weft_str_t name = g_array_index(sl->name, weft_str_t, j);
			weft_profile_span_t s = {g_array_index(sl->start, weft_time_t, j),
			                         g_array_index(sl->end, weft_time_t, j)};

			if (name != match &&
			    strcmp(weft_model_borrow_string(model, name), region) != 0) {
				continue;
			}
			match = name;
			g_array_append_val(out, s);
		}
	}
	g_array_sort(out, cmp_span);
}

/* Sorts and merges spans, then keeps what lies inside [lo, hi). */
static void spans_normalize(GArray *spans, weft_time_t lo, weft_time_t hi)
{
	guint n = 0;

	g_array_sort(spans, cmp_span);
	for (guint i = 0; i < spans->len; i++) {
		weft_profile_span_t s = g_array_index(spans, weft_profile_span_t, i);
		weft_profile_span_t *last =
		    n ? &g_array_index(spans, weft_profile_span_t, n - 1) : NULL;

		s.start = MAX(s.start, lo);
		s.end = MIN(s.end, hi);
		if (s.end < s.start || (s.end == s.start && s.start >= hi)) {
			continue;
		}
		if (last && s.start <= last->end) {
			last->end = MAX(last->end, s.end);
		} else {
			g_array_index(spans, weft_profile_span_t, n++) = s;
		}
	}
	g_array_set_size(spans, n);
}

static gboolean select_window(weft_profile_options_t *o, const weft_model_t *model,
                              const weft_profile_request_t *r, GError **error)
{
	weft_time_t lo = model->start, hi = model->end + 1;

	if (r && r->from && !parse_relative(r->from, "from", model, &lo, error)) {
		return FALSE;
	}
	if (r && r->to && !parse_relative(r->to, "to", model, &hi, error)) {
		return FALSE;
	}
	if (hi < lo) {
		return invalid(error, "a time window", "to", r->to, "before --from");
	}
	if (r && r->region) {
		region_spans(model, r->region, r->pid, o->window);
		if (!o->window->len) {
			return invalid(error, "a time window", "region", r->region,
			               "no region of that name in the trace");
		}
	} else {
		weft_profile_span_t all = {lo, hi};

		g_array_append_val(o->window, all);
	}
	spans_normalize(o->window, MAX(lo, model->start), MIN(hi, model->end + 1));
	if (!o->window->len && r && r->region) {
		return invalid(error, "a time window", "region", r->region,
		               "no instance of it inside --from/--to");
	}
	return TRUE;
}

static gboolean thread_matches(const weft_model_t *model, const weft_thread_t *t,
                               const char *pattern)
{
	char *end = NULL;
	gint64 tid = g_ascii_strtoll(pattern, &end, 10);

	if (end != pattern && !*end) {
		return t->tid == tid;
	}
	return g_pattern_match_simple(pattern, weft_model_borrow_string(model, t->name));
}

static gboolean select_threads(weft_profile_options_t *o, const weft_model_t *model,
                               const weft_profile_request_t *r, GError **error)
{
	g_autoptr(GPtrArray) patterns = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; r && r->threads && r->threads[i]; i++) {
		g_auto(GStrv) parts = g_strsplit(r->threads[i], ",", -1);

		for (guint j = 0; parts[j]; j++) {
			if (*parts[j]) {
				g_ptr_array_add(patterns, g_strdup(parts[j]));
			}
		}
	}
	o->by_thread = patterns->len > 0;
	g_array_set_size(o->selected, model->threads->len);
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		g_array_index(o->selected, guint8, i) = pid_ok(o->pid, t->process) && !o->by_thread;
	}
	for (guint k = 0; k < patterns->len; k++) {
		const char *pattern = g_ptr_array_index(patterns, k);
		gboolean any = FALSE;

		for (guint i = 0; i < model->threads->len; i++) {
			const weft_thread_t *t = g_ptr_array_index(model->threads, i);

			if (pid_ok(o->pid, t->process) && thread_matches(model, t, pattern)) {
				g_array_index(o->selected, guint8, i) = 1;
				any = TRUE;
			}
		}
		if (!any) {
			return invalid(error, "threads", "thread", pattern,
			               "no thread has this id or name");
		}
	}
	return TRUE;
}

gboolean weft_profile_options_init(weft_profile_options_t *options, const weft_model_t *model,
                                   const weft_profile_request_t *request, GError **error)
{
	weft_profile_options_t *o = options;

	memset(o, 0, sizeof(*o));
	o->window = g_array_new(FALSE, FALSE, sizeof(weft_profile_span_t));
	o->selected = g_array_new(FALSE, TRUE, sizeof(guint8));
	o->pid = request ? request->pid : 0;
	if (!select_window(o, model, request, error) || !select_threads(o, model, request, error)) {
		goto error;
	}
	o->at = o->window->len
	            ? MIN(g_array_index(o->window, weft_profile_span_t, o->window->len - 1).end,
	                  model->end)
	            : model->end;
	if (request && request->at && !parse_relative(request->at, "at", model, &o->at, error)) {
		goto error;
	}
	return TRUE;
error:
	weft_profile_options_clear(o);
	return FALSE;
}

void weft_profile_options_clear(weft_profile_options_t *options)
{
	if (options->window) {
		g_array_free(options->window, TRUE);
	}
	if (options->selected) {
		g_array_free(options->selected, TRUE);
	}
	memset(options, 0, sizeof(*options));
}

/* ---- the window ---- */

/* The first span that ends after t. */
static guint span_after(const GArray *w, weft_time_t t)
{
	guint lo = 0, hi = w->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (g_array_index(w, weft_profile_span_t, mid).end <= t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static gboolean window_has(const GArray *w, weft_time_t t)
{
	guint i = span_after(w, t);

	return i < w->len && g_array_index(w, weft_profile_span_t, i).start <= t;
}

/*
 * Whether the interval [s, e) counts (it overlaps the window, or is
 * instantaneous inside it) and *d, its length inside the window.
 */
static gboolean window_clip(const GArray *w, weft_time_t s, weft_time_t e, weft_time_t *d)
{
	*d = 0;
	if (e <= s) {
		return window_has(w, s);
	}
	for (guint i = span_after(w, s); i < w->len; i++) {
		const weft_profile_span_t *span = &g_array_index(w, weft_profile_span_t, i);

		if (span->start >= e) {
			break;
		}
		*d += MIN(e, span->end) - MAX(s, span->start);
	}
	return *d > 0;
}

gboolean weft_profile_options_wants_thread(const weft_profile_options_t *options,
                                           const weft_thread_t *thread)
{
	return thread->index < options->selected->len &&
	       g_array_index(options->selected, guint8, thread->index) != 0;
}

gboolean weft_profile_options_clip(const weft_profile_options_t *options, weft_time_t start,
                                   weft_time_t end, weft_time_t *inside)
{
	return window_clip(options->window, start, end, inside);
}

/* ---- samples ---- */

typedef struct {
	guint thread, process;
	guint32 stack, site; /* site only when stack is 0 */
	const char *tag;
} sample_key_t;

static guint key_hash(gconstpointer p)
{
	const sample_key_t *k = p;
	guint h = k->thread * 0x9e3779b1u;

	h = (h ^ k->process) * 0x85ebca6bu;
	h = (h ^ k->stack) * 0xc2b2ae35u;
	h = (h ^ k->site) * 0x27d4eb2fu;
	return h ^ g_direct_hash(k->tag);
}

static gboolean key_equal(gconstpointer pa, gconstpointer pb)
{
	const sample_key_t *a = pa, *b = pb;

	return a->thread == b->thread && a->process == b->process && a->stack == b->stack &&
	       a->site == b->site && a->tag == b->tag;
}

typedef struct {
	weft_profile_t *prof; /* borrowed */
	const weft_model_t *model;
	const weft_profile_options_t *options;
	GHashTable *by_tid; /* process index << 32 | tid -> weft_thread_t*, weak; lazy */
} build_t;

/* Whether frame is routine, or another call site in the same function. */
static gboolean is_function(const weft_model_t *model, guint32 frame, guint32 routine,
                            weft_str_t fn)
{
	return frame == routine || (fn && weft_model_borrow_callsite(model, frame)->function == fn);
}

guint weft_profile_root_frame(const weft_model_t *model, const weft_thread_t *t,
                              const guint32 *frames, guint n)
{
	guint32 routine = t ? t->start_routine_site : 0;
	weft_str_t fn = routine ? weft_model_borrow_callsite(model, routine)->function : 0;

	if (!routine && t && t->process && t->tid == t->process->pid) {
		fn = weft_model_lookup_string(model, "main");
	}
	if (!routine && !fn) {
		return G_MAXUINT;
	}
	for (guint i = n; i-- > 0;) {
		if (is_function(model, frames[i], routine, fn)) {
			return i;
		}
	}
	return G_MAXUINT;
}

/*
 * Appends the root-first frames of a new sample: the thread's start
 * routine at the root (added when the stack does not reach it), then the
 * stack down to its leaf.
 */
static void append_frames(build_t *b, weft_profile_sample_t *s, const weft_thread_t *t,
                          guint32 stack, guint32 site)
{
	GArray *out = b->prof->frames;
	const guint32 *frames = &site;
	const weft_stack_t *st = stack ? weft_model_borrow_stack(b->model, stack, &frames) : NULL;
	guint n = st ? st->depth : site != 0;
	guint32 routine = t ? t->start_routine_site : 0;
	guint root = weft_profile_root_frame(b->model, t, frames, n);

	s->first = out->len;
	if (root == G_MAXUINT) {
		if (routine) {
			g_array_append_val(out, routine);
		}
		root = n ? n - 1 : 0;
	}
	for (guint i = MIN(root + 1, n); i-- > 0;) {
		g_array_append_val(out, frames[i]);
	}
	s->depth = out->len - s->first;
}

static void add(build_t *b, const weft_thread_t *t, const weft_process_t *p, guint32 stack,
                guint32 site, const char *tag, const gint64 *values)
{
	weft_profile_t *prof = b->prof;
	sample_key_t key = {t ? t->index : G_MAXUINT, p ? p->index : G_MAXUINT, stack,
	                    stack ? 0 : site, tag};
	guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(prof->index, &key));
	weft_profile_sample_t *s;

	if (!idx) {
		weft_profile_sample_t fresh = {0, 0, key.thread, key.process, tag, {0}};

		append_frames(b, &fresh, t, stack, site);
		g_array_append_val(prof->samples, fresh);
		idx = prof->samples->len;
		g_hash_table_insert(prof->index, g_memdup2(&key, sizeof(key)),
		                    GUINT_TO_POINTER(idx));
	}
	s = &g_array_index(prof->samples, weft_profile_sample_t, idx - 1);
	for (guint v = 0; v < prof->n_values; v++) {
		s->values[v] += values[v];
	}
	prof->n_events++;
}

static gboolean wants(const build_t *b, const weft_thread_t *t)
{
	return weft_profile_options_wants_thread(b->options, t);
}

/* Events whose thread the model does not know count only when no thread was named. */
static gboolean wants_unknown(const build_t *b, const weft_process_t *p)
{
	return !b->options->by_thread && pid_ok(b->options->pid, p);
}

static gint64 tid_key(const weft_process_t *p, gint64 tid)
{
	return (gint64) ((guint64) p->index << 32 | (guint32) tid);
}

/* The thread tid of process p (the latest one when the tid was reused), NULL when unknown. */
static const weft_thread_t *thread_by_tid(build_t *b, const weft_process_t *p, gint64 tid)
{
	gint64 key = tid_key(p, tid);

	if (!b->by_tid) {
		b->by_tid = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
		for (guint i = 0; i < b->model->threads->len; i++) {
			weft_thread_t *t = g_ptr_array_index(b->model->threads, i);
			gint64 *k = g_new(gint64, 1);

			*k = tid_key(t->process, t->tid);
			g_hash_table_replace(b->by_tid, k, t);
		}
	}
	return g_hash_table_lookup(b->by_tid, &key);
}

/* ---- intervals and CPU samples ---- */

static gboolean is_off_cpu(weft_state_t s)
{
	return s != WEFT_STATE_RUNNING && s != WEFT_STATE_SPIN && s != WEFT_STATE_DATA_LOST &&
	       s < WEFT_STATE_COUNT;
}

static gboolean kind_has_state(weft_profile_kind_t kind, weft_state_t s)
{
	switch (kind) {
	case WEFT_PROFILE_WALL:
		return is_off_cpu(s);
	case WEFT_PROFILE_BLOCK:
		return weft_analysis_is_sync_state(s);
	case WEFT_PROFILE_SYSCALL:
		return s == WEFT_STATE_SYSCALL;
	case WEFT_PROFILE_SLEEP:
		return s == WEFT_STATE_SLEEP;
	case WEFT_PROFILE_BLOCKED:
		return weft_analysis_is_sync_state(s) || s == WEFT_STATE_SYSCALL ||
		       s == WEFT_STATE_SLEEP;
	default:
		return FALSE;
	}
}

static const char *state_tag(weft_profile_kind_t kind, weft_state_t s, gint32 aux)
{
	if (!kinds[kind].tag_key) {
		return NULL;
	}
	return s == WEFT_STATE_SYSCALL ? weft_analysis_syscall_name(aux) : weft_state_name(s);
}

static void add_states(build_t *b, const weft_thread_t *t)
{
	const weft_state_track_t *st = &t->states;
	weft_profile_kind_t kind = b->prof->kind;

	for (guint j = 0; st->start && j < st->start->len; j++) {
		weft_state_t s = g_array_index(st->state, guint8, j);
		weft_time_t d;
		gint64 v[WEFT_PROFILE_MAX_VALUES] = {1, 0};

		if (!kind_has_state(kind, s) ||
		    !window_clip(b->options->window, g_array_index(st->start, weft_time_t, j),
		                 g_array_index(st->end, weft_time_t, j), &d)) {
			continue;
		}
		if (kind == WEFT_PROFILE_WALL) {
			v[0] = d;
		} else {
			v[1] = d;
		}
		add(b, t, t->process, weft_state_track_stack(st, j),
		    g_array_index(st->callsite, guint32, j),
		    state_tag(kind, s, g_array_index(st->aux, gint32, j)), v);
	}
}

static void add_cpu_samples(build_t *b, const weft_thread_t *t)
{
	const weft_sample_track_t *sm = &t->samples;
	gint64 period = (gint64) b->model->sample_period;
	gint64 cpu[WEFT_PROFILE_MAX_VALUES] = {1, period};
	gint64 wall[WEFT_PROFILE_MAX_VALUES] = {period};
	gboolean is_wall = b->prof->kind == WEFT_PROFILE_WALL;

	for (guint j = 0; sm->ts && j < sm->ts->len; j++) {
		if (window_has(b->options->window, g_array_index(sm->ts, weft_time_t, j))) {
			add(b, t, t->process, g_array_index(sm->stack, guint32, j), 0,
			    is_wall ? "cpu" : NULL, is_wall ? wall : cpu);
		}
	}
}

static void add_thread_events(build_t *b)
{
	for (guint i = 0; i < b->model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(b->model->threads, i);

		if (!wants(b, t)) {
			continue;
		}
		if (b->prof->kind == WEFT_PROFILE_CPU || b->prof->kind == WEFT_PROFILE_WALL) {
			add_cpu_samples(b, t);
		}
		if (b->prof->kind != WEFT_PROFILE_CPU) {
			add_states(b, t);
		}
	}
}

/* ---- mutex: charged to the releaser ---- */

/* A sort key for finding hand-offs and holds by binary search. */
typedef struct {
	guint64 a, b;
	weft_time_t ts;
	guint idx;
} keyed_t;

static int cmp_keyed(gconstpointer pa, gconstpointer pb)
{
	const keyed_t *x = pa, *y = pb;

	if (x->a != y->a) {
		return x->a < y->a ? -1 : 1;
	}
	if (x->b != y->b) {
		return x->b < y->b ? -1 : 1;
	}
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* The last entry <= (a, b, ts) with the same a and b, -1 when none. */
static gint keyed_last(const GArray *arr, guint64 a, guint64 b, weft_time_t ts)
{
	keyed_t want = {a, b, ts, 0};
	guint lo = 0, hi = arr->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (cmp_keyed(&g_array_index(arr, keyed_t, mid), &want) <= 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (!lo) {
		return -1;
	}
	const keyed_t *k = &g_array_index(arr, keyed_t, lo - 1);

	return k->a == a && k->b == b ? (gint) lo - 1 : -1;
}

typedef struct {
	GArray *handoffs; /* keyed_t (to_thread, lock, to_ts) -> flow */
	GArray *holds;    /* keyed_t (process, lock, end) -> hold */
} mutex_index_t;

static void mutex_index_init(mutex_index_t *ix, const weft_model_t *model)
{
	ix->handoffs = g_array_new(FALSE, FALSE, sizeof(keyed_t));
	ix->holds = g_array_new(FALSE, FALSE, sizeof(keyed_t));
	for (guint i = 0; i < model->flows->len; i++) {
		const weft_flow_t *f = &g_array_index(model->flows, weft_flow_t, i);
		keyed_t k = {f->to_thread, f->object, f->to_ts, i};

		if (f->kind == WEFT_FLOW_LOCK_HANDOFF) {
			g_array_append_val(ix->handoffs, k);
		}
	}
	for (guint i = 0; i < model->holds->len; i++) {
		const weft_lock_hold_t *h = &g_array_index(model->holds, weft_lock_hold_t, i);
		const weft_thread_t *t = g_ptr_array_index(model->threads, h->thread);
		keyed_t k = {t->process->index, h->lock, h->end, i};

		g_array_append_val(ix->holds, k);
	}
	g_array_sort(ix->handoffs, cmp_keyed);
	g_array_sort(ix->holds, cmp_keyed);
}

static void mutex_index_clear(mutex_index_t *ix)
{
	g_array_free(ix->handoffs, TRUE);
	g_array_free(ix->holds, TRUE);
}

/*
 * The hold of lock in process p that ended in [lo, hi], latest first,
 * whose thread is (want_same) or is not (!want_same) thread.
 */
static const weft_lock_hold_t *find_hold(const weft_model_t *model, const mutex_index_t *ix,
                                         guint p, guint64 lock, weft_time_t lo, weft_time_t hi,
                                         guint thread, gboolean want_same)
{
	for (gint i = keyed_last(ix->holds, p, lock, hi); i >= 0; i--) {
		const keyed_t *k = &g_array_index(ix->holds, keyed_t, i);
		const weft_lock_hold_t *h = &g_array_index(model->holds, weft_lock_hold_t, k->idx);

		if (k->a != p || k->b != lock || k->ts < lo) {
			break;
		}
		if ((h->thread == thread) == want_same) {
			return h;
		}
	}
	return NULL;
}

typedef struct {
	guint thread; /* the releaser, G_MAXUINT when unknown */
	guint32 stack, site;
} releaser_t;

/* Who released lock to thread t, which waited [ws, we]: a hand-off, else a hold. */
static releaser_t find_releaser(const build_t *b, const mutex_index_t *ix, const weft_thread_t *t,
                                guint64 lock, weft_time_t ws, weft_time_t we)
{
	const weft_model_t *m = b->model;
	releaser_t r = {G_MAXUINT, 0, 0};
	gint fi = keyed_last(ix->handoffs, t->index, lock, we);
	const weft_lock_hold_t *h = NULL;

	if (fi >= 0 && g_array_index(ix->handoffs, keyed_t, fi).ts >= ws) {
		const weft_flow_t *f = &g_array_index(m->flows, weft_flow_t,
		                                      g_array_index(ix->handoffs, keyed_t, fi).idx);

		r.thread = f->from_thread;
		r.stack = f->stack;
		h = find_hold(m, ix, t->process->index, lock, f->from_ts, f->from_ts,
		              f->from_thread, TRUE);
	} else {
		h = find_hold(m, ix, t->process->index, lock, ws, we, t->index, FALSE);
		r.thread = h ? h->thread : G_MAXUINT;
	}
	if (h && !r.stack) {
		r.stack = h->release_stack;
		r.site = h->callsite;
	}
	return r;
}

static void add_mutex_waits(build_t *b)
{
	const weft_model_t *m = b->model;
	mutex_index_t ix;

	mutex_index_init(&ix, m);
	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);
		const weft_state_track_t *st = &t->states;

		for (guint j = 0;
		     pid_ok(b->options->pid, t->process) && st->start && j < st->start->len; j++) {
			weft_time_t ws = g_array_index(st->start, weft_time_t, j);
			weft_time_t we = g_array_index(st->end, weft_time_t, j);
			gint64 v[WEFT_PROFILE_MAX_VALUES] = {1, 0};
			releaser_t r;
			const weft_thread_t *rt;

			if (!weft_analysis_is_lock_state(g_array_index(st->state, guint8, j)) ||
			    !window_clip(b->options->window, ws, we, &v[1])) {
				continue;
			}
			r = find_releaser(b, &ix, t, g_array_index(st->object, guint64, j), ws, we);
			if (r.thread >= m->threads->len) {
				b->prof->n_unattributed++;
				continue;
			}
			rt = g_ptr_array_index(m->threads, r.thread);
			if (wants(b, rt)) {
				add(b, rt, rt->process, r.stack, r.site, NULL, v);
			}
		}
	}
	mutex_index_clear(&ix);
}

/* ---- thread creation ---- */

static void add_thread_creations(build_t *b)
{
	const weft_model_t *m = b->model;
	g_autofree guint *create_flow = g_new(guint, m->threads->len + 1);
	gint64 one[WEFT_PROFILE_MAX_VALUES] = {1};

	for (guint i = 0; i < m->threads->len; i++) {
		create_flow[i] = G_MAXUINT;
	}
	for (guint i = 0; i < m->flows->len; i++) {
		const weft_flow_t *f = &g_array_index(m->flows, weft_flow_t, i);

		if (f->kind == WEFT_FLOW_THREAD_CREATE && f->to_thread < m->threads->len) {
			create_flow[f->to_thread] = i;
		}
	}
	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);
		const weft_flow_t *f = create_flow[i] != G_MAXUINT
		                           ? &g_array_index(m->flows, weft_flow_t, create_flow[i])
		                           : NULL;
		const weft_thread_t *creator = NULL;

		if (!f && !t->create_stack && t->parent_tid < 0 && t->tid == t->process->pid) {
			continue; /* a process's first thread: nobody created it */
		}
		if (!window_has(b->options->window, f ? f->from_ts : t->start)) {
			continue;
		}
		if (f && f->from_thread < m->threads->len) {
			creator = g_ptr_array_index(m->threads, f->from_thread);
		} else if (t->parent_tid >= 0) {
			creator = thread_by_tid(b, t->process, t->parent_tid);
		}
		if (creator ? wants(b, creator) : wants_unknown(b, t->process)) {
			add(b, creator, t->process,
			    t->create_stack ? t->create_stack
			    : f             ? f->stack
			                    : 0,
			    0, NULL, one);
		}
	}
}

/* ---- allocations ---- */

/* Blocks a record stands for: weight / size, as Go scales sampled counts. */
static gint64 alloc_objects(const weft_alloc_t *a)
{
	if (!a->size || a->weight <= a->size) {
		return 1;
	}
	return (gint64) ((a->weight + a->size / 2) / a->size);
}

static void add_allocs(build_t *b)
{
	const weft_model_t *m = b->model;
	const weft_profile_options_t *o = b->options;
	gboolean leak = b->prof->kind == WEFT_PROFILE_LEAK;

	for (guint i = 0; i < m->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(m->processes, i);

		for (guint j = 0; pid_ok(o->pid, p) && p->allocs && j < p->allocs->len; j++) {
			const weft_alloc_t *a = &g_array_index(p->allocs, weft_alloc_t, j);
			const weft_thread_t *t = thread_by_tid(b, p, a->tid);
			gboolean in_window = window_has(o->window, a->ts);
			gboolean live = a->ts <= o->at && a->free_ts > o->at;
			gint64 n = alloc_objects(a), w = (gint64) a->weight;
			gint64 v[WEFT_PROFILE_MAX_VALUES] = {0};

			if (t ? !wants(b, t) : !wants_unknown(b, p)) {
				continue;
			}
			if (leak) {
				if (!in_window || a->free_ts != G_MAXINT64) {
					continue;
				}
				v[0] = n, v[1] = w;
			} else {
				if (!in_window && !live) {
					continue;
				}
				v[0] = in_window ? n : 0, v[1] = in_window ? w : 0;
				v[2] = live ? n : 0, v[3] = live ? w : 0;
			}
			add(b, t, p, a->stack, a->callsite, NULL, v);
		}
	}
}

/* ---- the profile ---- */

static void set_window(weft_profile_t *prof, const weft_model_t *model, const GArray *w)
{
	prof->time_start = w->len ? g_array_index(w, weft_profile_span_t, 0).start : model->start;
	for (guint i = 0; i < w->len; i++) {
		const weft_profile_span_t *s = &g_array_index(w, weft_profile_span_t, i);

		prof->duration += MAX(0, MIN(s->end, model->end) - s->start);
	}
}

weft_profile_t *weft_profile_new(const weft_model_t *model, weft_profile_kind_t kind,
                                 const weft_profile_options_t *options)
{
	weft_profile_t *prof = g_new0(weft_profile_t, 1);
	weft_profile_options_t all = {0};
	build_t b = {prof, model, options, NULL};

	g_return_val_if_fail(kind < WEFT_PROFILE_KIND_COUNT, NULL);
	if (!options) {
		weft_profile_options_init(&all, model, NULL, NULL);
		b.options = &all;
	}
	prof->model = model;
	prof->kind = kind;
	prof->n_values = kinds[kind].n;
	prof->sample_types = kinds[kind].types;
	prof->period_type = kinds[kind].period_type;
	prof->tag_key = kinds[kind].tag_key;
	prof->samples = g_array_new(FALSE, FALSE, sizeof(weft_profile_sample_t));
	prof->frames = g_array_new(FALSE, FALSE, sizeof(guint32));
	prof->index = g_hash_table_new_full(key_hash, key_equal, g_free, NULL);
	set_window(prof, model, b.options->window);
	switch (kind) {
	case WEFT_PROFILE_CPU:
	case WEFT_PROFILE_WALL:
		prof->period = (gint64) model->sample_period;
		add_thread_events(&b);
		break;
	case WEFT_PROFILE_MUTEX:
		prof->period = 1;
		add_mutex_waits(&b);
		break;
	case WEFT_PROFILE_THREADCREATE:
		prof->period = 1;
		add_thread_creations(&b);
		break;
	case WEFT_PROFILE_HEAP:
	case WEFT_PROFILE_LEAK:
		add_allocs(&b);
		break;
	default:
		prof->period = 1;
		add_thread_events(&b);
		break;
	}
	if (b.by_tid) {
		g_hash_table_destroy(b.by_tid);
	}
	weft_profile_options_clear(&all);
	return prof;
}

void weft_profile_free(weft_profile_t *profile)
{
	if (!profile) {
		return;
	}
	g_array_free(profile->samples, TRUE);
	g_array_free(profile->frames, TRUE);
	g_hash_table_destroy(profile->index);
	g_free(profile);
}

gint64 weft_profile_total(const weft_profile_t *profile, guint v)
{
	gint64 sum = 0;

	for (guint i = 0; v < profile->n_values && i < profile->samples->len; i++) {
		sum += g_array_index(profile->samples, weft_profile_sample_t, i).values[v];
	}
	return sum;
}

const char *weft_profile_empty_reason(const weft_profile_t *profile)
{
	return kinds[profile->kind].empty;
}
