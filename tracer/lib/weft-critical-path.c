/*
 * The critical-path walk (weft-critical-path.h). It runs backwards from the
 * interval's end with an explicit stack of frames, one per thread being
 * walked: a jump pushes the waker's frame on top of the waiter's, so the
 * waker's time before the wake comes out before the waiter's time before
 * the wait, and no C recursion grows with the length of a wake-up chain.
 */
#include "weft-critical-path.h"

struct weft_critical_index {
	const weft_model_t *model; /* borrowed */
	/* per thread: GArray of guint flow indexes that end its waits, by to_ts; owned */
	GPtrArray *wakes;
	GArray *create; /* guint per thread: its THREAD_CREATE flow, G_MAXUINT when none */
};

typedef struct {
	guint thread;
	weft_time_t lo, hi; /* still to walk: [lo, hi), walked downwards */
	gint cursor;        /* last state interval with start < hi, -1 when none */
	guint flow;         /* jump to attach to the frame's first segment, G_MAXUINT: none */
} frame_t;

gboolean weft_critical_state_jumps(weft_state_t state)
{
	switch (state) {
	case WEFT_STATE_MUTEX:
	case WEFT_STATE_RWLOCK_READ:
	case WEFT_STATE_RWLOCK_WRITE:
	case WEFT_STATE_SPIN:
	case WEFT_STATE_LOCK_CUSTOM:
	case WEFT_STATE_CONDVAR:
	case WEFT_STATE_SEMAPHORE:
	case WEFT_STATE_BARRIER:
	case WEFT_STATE_JOIN:
		return TRUE;
	default:
		return FALSE;
	}
}

static gboolean is_wake_flow(weft_flow_kind_t kind)
{
	return kind == WEFT_FLOW_LOCK_HANDOFF || kind == WEFT_FLOW_COND_WAKE ||
	       kind == WEFT_FLOW_SEM_WAKE || kind == WEFT_FLOW_JOIN || kind == WEFT_FLOW_USER;
}

static gint cmp_to_ts(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const weft_model_t *model = data;
	const weft_flow_t *a = &g_array_index(model->flows, weft_flow_t, *(const guint *) pa);
	const weft_flow_t *b = &g_array_index(model->flows, weft_flow_t, *(const guint *) pb);

	if (a->to_ts != b->to_ts) {
		return a->to_ts < b->to_ts ? -1 : 1;
	}
	return (*(const guint *) pa > *(const guint *) pb) -
	       (*(const guint *) pa < *(const guint *) pb);
}

weft_critical_index_t *weft_critical_index_new(const weft_model_t *model)
{
	weft_critical_index_t *index = g_new0(weft_critical_index_t, 1);
	guint n = model->threads->len, none = G_MAXUINT;

	index->model = model;
	index->wakes = g_ptr_array_new_with_free_func((GDestroyNotify) g_array_unref);
	index->create = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < n; i++) {
		g_ptr_array_add(index->wakes, g_array_new(FALSE, FALSE, sizeof(guint)));
		g_array_append_val(index->create, none);
	}
	for (guint i = 0; model->flows && i < model->flows->len; i++) {
		const weft_flow_t *f = &g_array_index(model->flows, weft_flow_t, i);

		if (f->to_thread >= n || f->from_thread >= n || f->from_thread == f->to_thread) {
			continue;
		}
		if (f->kind == WEFT_FLOW_THREAD_CREATE) {
			g_array_index(index->create, guint, f->to_thread) = i;
		} else if (is_wake_flow(f->kind)) {
			g_array_append_val(g_ptr_array_index(index->wakes, f->to_thread), i);
		}
	}
	for (guint i = 0; i < n; i++) {
		g_array_sort_with_data(g_ptr_array_index(index->wakes, i), cmp_to_ts,
		                       (gpointer) model);
	}
	return index;
}

void weft_critical_index_free(weft_critical_index_t *index)
{
	if (!index) {
		return;
	}
	g_ptr_array_unref(index->wakes);
	g_array_unref(index->create);
	g_free(index);
}

/* The last flow into thread with to_ts in [from, to], G_MAXUINT when none. */
static guint find_wake(const weft_critical_index_t *index, guint thread, weft_time_t from,
                       weft_time_t to)
{
	const GArray *w = g_ptr_array_index(index->wakes, thread);
	const guint *fi = (const guint *) (const void *) w->data;
	guint lo = 0, hi = w->len;

	while (lo < hi) { /* first flow with to_ts > to */
		guint mid = lo + (hi - lo) / 2;

		if (g_array_index(index->model->flows, weft_flow_t, fi[mid]).to_ts <= to) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (lo == 0 || g_array_index(index->model->flows, weft_flow_t, fi[lo - 1]).to_ts < from) {
		return G_MAXUINT;
	}
	return fi[lo - 1];
}

static gint last_before(const weft_thread_t *t, weft_time_t hi)
{
	return (gint) weft_model_lower_bound(t->states.start, hi) - 1;
}

/* Appends [start, end) of frame's thread, merged into the previous segment when it extends it. */
static void emit(GArray *out, guint base, frame_t *f, guint8 state, guint8 kind, guint64 object,
                 guint32 callsite, guint32 stack, weft_time_t start, weft_time_t end)
{
	weft_critical_segment_t s = {f->thread, state, kind,        object, callsite,
	                             stack,     start, end - start, f->flow};

	if (end <= start) {
		return;
	}
	f->flow = G_MAXUINT;
	if (out->len > base) {
		/* Walking backwards: the last appended segment comes right after this one. */
		weft_critical_segment_t *p =
		    &g_array_index(out, weft_critical_segment_t, out->len - 1);

		if (p->thread == s.thread && p->state == s.state && p->kind == s.kind &&
		    p->object == s.object && p->callsite == s.callsite && p->stack == s.stack &&
		    s.flow == G_MAXUINT && p->start == end) {
			p->start = start;
			p->duration += s.duration;
			return;
		}
	}
	g_array_append_val(out, s);
}

/* A jump: the waiter's [w, f->hi) is its wake-up, the waker's [lo, w) comes next. */
static void jump(const weft_critical_index_t *index, GArray *stack, frame_t *f, GArray *out,
                 guint base, guint flow, guint8 state, guint64 object, guint32 callsite, guint32 st,
                 weft_time_t lo)
{
	const weft_flow_t *fl = &g_array_index(index->model->flows, weft_flow_t, flow);
	const weft_thread_t *waker = g_ptr_array_index(index->model->threads, fl->from_thread);
	weft_time_t w = CLAMP(fl->from_ts, lo, f->hi);
	frame_t child = {fl->from_thread, lo, w, last_before(waker, w), flow};

	emit(out, base, f, state, WEFT_CRITICAL_WOKEN, object, callsite, st, w, f->hi);
	f->hi = lo;
	g_array_append_val(stack, child);
}

/* One step of the frame on top of the stack: emits or jumps, and moves f->hi down. */
static void step(const weft_critical_index_t *index, GArray *stack, GArray *out, guint base)
{
	frame_t *f = &g_array_index(stack, frame_t, stack->len - 1);
	const weft_thread_t *t = g_ptr_array_index(index->model->threads, f->thread);
	const weft_state_track_t *st = &t->states;

	if (f->cursor >= 0) {
		gint i = f->cursor;
		weft_time_t s = g_array_index(st->start, weft_time_t, i);
		weft_time_t e = g_array_index(st->end, weft_time_t, i);
		weft_time_t a = MAX(s, f->lo);
		guint8 state = g_array_index(st->state, guint8, i);
		guint64 object = g_array_index(st->object, guint64, i);
		guint32 site = g_array_index(st->callsite, guint32, i);
		guint32 stk = weft_state_track_stack(st, (guint) i);
		guint flow;

		if (e < f->hi) { /* a gap after the interval: running as far as the model says */
			weft_time_t g = MAX(e, f->lo);

			emit(out, base, f, WEFT_STATE_RUNNING, WEFT_CRITICAL_OWN, 0, 0, 0, g,
			     f->hi);
			f->hi = g;
			return;
		}
		f->cursor--;
		if (!weft_critical_state_jumps(state)) {
			emit(out, base, f, state, WEFT_CRITICAL_OWN, object, site, stk, a, f->hi);
		} else if ((flow = find_wake(index, f->thread, s, e)) != G_MAXUINT) {
			jump(index, stack, f, out, base, flow, state, object, site, stk, a);
			return; /* f may have moved with the stack */
		} else {
			emit(out, base, f, state, WEFT_CRITICAL_NO_WAKER, object, site, stk, a,
			     f->hi);
		}
		f->hi = a;
		return;
	}
	if (f->hi > MAX(t->start, f->lo)) { /* before the first interval */
		emit(out, base, f, WEFT_STATE_RUNNING, WEFT_CRITICAL_OWN, 0, 0, 0,
		     MAX(t->start, f->lo), f->hi);
		f->hi = MAX(t->start, f->lo);
		return;
	}
	guint create = g_array_index(index->create, guint, f->thread);

	if (create != G_MAXUINT) {
		jump(index, stack, f, out, base, create, WEFT_STATE_RUNNING, 0, 0, 0, f->lo);
		return;
	}
	emit(out, base, f, WEFT_STATE_RUNNING, WEFT_CRITICAL_UNTRACED, 0, 0, 0, f->lo, f->hi);
	f->hi = f->lo;
}

static void reverse(GArray *out, guint base)
{
	for (guint i = base, j = out->len; i + 1 < j; i++, j--) {
		weft_critical_segment_t tmp = g_array_index(out, weft_critical_segment_t, i);

		g_array_index(out, weft_critical_segment_t, i) =
		    g_array_index(out, weft_critical_segment_t, j - 1);
		g_array_index(out, weft_critical_segment_t, j - 1) = tmp;
	}
}

void weft_critical_path(const weft_critical_index_t *index, guint thread, weft_time_t start,
                        weft_time_t end, GArray *out)
{
	g_autoptr(GArray) stack = NULL;
	const weft_thread_t *t;
	guint base = out->len;

	g_return_if_fail(index && out && thread < index->model->threads->len);
	if (end <= start) {
		return;
	}
	t = g_ptr_array_index(index->model->threads, thread);
	stack = g_array_new(FALSE, FALSE, sizeof(frame_t));
	frame_t root = {thread, start, end, last_before(t, end), G_MAXUINT};

	g_array_append_val(stack, root);
	while (stack->len) {
		frame_t *f = &g_array_index(stack, frame_t, stack->len - 1);

		if (f->hi <= f->lo) {
			g_array_set_size(stack, stack->len - 1);
			continue;
		}
		step(index, stack, out, base);
	}
	reverse(out, base);
}
