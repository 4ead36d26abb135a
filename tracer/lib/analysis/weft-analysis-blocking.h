/*
 * weft-analysis-blocking.h - blocking profiles (go tool trace's sync,
 * syscall and scheduler-free "sleep" profiles): every blocked interval of
 * one family, aggregated by call site or by object, with count, total,
 * mean, p50, p99 and max.
 */
#ifndef WEFT_ANALYSIS_BLOCKING_H
#define WEFT_ANALYSIS_BLOCKING_H

#include "weft-analysis-dist.h"
#include "weft-analysis-options.h"
#include "weft-table.h"

G_BEGIN_DECLS

typedef enum {
	WEFT_BLOCKING_SYNC = 0, /* locks, condvars, semaphores, barriers, joins, custom */
	WEFT_BLOCKING_SYSCALL,  /* blocking system calls */
	WEFT_BLOCKING_SLEEP,    /* nanosleep and friends */
	WEFT_BLOCKING_COUNT
} weft_blocking_family_t;

typedef enum {
	WEFT_BLOCKING_BY_SITE = 0, /* key: call site and kind of wait */
	WEFT_BLOCKING_BY_OBJECT,   /* key: process, object (address, fd) and kind */
} weft_blocking_key_t;

typedef struct {
	guint32 callsite;              /* BY_SITE: the key; BY_OBJECT: the site waiting most */
	guint8 state;                  /* weft_state_t of the waits */
	guint64 object;                /* BY_OBJECT: address, fd or reason string */
	gint32 aux;                    /* syscall kind */
	const weft_process_t *process; /* BY_OBJECT; borrowed */
	weft_dist_t dist;
	guint n_threads;
	const weft_thread_t *worst_thread; /* borrowed: the longest wait */
	weft_time_t worst_start, worst_end;
} weft_blocking_row_t;

/* Returns weft_blocking_row_t rows, the longest total first. */
GArray *weft_blocking_profile_new(const weft_model_t *model, weft_blocking_family_t family,
                                  weft_blocking_key_t key, const weft_analysis_options_t *options);

gboolean weft_blocking_family_has_state(weft_blocking_family_t family, weft_state_t state);

/* "sync", "sync-objects", "syscall", "syscall-objects", "sleep". */
weft_table_t *weft_blocking_table_new(const weft_model_t *model, weft_blocking_family_t family,
                                      weft_blocking_key_t key,
                                      const weft_analysis_options_t *options);

/* "mutex", "rwlock", ... the object class of a wait state. */
const char *weft_blocking_object_class(weft_state_t state);

G_END_DECLS

#endif /* WEFT_ANALYSIS_BLOCKING_H */
