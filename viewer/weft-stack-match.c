/*
 * The highlight predicate: one pass over the callsites (which name the
 * frame), one over the interned stacks (which hold such a callsite), then
 * one over each thread's intervals. Names are compared once per callsite,
 * not once per frame.
 */
#include "weft-stack-match.h"

#include <string.h>

#include "weft-frame.h"

/* guint8 per callsite: 1 when it names frame. */
static GArray *match_sites(const weft_model_t *model, const char *frame)
{
	GArray *sites = g_array_sized_new(FALSE, TRUE, 1, model->callsites->len);

	g_array_set_size(sites, model->callsites->len);
	for (guint i = 1; i < model->callsites->len; i++) {
		g_autofree char *name = weft_frame_dup_name(model, i);

		g_array_index(sites, guint8, i) = strcmp(name, frame) == 0;
	}
	return sites;
}

/* guint8 per stack: 1 when one of its frames is a matching site. */
static GArray *match_stacks(const weft_model_t *model, const GArray *sites)
{
	guint n = model->stacks ? model->stacks->len : 0;
	GArray *stacks = g_array_sized_new(FALSE, TRUE, 1, n);

	g_array_set_size(stacks, n);
	for (guint s = 1; s < n; s++) {
		const guint32 *frames = NULL;
		const weft_stack_t *st = weft_model_borrow_stack(model, s, &frames);

		for (guint f = 0; st && f < st->depth; f++) {
			if (frames[f] < sites->len && g_array_index(sites, guint8, frames[f])) {
				g_array_index(stacks, guint8, s) = 1;
				break;
			}
		}
	}
	return stacks;
}

static gboolean is_wait(weft_state_t state)
{
	return state != WEFT_STATE_RUNNING && state != WEFT_STATE_DATA_LOST &&
	       state < WEFT_STATE_COUNT;
}

static gboolean flag_of(const GArray *flags, guint32 i)
{
	return i < flags->len && g_array_index(flags, guint8, i);
}

static GArray *match_thread(const weft_thread_t *t, const GArray *sites, const GArray *stacks)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;
	gboolean routine = t->start_routine_site && flag_of(sites, t->start_routine_site);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(guint));

	for (guint i = 0; i < n; i++) {
		guint32 stack = weft_state_track_stack(st, i);
		gboolean hit;

		if (!is_wait(g_array_index(st->state, guint8, i))) {
			continue;
		}
		hit = routine || (stack ? flag_of(stacks, stack)
		                        : flag_of(sites, g_array_index(st->callsite, guint32, i)));
		if (hit) {
			g_array_append_val(out, i);
		}
	}
	return out;
}

weft_stack_match_t *weft_stack_match_new(const weft_model_t *model, const char *frame)
{
	weft_stack_match_t *match;
	g_autoptr(GArray) sites = NULL;
	g_autoptr(GArray) stacks = NULL;

	g_return_val_if_fail(model != NULL && frame != NULL, NULL);
	match = g_new0(weft_stack_match_t, 1);
	match->frame = g_strdup(frame);
	match->threads = g_ptr_array_new_with_free_func((GDestroyNotify) g_array_unref);
	sites = match_sites(model, frame);
	stacks = match_stacks(model, sites);
	for (guint i = 0; i < model->threads->len; i++) {
		GArray *hits = match_thread(g_ptr_array_index(model->threads, i), sites, stacks);

		match->n_intervals += hits->len;
		g_ptr_array_add(match->threads, hits);
	}
	return match;
}

void weft_stack_match_free(weft_stack_match_t *match)
{
	if (!match) {
		return;
	}
	g_ptr_array_unref(match->threads);
	g_free(match->frame);
	g_free(match);
}

const GArray *weft_stack_match_borrow_thread(const weft_stack_match_t *match, guint thread)
{
	static const GArray empty = {NULL, 0};

	g_return_val_if_fail(match != NULL, &empty);
	return thread < match->threads->len ? g_ptr_array_index(match->threads, thread) : &empty;
}

gboolean weft_stack_match_has(const weft_stack_match_t *match, guint thread, guint i)
{
	const GArray *hits = weft_stack_match_borrow_thread(match, thread);
	guint lo = 0, hi = hits->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		guint v = g_array_index(hits, guint, mid);

		if (v == i) {
			return TRUE;
		}
		if (v < i) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return FALSE;
}
