/*
 * weft-chrome-slices.c - the tracks of one thread in the Chrome JSON:
 * regions, states and instants.
 *
 * Nesting: per thread, regions are X events clipped to their parent, and
 * every non-running state is split at region boundaries, so states are
 * leaves that never partially overlap a region. "running" gets no slice:
 * it is the gap between states (docs/convert.md has the reasoning). This
 * is the only part of the writer that knows how the model's per-thread
 * arrays are laid out.
 */
#include "weft-chrome-private.h"

#include <stdlib.h>

#include "weft-schema.h"

#define SYSCALL_LABEL(id, name) [WEFT_SYSCALL_##id] = #name "()",
static const char *const syscall_names[WEFT_SYSCALL_COUNT] = {WEFT_SYSCALL_KINDS(SYSCALL_LABEL)};
#undef SYSCALL_LABEL

/* ---- thread tracks ---- */

static void slice_open(weft_chrome_writer_t *w, const weft_thread_t *t, weft_time_t s,
                       weft_time_t e)
{
	weft_chrome_event_open(w);
	PUT(w, "\"ph\":\"X\",");
	weft_chrome_put_pid_tid(w, t);
	weft_chrome_put_ts(w, s);
	PUT(w, ",\"dur\":");
	weft_chrome_put_us(w, e - s);
	PUT(w, ",\"name\":");
}

static const char *state_label(weft_state_t st, gint32 aux)
{
	if (st == WEFT_STATE_SYSCALL && aux >= 0 && (guint) aux < G_N_ELEMENTS(syscall_names) &&
	    syscall_names[aux]) {
		return syscall_names[aux];
	}
	return weft_state_name(st);
}

static gboolean state_excluded(weft_chrome_writer_t *w, weft_state_t st, gint32 aux,
                               weft_str_t custom)
{
	if (w->patterns->len == 0) {
		return FALSE;
	}
	if (st == WEFT_STATE_BLOCK_CUSTOM && custom) {
		return weft_chrome_str_excluded(w, custom);
	}
	if (st == WEFT_STATE_SYSCALL && aux >= 0 && (guint) aux < G_N_ELEMENTS(w->syscall_sel)) {
		return weft_chrome_cached_excluded(w, &w->syscall_sel[aux], state_label(st, aux));
	}
	if ((guint) st >= WEFT_STATE_COUNT) {
		return FALSE;
	}
	return weft_chrome_cached_excluded(w, &w->state_sel[st], weft_state_name(st));
}

static void emit_state_piece(weft_chrome_writer_t *w, const weft_thread_t *t, guint k,
                             weft_time_t s, weft_time_t e)
{
	const weft_state_track_t *st = &t->states;
	weft_state_t state = g_array_index(st->state, guint8, k);
	gint32 aux = st->aux ? g_array_index(st->aux, gint32, k) : 0;
	guint64 object = st->object ? g_array_index(st->object, guint64, k) : 0;
	guint32 callsite = st->callsite ? g_array_index(st->callsite, guint32, k) : 0;
	guint8 flags = st->flags ? g_array_index(st->flags, guint8, k) : 0;
	guint32 stack = weft_state_track_stack(st, k);
	guint64 mark = weft_chrome_out_pos(w);
	weft_chrome_args_t a = {FALSE};

	if (!weft_chrome_slice_visible(w, &s, &e)) {
		return;
	}
	slice_open(w, t, s, e);
	if (state == WEFT_STATE_BLOCK_CUSTOM && aux > 0) {
		weft_chrome_put_str(w, (weft_str_t) aux);
	} else {
		const char *label = state_label(state, aux);

		weft_chrome_put_char(w, '"');
		weft_chrome_put_mem(w, label, strlen(label));
		weft_chrome_put_char(w, '"');
	}
	weft_chrome_put_sf(w, stack);
	if (state == WEFT_STATE_SYSCALL) {
		ARG(w, &a, "fd");
		weft_chrome_put_i64(w, (gint64) object);
	} else if (state == WEFT_STATE_SLEEP) {
		if (aux >= 0 && (guint) aux < G_N_ELEMENTS(syscall_names) && syscall_names[aux]) {
			ARG(w, &a, "call");
			weft_chrome_put_char(w, '"');
			weft_chrome_put_mem(w, syscall_names[aux], strlen(syscall_names[aux]));
			weft_chrome_put_char(w, '"');
		}
	} else if (state == WEFT_STATE_DATA_LOST) {
		if (object) {
			ARG(w, &a, "discarded");
			weft_chrome_put_u64(w, object);
		}
	} else if (object) {
		ARG(w, &a, "object");
		weft_chrome_put_hex_string(w, object);
	}
	weft_chrome_put_site(w, &a, callsite);
	weft_chrome_put_stack_args(w, &a, stack);
	weft_chrome_put_flags(w, &a, flags);
	weft_chrome_args_close(w, &a);
	weft_chrome_put_char(w, '}');
	weft_chrome_slice_account(w, e - s, mark);
}

static void emit_region(weft_chrome_writer_t *w, const weft_thread_t *t, guint k, weft_time_t end)
{
	const weft_slice_track_t *sl = &t->slices;
	weft_time_t s = g_array_index(sl->start, weft_time_t, k);
	weft_str_t name = g_array_index(sl->name, weft_str_t, k);
	guint32 callsite = sl->callsite ? g_array_index(sl->callsite, guint32, k) : 0;
	guint8 flags = sl->flags ? g_array_index(sl->flags, guint8, k) : 0;
	guint64 mark = weft_chrome_out_pos(w);
	weft_chrome_args_t a = {FALSE};

	if (weft_chrome_str_excluded(w, name)) {
		w->stats->n_filtered++;
		return;
	}
	if (!weft_chrome_slice_visible(w, &s, &end)) {
		return;
	}
	slice_open(w, t, s, end);
	weft_chrome_put_str(w, name);
	weft_chrome_put_site(w, &a, callsite);
	weft_chrome_put_flags(w, &a, flags);
	weft_chrome_args_close(w, &a);
	weft_chrome_put_char(w, '}');
	weft_chrome_slice_account(w, end - s, mark);
}

static int cmp_time(const void *a, const void *b)
{
	weft_time_t x = *(const weft_time_t *) a, y = *(const weft_time_t *) b;

	return x < y ? -1 : x > y;
}

/*
 * Clips each region to its enclosing one (a model whose regions partially
 * overlap still gives strictly nested X events) and collects the region
 * boundaries, sorted and unique.
 */
static void nest_regions(weft_chrome_writer_t *w, const weft_thread_t *t)
{
	const weft_slice_track_t *sl = &t->slices;
	guint n = sl->start ? sl->start->len : 0, u = 0;
	weft_time_t *b;

	g_array_set_size(w->region_end, n);
	g_array_set_size(w->boundaries, 0);
	g_array_set_size(w->stack, 0);
	for (guint k = 0; k < n; k++) {
		weft_time_t s = g_array_index(sl->start, weft_time_t, k);
		weft_time_t e = MAX(s, g_array_index(sl->end, weft_time_t, k));

		while (w->stack->len &&
		       g_array_index(w->stack, weft_time_t, w->stack->len - 1) <= s) {
			g_array_set_size(w->stack, w->stack->len - 1);
		}
		if (w->stack->len) {
			e = MIN(e, g_array_index(w->stack, weft_time_t, w->stack->len - 1));
		}
		g_array_index(w->region_end, weft_time_t, k) = e;
		g_array_append_val(w->stack, e);
		g_array_append_val(w->boundaries, s);
		g_array_append_val(w->boundaries, e);
	}
	if (w->boundaries->len > 1) {
		qsort(w->boundaries->data, w->boundaries->len, sizeof(weft_time_t), cmp_time);
	}
	b = (weft_time_t *) (void *) w->boundaries->data;
	for (guint k = 0; k < w->boundaries->len; k++) {
		if (u == 0 || b[u - 1] != b[k]) {
			b[u++] = b[k];
		}
	}
	g_array_set_size(w->boundaries, u);
}

/* Next state to draw at or after *k: skips running and excluded ones. */
static gboolean next_state(weft_chrome_writer_t *w, const weft_thread_t *t, guint *k,
                           weft_time_t *prev_end, weft_time_t *s, weft_time_t *e)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;

	for (; *k < n; (*k)++) {
		weft_state_t state = g_array_index(st->state, guint8, *k);
		gint32 aux = st->aux ? g_array_index(st->aux, gint32, *k) : 0;

		*s = MAX(g_array_index(st->start, weft_time_t, *k), *prev_end);
		*e = g_array_index(st->end, weft_time_t, *k);
		if (*e < *s) {
			continue; /* overlapped by the previous one: keep them disjoint */
		}
		*prev_end = *e;
		if (state == WEFT_STATE_RUNNING) {
			continue;
		}
		if (state_excluded(w, state, aux, (weft_str_t) MAX(aux, 0))) {
			w->stats->n_filtered++;
			continue;
		}
		return TRUE;
	}
	return FALSE;
}

/* Regions and state pieces of one thread, merged by start time, parents first. */
void weft_chrome_emit_thread_slices(weft_chrome_writer_t *w, const weft_thread_t *t)
{
	guint nr = t->slices.start ? t->slices.start->len : 0;
	guint r = 0, k = 0;
	weft_time_t prev_end = G_MININT64, ps = 0, se = 0;
	gboolean have = FALSE;

	nest_regions(w, t);
	have = next_state(w, t, &k, &prev_end, &ps, &se);
	while (r < nr || have) {
		weft_time_t rs =
		    r < nr ? g_array_index(t->slices.start, weft_time_t, r) : G_MAXINT64;

		if (r < nr && (!have || rs <= ps)) {
			emit_region(w, t, r, g_array_index(w->region_end, weft_time_t, r));
			r++;
			continue;
		}
		/* a piece of state k: from ps to the next region boundary or its end */
		guint bi = weft_model_lower_bound(w->boundaries, ps + 1);
		weft_time_t pe = se;

		if (bi < w->boundaries->len) {
			pe = MIN(pe, g_array_index(w->boundaries, weft_time_t, bi));
		}
		emit_state_piece(w, t, k, ps, pe);
		if (pe >= se) {
			k++;
			have = next_state(w, t, &k, &prev_end, &ps, &se);
		} else {
			ps = pe;
		}
	}
	weft_chrome_progress_step(w, nr + (t->states.start ? t->states.start->len : 0));
}

void weft_chrome_emit_instants(weft_chrome_writer_t *w, const weft_thread_t *t)
{
	const weft_instant_track_t *it = &t->instants;
	guint n = it->ts ? it->ts->len : 0;

	for (guint k = 0; k < n; k++) {
		weft_time_t ts = g_array_index(it->ts, weft_time_t, k);
		guint8 kind = g_array_index(it->kind, guint8, k);
		weft_str_t name = g_array_index(it->name, weft_str_t, k);
		weft_str_t msg = it->message ? g_array_index(it->message, weft_str_t, k) : 0;
		guint32 callsite = it->callsite ? g_array_index(it->callsite, guint32, k) : 0;
		gboolean is_log = kind == WEFT_INSTANT_LOG;
		guint64 mark = weft_chrome_out_pos(w);
		weft_chrome_args_t a = {FALSE};

		if (ts < w->lo || ts > w->hi || weft_chrome_str_excluded(w, name) ||
		    (is_log && weft_chrome_str_excluded(w, msg))) {
			w->stats->n_filtered++;
			continue;
		}
		if (weft_chrome_class_drops(&w->instants)) {
			w->stats->dropped_instants++;
			continue;
		}
		weft_chrome_event_open(w);
		PUT(w, "\"ph\":\"i\",\"s\":\"t\",");
		weft_chrome_put_pid_tid(w, t);
		weft_chrome_put_ts(w, ts);
		PUT(w, ",\"name\":");
		weft_chrome_put_str(w, is_log ? msg : name);
		if (is_log) {
			PUT(w, ",\"cat\":\"log\"");
			if (name) {
				ARG(w, &a, "category");
				weft_chrome_put_str(w, name);
			}
		} else {
			PUT(w, ",\"cat\":\"mark\"");
		}
		weft_chrome_put_site(w, &a, callsite);
		weft_chrome_args_close(w, &a);
		weft_chrome_put_char(w, '}');
		weft_chrome_class_account(w, &w->instants, mark);
	}
	weft_chrome_progress_step(w, n);
}
