/*
 * The symbolizer on inline-app (tests/symbols/inline-app.c), with its
 * debug info where symbols.sh put it:
 *
 *   test-symbols chain BINARY OFFSET BUILD_ID NOTE_LINE BUMP_LINE WORKER_LINE
 *     the return address OFFSET (inside take_shared_lock, inlined into
 *     bump, inlined into worker) names the three functions at their lines,
 *     binary and build id; a second process mapping the binary elsewhere
 *     gets the same cached chain.
 *   test-symbols unnamed BINARY OFFSET
 *     nothing names OFFSET: binary and offset only.
 *   test-symbols builder BINARY OFFSET NOTE_LINE BUMP_LINE WORKER_LINE
 *     the model builder: a wait at OFFSET names take_shared_lock; a stack
 *     holding it is rewritten in place with bump and worker after it.
 *
 * Debug info comes from the standard places and $WEFT_DEBUGINFO_PATH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft-builder-private.h"
#include "weft-symbols-private.h"

#define BASE 0x7f0000000000ull
#define OTHER_BASE 0x560000000000ull

static int failures;

#define CHECK(cond, ...)                   \
	do {                               \
		if (cond) {                \
			printf("ok: ");    \
		} else {                   \
			printf("FAIL: ");  \
			failures++;        \
		}                          \
		printf(__VA_ARGS__);       \
		printf("  [%s]\n", #cond); \
	} while (0)

static gboolean same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static gboolean base_is(const char *path, const char *base)
{
	g_autofree char *name = path ? g_path_get_basename(path) : NULL;

	return same(name, base);
}

static uint64_t parse_u64(const char *s)
{
	return g_ascii_strtoull(s, NULL, 0);
}

static const char *const want_functions[] = {"take_shared_lock", "bump", "worker"};
static const char *const want_files[] = {"inline-lock.h", "inline-lock.h", "inline-app.c"};

static int test_chain(char **argv)
{
	const char *binary = argv[0];
	uint64_t offset = parse_u64(argv[1]);
	const char *build_id = argv[2];
	uint32_t lines[3] = {(uint32_t) parse_u64(argv[3]), (uint32_t) parse_u64(argv[4]),
	                     (uint32_t) parse_u64(argv[5])};
	weft_symbolizer_t *s = weft_symbolizer_new();
	weft_symbol_t sym, again;

	weft_symbolizer_add_mapping(s, 1, BASE, 1 << 20, binary, TRUE);
	weft_symbolizer_add_mapping(s, 2, OTHER_BASE, 1 << 20, binary, TRUE);
	CHECK(weft_symbolizer_lookup(s, 1, BASE + offset, TRUE, &sym), "a mapping holds it");
	CHECK(sym.n_frames == 3, "three frames (got %u)", sym.n_frames);
	for (guint i = 0; i < 3 && i < sym.n_frames; i++) {
		const weft_symbol_frame_t *f = &sym.frames[i];

		CHECK(same(f->function, want_functions[i]), "frame %u is %s (got %s)", i,
		      want_functions[i], f->function);
		CHECK(base_is(f->file, want_files[i]), "frame %u in %s (got %s)", i, want_files[i],
		      f->file);
		CHECK(f->line == lines[i], "frame %u at line %u (got %u)", i, lines[i], f->line);
	}
	CHECK(sym.n_frames && sym.function == sym.frames[0].function &&
	          sym.line == sym.frames[0].line,
	      "the call site names the innermost function");
	CHECK(same(sym.binary, binary), "binary %s", binary);
	CHECK(same(sym.build_id, build_id), "build id %s (got %s)", build_id, sym.build_id);
	CHECK(sym.offset == offset, "offset 0x%" G_GINT64_MODIFIER "x", offset);
	CHECK(weft_symbolizer_lookup(s, 2, OTHER_BASE + offset, TRUE, &again),
	      "the other process's mapping holds it");
	CHECK(again.frames == sym.frames && again.offset == offset,
	      "the other process gets the cached chain of the same module");
	weft_symbolizer_free(s);
	return failures ? 1 : 0;
}

static int test_unnamed(char **argv)
{
	const char *binary = argv[0];
	uint64_t offset = parse_u64(argv[1]);
	weft_symbolizer_t *s = weft_symbolizer_new();
	weft_symbol_t sym;

	weft_symbolizer_add_mapping(s, 1, BASE, 1 << 20, binary, TRUE);
	CHECK(weft_symbolizer_lookup(s, 1, BASE + offset, TRUE, &sym), "a mapping holds it");
	CHECK(sym.n_frames == 0 && !sym.function && !sym.file,
	      "no name, no file (got %u frames, %s)", sym.n_frames, sym.function);
	CHECK(same(sym.binary, binary) && sym.offset == offset, "binary and offset stay");
	weft_symbolizer_free(s);
	return failures ? 1 : 0;
}

static void add(weft_builder_t *b, weft_event_id_t id, weft_time_t ts, uint64_t ip,
                const int64_t *ints, guint n, const char *str)
{
	weft_event_t ev = {.ts = ts, .id = id, .vpid = 1, .vtid = 1, .cpu = 0, .ip = ip};

	for (guint i = 0; i < G_N_ELEMENTS(ev.s); i++) {
		ev.s[i] = "";
	}
	memcpy(ev.i, ints, n * sizeof(*ints));
	if (str) {
		ev.s[0] = str;
	}
	weft_builder_add_event(b, &ev);
}

static guint32 site_of(const weft_model_t *m, uint64_t ip)
{
	for (guint i = 1; i < m->callsites->len; i++) {
		if (weft_model_borrow_callsite(m, i)->ip == ip) {
			return i;
		}
	}
	return 0;
}

static const char *name_of(const weft_model_t *m, guint32 site)
{
	return weft_model_borrow_string(m, weft_model_borrow_callsite(m, site)->function);
}

static int test_builder(char **argv)
{
	const char *binary = argv[0];
	uint64_t ip = BASE + parse_u64(argv[1]);
	uint32_t lines[3] = {(uint32_t) parse_u64(argv[2]), (uint32_t) parse_u64(argv[3]),
	                     (uint32_t) parse_u64(argv[4])};
	weft_builder_t *b = weft_builder_new();
	const int64_t map[] = {(int64_t) BASE, 1 << 20, 1};
	const int64_t lock[] = {0x1000, 0};
	const int64_t acquired[] = {0x1000, 0, 0};
	weft_model_t *m = weft_builder_borrow_model(b);
	guint32 inline_site, other_site, frames[2], with_inline, without;
	const guint32 *got;
	const weft_stack_t *st;
	g_autoptr(weft_model_t) model = NULL;

	add(b, WEFT_EV_UST_BIN_INFO, 10, 0, map, 3, binary);
	add(b, WEFT_EV_LOCK_WAIT, 20, ip, lock, 2, NULL);
	add(b, WEFT_EV_LOCK_ACQUIRED, 30, ip, acquired, 3, NULL);
	add(b, WEFT_EV_LOCK_WAIT, 40, 0x999, lock, 2, NULL); /* in no binary */
	add(b, WEFT_EV_LOCK_ACQUIRED, 50, 0x999, acquired, 3, NULL);
	inline_site = site_of(m, ip);
	other_site = site_of(m, 0x999);
	frames[0] = inline_site;
	frames[1] = other_site;
	with_inline = weft_model_add_stack(m, frames, 2, FALSE);
	without = weft_model_add_stack(m, &other_site, 1, FALSE);
	model = weft_builder_finish(b);

	CHECK(same(name_of(model, inline_site), "take_shared_lock") &&
	          weft_model_borrow_callsite(model, inline_site)->line == lines[0],
	      "the wait's call site names the innermost function at its line");
	st = weft_model_borrow_stack(model, with_inline, &got);
	CHECK(st && st->depth == 4, "the stack has its 2 inline callers (depth %u)",
	      st ? st->depth : 0);
	for (guint i = 0; st && i < 3 && i < st->depth; i++) {
		const weft_callsite_t *cs = weft_model_borrow_callsite(model, got[i]);

		CHECK(same(name_of(model, got[i]), want_functions[i]) && cs->line == lines[i],
		      "frame %u is %s:%u (got %s:%u)", i, want_functions[i], lines[i],
		      name_of(model, got[i]), cs->line);
		CHECK(cs->inlined == (i < 2) && cs->ip == ip, "frame %u inlined=%d at the same ip",
		      i, i < 2);
	}
	CHECK(st && st->depth == 4 && got[0] == inline_site && got[3] == other_site,
	      "the leaf stays the wait's call site, the outer frame follows");
	st = weft_model_borrow_stack(model, without, &got);
	CHECK(st && st->depth == 1 && got[0] == other_site, "a stack without inline is unchanged");
	st = weft_model_borrow_stack(model, with_inline, &got);
	if (st && st->depth == 4) {
		g_autofree guint32 *copy = g_memdup2(got, 4 * sizeof(guint32));

		CHECK(weft_model_add_stack(model, copy, 4, FALSE) == with_inline,
		      "the expanded stack is interned under its old index");
	}
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 8 && !strcmp(argv[1], "chain")) {
		return test_chain(argv + 2);
	}
	if (argc == 4 && !strcmp(argv[1], "unnamed")) {
		return test_unnamed(argv + 2);
	}
	if (argc == 7 && !strcmp(argv[1], "builder")) {
		return test_builder(argv + 2);
	}
	fprintf(stderr, "usage: test-symbols chain|unnamed|builder BINARY OFFSET ...\n");
	return 2;
}
