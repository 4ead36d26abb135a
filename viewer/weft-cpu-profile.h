/*
 * weft-cpu-profile.h - what the CPU page shows for a selection: the `cpu`
 * or `wall` profile (weft-profile.h) of a time range and of one thread or
 * every thread, as a flame tree, with a one-line summary of the
 * selection ("Selection: 12.3 ms on 2 threads, 400 samples, 4.00 ms of
 * CPU") and a table of its functions. Computed in a worker thread; needs only GLib.
 */
#ifndef WEFT_CPU_PROFILE_H
#define WEFT_CPU_PROFILE_H

#include <glib.h>

#include "weft-flame-tree.h"

G_BEGIN_DECLS

/* What is selected. */
typedef struct {
	weft_time_t start, end; /* absolute ns; start >= end: the whole trace */
	guint thread;           /* model thread index, G_MAXUINT: every thread */
	gboolean wall;          /* the wall-clock profile instead of the CPU one */
} weft_cpu_scope_t;

/* One function of the profile: its own time and the time of the stacks through it. */
typedef struct {
	char *name;   /* owned */
	gint64 self;  /* in frames where it is the leaf */
	gint64 total; /* through it, counted once when it recurses */
} weft_cpu_function_t;

typedef struct {
	weft_cpu_scope_t scope;
	weft_flame_tree_t *tree; /* owned: cpu nanoseconds, or wall nanoseconds */
	weft_time_t duration;    /* ns of the selection inside the trace */
	guint n_threads;         /* threads with something in the profile */
	gint64 n_samples;        /* CPU samples in the selection */
	gint64 total;            /* the tree's root value */
	char *summary;           /* owned: the line the page shows */
	GArray *functions;       /* weft_cpu_function_t, owned: by self, then total, then name */
} weft_cpu_result_t;

/* The profile of model (read only; may be shared with the UI thread) for scope. */
weft_cpu_result_t *weft_cpu_result_new(const weft_model_t *model, const weft_cpu_scope_t *scope);
void weft_cpu_result_free(weft_cpu_result_t *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_cpu_result_t, weft_cpu_result_free)

/* The functions of tree, as weft_cpu_result_t.functions (a new array). */
GArray *weft_cpu_functions_new(const weft_flame_tree_t *tree);

/* Whether a thread of model has CPU samples. */
gboolean weft_cpu_model_has_samples(const weft_model_t *model);

G_END_DECLS

#endif /* WEFT_CPU_PROFILE_H */
