/*
 * weft-scopes-private.h - the scopes of one DWARF compile unit, indexed by
 * address: the subprograms, inlined instances and lexical blocks that hold
 * an address, innermost first, the ones dwarf_getscopes() and
 * dwarf_getscopes_die() find. Those two walk the unit's DIE tree for every
 * address, which makes naming thousands of addresses in one large unit (an
 * amalgamation, a libc with debug info) quadratic; the index walks the tree
 * once, keeps every DIE that covers addresses with its ranges sorted by
 * address, and answers each address by binary search.
 */
#ifndef WEFT_SCOPES_PRIVATE_H
#define WEFT_SCOPES_PRIVATE_H

#include <elfutils/libdw.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct weft_scope_index weft_scope_index_t;

/* Walks the DIE tree of cu once; the Dwarf holding cu must outlive the index. */
weft_scope_index_t *weft_scope_index_new(Dwarf_Die *cu);
void weft_scope_index_free(weft_scope_index_t *ix);

/*
 * Appends to scopes (a GArray of Dwarf_Die) the scopes holding pc (a
 * DWARF address of the unit), innermost first, each followed by the one
 * that encloses it in the DIE tree, the unit itself left out. Where two
 * sibling DIEs hold pc, the first in the tree wins, as in
 * dwarf_getscopes(). Returns the count appended, 0 when no scope holds pc.
 */
guint weft_scope_index_lookup(const weft_scope_index_t *ix, Dwarf_Addr pc, GArray *scopes);

G_END_DECLS

#endif /* WEFT_SCOPES_PRIVATE_H */
