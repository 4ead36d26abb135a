/*
 * weft-chrome-private.h - what the pieces of the Chrome JSON writer share:
 * the writer itself (weft-chrome.c: the document, options, output files),
 * its byte buffer and event fragments (weft-chrome-buffer.c), what it keeps
 * (weft-chrome-select.c: --pid/--tid/--exclude, the window, --max-size),
 * thread tracks (weft-chrome-slices.c), processes, counters, tasks, flows
 * and data lost (weft-chrome-meta.c) and call stacks (weft-chrome-stacks.c).
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
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "weft-chrome.h"
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

/* ---- the writer ---- */

#define WEFT_CHROME_BUF_CAP (1u << 20)

typedef struct {
	weft_time_t dur;
	guint64 bytes;
} weft_chrome_slice_size_t;

/*
 * Instants, flows or counter samples under --max-size: dropped whole, or
 * thinned evenly (every item adds thin to acc; one that brings acc to
 * THIN_ONE, weft-chrome-select.c, is dropped), so that the output fills the
 * limit.
 */
typedef struct {
	GArray *sizes; /* guint32 per item written, measuring pass */
	guint64 bytes; /* sum of sizes */
	guint32 thin;  /* 0: keep all; THIN_ONE: drop all */
	guint32 acc;
} weft_chrome_drop_class_t;

/* One document being written (or measured); it allocates nothing per event. */
typedef struct {
	const weft_model_t *model;        /* borrowed */
	const weft_chrome_options_t *opt; /* borrowed */
	weft_chrome_stats_t *stats;       /* borrowed */
	char *buf;                        /* owned, WEFT_CHROME_BUF_CAP bytes */
	size_t len;
	FILE *fp;  /* owned, NULL while measuring or gzip */
	gzFile gz; /* owned, NULL unless gzip */
	gboolean measuring;
	int write_errno; /* first write error, 0 when none */
	guint64 flushed;
	guint64 n_events;
	json_object *jstr;            /* owned: the one string object every escape goes through */
	char **esc;                   /* owned: escaped literal per weft_str_t, built lazily */
	guint8 *str_sel;              /* owned: sel_t per weft_str_t for --exclude */
	char **site;                  /* owned: rendered call site args per callsite index */
	weft_chrome_stacks_t *stacks; /* owned: the frame tree, NULL with no_symbols */
	GPtrArray *patterns;          /* GPatternSpec*, owned */
	guint8 *thread_sel;           /* owned: 1 when the thread passes --pid/--tid */
	guint8 *process_sel;          /* owned: 1 when some thread of it passes */
	guint8 state_sel[WEFT_STATE_COUNT];
	guint8 syscall_sel[64];
	guint8 flow_sel[WEFT_FLOW_COUNT];
	weft_time_t lo, hi; /* window, absolute ns */
	GArray *region_end; /* weft_time_t, per-thread scratch */
	GArray *boundaries; /* weft_time_t, per-thread scratch */
	GArray *stack;      /* weft_time_t, per-thread scratch */
	/* --max-size accounting (measuring pass) and decisions (real pass) */
	GArray *slice_sizes;    /* weft_chrome_slice_size_t per slice written while measuring */
	weft_time_t drop_below; /* slices shorter than this (ns) are dropped */
	weft_chrome_drop_class_t instants, flows, counters;
	/* progress */
	guint64 work_done, work_total, next_report;
	guint64 bind_id;
} weft_chrome_writer_t;

/* ---- the byte buffer (weft-chrome-buffer.c) ---- */

/* Hands the buffer to the output (or only counts it while measuring). */
void weft_chrome_flush(weft_chrome_writer_t *w);

/* Bytes written so far in this pass, flushed or not. */
static inline guint64 weft_chrome_out_pos(const weft_chrome_writer_t *w)
{
	return w->flushed + w->len;
}

static inline void weft_chrome_reserve(weft_chrome_writer_t *w, size_t n)
{
	if (w->len + n > WEFT_CHROME_BUF_CAP) {
		weft_chrome_flush(w);
	}
}

static inline void weft_chrome_put_char(weft_chrome_writer_t *w, char c)
{
	weft_chrome_reserve(w, 1);
	w->buf[w->len++] = c;
}

/* n bytes larger than half the buffer, written through in pieces. */
void weft_chrome_put_large(weft_chrome_writer_t *w, const char *s, size_t n);

/*
 * Inline so that a literal's memcpy, whose size is known, becomes a few
 * stores (an out-of-line call here costs a quarter of the writer's time).
 */
static inline void weft_chrome_put_mem(weft_chrome_writer_t *w, const char *s, size_t n)
{
	if (n > WEFT_CHROME_BUF_CAP / 2) {
		weft_chrome_put_large(w, s, n);
		return;
	}
	weft_chrome_reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* String literals of the writer: sizeof is known at compile time. */
#define PUT(w, lit) weft_chrome_put_mem((w), "" lit, sizeof(lit) - 1)

void weft_chrome_put_u64(weft_chrome_writer_t *w, guint64 v);
void weft_chrome_put_i64(weft_chrome_writer_t *w, gint64 v);
/* Nanoseconds as microseconds with up to three decimals, no trailing zeros. */
void weft_chrome_put_us(weft_chrome_writer_t *w, weft_time_t ns);
/* v as a "0x..." JSON string. */
void weft_chrome_put_hex_string(weft_chrome_writer_t *w, guint64 v);
/* Model string id as a JSON string, escaped once per id. */
void weft_chrome_put_str(weft_chrome_writer_t *w, weft_str_t id);

/* ---- event fragments (weft-chrome-buffer.c) ---- */

/* Starts an event: `,\n{` (no comma before the first one). */
void weft_chrome_event_open(weft_chrome_writer_t *w);
void weft_chrome_put_pid_tid(weft_chrome_writer_t *w, const weft_thread_t *t);
/* `,"ts":` and abs as microseconds from the trace start. */
void weft_chrome_put_ts(weft_chrome_writer_t *w, weft_time_t abs);

/* Args are written as `,"args":{` before the first key and `}` after the last. */
typedef struct {
	gboolean open;
} weft_chrome_args_t;

void weft_chrome_arg_key(weft_chrome_writer_t *w, weft_chrome_args_t *a, const char *key_lit,
                         size_t n);

#define ARG(w, a, key) weft_chrome_arg_key((w), (a), "\"" key "\":", sizeof(key) + 2)

void weft_chrome_args_close(weft_chrome_writer_t *w, weft_chrome_args_t *a);
/* args.site (and args.binary) of call site index, unless no_symbols. */
void weft_chrome_put_site(weft_chrome_writer_t *w, weft_chrome_args_t *a, guint32 callsite);
/* `,"sf":N`: the event's leaf node in the stackFrames tree (catapult). */
void weft_chrome_put_sf(weft_chrome_writer_t *w, guint32 stack);
/* args.stack: the frame labels, leaf first (Perfetto shows args only). */
void weft_chrome_put_stack_args(weft_chrome_writer_t *w, weft_chrome_args_t *a, guint32 stack);
/* args.unfinished, args.unstarted, args.inferred. */
void weft_chrome_put_flags(weft_chrome_writer_t *w, weft_chrome_args_t *a, guint8 flags);

/* ---- what is kept (weft-chrome-select.c) ---- */

/* Whether name matches an --exclude pattern. */
gboolean weft_chrome_name_excluded(const weft_chrome_writer_t *w, const char *name);
/* The same, the answer kept in *cache (a sel_t, 0 until known). */
gboolean weft_chrome_cached_excluded(weft_chrome_writer_t *w, guint8 *cache, const char *name);
gboolean weft_chrome_str_excluded(weft_chrome_writer_t *w, weft_str_t id);
/* Fills thread_sel and process_sel from --pid and --tid. */
void weft_chrome_select_threads(weft_chrome_writer_t *w);
gboolean weft_chrome_thread_selected(const weft_chrome_writer_t *w, guint index);
/* Whether this item of the class is dropped (same sequence in both passes). */
gboolean weft_chrome_class_drops(weft_chrome_drop_class_t *c);
/* Records the size of the item written since mark (measuring pass). */
void weft_chrome_class_account(weft_chrome_writer_t *w, weft_chrome_drop_class_t *c, guint64 mark);
/* After the measuring pass: what to drop so that total bytes fit --max-size. */
void weft_chrome_choose_drops(weft_chrome_writer_t *w, guint64 total);
/*
 * Clips [*s, *e] to the window and applies the --max-size slice threshold.
 * Returns FALSE when the slice is not written.
 */
gboolean weft_chrome_slice_visible(weft_chrome_writer_t *w, weft_time_t *s, weft_time_t *e);
void weft_chrome_slice_account(weft_chrome_writer_t *w, weft_time_t dur, guint64 mark);

/* ---- the events (weft-chrome-slices.c, weft-chrome-meta.c) ---- */

/* Regions and state pieces of one thread, merged by start time, parents first. */
void weft_chrome_emit_thread_slices(weft_chrome_writer_t *w, const weft_thread_t *t);
void weft_chrome_emit_instants(weft_chrome_writer_t *w, const weft_thread_t *t);
/* Names, sort indexes and labels of a process, then each selected thread's tracks. */
void weft_chrome_emit_process(weft_chrome_writer_t *w, const weft_process_t *p);
void weft_chrome_emit_counters(weft_chrome_writer_t *w, const weft_process_t *p);
void weft_chrome_emit_tasks(weft_chrome_writer_t *w);
void weft_chrome_emit_flows(weft_chrome_writer_t *w);
void weft_chrome_emit_lost(weft_chrome_writer_t *w);

/* Reports progress after units more items (weft-chrome.c). */
void weft_chrome_progress_step(weft_chrome_writer_t *w, guint64 units);

G_END_DECLS

#endif /* WEFT_CHROME_PRIVATE_H */
