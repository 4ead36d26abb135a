/*
 * Call-site symbolization with elfutils' libdwfl (never our own ELF or
 * DWARF reader): each process gets a Dwfl session into which the binaries
 * holding looked-up addresses are reported at their load addresses.
 */
#include <elfutils/libdwfl.h>
#include <string.h>

#include "weft-symbols-private.h"

typedef struct {
	uint64_t base, size;
	char *path; /* owned */
	gboolean is_pic;
	gboolean reported;   /* tried to report it into the Dwfl */
	Dwfl_Module *module; /* owned by the process's Dwfl, NULL when unusable */
} mapping_t;

typedef struct {
	GArray *mappings; /* mapping_t, owned */
	Dwfl *dwfl;       /* owned, created on first lookup */
} process_t;

struct weft_symbolizer {
	GHashTable *processes; /* pid -> process_t*, owned values */
	GStringChunk *strings; /* names handed out */
};

static char *debuginfo_path;

static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

static void process_free(process_t *p)
{
	for (guint i = 0; i < p->mappings->len; i++) {
		g_free(g_array_index(p->mappings, mapping_t, i).path);
	}
	g_array_free(p->mappings, TRUE);
	if (p->dwfl) {
		dwfl_end(p->dwfl);
	}
	g_free(p);
}

weft_symbolizer_t *weft_symbolizer_new(void)
{
	weft_symbolizer_t *s = g_new0(weft_symbolizer_t, 1);

	s->processes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	                                     (GDestroyNotify) process_free);
	s->strings = g_string_chunk_new(4096);
	return s;
}

void weft_symbolizer_free(weft_symbolizer_t *s)
{
	if (!s) {
		return;
	}
	g_hash_table_destroy(s->processes);
	g_string_chunk_free(s->strings);
	g_free(s);
}

void weft_symbolizer_add_mapping(weft_symbolizer_t *s, int64_t pid, uint64_t base, uint64_t size,
                                 const char *path, gboolean is_pic)
{
	gpointer key = (gpointer) (uintptr_t) pid;
	process_t *p = g_hash_table_lookup(s->processes, key);
	mapping_t m = {base, size, NULL, is_pic, FALSE, NULL};

	if (!path || !*path || path[0] == '[' || size == 0) {
		return; /* [vdso] and friends: nothing to read */
	}
	if (!p) {
		p = g_new0(process_t, 1);
		p->mappings = g_array_new(FALSE, FALSE, sizeof(mapping_t));
		g_hash_table_insert(s->processes, key, p);
	}
	for (guint i = 0; i < p->mappings->len; i++) {
		mapping_t *old = &g_array_index(p->mappings, mapping_t, i);

		if (old->base == base && !strcmp(old->path, path)) {
			return; /* the statedump repeats itself */
		}
	}
	m.path = g_strdup(path);
	g_array_append_val(p->mappings, m);
}

static mapping_t *find_mapping(process_t *p, uint64_t addr)
{
	for (guint i = p->mappings->len; i > 0; i--) {
		mapping_t *m = &g_array_index(p->mappings, mapping_t, i - 1);

		if (addr >= m->base && addr - m->base < m->size) {
			return m;
		}
	}
	return NULL;
}

static Dwfl_Module *module_of(process_t *p, mapping_t *m)
{
	if (m->reported) {
		return m->module;
	}
	m->reported = TRUE;
	if (!p->dwfl && !(p->dwfl = dwfl_begin(&callbacks))) {
		return NULL;
	}
	dwfl_report_begin_add(p->dwfl);
	m->module = dwfl_report_elf(p->dwfl, m->path, m->path, -1, m->is_pic ? m->base : 0, false);
	dwfl_report_end(p->dwfl, NULL, NULL);
	return m->module;
}

gboolean weft_symbolizer_lookup(weft_symbolizer_t *s, int64_t pid, uint64_t addr,
                                gboolean return_address, weft_symbol_t *out)
{
	process_t *p = g_hash_table_lookup(s->processes, (gpointer) (uintptr_t) pid);
	mapping_t *m;
	Dwfl_Module *mod;
	uint64_t at = return_address && addr ? addr - 1 : addr;

	memset(out, 0, sizeof(*out));
	if (!p || !(m = find_mapping(p, at))) {
		return FALSE;
	}
	out->binary = m->path;
	out->offset = addr - m->base;
	mod = module_of(p, m);
	if (mod) {
		const char *name = dwfl_module_addrname(mod, at);
		Dwfl_Line *line = dwfl_module_getsrc(mod, at);

		if (name) {
			out->function = g_string_chunk_insert_const(s->strings, name);
		}
		if (line) {
			int lineno = 0;
			const char *file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);

			if (file) {
				out->file = g_string_chunk_insert_const(s->strings, file);
				out->line = lineno > 0 ? (uint32_t) lineno : 0;
			}
		}
	}
	return TRUE;
}
