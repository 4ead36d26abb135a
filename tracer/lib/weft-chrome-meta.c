/*
 * weft-chrome-meta.c - the Chrome JSON events that are not a thread's own
 * track: process and thread names (M events), data lost labels and
 * instants, counters (C), tasks (async b/e) and flows (v2 bind_id).
 *
 * Each walks one table of the model (processes, counters, tasks, flows,
 * lost); they share nothing with the per-thread nesting of
 * weft-chrome-slices.c, which weft_chrome_emit_process only calls.
 */
#include "weft-chrome-private.h"

/* ---- metadata events ---- */

/* Opens an M event up to its args object: `..."name":what,"args":{` */
static void meta_open(weft_chrome_writer_t *w, int64_t pid, const int64_t *tid,
                      const char *what_lit)
{
	weft_chrome_event_open(w);
	PUT(w, "\"ph\":\"M\",\"pid\":");
	weft_chrome_put_i64(w, pid);
	if (tid) {
		PUT(w, ",\"tid\":");
		weft_chrome_put_i64(w, *tid);
	}
	PUT(w, ",\"name\":");
	weft_chrome_put_mem(w, what_lit, strlen(what_lit));
	PUT(w, ",\"args\":{");
}

static void emit_meta_name(weft_chrome_writer_t *w, int64_t pid, const int64_t *tid,
                           const char *what_lit, weft_str_t name)
{
	meta_open(w, pid, tid, what_lit);
	PUT(w, "\"name\":");
	weft_chrome_put_str(w, name);
	PUT(w, "}}");
}

static void emit_meta_sort(weft_chrome_writer_t *w, int64_t pid, const int64_t *tid,
                           const char *what_lit, guint index)
{
	meta_open(w, pid, tid, what_lit);
	PUT(w, "\"sort_index\":");
	weft_chrome_put_u64(w, index);
	PUT(w, "}}");
}

static void emit_process_labels(weft_chrome_writer_t *w, const weft_process_t *p)
{
	guint64 lost = 0;
	char text[64];

	for (guint i = 0; i < w->model->lost->len; i++) {
		const weft_lost_t *l = &g_array_index(w->model->lost, weft_lost_t, i);

		if (l->pid == p->pid || l->pid < 0) {
			lost += l->count;
		}
	}
	if (!lost) {
		return;
	}
	weft_chrome_event_open(w);
	PUT(w, "\"ph\":\"M\",\"pid\":");
	weft_chrome_put_i64(w, p->pid);
	PUT(w, ",\"name\":\"process_labels\",\"args\":{\"labels\":");
	g_snprintf(text, sizeof(text), "\"data lost: %" G_GUINT64_FORMAT " events\"", lost);
	weft_chrome_put_mem(w, text, strlen(text));
	PUT(w, "}}");
}

void weft_chrome_emit_process(weft_chrome_writer_t *w, const weft_process_t *p)
{
	guint sort = 0;

	if (p->name) {
		emit_meta_name(w, p->pid, NULL, "\"process_name\"", p->name);
	}
	emit_meta_sort(w, p->pid, NULL, "\"process_sort_index\"", p->index);
	emit_process_labels(w, p);
	for (guint i = 0; i < p->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(p->threads, i);

		if (!weft_chrome_thread_selected(w, t->index)) {
			continue;
		}
		if (t->name) {
			emit_meta_name(w, p->pid, &t->tid, "\"thread_name\"", t->name);
		}
		emit_meta_sort(w, p->pid, &t->tid, "\"thread_sort_index\"", sort++);
		weft_chrome_emit_thread_slices(w, t);
		weft_chrome_emit_instants(w, t);
	}
}

/* ---- counters ---- */

static void emit_counter_sample(weft_chrome_writer_t *w, const weft_process_t *p,
                                const weft_counter_t *c, weft_time_t ts, gint64 value)
{
	guint64 mark = weft_chrome_out_pos(w);

	if (weft_chrome_class_drops(&w->counters)) {
		w->stats->dropped_counters++;
		return;
	}
	weft_chrome_event_open(w);
	PUT(w, "\"ph\":\"C\",\"pid\":");
	weft_chrome_put_i64(w, p->pid);
	weft_chrome_put_ts(w, ts);
	PUT(w, ",\"name\":");
	if (c->is_heap && !c->name) {
		PUT(w, "\"heap\"");
	} else {
		weft_chrome_put_str(w, c->name);
	}
	if (c->is_heap) {
		PUT(w, ",\"args\":{\"bytes\":");
	} else {
		PUT(w, ",\"args\":{\"value\":");
	}
	weft_chrome_put_i64(w, value);
	PUT(w, "}}");
	weft_chrome_class_account(w, &w->counters, mark);
}

void weft_chrome_emit_counters(weft_chrome_writer_t *w, const weft_process_t *p)
{
	for (guint i = 0; i < p->counters->len; i++) {
		const weft_counter_t *c = g_ptr_array_index(p->counters, i);
		guint n = c->ts ? c->ts->len : 0;
		guint first = n ? weft_model_lower_bound(c->ts, w->lo) : 0;

		if (weft_chrome_str_excluded(w, c->name) ||
		    (c->is_heap && !c->name && w->patterns->len &&
		     weft_chrome_name_excluded(w, "heap"))) {
			w->stats->n_filtered += n;
			continue;
		}
		/* the value in force when the window opens */
		if (first > 0 && (first == n || g_array_index(c->ts, weft_time_t, first) > w->lo)) {
			emit_counter_sample(w, p, c, w->lo,
			                    g_array_index(c->value, gint64, first - 1));
		}
		w->stats->n_filtered += first;
		for (guint k = first; k < n; k++) {
			weft_time_t ts = g_array_index(c->ts, weft_time_t, k);

			if (ts > w->hi) {
				w->stats->n_filtered += n - k;
				break;
			}
			emit_counter_sample(w, p, c, ts, g_array_index(c->value, gint64, k));
		}
		weft_chrome_progress_step(w, n);
	}
}

/* ---- tasks: async b/e, packed into as few tracks as never overlap ---- */

static const weft_thread_t *borrow_thread(const weft_chrome_writer_t *w, guint index)
{
	if (index >= w->model->threads->len) {
		return NULL;
	}
	return g_ptr_array_index(w->model->threads, index);
}

static guint task_lane(GHashTable *lanes, const weft_task_t *task, int64_t pid, weft_time_t s,
                       weft_time_t e)
{
	gint64 key = (gint64) (((guint64) (guint32) pid << 32) | task->name);
	GArray *ends = g_hash_table_lookup(lanes, &key);
	guint lane;

	if (!ends) {
		gint64 *k = g_new(gint64, 1);

		*k = key;
		ends = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
		g_hash_table_insert(lanes, k, ends);
	}
	for (lane = 0; lane < ends->len; lane++) {
		if (g_array_index(ends, weft_time_t, lane) <= s) {
			break;
		}
	}
	if (lane == ends->len) {
		g_array_append_val(ends, e);
	} else {
		g_array_index(ends, weft_time_t, lane) = e;
	}
	return lane;
}

static void emit_task_event(weft_chrome_writer_t *w, char ph, const weft_thread_t *t,
                            weft_time_t ts, const weft_task_t *task, guint lane)
{
	weft_chrome_args_t a = {FALSE};

	weft_chrome_event_open(w);
	PUT(w, "\"ph\":\"");
	weft_chrome_put_char(w, ph);
	PUT(w, "\",\"cat\":\"task\",\"id\":");
	weft_chrome_put_u64(w, lane);
	weft_chrome_put_char(w, ',');
	weft_chrome_put_pid_tid(w, t);
	weft_chrome_put_ts(w, ts);
	PUT(w, ",\"name\":");
	weft_chrome_put_str(w, task->name);
	if (ph == 'b') {
		ARG(w, &a, "task");
		weft_chrome_put_u64(w, task->id);
		weft_chrome_put_site(w, &a, task->callsite);
		weft_chrome_put_flags(w, &a, task->flags);
		weft_chrome_args_close(w, &a);
	}
	weft_chrome_put_char(w, '}');
}

void weft_chrome_emit_tasks(weft_chrome_writer_t *w)
{
	GHashTable *lanes = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	                                          (GDestroyNotify) g_array_unref);

	for (guint i = 0; i < w->model->tasks->len; i++) {
		const weft_task_t *task = &g_array_index(w->model->tasks, weft_task_t, i);
		const weft_thread_t *bt = borrow_thread(w, task->begin_thread);
		const weft_thread_t *et = borrow_thread(w, task->end_thread);
		weft_time_t s = task->start, e = MAX(task->start, task->end);

		if (!bt) {
			bt = et;
		}
		if (!et) {
			et = bt;
		}
		if (!bt || bt->process != et->process ||
		    !(weft_chrome_thread_selected(w, bt->index) ||
		      weft_chrome_thread_selected(w, et->index)) ||
		    s > w->hi || e < w->lo || weft_chrome_str_excluded(w, task->name)) {
			w->stats->n_filtered++;
			continue;
		}
		s = MAX(s, w->lo);
		e = MIN(e, w->hi);
		guint lane = task_lane(lanes, task, bt->process ? bt->process->pid : 0, s, e);

		emit_task_event(w, 'b', bt, s, task, lane);
		emit_task_event(w, 'e', et, e, task, lane);
	}
	weft_chrome_progress_step(w, w->model->tasks->len);
	g_hash_table_destroy(lanes);
}

/* ---- flows: v2, a zero-length X event at each end ---- */

static void emit_flow_end(weft_chrome_writer_t *w, const weft_thread_t *t, weft_time_t ts,
                          const char *name, gboolean out, guint64 object, guint32 stack)
{
	weft_chrome_args_t a = {FALSE};

	weft_chrome_event_open(w);
	PUT(w, "\"ph\":\"X\",");
	weft_chrome_put_pid_tid(w, t);
	weft_chrome_put_ts(w, ts);
	PUT(w, ",\"dur\":0,\"name\":\"");
	weft_chrome_put_mem(w, name, strlen(name));
	PUT(w, "\",\"cat\":\"flow\",\"bind_id\":");
	weft_chrome_put_u64(w, w->bind_id);
	if (out) {
		PUT(w, ",\"flow_out\":true");
	} else {
		PUT(w, ",\"flow_in\":true");
	}
	weft_chrome_put_sf(w, stack);
	if (object) {
		ARG(w, &a, "object");
		weft_chrome_put_hex_string(w, object);
	}
	weft_chrome_put_stack_args(w, &a, stack);
	weft_chrome_args_close(w, &a);
	weft_chrome_put_char(w, '}');
}

/* The source side's stack; a thread creation falls back on the child's record of it. */
static guint32 flow_stack(const weft_flow_t *f, const weft_thread_t *to)
{
	if (!f->stack && f->kind == WEFT_FLOW_THREAD_CREATE) {
		return to->create_stack;
	}
	return f->stack;
}

void weft_chrome_emit_flows(weft_chrome_writer_t *w)
{
	for (guint i = 0; i < w->model->flows->len; i++) {
		const weft_flow_t *f = &g_array_index(w->model->flows, weft_flow_t, i);
		const weft_thread_t *from = borrow_thread(w, f->from_thread);
		const weft_thread_t *to = borrow_thread(w, f->to_thread);
		const char *name = weft_flow_kind_name(f->kind);
		guint64 mark = weft_chrome_out_pos(w);

		if (!from || !to || !weft_chrome_thread_selected(w, f->from_thread) ||
		    !weft_chrome_thread_selected(w, f->to_thread) || f->from_ts < w->lo ||
		    f->to_ts > w->hi ||
		    ((guint) f->kind < WEFT_FLOW_COUNT && w->patterns->len &&
		     weft_chrome_cached_excluded(w, &w->flow_sel[f->kind], name))) {
			w->stats->n_filtered++;
			continue;
		}
		if (f->to_ts < f->from_ts) {
			w->stats->n_bad_flows++;
			continue;
		}
		if (weft_chrome_class_drops(&w->flows)) {
			w->stats->dropped_flows++;
			continue;
		}
		w->bind_id++;
		emit_flow_end(w, from, f->from_ts, name, TRUE, f->object, flow_stack(f, to));
		emit_flow_end(w, to, f->to_ts, name, FALSE, 0, 0);
		weft_chrome_class_account(w, &w->flows, mark);
	}
	weft_chrome_progress_step(w, w->model->flows->len);
}

/* ---- data lost ---- */

void weft_chrome_emit_lost(weft_chrome_writer_t *w)
{
	for (guint i = 0; i < w->model->lost->len; i++) {
		const weft_lost_t *l = &g_array_index(w->model->lost, weft_lost_t, i);
		weft_chrome_args_t a = {FALSE};
		const weft_process_t *p = NULL;

		for (guint k = 0; l->pid >= 0 && k < w->model->processes->len; k++) {
			const weft_process_t *q = g_ptr_array_index(w->model->processes, k);

			if (q->pid == l->pid) {
				p = q;
				break;
			}
		}
		if (l->end < w->lo || l->start > w->hi || (p && !w->process_sel[p->index])) {
			continue;
		}
		weft_chrome_event_open(w);
		if (p) {
			PUT(w, "\"ph\":\"i\",\"s\":\"p\",\"pid\":");
			weft_chrome_put_i64(w, p->pid);
		} else {
			PUT(w, "\"ph\":\"i\",\"s\":\"g\",\"pid\":0");
		}
		weft_chrome_put_ts(w, MAX(l->start, w->lo));
		PUT(w, ",\"name\":\"data lost\",\"cat\":\"weft\"");
		ARG(w, &a, "discarded");
		weft_chrome_put_u64(w, l->count);
		ARG(w, &a, "until_us");
		weft_chrome_put_us(w, l->end - w->model->start);
		if (l->cpu >= 0) {
			ARG(w, &a, "cpu");
			weft_chrome_put_i64(w, l->cpu);
		}
		weft_chrome_args_close(w, &a);
		weft_chrome_put_char(w, '}');
	}
}
