/*
 * weft-json-stacks.h - call stacks of a Chrome Trace Event file back into
 * the model (private to the JSON importer).
 *
 * Read, in this order of preference, per event: "sf" naming a node of the
 * top-level "stackFrames" tree (catapult; weft writes it), an inline
 * "stack" array (catapult: root first), args.stack (weft: leaf first).
 * Frame labels are parsed as docs/convert.md writes them.
 */
#ifndef WEFT_JSON_STACKS_H
#define WEFT_JSON_STACKS_H

#include <json-c/json.h>

#include "weft-model.h"

G_BEGIN_DECLS

/*
 * Parses a call-site label, "function (file:line)", "0xaddress", or
 * "function", into cs (strings interned in model). With split_binary,
 * "binary+0xoffset" gives binary and offset; without, it is a function.
 */
void weft_json_parse_site(weft_model_t *model, const char *label, gboolean split_binary,
                          weft_callsite_t *cs);

/* The string at key of obj (borrowed), NULL when absent or not a string. */
const char *weft_json_get_str(json_object *obj, const char *key);

typedef struct weft_json_stacks weft_json_stacks_t;

/* frames: the document's "stackFrames" object (borrowed), or NULL. */
weft_json_stacks_t *weft_json_stacks_new(weft_model_t *model, json_object *frames);
void weft_json_stacks_free(weft_json_stacks_t *stacks);

/* The model stack of event ev (args may be NULL), 0 when it has none. */
guint32 weft_json_stacks_of_event(weft_json_stacks_t *stacks, json_object *ev, json_object *args);

G_END_DECLS

#endif /* WEFT_JSON_STACKS_H */
