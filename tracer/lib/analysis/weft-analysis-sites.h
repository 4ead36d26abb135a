/*
 * weft-analysis-sites.h - which call site a "by call site" row stands for.
 *
 * An event carries the call site of the wrapped call (the leaf) and, when
 * the runtime captured one, its call stack. A row of a by-call-site table
 * groups events by one of (docs/stats.md, --group):
 *  - caller (default): the first frame that is the program's own code and
 *    not a wrapper it writes around locks: frames in shared libraries of
 *    the system (libc, libpthread, libevent, ...) and in weft's own
 *    libraries are passed over, and so are lock wrappers, recognised from
 *    the holds: a function that returns holding the lock it took (my_lock)
 *    or releases a lock another function took (my_unlock);
 *  - leaf: the call site itself;
 *  - stack: the whole call stack.
 * Events without a stack group by their call site in every mode.
 */
#ifndef WEFT_ANALYSIS_SITES_H
#define WEFT_ANALYSIS_SITES_H

#include <glib.h>

#include "weft-analysis-options.h"
#include "weft-model.h"

G_BEGIN_DECLS

/* A site key with this bit set is a stack index (--group=stack), else a callsite index. */
#define WEFT_SITE_KEY_STACK 0x80000000u

typedef struct weft_sites weft_sites_t;

/* The resolver for model in mode group (one pass over the holds). */
weft_sites_t *weft_sites_new(const weft_model_t *model, weft_group_t group);
void weft_sites_free(weft_sites_t *sites);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_sites_t, weft_sites_free)

/* The row key of an event with this stack (0: none) and call site. */
guint32 weft_sites_key(weft_sites_t *sites, guint32 stack, guint32 callsite);

/* Whether function (a model string) is a lock wrapper the caller mode passes over. */
gboolean weft_sites_is_wrapper(const weft_sites_t *sites, weft_str_t function);

/* "caller", "leaf", "stack"; NULL for an out-of-range value. */
const char *weft_group_name(weft_group_t group);
/* Parses a --group value; FALSE when it is none of the names. */
gboolean weft_group_parse(const char *name, weft_group_t *out);

G_END_DECLS

#endif /* WEFT_ANALYSIS_SITES_H */
