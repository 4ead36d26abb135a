/*
 * weft-reader-private.h - the message-consuming half of the CTF reader,
 * shared with the babeltrace2 plugin (sink.weft.chrome): feed it every
 * message a message iterator yields, then take the model.
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

G_END_DECLS

#endif /* WEFT_READER_PRIVATE_H */
