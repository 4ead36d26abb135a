/*
 * weft-symbols-private.h - names call sites from the binaries a process
 * had mapped (lttng_ust_statedump:bin_info, lttng_ust_dl:dlopen), with
 * elfutils' libdwfl: the chain of functions inlined at an address (each
 * with its source file and line), binary, build id and offset. Each
 * binary is read once for every process that mapped it, and each distinct
 * address in it is looked up once (docs/convert.md: where debug info is
 * searched, debuginfod and its timeout).
 */
#ifndef WEFT_SYMBOLS_PRIVATE_H
#define WEFT_SYMBOLS_PRIVATE_H

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct weft_symbolizer weft_symbolizer_t;

/* One function of an inline chain; strings borrowed from the symbolizer. */
typedef struct {
	const char *function; /* NULL when unknown */
	const char *file;     /* NULL when unknown */
	uint32_t line;        /* 0 when unknown */
} weft_symbol_frame_t;

typedef struct {
	/* frames[0], repeated: the innermost function at the address */
	const char *function;
	const char *file;
	uint32_t line;
	const char *binary;   /* NULL when no mapping holds the address */
	const char *build_id; /* GNU build id in hex, NULL when the binary has none */
	uint64_t offset;      /* address - load address of binary */
	/*
	 * The inline chain, borrowed from the symbolizer: the innermost
	 * inlined function first, each at its line; the out-of-line function
	 * last, at the line of the call into the function inlined in it.
	 * n_frames is 0 when nothing names the address, 1 when nothing is
	 * inlined there.
	 */
	const weft_symbol_frame_t *frames;
	guint n_frames;
} weft_symbol_t;

/*
 * A symbolizer searching separate debug info in the standard places, after
 * the directories of $WEFT_DEBUGINFO_PATH (colon-separated) when set.
 */
weft_symbolizer_t *weft_symbolizer_new(void);
void weft_symbolizer_free(weft_symbolizer_t *s);

/*
 * Searches separate debug info in dirs (colon-separated, each holding
 * .build-id/xx/yyyy.debug files or a tree of debuglink targets) before the
 * standard places; NULL: only the standard places. Binaries already read
 * keep what they found.
 */
void weft_symbolizer_set_debuginfo_dirs(weft_symbolizer_t *s, const char *dirs);

/* Binary path was mapped in process pid at [base, base + size). */
void weft_symbolizer_add_mapping(weft_symbolizer_t *s, int64_t pid, uint64_t base, uint64_t size,
                                 const char *path, gboolean is_pic);

/*
 * Names addr in process pid. return_address: addr is a return address
 * (an ip context, a caller's frame), so the call is the instruction
 * before it. Returns FALSE when no mapping holds addr.
 */
gboolean weft_symbolizer_lookup(weft_symbolizer_t *s, int64_t pid, uint64_t addr,
                                gboolean return_address, weft_symbol_t *out);

G_END_DECLS

#endif /* WEFT_SYMBOLS_PRIVATE_H */
