/*
 * Call-site symbolization with elfutils' libdwfl (never our own ELF or
 * DWARF reader). Every binary any process mapped is one module, reported
 * once into a Dwfl of its own at its link-time addresses, so two processes
 * that map the same library at different addresses share its symbol
 * tables, its DWARF and the names already looked up in it. An address is
 * named by its inline chain, found the way eu-addr2line -i finds it: the
 * scopes holding the address, each DW_TAG_inlined_subroutine giving the
 * file and line of the call into it (DW_AT_call_file, DW_AT_call_line).
 * The scopes come from an index of the address's compile unit, made the
 * first time an address in the unit is named (weft-scopes.c): the same
 * scopes as dwarf_getscopes(), without a walk of the whole unit for each
 * address.
 *
 * Separate debug info comes from dwfl_standard_find_debuginfo(): build id
 * under each absolute directory of the debuginfo path
 * (DIR/.build-id/xx/yyyy.debug), .gnu_debuglink next to the binary, in its
 * .debug/ and under each directory, then debuginfod when DEBUGINFOD_URLS
 * is set (libdwfl loads libdebuginfod.so.1 itself). A debuginfod query
 * that receives nothing for DEBUGINFOD_TIMEOUT seconds is abandoned, and
 * then debuginfod is not asked again by this symbolizer: an unreachable
 * server costs one timeout, not one per binary.
 */
#include <dlfcn.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <string.h>

#include "weft-scopes-private.h"
#include "weft-symbols-private.h"

/* The places every Debian tool searches: beside the binary, .debug/, /usr/lib/debug. */
#define STANDARD_DEBUGINFO_PATH ":.debug:/usr/lib/debug"
/* Seconds a debuginfod query may go without receiving data when DEBUGINFOD_TIMEOUT is unset. */
#define DEFAULT_DEBUGINFOD_TIMEOUT 10

typedef struct {
	guint n_frames;
	weft_symbol_frame_t frames[]; /* innermost first */
} chain_t;

typedef struct {
	weft_symbolizer_t *owner; /* weak */
	char *path;               /* owned */
	gboolean reported;        /* tried to report it into a Dwfl */
	Dwfl *dwfl;               /* owned, NULL when the binary is unusable */
	Dwfl_Module *module;      /* owned by dwfl */
	Dwarf_Addr low;           /* link-time address of its first segment */
	const char *build_id;     /* in owner->strings, NULL when none */
	GHashTable *chains;       /* module address -> chain_t*, owned values */
	GHashTable *units; /* compile unit's DIE data (borrowed from libdw) -> weft_scope_index_t*,
	                      owned values */
} module_t;

typedef struct {
	uint64_t base, size;
	module_t *module; /* weak, owned by the symbolizer */
} mapping_t;

typedef struct {
	GArray *mappings; /* mapping_t, owned */
} process_t;

struct weft_symbolizer {
	GHashTable *processes; /* pid -> process_t*, owned values */
	GHashTable *modules;   /* path (borrowed from the value) -> module_t*, owned values */
	GStringChunk *strings; /* names handed out */
	char *debuginfo_path;  /* owned, read by libdwfl through callbacks */
	Dwfl_Callbacks callbacks;
	/* debuginfod, for the query in progress */
	gint64 timeout_us;       /* abandon a query that receives nothing for this long */
	gint64 last_progress_us; /* monotonic time the query started or last received data */
	long last_received;
	gboolean debuginfod_off; /* a query was abandoned: ask no more */
};

/* ---- debuginfod ---- */

typedef int (*progress_fn_t)(debuginfod_client *client, long received, long total);

/* libdebuginfod's own functions, from the copy libdwfl loaded; NULL when it did not. */
static struct {
	void (*set_progressfn)(debuginfod_client *client, progress_fn_t fn);
	void (*set_user_data)(debuginfod_client *client, void *data);
	void *(*get_user_data)(debuginfod_client *client);
} debuginfod;

static gpointer load_debuginfod(gpointer unused)
{
	void *lib = dlopen("libdebuginfod.so.1", RTLD_LAZY | RTLD_NOLOAD);

	(void) unused;
	if (lib) {
		*(void **) &debuginfod.set_progressfn = dlsym(lib, "debuginfod_set_progressfn");
		*(void **) &debuginfod.set_user_data = dlsym(lib, "debuginfod_set_user_data");
		*(void **) &debuginfod.get_user_data = dlsym(lib, "debuginfod_get_user_data");
	}
	return NULL;
}

/*
 * Called about every second while a query runs: received counts the
 * attempts until a server answers, then the bytes received.
 */
static int on_debuginfod_progress(debuginfod_client *client, long received, long total)
{
	weft_symbolizer_t *s = debuginfod.get_user_data(client);
	gint64 now = g_get_monotonic_time();

	(void) total;
	if (!s) {
		return 0;
	}
	if (received > s->last_received + 1) {
		s->last_progress_us = now;
	}
	s->last_received = received;
	if (s->debuginfod_off || now - s->last_progress_us >= s->timeout_us) {
		s->debuginfod_off = TRUE;
		return 1; /* abandon the query */
	}
	return 0;
}

/* Watches the debuginfod queries of dwfl, when libdwfl uses debuginfod at all. */
static void watch_debuginfod(weft_symbolizer_t *s, Dwfl *dwfl)
{
	static GOnce once = G_ONCE_INIT;
	debuginfod_client *client = dwfl_get_debuginfod_client(dwfl);

	if (!client) {
		return; /* DEBUGINFOD_URLS unset, or libdebuginfod.so.1 not installed */
	}
	g_once(&once, load_debuginfod, NULL);
	if (debuginfod.set_progressfn && debuginfod.set_user_data && debuginfod.get_user_data) {
		debuginfod.set_user_data(client, s);
		debuginfod.set_progressfn(client, on_debuginfod_progress);
	}
}

static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                          const char *file_name, const char *debuglink_file,
                          GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	module_t *m = *userdata;

	if (m) {
		m->owner->last_progress_us = g_get_monotonic_time();
		m->owner->last_received = 0;
	}
	return dwfl_standard_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file,
	                                    debuglink_crc, debuginfo_file_name);
}

static gint64 debuginfod_timeout_us(void)
{
	const char *env = g_getenv("DEBUGINFOD_TIMEOUT");
	gint64 seconds = env ? g_ascii_strtoll(env, NULL, 10) : 0;

	return (seconds > 0 ? seconds : DEFAULT_DEBUGINFOD_TIMEOUT) * G_USEC_PER_SEC;
}

/* ---- symbolizer ---- */

static void process_free(process_t *p)
{
	g_array_free(p->mappings, TRUE);
	g_free(p);
}

static void module_free(module_t *m)
{
	g_hash_table_destroy(m->units); /* the indexes hold copies of libdw's DIEs */
	if (m->dwfl) {
		dwfl_end(m->dwfl);
	}
	g_hash_table_destroy(m->chains);
	g_free(m->path);
	g_free(m);
}

weft_symbolizer_t *weft_symbolizer_new(void)
{
	weft_symbolizer_t *s = g_new0(weft_symbolizer_t, 1);

	s->processes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	                                     (GDestroyNotify) process_free);
	s->modules =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify) module_free);
	s->strings = g_string_chunk_new(4096);
	s->callbacks = (Dwfl_Callbacks){
	    .find_elf = dwfl_build_id_find_elf,
	    .find_debuginfo = find_debuginfo,
	    .section_address = dwfl_offline_section_address,
	    .debuginfo_path = &s->debuginfo_path,
	};
	s->timeout_us = debuginfod_timeout_us();
	weft_symbolizer_set_debuginfo_dirs(s, g_getenv("WEFT_DEBUGINFO_PATH"));
	return s;
}

void weft_symbolizer_free(weft_symbolizer_t *s)
{
	if (!s) {
		return;
	}
	g_hash_table_destroy(s->processes);
	g_hash_table_destroy(s->modules);
	g_string_chunk_free(s->strings);
	g_free(s->debuginfo_path);
	g_free(s);
}

void weft_symbolizer_set_debuginfo_dirs(weft_symbolizer_t *s, const char *dirs)
{
	g_free(s->debuginfo_path);
	/* a leading '-' or '+' would be read as the CRC-check flag: start with ':' */
	s->debuginfo_path = dirs && *dirs ? g_strconcat(":", dirs, STANDARD_DEBUGINFO_PATH, NULL)
	                                  : g_strdup(STANDARD_DEBUGINFO_PATH);
}

static module_t *module_of_path(weft_symbolizer_t *s, const char *path)
{
	module_t *m = g_hash_table_lookup(s->modules, path);

	if (!m) {
		m = g_new0(module_t, 1);
		m->owner = s;
		m->path = g_strdup(path);
		m->chains = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
		m->units = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
		                                 (GDestroyNotify) weft_scope_index_free);
		g_hash_table_insert(s->modules, m->path, m);
	}
	return m;
}

void weft_symbolizer_add_mapping(weft_symbolizer_t *s, int64_t pid, uint64_t base, uint64_t size,
                                 const char *path, gboolean is_pic)
{
	gpointer key = (gpointer) (uintptr_t) pid;
	process_t *p = g_hash_table_lookup(s->processes, key);
	mapping_t m = {base, size, NULL};

	/*
	 * is_pic needs no keeping: modules sit at their link-time addresses
	 * and an address is found from its offset to the first segment.
	 */
	(void) is_pic;
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

		if (old->base == base && !strcmp(old->module->path, path)) {
			return; /* the statedump repeats itself */
		}
	}
	m.module = module_of_path(s, path);
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

static const char *dup_build_id(weft_symbolizer_t *s, Dwfl_Module *mod)
{
	const unsigned char *bits = NULL;
	GElf_Addr vaddr = 0;
	int n = dwfl_module_build_id(mod, &bits, &vaddr);
	g_autoptr(GString) hex = NULL;

	if (n <= 0) {
		return NULL;
	}
	hex = g_string_sized_new((gsize) n * 2);
	for (int i = 0; i < n; i++) {
		g_string_append_printf(hex, "%02x", bits[i]);
	}
	return g_string_chunk_insert_const(s->strings, hex->str);
}

/* Reports the binary on first use; FALSE when libdwfl cannot read it. */
static gboolean module_open(module_t *m)
{
	void **userdata = NULL;

	if (m->reported) {
		return m->module != NULL;
	}
	m->reported = TRUE;
	if (!(m->dwfl = dwfl_begin(&m->owner->callbacks))) {
		return FALSE;
	}
	watch_debuginfod(m->owner, m->dwfl);
	dwfl_report_begin(m->dwfl);
	/* base 0 plus p_vaddr: the module sits at its link-time addresses */
	m->module = dwfl_report_elf(m->dwfl, m->path, m->path, -1, 0, true);
	dwfl_report_end(m->dwfl, NULL, NULL);
	if (!m->module) {
		return FALSE;
	}
	dwfl_module_info(m->module, &userdata, &m->low, NULL, NULL, NULL, NULL, NULL);
	*userdata = m;
	m->build_id = dup_build_id(m->owner, m->module);
	return TRUE;
}

static const char *intern(weft_symbolizer_t *s, const char *str)
{
	return str ? g_string_chunk_insert_const(s->strings, str) : NULL;
}

/* The name of a subprogram or inlined instance: its linkage name, else its name. */
static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &attr));

	if (!name) {
		name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr));
	}
	return name ? name : dwarf_diename(die);
}

static gboolean is_function_scope(Dwarf_Die *die)
{
	int tag = dwarf_tag(die);

	return tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram ||
	       tag == DW_TAG_entry_point;
}

/*
 * Appends the scopes holding at to scopes, innermost first, along the
 * concrete tree (an inlined instance inside the function it was inlined
 * into), as eu-addr2line -i walks them; *cu is the compile unit. The
 * unit's index is made on first use. Returns the count, 0 when the DWARF
 * does not cover at.
 */
static guint concrete_scopes(module_t *m, Dwarf_Addr at, Dwarf_Die *cu, GArray *scopes)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die *cudie = dwfl_module_addrdie(m->module, at, &bias);
	weft_scope_index_t *ix;

	if (!cudie) {
		return 0;
	}
	*cu = *cudie;
	ix = g_hash_table_lookup(m->units, cudie->addr);
	if (!ix) {
		ix = weft_scope_index_new(cudie);
		g_hash_table_insert(m->units, cudie->addr, ix);
	}
	return weft_scope_index_lookup(ix, at - bias, scopes);
}

/* Appends the inline chain at at from the DWARF scopes to frames. */
static void add_dwarf_frames(module_t *m, Dwarf_Addr at, weft_symbol_frame_t where, GArray *frames)
{
	weft_symbolizer_t *s = m->owner;
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Dwarf_Die));
	Dwarf_Die cu;
	Dwarf_Files *files = NULL;
	guint n = concrete_scopes(m, at, &cu, all);
	Dwarf_Die *scopes = (Dwarf_Die *) (void *) all->data;

	if (n > 0 && dwarf_getsrcfiles(&cu, &files, NULL) != 0) {
		files = NULL;
	}
	for (guint i = 0; i < n; i++) {
		Dwarf_Attribute attr;
		Dwarf_Word value;

		if (!is_function_scope(&scopes[i])) {
			continue; /* a lexical block */
		}
		where.function = intern(s, die_name(&scopes[i]));
		g_array_append_val(frames, where);
		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine) {
			break; /* the out-of-line function */
		}
		/* its caller is at the call into this inlined instance */
		where = (weft_symbol_frame_t){0};
		if (files &&
		    dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &value) == 0) {
			where.file = intern(s, dwarf_filesrc(files, value, NULL, NULL));
		}
		if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &value) == 0) {
			where.line = (uint32_t) value;
		}
	}
}

/* Names module address at: the inline chain, or the symbol and line alone. */
static chain_t *chain_new(module_t *m, Dwarf_Addr at)
{
	weft_symbolizer_t *s = m->owner;
	Dwfl_Module *mod = m->module;
	g_autoptr(GArray) frames = g_array_new(FALSE, TRUE, sizeof(weft_symbol_frame_t));
	weft_symbol_frame_t innermost = {0};
	Dwfl_Line *line = dwfl_module_getsrc(mod, at);
	chain_t *chain;

	if (line) {
		int lineno = 0;

		innermost.file = intern(s, dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL));
		innermost.line = lineno > 0 && innermost.file ? (uint32_t) lineno : 0;
	}
	add_dwarf_frames(m, at, innermost, frames);
	if (frames->len == 0) {
		/* no DWARF for it: the symbol table's name, the line table's line */
		innermost.function = intern(s, dwfl_module_addrname(mod, at));
		if (innermost.function || innermost.file) {
			g_array_append_val(frames, innermost);
		}
	} else if (!g_array_index(frames, weft_symbol_frame_t, frames->len - 1).function) {
		g_array_index(frames, weft_symbol_frame_t, frames->len - 1).function =
		    intern(s, dwfl_module_addrname(mod, at));
	}
	chain = g_malloc(sizeof(chain_t) + frames->len * sizeof(weft_symbol_frame_t));
	chain->n_frames = frames->len;
	memcpy(chain->frames, frames->data, frames->len * sizeof(weft_symbol_frame_t));
	return chain;
}

static const chain_t *module_chain(module_t *m, Dwarf_Addr at)
{
	gint64 key = (gint64) at;
	chain_t *chain = g_hash_table_lookup(m->chains, &key);

	if (!chain) {
		chain = chain_new(m, at);
		g_hash_table_insert(m->chains, g_memdup2(&key, sizeof(key)), chain);
	}
	return chain;
}

gboolean weft_symbolizer_lookup(weft_symbolizer_t *s, int64_t pid, uint64_t addr,
                                gboolean return_address, weft_symbol_t *out)
{
	process_t *p = g_hash_table_lookup(s->processes, (gpointer) (uintptr_t) pid);
	mapping_t *m;
	uint64_t at = return_address && addr ? addr - 1 : addr;

	memset(out, 0, sizeof(*out));
	if (!p || !(m = find_mapping(p, at))) {
		return FALSE;
	}
	out->binary = m->module->path;
	out->offset = addr - m->base;
	if (module_open(m->module)) {
		const chain_t *chain = module_chain(m->module, at - m->base + m->module->low);

		out->build_id = m->module->build_id;
		out->frames = chain->frames;
		out->n_frames = chain->n_frames;
		if (chain->n_frames) {
			out->function = chain->frames[0].function;
			out->file = chain->frames[0].file;
			out->line = chain->frames[0].line;
		}
	}
	return TRUE;
}
