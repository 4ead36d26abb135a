/*
 * weft-session.h - what every part of the timeline page shares: the model
 * (owned), the visible time window, the selected item, the selected time
 * range, whether all flow arrows show, and the stack highlight (the waits
 * that went through a frame clicked in a flame graph). Lanes, the ruler,
 * the flow layer and the details pane observe it; none of them talk to
 * each other.
 */
#ifndef WEFT_SESSION_H
#define WEFT_SESSION_H

#include <glib-object.h>

#include "weft-critical-path.h"
#include "weft-model.h"
#include "weft-stack-match.h"
#include "weft-time-window.h"

G_BEGIN_DECLS

typedef enum {
	WEFT_ITEM_NONE = 0,
	WEFT_ITEM_STATE,   /* thread, index into its state track */
	WEFT_ITEM_SLICE,   /* thread, index into its slice track */
	WEFT_ITEM_INSTANT, /* thread, index into its instants */
	WEFT_ITEM_TASK,    /* index into model->tasks */
	WEFT_ITEM_CPU,     /* lane = cpu lane, index into it */
} weft_item_kind_t;

/* A selectable thing on the timeline. */
typedef struct {
	weft_item_kind_t kind;
	guint thread; /* model thread index, G_MAXUINT when none */
	guint lane;   /* cpu lane index for WEFT_ITEM_CPU */
	guint index;
	weft_time_t start, end;
} weft_item_t;

#define WEFT_TYPE_SESSION (weft_session_get_type())
G_DECLARE_FINAL_TYPE(WeftSession, weft_session, WEFT, SESSION, GObject)

/* Takes ownership of model (which may be NULL for an empty session). */
WeftSession *weft_session_new(weft_model_t *model);
const weft_model_t *weft_session_borrow_model(WeftSession *self);
WeftTimeWindow *weft_session_borrow_time_window(WeftSession *self);

/* NULL or an item with kind NONE clears the selection. */
void weft_session_select(WeftSession *self, const weft_item_t *item);
const weft_item_t *weft_session_get_selection(WeftSession *self);

/* A selected time range (start == end: none). */
void weft_session_select_range(WeftSession *self, weft_time_t start, weft_time_t end);
gboolean weft_session_get_range(WeftSession *self, weft_time_t *start, weft_time_t *end);

void weft_session_set_show_all_flows(WeftSession *self, gboolean show);
gboolean weft_session_get_show_all_flows(WeftSession *self);

/*
 * Highlights the intervals of match (taken over; NULL clears) on the
 * lanes; emits "highlight-changed".
 */
void weft_session_set_highlight(WeftSession *self, weft_stack_match_t *match);
/* The highlight (borrowed), NULL when none. */
const weft_stack_match_t *weft_session_borrow_highlight(WeftSession *self);

/*
 * Shows segments (weft_critical_segment_t, taken over; NULL clears), the
 * critical path of target ("region request on main"), on the lanes and
 * in its breakdown; emits "critical-path-changed".
 */
void weft_session_set_critical_path(WeftSession *self, GArray *segments, const char *target);
/* The shown critical path (borrowed) and its target, NULL when none. */
const GArray *weft_session_borrow_critical_path(WeftSession *self, const char **target);

/* Fills item from the model: its bounds from kind/thread/index. FALSE
 * when out of range. */
gboolean weft_session_resolve_item(WeftSession *self, weft_item_t *item);

/* The innermost item of thread at time t (slice, else state), or FALSE. */
gboolean weft_session_item_at(WeftSession *self, guint thread, weft_time_t t, weft_item_t *item);

/* Indexes into model->flows of the flows that start or end in item
 * (a new array of guint). */
GArray *weft_session_dup_flows_of(WeftSession *self, const weft_item_t *item);

G_END_DECLS

#endif /* WEFT_SESSION_H */
