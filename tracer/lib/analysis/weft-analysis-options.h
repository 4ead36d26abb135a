/* weft-analysis-options.h - settings shared by the analyses. */
#ifndef WEFT_ANALYSIS_OPTIONS_H
#define WEFT_ANALYSIS_OPTIONS_H

#include <glib.h>

#include "weft-model.h"

G_BEGIN_DECLS

/* What a "by call site" row stands for (weft-analysis-sites.h). */
typedef enum {
	WEFT_GROUP_CALLER = 0, /* the first frame of the program's own code */
	WEFT_GROUP_LEAF,       /* the call site of the wrapped call */
	WEFT_GROUP_STACK,      /* the whole call stack */
	WEFT_GROUP_COUNT
} weft_group_t;

typedef struct {
	/*
	 * CPUs the traced threads shared, for the runnable estimate of
	 * user-space traces. 0: the CPUs seen in the trace, or this machine's.
	 */
	guint ncpus;
	/* Slowest instances listed per region or task name; 0: 3. */
	guint instances;
	/*
	 * A wake-up is futile when the thread waits again on the same object
	 * after at most this much running (and no other work); 0: 5 us.
	 */
	weft_time_t rewait_window;
	/* Only this process (vpid); 0: every process. */
	gint64 pid;
	/*
	 * The critical path (section "critical-path"): of every instance of
	 * the region or the task with this name (borrowed, NULL: none), or of
	 * thread critical_tid (0: none) from critical_from to critical_to
	 * (ns after the trace start; critical_to 0: the thread's end).
	 */
	const char *critical_region;
	const char *critical_task;
	gint64 critical_tid;
	weft_time_t critical_from, critical_to;
	/* What the by-call-site tables group by. */
	weft_group_t group;
} weft_analysis_options_t;

/* clang-format off */
#define WEFT_ANALYSIS_OPTIONS_INIT {0, 0, 0, 0, NULL, NULL, 0, 0, 0, WEFT_GROUP_CALLER}
/* clang-format on */

G_END_DECLS

#endif /* WEFT_ANALYSIS_OPTIONS_H */
