/*
 * A compile unit's scopes by address (weft-scopes-private.h). The index
 * walks the DIE tree the way elfutils' dwarf_getscopes() does for one
 * address (libdw_visit_scopes.c), for all addresses at once: a DIE counts
 * when one of its ranges (dwarf_ranges(), as dwarf_haspc() reads them)
 * is not empty; only the children of such DIEs that can hold scopes are
 * visited (a DIE covering no address is pruned, whatever pc is); the
 * children of an imported (partial) unit are visited in place, as if they
 * were the importing DIE's own.
 *
 * A lookup then finds the innermost scope as dwarf_getscopes() does: from
 * the unit down, the first child in tree order holding pc, until none does.
 * Nodes are numbered in tree order, so "first" is the smallest number.
 * Ranges are sorted by their low address, each with the highest end of
 * itself and every range before it (its reach): the ranges holding pc are
 * among those starting at or before pc, and the scan back from there stops
 * at the first range whose reach is not past pc. Sibling functions do not
 * overlap, so a scan crosses only the ranges nested in one function.
 */
#include <dwarf.h>
#include <stddef.h>

#include "weft-scopes-private.h"

/* DIE trees nested deeper than this are not followed further (hostile input). */
#define MAX_SCOPE_DEPTH 512

typedef struct {
	Dwarf_Die die;
	gint parent; /* index of the enclosing node, -1 for the unit */
} node_t;

typedef struct {
	Dwarf_Addr low, high; /* [low, high) */
	Dwarf_Addr reach;     /* the highest high of this range and of those sorted before it */
	guint node;
} range_t;

struct weft_scope_index {
	GArray *nodes;  /* node_t, owned, in tree order */
	GArray *ranges; /* range_t, owned, sorted by low */
};

/* The imported units being walked, innermost first: an import cycle stops there. */
typedef struct import {
	const void *unit; /* borrowed: the partial unit's DIE data */
	const struct import *outer;
} import_t;

#define NODE(ix, i) (&g_array_index((ix)->nodes, node_t, (i)))
#define RANGE(ix, i) (&g_array_index((ix)->ranges, range_t, (i)))

/* The tags libdw_visit_scopes.c descends into. */
static gboolean may_hold_scopes(Dwarf_Die *die)
{
	switch (dwarf_tag(die)) {
	case DW_TAG_compile_unit:
	case DW_TAG_module:
	case DW_TAG_lexical_block:
	case DW_TAG_with_stmt:
	case DW_TAG_catch_block:
	case DW_TAG_try_block:
	case DW_TAG_entry_point:
	case DW_TAG_inlined_subroutine:
	case DW_TAG_subprogram:
	case DW_TAG_namespace:
	case DW_TAG_class_type:
	case DW_TAG_structure_type:
		return TRUE;
	default:
		return FALSE;
	}
}

static void walk_children(weft_scope_index_t *ix, Dwarf_Die *die, gint parent,
                          const import_t *imports, guint depth);

/* Indexes die under parent when it covers addresses, then its children. */
static void walk_die(weft_scope_index_t *ix, Dwarf_Die *die, gint parent, const import_t *imports,
                     guint depth)
{
	Dwarf_Addr base, low, high;
	ptrdiff_t offset = 0;
	gint node = -1;

	while ((offset = dwarf_ranges(die, offset, &base, &low, &high)) > 0) {
		range_t r = {low, high, high, 0};

		if (low >= high) {
			continue; /* holds no address */
		}
		if (node < 0) {
			node_t n = {*die, parent};

			node = (gint) ix->nodes->len;
			g_array_append_val(ix->nodes, n);
		}
		r.node = (guint) node;
		g_array_append_val(ix->ranges, r);
	}
	if (node >= 0 && may_hold_scopes(die) && dwarf_haschildren(die)) {
		walk_children(ix, die, node, imports, depth + 1);
	}
}

/* The children of the unit an imported_unit DIE names, as children of parent. */
static void walk_import(weft_scope_index_t *ix, Dwarf_Die *die, gint parent,
                        const import_t *imports, guint depth)
{
	Dwarf_Attribute attr;
	Dwarf_Die unit;
	import_t here;

	if (!dwarf_formref_die(dwarf_attr(die, DW_AT_import, &attr), &unit)) {
		return;
	}
	for (const import_t *i = imports; i; i = i->outer) {
		if (i->unit == unit.addr) {
			return; /* a cycle */
		}
	}
	here = (import_t){unit.addr, imports};
	walk_children(ix, &unit, parent, &here, depth + 1);
}

static void walk_children(weft_scope_index_t *ix, Dwarf_Die *die, gint parent,
                          const import_t *imports, guint depth)
{
	Dwarf_Die child;

	if (depth > MAX_SCOPE_DEPTH || dwarf_child(die, &child) != 0) {
		return;
	}
	do {
		if (dwarf_tag(&child) == DW_TAG_imported_unit) {
			walk_import(ix, &child, parent, imports, depth);
		} else {
			walk_die(ix, &child, parent, imports, depth);
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

static gint by_low(gconstpointer a, gconstpointer b)
{
	const range_t *x = a, *y = b;

	if (x->low != y->low) {
		return x->low < y->low ? -1 : 1;
	}
	return x->node < y->node ? -1 : x->node > y->node;
}

weft_scope_index_t *weft_scope_index_new(Dwarf_Die *cu)
{
	weft_scope_index_t *ix = g_new0(weft_scope_index_t, 1);
	Dwarf_Addr reach = 0;

	ix->nodes = g_array_new(FALSE, FALSE, sizeof(node_t));
	ix->ranges = g_array_new(FALSE, FALSE, sizeof(range_t));
	walk_children(ix, cu, -1, NULL, 0);
	g_array_sort(ix->ranges, by_low);
	for (guint i = 0; i < ix->ranges->len; i++) {
		range_t *r = RANGE(ix, i);

		reach = MAX(reach, r->high);
		r->reach = reach;
	}
	return ix;
}

void weft_scope_index_free(weft_scope_index_t *ix)
{
	if (!ix) {
		return;
	}
	g_array_free(ix->nodes, TRUE);
	g_array_free(ix->ranges, TRUE);
	g_free(ix);
}

/* How many ranges start at or before pc. */
static guint ranges_up_to(const weft_scope_index_t *ix, Dwarf_Addr pc)
{
	guint lo = 0, hi = ix->ranges->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (RANGE(ix, mid)->low <= pc) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

/* The first child of parent (in tree order) holding pc; -1 when none. */
static gint child_holding(const weft_scope_index_t *ix, guint end, gint parent, Dwarf_Addr pc)
{
	gint best = -1;

	for (guint i = end; i > 0 && RANGE(ix, i - 1)->reach > pc; i--) {
		const range_t *r = RANGE(ix, i - 1);

		if (r->high > pc && NODE(ix, r->node)->parent == parent &&
		    (best < 0 || r->node < (guint) best)) {
			best = (gint) r->node;
		}
	}
	return best;
}

guint weft_scope_index_lookup(const weft_scope_index_t *ix, Dwarf_Addr pc, GArray *scopes)
{
	guint end = ranges_up_to(ix, pc), n = 0;
	gint innermost = -1;

	for (gint next; (next = child_holding(ix, end, innermost, pc)) >= 0;) {
		innermost = next;
	}
	for (gint i = innermost; i >= 0; i = NODE(ix, i)->parent, n++) {
		g_array_append_val(scopes, NODE(ix, i)->die);
	}
	return n;
}
