/*
 * Chrome Trace Event Format -> timeline model. The file is parsed in
 * chunks with json-c's incremental tokener (progress, cancellation), then
 * events are gathered per thread, sorted, and nested into depths.
 * Timestamps are microseconds (floats) in the format; the model is in ns.
 */
#include "weft-json-import.h"

#include <json-c/json.h>
#include <math.h>
#include <string.h>

#define CHUNK (1 << 20)

typedef struct {
	weft_time_t start, end;
	weft_str_t name;
} pending_slice_t;

typedef struct {
	weft_model_t *model;    /* borrowed */
	GHashTable *processes;  /* pid -> weft_process_t*, borrowed values */
	GHashTable *threads;    /* "pid:tid" key -> weft_thread_t*, borrowed */
	GHashTable *slices;     /* weft_thread_t* -> GArray of pending_slice_t, owned */
	GHashTable *open_b;     /* weft_thread_t* -> GArray of pending_slice_t (B stack) */
	GHashTable *open_tasks; /* "cat:id" -> weft_task_t index+1 */
	GHashTable *open_flows; /* id string -> flow index+1 */
	GHashTable *counters;   /* "pid:name" -> weft_counter_t*, borrowed */
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

static const char *get_str(json_object *ev, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(ev, key, &v) || !json_object_is_type(v, json_type_string)) {
		return NULL;
	}
	return json_object_get_string(v);
}

static gboolean get_num(json_object *ev, const char *key, double *out)
{
	json_object *v;

	if (!json_object_object_get_ex(ev, key, &v)) {
		return FALSE;
	}
	if (json_object_is_type(v, json_type_string)) {
		/* Some producers quote large numbers. */
		*out = g_ascii_strtod(json_object_get_string(v), NULL);
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
	double v;

	return get_num(ev, key, &v) ? (gint64) v : fallback;
}

static weft_time_t us_to_ns(double us)
{
	return (weft_time_t) llround(us * 1000.0);
}

static int state_from_name(const char *name)
{
	for (int s = 0; s < WEFT_STATE_COUNT; s++) {
		if (name && !strcmp(name, weft_state_name((weft_state_t) s))) {
			return s;
		}
	}
	return -1;
}

static void add_state(weft_thread_t *t, weft_time_t start, weft_time_t end, int state,
                      json_object *args)
{
	guint8 st = (guint8) state, flags = 0;
	guint64 object = 0;
	gint32 aux = 0;
	guint32 callsite = 0;
	const char *obj = args ? get_str(args, "object") : NULL;

	if (obj) {
		object = g_ascii_strtoull(obj, NULL, 0);
	} else if (args) {
		object = (guint64) get_int(args, "object", 0);
	}
	g_array_append_val(t->states.start, start);
	g_array_append_val(t->states.end, end);
	g_array_append_val(t->states.state, st);
	g_array_append_val(t->states.flags, flags);
	g_array_append_val(t->states.object, object);
	g_array_append_val(t->states.aux, aux);
	g_array_append_val(t->states.callsite, callsite);
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
                      const char *name)
{
	pending_slice_t s = {start, MAX(end, start), weft_model_intern(im->model, name)};

	g_array_append_val(thread_list(im->slices, t), s);
}

static void on_metadata(import_t *im, json_object *ev, const char *name, gint64 pid, gint64 tid)
{
	json_object *args;
	const char *value;

	if (!json_object_object_get_ex(ev, "args", &args) || !(value = get_str(args, "name"))) {
		return;
	}
	if (!strcmp(name, "process_name")) {
		get_process(im, pid)->name = weft_model_intern(im->model, value);
	} else if (!strcmp(name, "thread_name")) {
		get_thread(im, pid, tid)->name = weft_model_intern(im->model, value);
	}
}

static void on_complete(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                        const char *name, const char *cat)
{
	double dur = 0;
	weft_time_t end;
	json_object *args = NULL;
	int state;

	get_num(ev, "dur", &dur);
	end = ts + us_to_ns(dur);
	touch(im, t, ts, end);
	json_object_object_get_ex(ev, "args", &args);
	state = (cat && g_str_has_prefix(cat, "state")) ? state_from_name(name) : -1;
	if (state >= 0) {
		add_state(t, ts, end, state, args);
	} else {
		add_slice(im, t, ts, end, name);
	}
}

static void on_begin_end(import_t *im, weft_thread_t *t, weft_time_t ts, const char *name,
                         gboolean begin)
{
	GArray *stack = thread_list(im->open_b, t);

	touch(im, t, ts, ts);
	if (begin) {
		pending_slice_t s = {ts, ts, weft_model_intern(im->model, name)};

		g_array_append_val(stack, s);
		return;
	}
	if (stack->len == 0) {
		im->model->n_skipped++; /* an end without a begin */
		return;
	}
	add_slice(im, t, g_array_index(stack, pending_slice_t, stack->len - 1).start, ts,
	          weft_model_borrow_string(
	              im->model, g_array_index(stack, pending_slice_t, stack->len - 1).name));
	g_array_set_size(stack, stack->len - 1);
}

static void id_key(char *buf, gsize len, json_object *ev, const char *field)
{
	json_object *v;
	const char *cat = get_str(ev, "cat");

	if (!json_object_object_get_ex(ev, field, &v)) {
		buf[0] = 0;
		return;
	}
	g_snprintf(buf, len, "%s:%s", cat ? cat : "", json_object_get_string(v));
}

static void on_async(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                     const char *name, gboolean begin)
{
	char key[256];
	gpointer found;
	weft_task_t *task;

	id_key(key, sizeof key, ev, "id");
	touch(im, NULL, ts, ts);
	if (begin) {
		weft_task_t nt = {.name = weft_model_intern(im->model, name),
		                  .start = ts,
		                  .end = ts,
		                  .begin_thread = t->index,
		                  .end_thread = G_MAXUINT,
		                  .flags = WEFT_FLAG_UNFINISHED};

		nt.id = g_ascii_strtoull(strchr(key, ':') + 1, NULL, 0);
		g_array_append_val(im->model->tasks, nt);
		g_hash_table_replace(im->open_tasks, g_strdup(key),
		                     GUINT_TO_POINTER(im->model->tasks->len));
		return;
	}
	found = g_hash_table_lookup(im->open_tasks, key);
	if (!found) {
		im->model->n_skipped++;
		return;
	}
	task = &g_array_index(im->model->tasks, weft_task_t, GPOINTER_TO_UINT(found) - 1);
	task->end = ts;
	task->end_thread = t->index;
	task->flags &= (guint8) ~WEFT_FLAG_UNFINISHED;
	g_hash_table_remove(im->open_tasks, key);
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

static void on_instant(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                       const char *name, const char *cat)
{
	json_object *args;
	guint8 kind = (cat && !strcmp(cat, "log")) ? WEFT_INSTANT_LOG : WEFT_INSTANT_MARK;
	weft_str_t sname = weft_model_intern(im->model, name), msg = 0;
	guint32 callsite = 0;

	if (json_object_object_get_ex(ev, "args", &args) && get_str(args, "message")) {
		msg = weft_model_intern(im->model, get_str(args, "message"));
	}
	touch(im, t, ts, ts);
	g_array_append_val(t->instants.ts, ts);
	g_array_append_val(t->instants.kind, kind);
	g_array_append_val(t->instants.name, sname);
	g_array_append_val(t->instants.message, msg);
	g_array_append_val(t->instants.callsite, callsite);
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

/* One end of a flow: out (source) or in (destination). */
static void flow_end(import_t *im, const char *key, weft_thread_t *t, weft_time_t ts, gboolean out,
                     weft_flow_kind_t kind)
{
	gpointer found = g_hash_table_lookup(im->open_flows, key);
	weft_flow_t *f;

	if (out) {
		weft_flow_t nf = {.kind = kind,
		                  .from_thread = t->index,
		                  .from_ts = ts,
		                  .to_thread = G_MAXUINT,
		                  .to_ts = ts};

		nf.object =
		    g_ascii_strtoull(strchr(key, ':') ? strchr(key, ':') + 1 : key, NULL, 0);
		g_array_append_val(im->model->flows, nf);
		g_hash_table_replace(im->open_flows, g_strdup(key),
		                     GUINT_TO_POINTER(im->model->flows->len));
		return;
	}
	if (!found) {
		im->model->n_skipped++;
		return;
	}
	f = &g_array_index(im->model->flows, weft_flow_t, GPOINTER_TO_UINT(found) - 1);
	f->to_thread = t->index;
	f->to_ts = ts;
}

static void on_flow_v2(import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                       const char *name, const char *cat)
{
	json_object *v;
	char key[256];

	id_key(key, sizeof key, ev, "bind_id");
	if (!key[0]) {
		return;
	}
	/* The id is global in flow v2, whatever the category. */
	memmove(key, strchr(key, ':') + 1, strlen(strchr(key, ':') + 1) + 1);
	if (json_object_object_get_ex(ev, "flow_in", &v) && json_object_get_boolean(v)) {
		flow_end(im, key, t, ts, FALSE, WEFT_FLOW_USER);
	}
	if (json_object_object_get_ex(ev, "flow_out", &v) && json_object_get_boolean(v)) {
		flow_end(im, key, t, ts, TRUE, flow_kind(name, cat));
	}
}

static void on_event(import_t *im, json_object *ev)
{
	const char *ph = get_str(ev, "ph"), *name = get_str(ev, "name"), *cat = get_str(ev, "cat");
	gint64 pid = get_int(ev, "pid", 0), tid = get_int(ev, "tid", pid);
	weft_thread_t *t;
	weft_time_t ts;
	double ts_us = 0;
	char key[256];

	if (!ph || !json_object_is_type(ev, json_type_object)) {
		im->model->n_skipped++;
		return;
	}
	im->model->n_events++;
	if (ph[0] == 'M') {
		on_metadata(im, ev, name ? name : "", pid, tid);
		return;
	}
	if (!get_num(ev, "ts", &ts_us)) {
		im->model->n_skipped++;
		return;
	}
	ts = us_to_ns(ts_us);
	if (ph[0] == 'C') {
		on_counter(im, ev, pid, ts, name ? name : "counter");
		return;
	}
	t = get_thread(im, pid, tid);
	switch (ph[0]) {
	case 'X':
		on_complete(im, ev, t, ts, name, cat);
		break;
	case 'B':
	case 'E':
		on_begin_end(im, t, ts, name, ph[0] == 'B');
		break;
	case 'b':
	case 'e':
		on_async(im, ev, t, ts, name, ph[0] == 'b');
		break;
	case 'i':
	case 'I':
	case 'n':
		on_instant(im, ev, t, ts, name, cat);
		break;
	case 's':
	case 'f':
		id_key(key, sizeof key, ev, "id");
		touch(im, t, ts, ts);
		flow_end(im, key, t, ts, ph[0] == 's', flow_kind(name, cat));
		return;
	case 't':
		return;
	default:
		im->model->n_skipped++;
		return;
	}
	on_flow_v2(im, ev, t, ts, name, cat);
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
		guint8 flags = 0;
		guint32 callsite = 0;

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
		g_array_append_val(t->slices.flags, flags);
		g_array_append_val(t->slices.name, s->name);
		g_array_append_val(t->slices.callsite, callsite);
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

/* States may come out of order: sort all seven arrays by start. */
static void sort_states(weft_thread_t *t)
{
	weft_state_track_t *st = &t->states;
	guint n = st->start->len;
	GArray *arrays[] = {st->start,  st->end, st->state,   st->flags,
	                    st->object, st->aux, st->callsite};
	g_autofree order_t *order = g_new(order_t, n);

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
	/* Flows whose destination never came are dropped. */
	for (guint i = m->flows->len; i-- > 0;) {
		if (g_array_index(m->flows, weft_flow_t, i).to_thread == G_MAXUINT) {
			g_array_remove_index(m->flows, i);
		}
	}
	g_array_sort(m->flows, cmp_flow);
	g_array_sort(m->tasks, cmp_task);
	m->start = im->min_ts;
	m->end = MAX(im->max_ts, im->min_ts + 1);
}

static gboolean import_events(import_t *im, json_object *root, GError **error)
{
	json_object *events = root;
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
	im->open_tasks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->open_flows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->min_ts = G_MAXINT64;
	im->max_ts = G_MININT64;
}

static void import_clear(import_t *im)
{
	g_hash_table_destroy(im->processes);
	g_hash_table_destroy(im->threads);
	g_hash_table_destroy(im->slices);
	g_hash_table_destroy(im->open_b);
	g_hash_table_destroy(im->open_tasks);
	g_hash_table_destroy(im->open_flows);
	g_hash_table_destroy(im->counters);
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
			progress((double) done / (double) size * 0.8, progress_data);
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
		info =
		    g_file_input_stream_query_info(in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
		root = parse_stream(G_INPUT_STREAM(in), info ? g_file_info_get_size(info) : 0,
		                    progress, progress_data, cancellable, &local);
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
