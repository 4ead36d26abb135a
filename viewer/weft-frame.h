/*
 * weft-frame.h - a call-stack frame (a callsite of the model) as the
 * viewer names it: the details pane lists stacks with these, the flame
 * graph merges frames by weft_frame_dup_name() as `weft stats --folded`
 * does, and the timeline highlight matches frames by that name.
 *
 * Needs only GLib.
 */
#ifndef WEFT_FRAME_H
#define WEFT_FRAME_H

#include <glib.h>

#include "weft-model.h"

G_BEGIN_DECLS

/*
 * The function's name; without one, "module+0xoffset" (the binary's
 * basename), else "0xip", else "(unknown)". Never NULL.
 */
char *weft_frame_dup_name(const weft_model_t *model, guint32 callsite);

/* "file.c:42" (the source file's basename), NULL when unknown. */
char *weft_frame_dup_location(const weft_model_t *model, guint32 callsite);

/* The binary's basename ("libc.so.6"), NULL when unknown. */
char *weft_frame_dup_module(const weft_model_t *model, guint32 callsite);

/* Whether the frame is a function inlined into its caller. */
gboolean weft_frame_is_inlined(const weft_model_t *model, guint32 callsite);

/* "name [inlined] — file.c:42 — module", the parts that are known. */
char *weft_frame_dup_text(const weft_model_t *model, guint32 callsite);

/*
 * One line per frame of stack, leaf first: "name [inlined] — file.c:42
 * — module"; a last line "… truncated" when the walk stopped early.
 * NULL for stack 0. For copying and for tests.
 */
char *weft_frame_dup_stack_text(const weft_model_t *model, guint32 stack);

G_END_DECLS

#endif /* WEFT_FRAME_H */
