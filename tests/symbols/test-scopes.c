/*
 * The symbolizer's scope index (tracer/lib/weft-scopes.c) against elfutils
 * itself: at every STEP-th address each compile unit of BINARY covers, the
 * index must find the scopes that dwarf_getscopes() and
 * dwarf_getscopes_die() find (the concrete chain from the innermost scope
 * up to the unit, as the symbolizer named addresses before the index),
 * DIE for DIE.
 *
 *   test-scopes BINARY STEP
 *
 * Fails on the first few differences (each printed), and when no address
 * was compared or none lay inside an inlined instance: then BINARY would not
 * test inline chains.
 */
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "weft-scopes-private.h"

#define MAX_REPORTED 10

typedef struct {
	guint64 compared, inlined, lexical, differ;
} counts_t;

/* The scopes as the symbolizer found them with elfutils alone; *chain is malloc'd. */
static int reference_scopes(Dwarf *dwarf, Dwarf_Die *cu, Dwarf_Addr pc, Dwarf_Die **chain)
{
	Dwarf_Die *scopes = NULL, innermost;
	int n = dwarf_getscopes(cu, pc, &scopes);

	*chain = NULL;
	if (n <= 0) {
		return 0;
	}
	if (!dwarf_offdie(dwarf, dwarf_dieoffset(&scopes[0]), &innermost)) {
		*chain = scopes;
		return n;
	}
	free(scopes);
	n = dwarf_getscopes_die(&innermost, chain);
	return n > 0 ? n : 0;
}

static void print_chain(const char *what, const Dwarf_Die *dies, int n)
{
	printf("  %s:", what);
	for (int i = 0; i < n; i++) {
		Dwarf_Die die = dies[i];

		printf(" %#" PRIx64 "(%s)", dwarf_dieoffset(&die), dwarf_diename(&die));
	}
	printf("\n");
}

static void compare_at(Dwarf *dwarf, Dwarf_Die *cu, const weft_scope_index_t *ix, Dwarf_Addr pc,
                       counts_t *c)
{
	g_autoptr(GArray) got = g_array_new(FALSE, FALSE, sizeof(Dwarf_Die));
	Dwarf_Die *want = NULL;
	int n = reference_scopes(dwarf, cu, pc, &want);
	gboolean same, inlined = FALSE, lexical = FALSE;

	/* the reference ends with the unit itself, the index leaves it out */
	if (n > 0 && dwarf_dieoffset(&want[n - 1]) == dwarf_dieoffset(cu)) {
		n--;
	}
	same = weft_scope_index_lookup(ix, pc, got) == (guint) n;
	for (int i = 0; same && i < n; i++) {
		Dwarf_Die *die = &g_array_index(got, Dwarf_Die, i);

		same = dwarf_dieoffset(die) == dwarf_dieoffset(&want[i]);
		inlined |= dwarf_tag(die) == DW_TAG_inlined_subroutine;
		lexical |= dwarf_tag(die) == DW_TAG_lexical_block;
	}
	c->compared++;
	c->inlined += inlined;
	c->lexical += lexical;
	if (!same && c->differ++ < MAX_REPORTED) {
		printf("FAIL: scopes at %#" PRIx64 " differ\n", pc);
		print_chain("elfutils", want, n);
		print_chain("index", (Dwarf_Die *) (void *) got->data, (int) got->len);
	}
	free(want);
}

/* Compares every step-th address of every range of the unit. */
static void compare_unit(Dwarf *dwarf, Dwarf_Die *cu, guint64 step, counts_t *c)
{
	weft_scope_index_t *ix = weft_scope_index_new(cu);
	Dwarf_Addr base, low, high;
	ptrdiff_t offset = 0;

	while ((offset = dwarf_ranges(cu, offset, &base, &low, &high)) > 0) {
		for (Dwarf_Addr pc = low; pc < high; pc += step) {
			compare_at(dwarf, cu, ix, pc, c);
		}
	}
	weft_scope_index_free(ix);
}

int main(int argc, char **argv)
{
	static const Dwfl_Callbacks callbacks = {
	    .find_elf = dwfl_build_id_find_elf,
	    .find_debuginfo = dwfl_standard_find_debuginfo,
	    .section_address = dwfl_offline_section_address,
	};
	guint64 step = argc == 3 ? g_ascii_strtoull(argv[2], NULL, 10) : 0;
	Dwfl *dwfl = dwfl_begin(&callbacks);
	Dwfl_Module *mod = NULL;
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;
	counts_t c = {0};

	if (step == 0) {
		fprintf(stderr, "usage: test-scopes BINARY STEP (STEP > 0)\n");
		return 2;
	}
	if (!dwfl || !(mod = dwfl_report_offline(dwfl, argv[1], argv[1], -1))) {
		fprintf(stderr, "test-scopes: cannot read %s: %s\n", argv[1], dwfl_errmsg(-1));
		return 1;
	}
	dwfl_report_end(dwfl, NULL, NULL);
	while ((cu = dwfl_module_nextcu(mod, cu, &bias))) {
		compare_unit(dwfl_module_getdwarf(mod, &bias), cu, step, &c);
	}
	dwfl_end(dwfl);
	printf("%s: %" G_GUINT64_FORMAT " addresses compared, %" G_GUINT64_FORMAT
	       " inside an inlined instance, %" G_GUINT64_FORMAT
	       " in a lexical block, %" G_GUINT64_FORMAT " differ\n",
	       argv[1], c.compared, c.inlined, c.lexical, c.differ);
	if (c.compared == 0 || c.inlined == 0) {
		printf("FAIL: nothing compared, or no address inside an inlined instance\n");
		return 1;
	}
	return c.differ ? 1 : 0;
}
