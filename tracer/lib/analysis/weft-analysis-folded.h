/*
 * weft-analysis-folded.h - folded stacks (Brendan Gregg's format, which
 * flamegraph.pl and speedscope load): one line per stack, frames joined by
 * ';' from the root, a space, an integer (nanoseconds, bytes or a count).
 * The stack kinds print the profiles of weft-profile.h: process name,
 * start routine, then the recorded call stack down to the leaf function
 * (docs/stats.md lists every kind).
 */
#ifndef WEFT_ANALYSIS_FOLDED_H
#define WEFT_ANALYSIS_FOLDED_H

#include <glib.h>

#include "weft-model.h"
#include "weft-analysis-options.h"
#include "weft-profile.h"

G_BEGIN_DECLS

typedef enum {
	WEFT_FOLDED_SYNC = 0,     /* ns blocked on synchronization, at the waiter's stack */
	WEFT_FOLDED_SYSCALL,      /* ns in blocking system calls */
	WEFT_FOLDED_SLEEP,        /* ns sleeping */
	WEFT_FOLDED_BLOCKED,      /* all three, with the kind of wait as leaf */
	WEFT_FOLDED_RUNNING,      /* ns running, per thread (no stacks) */
	WEFT_FOLDED_ALLOC,        /* bytes allocated, at the allocating stack */
	WEFT_FOLDED_LEAK,         /* bytes never freed, at the allocating stack */
	WEFT_FOLDED_REGIONS,      /* ns of self time in nested user regions */
	WEFT_FOLDED_MUTEX,        /* ns waited for locks, at the stack that released them */
	WEFT_FOLDED_THREADCREATE, /* threads created, at pthread_create's stack */
	WEFT_FOLDED_CPU,          /* ns of CPU time, from CPU samples */
	WEFT_FOLDED_WALL,         /* ns of wall time: CPU samples and off-CPU intervals */
	WEFT_FOLDED_CRITICAL,     /* ns on a critical path (weft_folded_write_critical) */
	WEFT_FOLDED_COUNT
} weft_folded_kind_t;

const char *weft_folded_kind_name(weft_folded_kind_t kind);
gboolean weft_folded_kind_from_name(const char *name, weft_folded_kind_t *kind);
/* "sync, syscall, ...": every kind name (static). */
const char *weft_folded_kind_list(void);

/* The kind `--folded` without a KIND prints: wall when the trace has CPU samples, else blocked. */
weft_folded_kind_t weft_folded_default_kind(const weft_model_t *model);

/*
 * Appends the folded stacks of kind, sorted by stack, to out, for the
 * window and threads of options (NULL: the whole trace).
 */
void weft_folded_write(const weft_model_t *model, weft_folded_kind_t kind,
                       const weft_profile_options_t *options, GString *out);

/*
 * Appends the folded critical path of options->critical_* (target;process;
 * thread;stack;state, in ns), sorted by stack, to out.
 */
void weft_folded_write_critical(const weft_model_t *model, const weft_analysis_options_t *options,
                                GString *out);

G_END_DECLS

#endif /* WEFT_ANALYSIS_FOLDED_H */
