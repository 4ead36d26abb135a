/*
 * weft-symbols-private.h - names call sites from the binaries a process
 * had mapped (lttng_ust_statedump:bin_info, lttng_ust_dl:dlopen), with
 * elfutils' libdwfl: function, source file and line, binary and offset.
 * Only distinct addresses are looked up, once each, when the model is
 * finished.
 */
#ifndef WEFT_SYMBOLS_PRIVATE_H
#define WEFT_SYMBOLS_PRIVATE_H

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct weft_symbolizer weft_symbolizer_t;

typedef struct {
	const char *function; /* NULL when unknown; borrowed from the symbolizer */
	const char *file;     /* NULL when unknown */
	uint32_t line;
	const char *binary; /* NULL when no mapping holds the address */
	uint64_t offset;    /* address - load address of binary */
} weft_symbol_t;

weft_symbolizer_t *weft_symbolizer_new(void);
void weft_symbolizer_free(weft_symbolizer_t *s);

/* Binary path was mapped in process pid at [base, base + size). */
void weft_symbolizer_add_mapping(weft_symbolizer_t *s, int64_t pid, uint64_t base, uint64_t size,
                                 const char *path, gboolean is_pic);

/*
 * Names addr in process pid. return_address: addr is a return address
 * (an ip context), so the call is the instruction before it. Returns FALSE
 * when no mapping holds addr.
 */
gboolean weft_symbolizer_lookup(weft_symbolizer_t *s, int64_t pid, uint64_t addr,
                                gboolean return_address, weft_symbol_t *out);

G_END_DECLS

#endif /* WEFT_SYMBOLS_PRIVATE_H */
