/*
 * weft-json-build.c - the records of the Chrome JSON importer matched into
 * the timeline model: processes and threads by id, B/E pairs, async b/e
 * pairs into tasks, flow ends into flows, counters by name, then slices
 * nested, states sorted, and threads ordered as the CTF reader orders them.
 *
 * Files are not time-sorted (weft writes thread by thread), so async
 * begin/end pairs and flow ends are collected during the pass and matched
 * after it; this is the only part that knows.
 */
#include "weft-json-import-private.h"

#include <stdlib.h>
#include <string.h>

/* Both ends of a flow, keyed by its id. */
typedef struct {
	weft_flow_t flow;
	gboolean has_from, has_to;
} pending_flow_t;

weft_process_t *weft_json_get_process(weft_json_import_t *im, gint64 pid)
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

weft_thread_t *weft_json_get_thread(weft_json_import_t *im, gint64 pid, gint64 tid)
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
	t->process = weft_json_get_process(im, pid);
	t->index = im->model->threads->len;
	thread_arrays(t);
	g_ptr_array_add(im->model->threads, t);
	g_hash_table_insert(im->threads, g_strdup(key), t);
	return t;
}

void weft_json_touch(weft_json_import_t *im, weft_thread_t *t, weft_time_t a, weft_time_t b)
{
	im->min_ts = MIN(im->min_ts, a);
	im->max_ts = MAX(im->max_ts, b);
	if (t) {
		t->start = MIN(t->start, a);
		t->end = MAX(t->end, b);
	}
}

static GArray *thread_list(GHashTable *table, weft_thread_t *t)
{
	GArray *a = g_hash_table_lookup(table, t);

	if (!a) {
		a = g_array_new(FALSE, FALSE, sizeof(weft_json_pending_slice_t));
		g_hash_table_insert(table, t, a);
	}
	return a;
}

void weft_json_add_slice(weft_json_import_t *im, weft_thread_t *t,
                         const weft_json_pending_slice_t *s)
{
	g_array_append_val(thread_list(im->slices, t), *s);
}

void weft_json_begin_slice(weft_json_import_t *im, weft_thread_t *t,
                           const weft_json_pending_slice_t *s)
{
	g_array_append_val(thread_list(im->open_b, t), *s);
}

void weft_json_end_slice(weft_json_import_t *im, weft_thread_t *t, weft_time_t ts)
{
	GArray *stack = thread_list(im->open_b, t);
	weft_json_pending_slice_t top;

	if (stack->len == 0) {
		im->model->n_skipped++; /* an end without a begin */
		return;
	}
	top = g_array_index(stack, weft_json_pending_slice_t, stack->len - 1);
	top.end = ts;
	weft_json_add_slice(im, t, &top);
	g_array_set_size(stack, stack->len - 1);
}

/* Records one end of flow id (out: the source, with its stack). */
void weft_json_flow_end(weft_json_import_t *im, const char *id, weft_thread_t *t, weft_time_t ts,
                        gboolean out, weft_flow_kind_t kind, guint64 object, guint32 stack)
{
	pending_flow_t *pf = g_hash_table_lookup(im->flows, id);

	if (!pf) {
		pf = g_new0(pending_flow_t, 1);
		g_hash_table_insert(im->flows, g_strdup(id), pf);
	}
	weft_json_touch(im, t, ts, ts);
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

static gint cmp_async(gconstpointer a, gconstpointer b)
{
	const weft_json_async_end_t *x = a, *y = b;

	if (x->ts != y->ts) {
		return x->ts < y->ts ? -1 : 1;
	}
	/* An end before a begin at the same time: lanes are reused. */
	return (int) x->begin - (int) y->begin;
}

/* Pairs each begin with the next end of the same key, in time order. */
static void finish_tasks(weft_json_import_t *im)
{
	GHashTable *open = g_hash_table_new(NULL, NULL); /* key -> task index + 1 */

	g_array_sort(im->async, cmp_async);
	for (guint i = 0; i < im->async->len; i++) {
		const weft_json_async_end_t *a =
		    &g_array_index(im->async, weft_json_async_end_t, i);
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
static void finish_flows(weft_json_import_t *im)
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

weft_counter_t *weft_json_get_counter(weft_json_import_t *im, weft_process_t *p, const char *name)
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

static gint cmp_slice(gconstpointer a, gconstpointer b)
{
	const weft_json_pending_slice_t *x = a, *y = b;

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
		const weft_json_pending_slice_t *s =
		    &g_array_index(pending, weft_json_pending_slice_t, i);
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
void weft_json_finish_model(weft_json_import_t *im)
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
