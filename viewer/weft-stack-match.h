/*
 * weft-stack-match.h - the timeline's highlight: which state intervals
 * went through a frame (a function, named as weft_frame_dup_name() names
 * it). Computed once, when a flame graph frame is clicked, over every
 * thread; the lanes then find the matches in view by binary search.
 *
 * A wait matches when its recorded stack holds a frame of that name;
 * a wait without a stack, when its call site has that name (the profiles
 * count it as a one-frame stack there); and every wait of a thread whose
 * start routine has that name (the profiles put the routine at the root
 * of each of its stacks). Running time and data-lost gaps never match.
 *
 * Needs only GLib.
 */
#ifndef WEFT_STACK_MATCH_H
#define WEFT_STACK_MATCH_H

#include <glib.h>

#include "weft-model.h"

G_BEGIN_DECLS

typedef struct {
	char *frame; /* owned: the frame's name */
	GPtrArray
	    *threads; /* GArray* (owned) of guint per model thread: matching intervals, ascending */
	guint n_intervals; /* matching intervals over every thread */
} weft_stack_match_t;

weft_stack_match_t *weft_stack_match_new(const weft_model_t *model, const char *frame);
void weft_stack_match_free(weft_stack_match_t *match);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_stack_match_t, weft_stack_match_free)

/* The matching state intervals of thread (borrowed; empty when none). */
const GArray *weft_stack_match_borrow_thread(const weft_stack_match_t *match, guint thread);

/* Whether interval i of thread matches. */
gboolean weft_stack_match_has(const weft_stack_match_t *match, guint thread, guint i);

G_END_DECLS

#endif /* WEFT_STACK_MATCH_H */
