/*
 * weft-analysis-private.h - helpers shared by the analyses: labels for
 * call sites, threads and start routines, and the machine-wide step
 * functions of running and live threads.
 */
#ifndef WEFT_ANALYSIS_PRIVATE_H
#define WEFT_ANALYSIS_PRIVATE_H

#include <glib.h>

#include "weft-analysis-options.h"
#include "weft-model.h"

G_BEGIN_DECLS

/*
 * A site key (weft-analysis-sites.h): "function (file.c:12)",
 * "libx.so+0x1f0", "0x4011d6" or "(unknown)"; a stack key of --group=stack
 * as its leaf site and each caller's function, "f (a.c:3) <- g <- main".
 */
char *weft_analysis_dup_site_label(const weft_model_t *model, guint32 key);
/* The bare function name (a stack key: its leaf's), or the site label when unknown. */
char *weft_analysis_dup_site_function(const weft_model_t *model, guint32 key);
/* "1234 worker" */
char *weft_analysis_dup_thread_label(const weft_model_t *model, const weft_thread_t *thread);
/* Start routine's function, "main" for a process's first thread. */
char *weft_analysis_dup_routine_label(const weft_model_t *model, const weft_thread_t *thread);
/* "1234 name" */
char *weft_analysis_dup_process_label(const weft_model_t *model, const weft_process_t *process);
const char *weft_analysis_process_name(const weft_model_t *model, const weft_process_t *process);
const char *weft_analysis_syscall_name(gint32 kind);

/* Whether options select this process or thread (options may be NULL). */
gboolean weft_analysis_wants_process(const weft_analysis_options_t *options,
                                     const weft_process_t *process);
gboolean weft_analysis_wants_thread(const weft_analysis_options_t *options,
                                    const weft_thread_t *thread);

gboolean weft_analysis_is_sync_state(weft_state_t state);
gboolean weft_analysis_is_lock_state(weft_state_t state);

/* A small fixed-size hash key for aggregation tables. */
typedef struct {
	gint64 pid;
	guint64 object;
	guint32 a, b;
} weft_key_t;

/* A table keyed by weft_key_t (copied in), values destroyed with value_free. */
GHashTable *weft_key_table_new(GDestroyNotify value_free);
void weft_key_table_insert(GHashTable *table, const weft_key_t *key, gpointer value);

/* Sorts n unsigned integers in place (radix sort: large arrays, no callbacks). */
void weft_analysis_sort_u64(guint64 *a, gsize n);

typedef void (*weft_span_func_t)(weft_time_t start, weft_time_t end, gpointer data);

/*
 * Calls func for each stretch of the thread's life where it runs as far as
 * the model says: RUNNING intervals and gaps between recorded states.
 * Contiguous stretches are merged.
 */
void weft_analysis_foreach_running(const weft_thread_t *thread, weft_span_func_t func,
                                   gpointer data);

/* The CPUs the threads shared; *source (may be NULL) says where the number came from. */
guint weft_analysis_ncpus(const weft_model_t *model, const weft_analysis_options_t *options,
                          const char **source);

/*
 * Machine-wide step functions: from t[i] until t[i + 1], running[i]
 * threads run and alive[i] threads exist. t is strictly increasing; the
 * last step ends everything (running and alive are 0).
 */
typedef struct {
	GArray *t;       /* weft_time_t */
	GArray *running; /* guint32 */
	GArray *alive;   /* guint32 */
} weft_steps_t;

/* Over the threads options selects (options may be NULL: all). */
void weft_steps_init(weft_steps_t *steps, const weft_model_t *model,
                     const weft_analysis_options_t *options);
void weft_steps_clear(weft_steps_t *steps);

G_END_DECLS

#endif /* WEFT_ANALYSIS_PRIVATE_H */
