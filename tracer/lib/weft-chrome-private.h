/*
 * weft-chrome-private.h - what the Chrome JSON writer (weft-chrome.c) and
 * its call-stack part (weft-chrome-stacks.c) share.
 *
 * Stacks are written twice, for two kinds of readers (docs/convert.md,
 * "Call stacks"): catapult's shared frame tree, a top-level "stackFrames"
 * dictionary of {name, category, parent} nodes plus "sf" on each event
 * naming its leaf node, and a readable args.stack array of frame labels,
 * leaf first, for Perfetto, whose JSON importer ignores stackFrames.
 */
#ifndef WEFT_CHROME_PRIVATE_H
#define WEFT_CHROME_PRIVATE_H

#include <glib.h>
#include <json-c/json.h>

#include "weft-model.h"

G_BEGIN_DECLS

/*
 * s as a JSON string literal with its quotes (new string): invalid UTF-8
 * replaced, control characters other than \n \t \r turned into spaces,
 * escaped through jstr (a reused json-c string object).
 */
char *weft_chrome_escape(json_object *jstr, const char *s);

/*
 * Appends the label of a call site: "function (file:line)", "function",
 * "binary+0xoffset" (base name of the binary) or "0xaddress". With
 * base_file, the file is written as its base name.
 */
void weft_chrome_append_site(GString *out, const weft_model_t *model, const weft_callsite_t *cs,
                             gboolean base_file);

/* What follows a frame's label when the frame is an inlined function. */
#define WEFT_CHROME_INLINED_SUFFIX " [inlined]"

/*
 * The frame tree of one document: one node per (parent node, call site),
 * created as events that carry stacks are written, so that the dictionary
 * holds only the frames of the events kept.
 */
typedef struct weft_chrome_stacks weft_chrome_stacks_t;

weft_chrome_stacks_t *weft_chrome_stacks_new(const weft_model_t *model);
void weft_chrome_stacks_free(weft_chrome_stacks_t *stacks);

/* Forgets every node (the next pass numbers them again from 1). */
void weft_chrome_stacks_reset(weft_chrome_stacks_t *stacks);

/*
 * The node id of the leaf frame of model stack index, creating the nodes
 * of its frames; 0 when index is 0, out of range or an empty stack.
 */
guint32 weft_chrome_stacks_node(weft_chrome_stacks_t *stacks, guint32 index);

/*
 * `"stack":["leaf label",...,"root label"]` for model stack index, built
 * once per stack; borrowed. NULL when the stack is empty or unknown.
 */
const char *weft_chrome_stacks_borrow_args(weft_chrome_stacks_t *stacks, guint32 index,
                                           size_t *len);

/* Number of nodes created since the last reset. */
guint weft_chrome_stacks_count(const weft_chrome_stacks_t *stacks);

/*
 * `"ID":{"name":...,"category":...,"parent":"ID"}` for node id (1 to
 * count), with "file" when the label shortened the file; a new string.
 */
char *weft_chrome_stacks_node_json(weft_chrome_stacks_t *stacks, guint32 id);

G_END_DECLS

#endif /* WEFT_CHROME_PRIVATE_H */
