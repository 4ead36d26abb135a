/*
 * Chrome Trace Event Format -> timeline model. The file is parsed in
 * chunks with json-c's incremental tokener (progress, cancellation), then
 * events are gathered per thread, sorted, and nested into depths.
 *
 * Timestamps are microseconds (floats) in the format; the model is in ns.
 * weft's writer makes them relative to the trace start and gives the
 * absolute start in metadata.trace-start-ns, which is added back so the
 * times read the same as from the CTF trace. Files are not time-sorted
 * (weft writes thread by thread), so async begin/end pairs and flow ends
 * are collected first and matched after the pass.
 *
 * How weft's JSON maps back (docs/convert.md has the forward direction):
 * an X without a category named after a weft state ("mutex", "condvar",
 * "data lost", ...) or a call ("read()") is a state interval; zero-length
 * X events carrying bind_id are flow ends, not slices; args.site
 * "function (file:line)" becomes a call site; an "i" named "data lost"
 * with args.until_us is a data-lost gap; "sf" (or a stack array) on a
 * state or a flow source becomes its call stack (weft-json-stacks.c).
 */
#include "weft-json-import.h"
#include "weft-json-stacks.h"

#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1 << 20)

typedef struct {
	weft_time_t start, end;
	weft_str_t name;
	guint8 flags;
	guint32 callsite;
} pending_slice_t;

/* One b or e event, matched with its partner after the pass. */
typedef struct {
	weft_time_t ts;
	gboolean begin;
	weft_str_t key; /* interned "pid:cat:id:name" */
	weft_str_t name;
	guint thread;
	guint64 task_id;
	guint32 callsite;
} async_end_t;

/* Both ends of a flow, keyed by its id. */
typedef struct {
	weft_flow_t flow;
	gboolean has_from, has_to;
} pending_flow_t;

typedef struct {
	weft_model_t *model;        /* borrowed */
	GHashTable *processes;      /* pid -> weft_process_t*, borrowed values */
	GHashTable *threads;        /* "pid:tid" key -> weft_thread_t*, borrowed */
	GHashTable *slices;         /* weft_thread_t* -> GArray of pending_slice_t, owned */
	GHashTable *open_b;         /* weft_thread_t* -> GArray of pending_slice_t (B stack) */
	GHashTable *flows;          /* id string -> pending_flow_t*, owned */
	GHashTable *counters;       /* "pid:name" -> weft_counter_t*, borrowed */
	GHashTable *sites;          /* site string -> callsite index, owned keys */
	GArray *async;              /* async_end_t */
	weft_json_stacks_t *stacks; /* owned */
	weft_time_t offset;         /* added to every ts: metadata.trace-start-ns */
	weft_time_t min_ts, max_ts;
} import_t;

static weft_process_t *get_process(import_t *im, gint64 pid)
{
	weft_process_t *p = g_hash_table_lookup(im->processes, &pid);

	if (p) {
		return p;
	}
	p = g_new0(weft_process_t, 1);
	p->pid = pid;
	p->parent_pid = -1;
	p->start = G_MAXINT64;
	p->end = G_MININT64;
	p->threads = g_ptr_array_new();
	p->counters = g_ptr_array_new();
	p->allocs = g_array_new(FALSE, FALSE, sizeof(weft_alloc_t));
	g_ptr_array_add(im->model->processes, p);
	g_hash_table_insert(im->processes, &p->pid, p);
	return p;
}

static void thread_arrays(weft_thread_t *t)
{
	t->states.start = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	t->states.end = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	t->states.state = g_array_new(FALSE, FALSE, sizeof(guint8));
	t->states.flags = g_array_new(FALSE, FALSE, sizeof(guint8));
	t->states.object = g_array_new(FALSE, FALSE, sizeof(guint64));
	t->states.aux = g_array_new(FALSE, FALSE, sizeof(gint32));
	t->states.callsite = g_array_new(FALSE, FALSE, sizeof(guint32));
	t->states.stack = g_array_new(FALSE, FALSE, sizeof(guint32));
	t->slices.start = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	t->slices.end = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	t->slices.depth = g_array_new(FALSE, FALSE, sizeof(guint16));
	t->slices.flags = g_array_new(FALSE, FALSE, sizeof(guint8));
	t->slices.name = g_array_new(FALSE, FALSE, sizeof(weft_str_t));
	t->slices.callsite = g_array_new(FALSE, FALSE, sizeof(guint32));
	t->instants.ts = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	t->instants.kind = g_array_new(FALSE, FALSE, sizeof(guint8));
	t->instants.name = g_array_new(FALSE, FALSE, sizeof(weft_str_t));
	t->instants.message = g_array_new(FALSE, FALSE, sizeof(weft_str_t));
	t->instants.callsite = g_array_new(FALSE, FALSE, sizeof(guint32));
}

static weft_thread_t *get_thread(import_t *im, gint64 pid, gint64 tid)
{
	char key[64];
	weft_thread_t *t;

	g_snprintf(key, sizeof key, "%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, pid, tid);
	t = g_hash_table_lookup(im->threads, key);
	if (t) {
		return t;
	}
	t = g_new0(weft_thread_t, 1);
	t->tid = tid;
	t->parent_tid = -1;
	t->start = G_MAXINT64;
	t->end = G_MININT64;
	t->process = get_process(im, pid);
	t->index = im->model->threads->len;
	thread_arrays(t);
	g_ptr_array_add(im->model->threads, t);
	g_hash_table_insert(im->threads, g_strdup(key), t);
	return t;
}

static void touch(import_t *im, weft_thread_t *t, weft_time_t a, weft_time_t b)
{
	im->min_ts = MIN(im->min_ts, a);
	im->max_ts = MAX(im->max_ts, b);
	if (t) {
		t->start = MIN(t->start, a);
		t->end = MAX(t->end, b);
	}
}

static gboolean get_num(json_object *ev, const char *key, double *out)
{
	json_object *v;

	if (!ev || !json_object_object_get_ex(ev, key, &v)) {
		return FALSE;
	}
	if (json_object_is_type(v, json_type_string)) {
		/* Some producers quote large numbers, or write ids in hex. */
		const char *s = json_object_get_string(v);

		*out = g_str_has_prefix(s, "0x") ? (double) g_ascii_strtoull(s, NULL, 16)
		                                 : g_ascii_strtod(s, NULL);
		return TRUE;
	}
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double)) {
		return FALSE;
	}
	*out = json_object_get_double(v);
	return TRUE;
}

static gint64 get_int(json_object *ev, const char *key, gint64 fallback)
{
	json_object *o;
	double v;

	/* Integers stay exact: absolute ns do not fit a double's mantissa. */
	if (ev && json_object_object_get_ex(ev, key, &o) && json_object_is_type(o, json_type_int)) {
		return json_object_get_int64(o);
	}
	return get_num(ev, key, &v) ? (gint64) v : fallback;
}

static gboolean get_flag(json_object *ev, const char *key)
{
	json_object *v;

	return ev && json_object_object_get_ex(ev, key, &v) && json_object_get_boolean(v);
}

static guint64 get_u64(json_object *ev, const char *key)
{
	json_object *v;

	if (!ev || !json_object_object_get_ex(ev, key, &v)) {
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		return g_ascii_strtoull(json_object_get_string(v), NULL, 0);
	}
	return (guint64) json_object_get_int64(v);
}

static weft_time_t ts_of(import_t *im, double us)
{
	return im->offset + (weft_time_t) llround(us * 1000.0);
}

/* A weft state by its JSON name, or -1. Syscall waits are named after
 * the call ("read()"). */
static int state_from_name(const char *name, json_object *args)
{
	gsize len;

	if (!name) {
		return -1;
	}
	for (int s = 0; s < WEFT_STATE_COUNT; s++) {
		if (!strcmp(name, weft_state_name((weft_state_t) s))) {
			return s;
		}
	}
	len = strlen(name);
	if (len > 2 && !strcmp(name + len - 2, "()") && args &&
	    weft_json_get_str(args, "site") != name) {
		json_object *fd;

		if (json_object_object_get_ex(args, "fd", &fd)) {
			return WEFT_STATE_SYSCALL;
		}
	}
	return -1;
}

/* args.site "function (file:line)", "function", "binary+0xoff" or
 * "0xaddr" as a call site index (0 when absent). */
static guint32 callsite_of(import_t *im, json_object *args)
{
	const char *site = weft_json_get_str(args, "site");
	weft_callsite_t cs = {0};
	gpointer found;

	if (!site || !*site) {
		return 0;
	}
	if (g_hash_table_lookup_extended(im->sites, site, NULL, &found)) {
		return GPOINTER_TO_UINT(found);
	}
	weft_json_parse_site(im->model, site, FALSE, &cs);
	if (cs.function && !cs.file) {
		cs.binary = weft_model_intern(im->model, weft_json_get_str(args, "binary"));
	}
	g_array_append_val(im->model->callsites, cs);
	g_hash_table_insert(im->sites, g_strdup(site),
	                    GUINT_TO_POINTER(im->model->callsites->len - 1));
	return im->model->callsites->len - 1;
}

static guint8 flags_of(json_object *args)
{
	return (guint8) ((get_flag(args, "unfinished") ? WEFT_FLAG_UNFINISHED : 0) |
	                 (get_flag(args, "unstarted") ? WEFT_FLAG_UNSTARTED : 0) |
	                 (get_flag(args, "inferred") ? WEFT_FLAG_INFERRED : 0));
}

static void add_state(import_t *im, weft_thread_t *t, weft_time_t start, weft_time_t end, int state,
                      json_object *ev, json_object *args)
{
	guint8 st = (guint8) state, flags = flags_of(args);
	guint64 object = get_u64(args, state == WEFT_STATE_SYSCALL ? "fd" : "object");
	gint32 aux = state == WEFT_STATE_SYSCALL ? -1 : 0;
	guint32 callsite = callsite_of(im, args);
	guint32 stack = weft_json_stacks_of_event(im->stacks, ev, args);

	g_array_append_val(t->states.start, start);
	g_array_append_val(t->states.end, end);
	g_array_append_val(t->states.state, st);
	g_array_append_val(t->states.flags, flags);
	g_array_append_val(t->states.object, object);
	g_array_append_val(t->states.aux, aux);
	g_array_append_val(t->states.callsite, callsite);
	g_array_append_val(t->states.stack, stack);
}

static GArray *thread_list(GHashTable *table, weft_thread_t *t)
{
	GArray *a = g_hash_table_lookup(table, t);

	if (!a) {
		a = g_array_new(FALSE, FALSE, sizeof(pending_slice_t));
		g_hash_table_insert(table, t, a);
	}
	return a;
}

static void add_slice(import_t *im, weft_thread_t *t, weft_time_t start, weft_time_t end,
                      const char *name, json_object *args)
{
	pending_slice_t s = {start, MAX(end, start), weft_model_intern(im->model, name),
	                     flags_of(args), callsite_of(im, args)};

	g_array_append_val(thread_list(im->slices, t), s);
}

static void on_metadata(import_t *im, json_object *ev, const char *name, gint64 pid, gint64 tid)
{
	json_object *args;
	const char *value;

	if (!json_object_object_get_ex(ev, "args", &args) ||
	    !(value = weft_json_get_str(args, "name"))) {
		return;
	}
	if (!strcmp(name, "process_name")) {
		get_process(im, pid)->name = weft_model_intern(im->model, value);
	} else if (!strcmp(name, "thread_name")) {
		get_thread(im, pid, tid)->name = weft_model_intern(im->model, value);
	}
}

static weft_flow_kind_t flow_kind(const char *name, const char *cat)
{
	for (int k = 0; k < WEFT_FLOW_COUNT; k++) {
		const char *kn = weft_flow_kind_name((weft_flow_kind_t) k);

		if ((name && !strcmp(name, kn)) || (cat && !strcmp(cat, kn))) {
			return (weft_flow_kind_t) k;
		}
	}
	return WEFT_FLOW_USER;
}

/* Records one end of flow id (out: the source, with its stack). */
static void flow_end(import_t *im, const char *id, weft_thread_t *t, weft_time_t ts, gboolean out,
                     weft_flow_kind_t kind, guint64 object, guint32 stack)
{
	pending_flow_t *pf = g_hash_table_lookup(im->flows, id);

	if (!pf) {
		pf = g_new0(pending_flow_t, 1);
		g_hash_table_insert(im->flows, g_strdup(id), pf);
	}
	touch(im, t, ts, ts);
	if (out) {
		pf->flow.kind = kind;
		pf->flow.from_thread = t->index;
		pf->flow.from_ts = ts;
		pf->flow.object = object;
		pf->flow.stack = stack;
		pf->has_from = TRUE;
	} else {
		pf->flow.to_thread = t->index;
		pf->flow.to_ts = ts;
		pf->has_to = TRUE;
	}
}

/* Flow v2: bind_id with flow_in/flow_out on a slice. TRUE when the event
 * is only a flow carrier (zero length, as weft writes them). */
static gboolean on_flow_v2(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                           const char *name, const char *cat, double dur, json_object *args)
{
	json_object *v;
	const char *id;
	gboolean in = get_flag(ev, "flow_in"), out = get_flag(ev, "flow_out");

	if (!json_object_object_get_ex(ev, "bind_id", &v) || (!in && !out)) {
		return FALSE;
	}
	id = json_object_get_string(v);
	if (in) {
		flow_end(im, id, t, ts, FALSE, WEFT_FLOW_USER, 0, 0);
	}
	if (out) {
		flow_end(im, id, t, ts, TRUE, flow_kind(name, cat), get_u64(args, "object"),
		         weft_json_stacks_of_event(im->stacks, ev, args));
	}
	return dur == 0;
}

static void on_complete(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                        const char *name, const char *cat)
{
	double dur = 0;
	weft_time_t end;
	json_object *args = NULL;
	int state = -1;

	get_num(ev, "dur", &dur);
	end = ts + (weft_time_t) llround(dur * 1000.0);
	json_object_object_get_ex(ev, "args", &args);
	if (on_flow_v2(im, ev, t, ts, name, cat, dur, args)) {
		return;
	}
	touch(im, t, ts, end);
	if (!cat || g_str_has_prefix(cat, "state")) {
		state = state_from_name(name, args);
	}
	if (state >= 0) {
		add_state(im, t, ts, end, state, ev, args);
	} else {
		add_slice(im, t, ts, end, name, args);
	}
}

static void on_begin_end(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                         const char *name, gboolean begin)
{
	GArray *stack = thread_list(im->open_b, t);
	json_object *args = NULL;
	pending_slice_t top;

	json_object_object_get_ex(ev, "args", &args);
	touch(im, t, ts, ts);
	if (begin) {
		pending_slice_t s = {ts, ts, weft_model_intern(im->model, name), flags_of(args),
		                     callsite_of(im, args)};

		g_array_append_val(stack, s);
		return;
	}
	if (stack->len == 0) {
		im->model->n_skipped++; /* an end without a begin */
		return;
	}
	top = g_array_index(stack, pending_slice_t, stack->len - 1);
	top.end = ts;
	g_array_append_val(thread_list(im->slices, t), top);
	g_array_set_size(stack, stack->len - 1);
}

static void on_async(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                     const char *name, const char *cat, gboolean begin)
{
	json_object *args = NULL, *id;
	char *key;
	async_end_t a = {.ts = ts, .begin = begin, .thread = t->index};

	json_object_object_get_ex(ev, "args", &args);
	key = g_strdup_printf("%" G_GINT64_FORMAT ":%s:%s:%s", t->process->pid, cat ? cat : "",
	                      json_object_object_get_ex(ev, "id", &id) ? json_object_get_string(id)
	                                                               : "",
	                      name ? name : "");
	a.key = weft_model_intern(im->model, key);
	a.name = weft_model_intern(im->model, name);
	a.task_id = args && json_object_object_get_ex(args, "task", NULL)
	                ? get_u64(args, "task")
	                : (json_object_object_get_ex(ev, "id", &id) ? get_u64(ev, "id") : 0);
	a.callsite = callsite_of(im, args);
	g_array_append_val(im->async, a);
	touch(im, t, ts, ts);
	g_free(key);
}

static gint cmp_async(gconstpointer a, gconstpointer b)
{
	const async_end_t *x = a, *y = b;

	if (x->ts != y->ts) {
		return x->ts < y->ts ? -1 : 1;
	}
	/* An end before a begin at the same time: lanes are reused. */
	return (int) x->begin - (int) y->begin;
}

/* Pairs each begin with the next end of the same key, in time order. */
static void finish_tasks(import_t *im)
{
	GHashTable *open = g_hash_table_new(NULL, NULL); /* key -> task index + 1 */

	g_array_sort(im->async, cmp_async);
	for (guint i = 0; i < im->async->len; i++) {
		const async_end_t *a = &g_array_index(im->async, async_end_t, i);
		gpointer found = g_hash_table_lookup(open, GUINT_TO_POINTER(a->key));
		weft_task_t *task;

		if (a->begin) {
			weft_task_t nt = {
			    a->task_id,           a->name,    a->ts, a->ts, a->thread, G_MAXUINT,
			    WEFT_FLAG_UNFINISHED, a->callsite};

			g_array_append_val(im->model->tasks, nt);
			g_hash_table_insert(open, GUINT_TO_POINTER(a->key),
			                    GUINT_TO_POINTER(im->model->tasks->len));
			continue;
		}
		if (!found) {
			im->model->n_skipped++;
			continue;
		}
		task = &g_array_index(im->model->tasks, weft_task_t, GPOINTER_TO_UINT(found) - 1);
		task->end = a->ts;
		task->end_thread = a->thread;
		task->flags &= (guint8) ~WEFT_FLAG_UNFINISHED;
		g_hash_table_remove(open, GUINT_TO_POINTER(a->key));
	}
	g_hash_table_destroy(open);
}

/* Flows with both ends; the others are counted as skipped. */
static void finish_flows(import_t *im)
{
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, im->flows);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		pending_flow_t *pf = value;

		if (pf->has_from && pf->has_to) {
			g_array_append_val(im->model->flows, pf->flow);
			if (pf->flow.kind == WEFT_FLOW_THREAD_CREATE && pf->flow.stack) {
				weft_thread_t *child =
				    g_ptr_array_index(im->model->threads, pf->flow.to_thread);

				child->create_stack = pf->flow.stack; /* the thread's own record */
			}
		} else {
			im->model->n_skipped++;
		}
	}
}

static weft_counter_t *get_counter(import_t *im, weft_process_t *p, const char *name)
{
	char *key = g_strdup_printf("%" G_GINT64_FORMAT ":%s", p->pid, name);
	weft_counter_t *c = g_hash_table_lookup(im->counters, key);

	if (c) {
		g_free(key);
		return c;
	}
	c = g_new0(weft_counter_t, 1);
	c->name = weft_model_intern(im->model, name);
	c->is_heap = strstr(name, "heap") != NULL;
	c->ts = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	c->value = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_ptr_array_add(p->counters, c);
	g_hash_table_insert(im->counters, key, c);
	return c;
}

static void on_counter(import_t *im, json_object *ev, gint64 pid, weft_time_t ts, const char *name)
{
	json_object *args;
	weft_process_t *p = get_process(im, pid);
	gboolean single;

	if (!json_object_object_get_ex(ev, "args", &args) ||
	    !json_object_is_type(args, json_type_object)) {
		return;
	}
	touch(im, NULL, ts, ts);
	single = json_object_object_length(args) == 1;
	json_object_object_foreach(args, key, val)
	{
		char *full = single ? g_strdup(name) : g_strdup_printf("%s.%s", name, key);
		weft_counter_t *c = get_counter(im, p, full);
		gint64 v = (gint64) json_object_get_double(val);

		g_array_append_val(c->ts, ts);
		g_array_append_val(c->value, v);
		g_free(full);
	}
}

/* weft writes discarded events as an "i" named "data lost" holding the
 * gap's end; TRUE when ev was one. */
static gboolean on_data_lost(import_t *im, json_object *ev, gint64 pid, weft_time_t ts,
                             const char *name)
{
	json_object *args = NULL;
	double until;
	const char *scope = weft_json_get_str(ev, "s");
	weft_lost_t lost;

	if (!name || strcmp(name, "data lost") != 0 ||
	    !json_object_object_get_ex(ev, "args", &args) || !get_num(args, "until_us", &until)) {
		return FALSE;
	}
	lost.start = ts;
	lost.end = MAX(ts_of(im, until), ts);
	lost.count = get_u64(args, "discarded");
	lost.cpu = (int) get_int(args, "cpu", -1);
	lost.pid = scope && !strcmp(scope, "g") ? -1 : pid;
	g_array_append_val(im->model->lost, lost);
	im->model->n_discarded += lost.count;
	touch(im, NULL, lost.start, lost.end);
	return TRUE;
}

static void on_instant(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                       const char *name, const char *cat)
{
	json_object *args = NULL;
	guint8 kind = (cat && !strcmp(cat, "log")) ? WEFT_INSTANT_LOG : WEFT_INSTANT_MARK;
	weft_str_t sname, msg = 0;
	guint32 callsite;

	json_object_object_get_ex(ev, "args", &args);
	if (kind == WEFT_INSTANT_LOG) {
		/* Logs are named after the message; the model keeps the
		 * category as the name. */
		sname = weft_model_intern(im->model, weft_json_get_str(args, "category"));
		msg = weft_model_intern(im->model, name);
	} else {
		sname = weft_model_intern(im->model, name);
		msg = weft_model_intern(im->model, weft_json_get_str(args, "message"));
	}
	callsite = callsite_of(im, args);
	touch(im, t, ts, ts);
	g_array_append_val(t->instants.ts, ts);
	g_array_append_val(t->instants.kind, kind);
	g_array_append_val(t->instants.name, sname);
	g_array_append_val(t->instants.message, msg);
	g_array_append_val(t->instants.callsite, callsite);
}

static void on_flow_v1(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                       const char *name, const char *cat, gboolean out)
{
	json_object *id;
	g_autofree char *key = NULL;

	if (!json_object_object_get_ex(ev, "id", &id)) {
		im->model->n_skipped++;
		return;
	}
	key = g_strdup_printf("v1:%s:%s", cat ? cat : "", json_object_get_string(id));
	flow_end(im, key, t, ts, out, flow_kind(name, cat), 0, 0);
}

static void on_thread_event(import_t *im, json_object *ev, const char *ph, weft_thread_t *t,
                            weft_time_t ts, const char *name, const char *cat)
{
	switch (ph[0]) {
	case 'X':
		on_complete(im, ev, t, ts, name, cat);
		break;
	case 'B':
	case 'E':
		on_begin_end(im, ev, t, ts, name, ph[0] == 'B');
		break;
	case 'b':
	case 'e':
		on_async(im, ev, t, ts, name, cat, ph[0] == 'b');
		break;
	case 'i':
	case 'I':
	case 'n':
		on_instant(im, ev, t, ts, name, cat);
		break;
	case 's':
	case 'f':
		on_flow_v1(im, ev, t, ts, name, cat, ph[0] == 's');
		break;
	case 't':
		break;
	default:
		im->model->n_skipped++;
	}
}

static void on_event(import_t *im, json_object *ev)
{
	const char *ph, *name, *cat, *scope;
	gint64 pid, tid;
	weft_time_t ts;
	double ts_us = 0;

	if (!json_object_is_type(ev, json_type_object) || !(ph = weft_json_get_str(ev, "ph"))) {
		im->model->n_skipped++;
		return;
	}
	name = weft_json_get_str(ev, "name");
	cat = weft_json_get_str(ev, "cat");
	scope = weft_json_get_str(ev, "s");
	pid = get_int(ev, "pid", 0);
	tid = get_int(ev, "tid", pid);
	im->model->n_events++;
	if (ph[0] == 'M') {
		on_metadata(im, ev, name ? name : "", pid, tid);
		return;
	}
	if (!get_num(ev, "ts", &ts_us)) {
		im->model->n_skipped++;
		return;
	}
	ts = ts_of(im, ts_us);
	if (ph[0] == 'C') {
		on_counter(im, ev, pid, ts, name ? name : "counter");
		return;
	}
	if ((ph[0] == 'i' || ph[0] == 'I') && on_data_lost(im, ev, pid, ts, name)) {
		return;
	}
	if ((ph[0] == 'i' || ph[0] == 'I') && scope && strcmp(scope, "t") != 0) {
		im->model->n_skipped++; /* process or global instants: no thread lane */
		return;
	}
	on_thread_event(im, ev, ph, get_thread(im, pid, tid), ts, name, cat);
}

static gint cmp_slice(gconstpointer a, gconstpointer b)
{
	const pending_slice_t *x = a, *y = b;

	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	/* Outer (longer) first at equal starts. */
	return x->end > y->end ? -1 : (x->end < y->end ? 1 : 0);
}

/* Sorts a thread's slices and gives each its nesting depth. */
static void finish_slices(weft_thread_t *t, GArray *pending)
{
	weft_time_t stack[256];
	guint depth = 0;

	g_array_sort(pending, cmp_slice);
	for (guint i = 0; i < pending->len; i++) {
		const pending_slice_t *s = &g_array_index(pending, pending_slice_t, i);
		guint16 d;

		while (depth > 0 && stack[depth - 1] <= s->start) {
			depth--;
		}
		d = (guint16) depth;
		if (depth < G_N_ELEMENTS(stack)) {
			stack[depth++] = s->end;
		}
		t->slices.max_depth = MAX(t->slices.max_depth, (guint) d + 1);
		g_array_append_val(t->slices.start, s->start);
		g_array_append_val(t->slices.end, s->end);
		g_array_append_val(t->slices.depth, d);
		g_array_append_val(t->slices.flags, s->flags);
		g_array_append_val(t->slices.name, s->name);
		g_array_append_val(t->slices.callsite, s->callsite);
	}
}

typedef struct {
	weft_time_t start;
	guint i;
} order_t;

static gint cmp_order(gconstpointer a, gconstpointer b)
{
	const order_t *x = a, *y = b;

	return x->start < y->start ? -1 : (x->start > y->start ? 1 : 0);
}

/* States may come out of order: sort all eight arrays by start. */
static void sort_states(weft_thread_t *t)
{
	weft_state_track_t *st = &t->states;
	guint n = st->start->len;
	GArray *arrays[] = {st->start,  st->end, st->state,    st->flags,
	                    st->object, st->aux, st->callsite, st->stack};
	g_autofree order_t *order = NULL;

	if (n < 2) {
		return;
	}
	order = g_new(order_t, n);
	for (guint i = 0; i < n; i++) {
		order[i] = (order_t){g_array_index(st->start, weft_time_t, i), i};
	}
	qsort(order, n, sizeof *order, cmp_order);
	for (gsize a = 0; a < G_N_ELEMENTS(arrays); a++) {
		guint size = g_array_get_element_size(arrays[a]);
		g_autofree char *copy = g_memdup2(arrays[a]->data, (gsize) n * size);

		for (guint i = 0; i < n; i++) {
			memcpy(arrays[a]->data + (gsize) i * size, copy + (gsize) order[i].i * size,
			       size);
		}
	}
}

static gint cmp_process(gconstpointer a, gconstpointer b)
{
	const weft_process_t *x = *(weft_process_t *const *) a, *y = *(weft_process_t *const *) b;

	return x->pid < y->pid ? -1 : (x->pid > y->pid ? 1 : 0);
}

static gint cmp_thread(gconstpointer a, gconstpointer b)
{
	const weft_thread_t *x = *(weft_thread_t *const *) a, *y = *(weft_thread_t *const *) b;

	if (x->process != y->process) {
		return x->process->pid < y->process->pid ? -1 : 1;
	}
	if (x->start != y->start) {
		return x->start < y->start ? -1 : 1;
	}
	return x->tid < y->tid ? -1 : (x->tid > y->tid ? 1 : 0);
}

static gint cmp_flow(gconstpointer a, gconstpointer b)
{
	const weft_flow_t *x = a, *y = b;

	return x->from_ts < y->from_ts ? -1 : (x->from_ts > y->from_ts ? 1 : 0);
}

static gint cmp_task(gconstpointer a, gconstpointer b)
{
	const weft_task_t *x = a, *y = b;

	return x->start < y->start ? -1 : (x->start > y->start ? 1 : 0);
}

/* Sorting threads changes their indexes: flows and tasks refer to
 * threads by index, so they are remapped through old -> new. */
static void finish_model(import_t *im)
{
	weft_model_t *m = im->model;
	guint n = m->threads->len;
	g_autofree guint *remap = g_new(guint, n);
	GHashTableIter iter;
	gpointer key, value;

	g_hash_table_iter_init(&iter, im->slices);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		finish_slices(key, value);
	}
	finish_tasks(im);
	finish_flows(im);
	for (guint i = 0; i < n; i++) {
		weft_thread_t *t = g_ptr_array_index(m->threads, i);

		sort_states(t);
		if (t->start > t->end) {
			t->start = t->end = im->min_ts;
		}
	}
	g_ptr_array_sort(m->processes, cmp_process);
	g_ptr_array_sort(m->threads, cmp_thread);
	for (guint i = 0; i < n; i++) {
		weft_thread_t *t = g_ptr_array_index(m->threads, i);

		remap[t->index] = i;
	}
	for (guint i = 0; i < n; i++) {
		weft_thread_t *t = g_ptr_array_index(m->threads, i);

		t->index = i;
		g_ptr_array_add(t->process->threads, t);
		t->process->start = MIN(t->process->start, t->start);
		t->process->end = MAX(t->process->end, t->end);
	}
	for (guint i = 0; i < m->processes->len; i++) {
		weft_process_t *p = g_ptr_array_index(m->processes, i);

		p->index = i;
		if (p->start > p->end) {
			p->start = p->end = im->min_ts;
		}
	}
	for (guint i = 0; i < m->flows->len; i++) {
		weft_flow_t *f = &g_array_index(m->flows, weft_flow_t, i);

		f->from_thread = f->from_thread < n ? remap[f->from_thread] : G_MAXUINT;
		f->to_thread = f->to_thread < n ? remap[f->to_thread] : G_MAXUINT;
	}
	for (guint i = 0; i < m->tasks->len; i++) {
		weft_task_t *t = &g_array_index(m->tasks, weft_task_t, i);

		t->begin_thread = t->begin_thread < n ? remap[t->begin_thread] : G_MAXUINT;
		t->end_thread = t->end_thread < n ? remap[t->end_thread] : G_MAXUINT;
		if (t->flags & WEFT_FLAG_UNFINISHED) {
			t->end = im->max_ts;
		}
	}
	g_array_sort(m->flows, cmp_flow);
	g_array_sort(m->tasks, cmp_task);
	m->start = im->min_ts;
	m->end = MAX(im->max_ts, im->min_ts + 1);
}

static gboolean import_events(import_t *im, json_object *root, GError **error)
{
	json_object *events = root, *metadata, *frames;
	size_t n;

	if (json_object_is_type(root, json_type_object) &&
	    !json_object_object_get_ex(root, "traceEvents", &events)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		                    "no \"traceEvents\" array: not a Chrome trace");
		return FALSE;
	}
	if (!json_object_is_type(events, json_type_array)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		                    "\"traceEvents\" is not an array: not a Chrome trace");
		return FALSE;
	}
	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "metadata", &metadata)) {
		im->offset = get_int(metadata, "trace-start-ns", 0);
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "stackFrames", &frames)) {
		frames = NULL;
	}
	im->stacks = weft_json_stacks_new(im->model, frames);
	n = json_object_array_length(events);
	for (size_t i = 0; i < n; i++) {
		on_event(im, json_object_array_get_idx(events, i));
	}
	if (im->model->threads->len == 0 || im->min_ts > im->max_ts) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		                    "the trace holds no timed events");
		return FALSE;
	}
	finish_model(im);
	return TRUE;
}

static void import_init(import_t *im)
{
	memset(im, 0, sizeof *im);
	im->model = weft_model_new();
	im->processes = g_hash_table_new(g_int64_hash, g_int64_equal);
	im->threads = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->slices = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
	im->open_b = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
	im->flows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	im->counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->sites = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->async = g_array_new(FALSE, FALSE, sizeof(async_end_t));
	im->min_ts = G_MAXINT64;
	im->max_ts = G_MININT64;
}

static void import_clear(import_t *im)
{
	g_hash_table_destroy(im->processes);
	g_hash_table_destroy(im->threads);
	g_hash_table_destroy(im->slices);
	g_hash_table_destroy(im->open_b);
	g_hash_table_destroy(im->flows);
	g_hash_table_destroy(im->counters);
	g_hash_table_destroy(im->sites);
	g_array_unref(im->async);
	weft_json_stacks_free(im->stacks);
}

/* Builds the model from a parsed document; takes root. */
static weft_model_t *import_root(json_object *root, GError **error)
{
	import_t im;
	weft_model_t *model;

	import_init(&im);
	if (!import_events(&im, root, error)) {
		weft_model_free(im.model);
		im.model = NULL;
	}
	model = im.model;
	import_clear(&im);
	json_object_put(root);
	return model;
}

static json_object *parse_stream(GInputStream *in, goffset size, weft_json_progress_func_t progress,
                                 gpointer progress_data, GCancellable *cancellable, GError **error)
{
	json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	g_autofree char *buf = g_malloc(CHUNK);
	json_object *root = NULL;
	enum json_tokener_error jerr = json_tokener_continue;
	goffset done = 0;
	gssize n;

	while (jerr == json_tokener_continue &&
	       (n = g_input_stream_read(in, buf, CHUNK, cancellable, error)) > 0) {
		root = json_tokener_parse_ex(tok, buf, (int) n);
		jerr = json_tokener_get_error(tok);
		done += n;
		if (progress && size > 0) {
			progress(MIN((double) done / (double) size, 1.0) * 0.8, progress_data);
		}
	}
	if (error && *error) {
		json_object_put(root);
		root = NULL;
	} else if (jerr != json_tokener_success || !root) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "malformed JSON: %s",
		            jerr == json_tokener_continue ? "unexpected end of file"
		                                          : json_tokener_error_desc(jerr));
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

weft_model_t *weft_json_import_file(const char *path, weft_json_progress_func_t progress,
                                    gpointer progress_data, GCancellable *cancellable,
                                    GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) in = NULL;
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GError) local = NULL;
	json_object *root;
	weft_model_t *model = NULL;

	in = g_file_read(file, cancellable, &local);
	if (in) {
		g_autoptr(GInputStream) stream = g_object_ref(G_INPUT_STREAM(in));
		goffset size = 0;

		info =
		    g_file_input_stream_query_info(in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
		if (info) {
			size = g_file_info_get_size(info);
		}
		/* `weft convert -o out.json.gz` writes gzip. Progress then
		 * counts uncompressed bytes against a guessed ratio. */
		if (g_str_has_suffix(path, ".gz")) {
			g_autoptr(GZlibDecompressor) gunzip =
			    g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);

			g_object_unref(stream);
			stream =
			    g_converter_input_stream_new(G_INPUT_STREAM(in), G_CONVERTER(gunzip));
			size *= 8;
		}
		root = parse_stream(stream, size, progress, progress_data, cancellable, &local);
		if (root) {
			model = import_root(root, &local);
		}
	}
	if (!model) {
		g_set_error(error, local->domain, local->code,
		            "Failed to read Chrome JSON trace: path=\"%s\", reason=\"%s\"", path,
		            local->message);
	}
	return model;
}

weft_model_t *weft_json_import_string(const char *json, gssize len, GError **error)
{
	g_autoptr(GInputStream) in =
	    g_memory_input_stream_new_from_data(json, len < 0 ? (gssize) strlen(json) : len, NULL);
	json_object *root = parse_stream(in, 0, NULL, NULL, NULL, error);

	return root ? import_root(root, error) : NULL;
}
