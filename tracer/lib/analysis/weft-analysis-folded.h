/*
 * weft-analysis-folded.h - folded stacks (Brendan Gregg's format, which
 * flamegraph.pl and speedscope load): one line per stack, frames joined by
 * ';', a space, an integer (nanoseconds or bytes). Frames are
 * process;start routine;call site function (see docs/stats.md per kind).
 */
#ifndef WEFT_ANALYSIS_FOLDED_H
#define WEFT_ANALYSIS_FOLDED_H

#include <glib.h>

#include "weft-analysis-options.h"
#include "weft-model.h"

G_BEGIN_DECLS

typedef enum {
	WEFT_FOLDED_SYNC = 0, /* ns blocked on synchronization, by wait call site */
	WEFT_FOLDED_SYSCALL,  /* ns in blocking system calls */
	WEFT_FOLDED_SLEEP,    /* ns sleeping */
	WEFT_FOLDED_BLOCKED,  /* all three, with the kind of wait as leaf */
	WEFT_FOLDED_RUNNING,  /* ns running, per thread */
	WEFT_FOLDED_ALLOC,    /* bytes allocated, by allocating call site */
	WEFT_FOLDED_LEAK,     /* bytes never freed, by allocating call site */
	WEFT_FOLDED_REGIONS,  /* ns of self time in nested user regions */
	WEFT_FOLDED_CRITICAL, /* ns on the critical path (options->critical_*) */
	WEFT_FOLDED_COUNT
} weft_folded_kind_t;

const char *weft_folded_kind_name(weft_folded_kind_t kind);
gboolean weft_folded_kind_from_name(const char *name, weft_folded_kind_t *kind);

/* Appends the folded stacks of kind, sorted by stack, to out. options may be NULL. */
void weft_folded_write(const weft_model_t *model, weft_folded_kind_t kind,
                       const weft_analysis_options_t *options, GString *out);

G_END_DECLS

#endif /* WEFT_ANALYSIS_FOLDED_H */
