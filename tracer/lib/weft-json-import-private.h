/*
 * weft-json-import-private.h - what the pieces of the Chrome JSON importer
 * share: reading the file (weft-json-import.c), turning one event into a
 * typed record (weft-json-events.c), and matching those records into the
 * model (weft-json-build.c: B/E pairs, async tasks, flows, counters, thread
 * order). Call stacks are weft-json-stacks.c.
 */
#ifndef WEFT_JSON_IMPORT_PRIVATE_H
#define WEFT_JSON_IMPORT_PRIVATE_H

#include <json-c/json.h>

#include "weft-json-import.h"
#include "weft-json-stacks.h"

G_BEGIN_DECLS

/* A slice (X, or B with its E) before it is sorted and nested. */
typedef struct {
	weft_time_t start, end;
	weft_str_t name;
	guint8 flags;
	guint32 callsite;
} weft_json_pending_slice_t;

/* One b or e event, matched with its partner after the pass. */
typedef struct {
	weft_time_t ts;
	gboolean begin;
	weft_str_t key; /* interned "pid:cat:id:name" */
	weft_str_t name;
	guint thread;
	guint64 task_id;
	guint32 callsite;
} weft_json_async_end_t;

/* One document being imported. */
typedef struct {
	weft_model_t *model;   /* borrowed */
	GHashTable *processes; /* pid -> weft_process_t*, borrowed values */
	GHashTable *threads;   /* "pid:tid" key -> weft_thread_t*, borrowed */
	GHashTable *slices;    /* weft_thread_t* -> GArray of weft_json_pending_slice_t, owned */
	GHashTable *open_b;    /* weft_thread_t* -> GArray of weft_json_pending_slice_t (B stack) */
	GHashTable *flows;     /* id string -> pending_flow_t*, owned */
	GHashTable *counters;  /* "pid:name" -> weft_counter_t*, borrowed */
	GHashTable *sites;     /* site string -> callsite index, owned keys */
	GArray *async;         /* weft_json_async_end_t */
	weft_json_stacks_t *stacks; /* owned */
	weft_time_t offset;         /* added to every ts: metadata.trace-start-ns */
	weft_time_t min_ts, max_ts;
} weft_json_import_t;

/* ---- one event into records (weft-json-events.c) ---- */

/* Reads one element of traceEvents; what is not understood is counted in n_skipped. */
void weft_json_on_event(weft_json_import_t *im, json_object *ev);

/* Integer member key of ev (exact for integers, rounded for floats), or fallback. */
gint64 weft_json_get_int(json_object *ev, const char *key, gint64 fallback);

/* ---- records into the model (weft-json-build.c) ---- */

/* The process or thread by id, created on first sight. */
weft_process_t *weft_json_get_process(weft_json_import_t *im, gint64 pid);
weft_thread_t *weft_json_get_thread(weft_json_import_t *im, gint64 pid, gint64 tid);

/* Widens the trace's (and t's, unless NULL) time span to [a, b]. */
void weft_json_touch(weft_json_import_t *im, weft_thread_t *t, weft_time_t a, weft_time_t b);

/* A complete slice of t; a B pushed on t's open stack; the E that closes the top one. */
void weft_json_add_slice(weft_json_import_t *im, weft_thread_t *t,
                         const weft_json_pending_slice_t *s);
void weft_json_begin_slice(weft_json_import_t *im, weft_thread_t *t,
                           const weft_json_pending_slice_t *s);
void weft_json_end_slice(weft_json_import_t *im, weft_thread_t *t, weft_time_t ts);

/* Records one end of flow id (out: the source, with its stack). */
void weft_json_flow_end(weft_json_import_t *im, const char *id, weft_thread_t *t, weft_time_t ts,
                        gboolean out, weft_flow_kind_t kind, guint64 object, guint32 stack);

/* The counter name of process p, created on first sight. */
weft_counter_t *weft_json_get_counter(weft_json_import_t *im, weft_process_t *p, const char *name);

/*
 * After the pass: slices sorted and nested, tasks and flows paired, threads
 * and processes sorted (indexes remapped), the model's time span set.
 */
void weft_json_finish_model(weft_json_import_t *im);

G_END_DECLS

#endif /* WEFT_JSON_IMPORT_PRIVATE_H */
