/*
 * weft-reader-private.h - the message-consuming half of the CTF reader,
 * shared with the babeltrace2 plugin (sink.weft.chrome): feed it every
 * message a message iterator yields, then take the model; and what the
 * pieces of the reader share: the babeltrace2 component classes, the
 * traces given (weft-reader-discover.c finds and checks them),
 * weft-reader-streams.c's facts about their stream files, and
 * weft-reader-repair.c's mirrors.
 */
#ifndef WEFT_READER_PRIVATE_H
#define WEFT_READER_PRIVATE_H

#include <babeltrace2/babeltrace.h>

#include "weft-reader.h"

G_BEGIN_DECLS

typedef struct weft_sink_state weft_sink_state_t;

weft_sink_state_t *weft_sink_state_new(void);
void weft_sink_state_free(weft_sink_state_t *state);

/* Whether the model's call sites get named when it is finished (default TRUE). */
void weft_sink_state_set_symbolize(weft_sink_state_t *state, gboolean symbolize);

/* Borrows msg for the call. Never fails: what is not understood is counted. */
void weft_sink_state_consume(weft_sink_state_t *state, const bt_message *msg);

/* Events consumed so far, and the latest event time (ns from origin). */
guint64 weft_sink_state_get_n_events(const weft_sink_state_t *state);
gint64 weft_sink_state_get_last_time(const weft_sink_state_t *state);

/*
 * Finishes the model and frees state. Returns NULL with
 * WEFT_READER_ERROR_EMPTY when no event at all was consumed.
 */
weft_model_t *weft_sink_state_finish(weft_sink_state_t *state, GError **error);

/*
 * Checks the stream files of trace folder dir against their LTTng index
 * (weft-reader-repair.c). When a stream cannot be read whole, adds one
 * sentence per such stream to warnings, its path to repaired (a set of
 * char*, owned by the set), and returns a temporary folder to read instead,
 * where those streams end at their last complete packet (remove it with
 * weft_reader_repair_remove()). NULL when dir reads as it is.
 */
char *weft_reader_repair_dir(const char *dir, GPtrArray *warnings, GHashTable *repaired);
void weft_reader_repair_remove(const char *mirror);

/* ---- the pieces of the reader ---- */

/* The babeltrace2 component classes the graph is made of (weft-reader.c). */
typedef struct {
	const bt_component_class_source *ctf_fs;     /* borrowed from the plugin */
	const bt_component_class_filter *muxer;      /* borrowed */
	const bt_component_class_filter *debug_info; /* borrowed, NULL when missing */
	const bt_plugin *plugins[3];                 /* owned, kept for the process */
} weft_reader_classes_t;

/* One path given to the reader, with the trace folders under it. */
typedef struct {
	char *path;           /* the user's path, owned */
	GPtrArray *dirs;      /* char*, owned: trace directories found under path */
	GPtrArray *reads;     /* char*, owned: what babeltrace2 reads for each of dirs */
	GPtrArray *mirrors;   /* char*, owned: the repaired mirrors among reads, removed at free */
	GPtrArray *warnings;  /* char*, owned: what the repair dropped */
	GHashTable *repaired; /* char* set, owned: stream files read only in part */
	gboolean symbols;     /* ip context and statedump events */
	gint64 begin, end;    /* ns from origin, from the trace infos; end < begin when unknown */
} weft_reader_input_t;

/* `Failed to <what>: path="<path>", reason="<reason>"` as a WEFT_READER_ERROR. */
void weft_reader_set_error(GError **error, weft_reader_error_t code, const char *what,
                           const char *path, const char *reason);

/* ---- trace discovery and metadata checks (weft-reader-discover.c) ---- */

/* strcmp of two char* array elements (qsort, g_ptr_array_sort). */
int weft_reader_cmp_str(gconstpointer a, gconstpointer b);

/* {"inputs": [dir]}: the parameters of one source.ctf.fs (new value, NULL when out of memory). */
bt_value *weft_reader_inputs_value(const char *dir);

/*
 * The traces under path, their metadata checked (framing, complete TSDL,
 * readable by babeltrace2), damaged streams mirrored, the time range
 * queried. NULL with error set when path is not a readable trace.
 */
weft_reader_input_t *weft_reader_open_input(const weft_reader_classes_t *c, const char *path,
                                            GError **error);
void weft_reader_input_free(weft_reader_input_t *in);

/* ---- stream-file facts (weft-reader-streams.c) ---- */

/* Records in model what the stream files of every input (weft_reader_input_t*) say. */
void weft_reader_add_stream_facts(weft_model_t *model, GPtrArray *inputs);

G_END_DECLS

#endif /* WEFT_READER_PRIVATE_H */
