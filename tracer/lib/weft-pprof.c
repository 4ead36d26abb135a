/*
 * A weft_profile_t as profile.proto: the message is built with the
 * protobuf-c structures generated from pprof's own schema (the generated
 * code does the wire format), packed, then gzip'd with zlib. Strings,
 * functions, locations and mappings are interned as pprof wants them
 * (ids from 1, string 0 empty).
 */
#include "weft-pprof.h"

#include "analysis/weft-analysis-private.h"
#include "profile.pb-c.h"

#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

typedef Perftools__Profiles__Profile pb_profile_t;
typedef Perftools__Profiles__Sample pb_sample_t;
typedef Perftools__Profiles__Location pb_location_t;
typedef Perftools__Profiles__Line pb_line_t;
typedef Perftools__Profiles__Function pb_function_t;
typedef Perftools__Profiles__Mapping pb_mapping_t;
typedef Perftools__Profiles__Label pb_label_t;
typedef Perftools__Profiles__ValueType pb_value_type_t;

typedef struct {
	const weft_profile_t *prof; /* borrowed */
	const weft_model_t *model;  /* borrowed */
	GPtrArray *strings;         /* char*, owned: the string table */
	GHashTable *string_index;   /* char* (borrowed from strings) -> index + 1 */
	GPtrArray *functions;       /* pb_function_t*, owned */
	GHashTable *function_index; /* "name\1file" (owned) -> pb_function_t*, weak */
	GPtrArray *locations;       /* pb_location_t*, owned, with their lines */
	GHashTable *location_index; /* GBytes (leaf flag, frames), owned -> pb_location_t* */
	GPtrArray *mappings;        /* pb_mapping_t*, owned */
	GHashTable *mapping_index;  /* "binary\1base" (owned) -> pb_mapping_t*, weak */
	GPtrArray *samples;         /* pb_sample_t*, owned, with their arrays */
} writer_t;

static int64_t str(writer_t *w, const char *s)
{
	gpointer idx;

	if (!s || !*s) {
		return 0;
	}
	idx = g_hash_table_lookup(w->string_index, s);
	if (!idx) {
		char *copy = g_strdup(s);

		g_ptr_array_add(w->strings, copy);
		idx = GUINT_TO_POINTER(w->strings->len);
		g_hash_table_insert(w->string_index, copy, idx);
	}
	return (int64_t) GPOINTER_TO_UINT(idx) - 1;
}

/* The GNU build id of the ELF file at path, as hex; NULL when unreadable. */
static char *dup_build_id(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *elf = NULL;
	const void *id = NULL;
	ssize_t n = 0;
	GString *hex = NULL;

	if (fd < 0) {
		return NULL;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	n = elf ? dwelf_elf_gnu_build_id(elf, &id) : -1;
	if (n > 0) {
		hex = g_string_new(NULL);
		for (ssize_t i = 0; i < n; i++) {
			g_string_append_printf(hex, "%02x", ((const guint8 *) id)[i]);
		}
	}
	if (elf) {
		elf_end(elf);
	}
	close(fd);
	return hex ? g_string_free(hex, FALSE) : NULL;
}

/* The mapping of a callsite's binary at its load address, 0 when the binary is unknown. */
static uint64_t mapping_id(writer_t *w, const weft_callsite_t *cs, uint64_t address)
{
	const char *binary = weft_model_borrow_string(w->model, cs->binary);
	uint64_t base = cs->ip >= cs->offset ? cs->ip - cs->offset : 0;
	g_autofree char *key = NULL;
	pb_mapping_t *m;

	if (!*binary) {
		return 0;
	}
	key = g_strdup_printf("%s\1%" G_GINT64_MODIFIER "x", binary, base);
	m = g_hash_table_lookup(w->mapping_index, key);
	if (!m) {
		g_autofree char *build_id = dup_build_id(binary);

		m = g_new0(pb_mapping_t, 1);
		perftools__profiles__mapping__init(m);
		m->id = w->mappings->len + 1;
		m->memory_start = base;
		m->filename = str(w, binary);
		m->build_id = str(w, build_id);
		m->has_functions = m->has_filenames = m->has_line_numbers = TRUE;
		m->has_inline_frames = TRUE;
		g_ptr_array_add(w->mappings, m);
		g_hash_table_insert(w->mapping_index, g_steal_pointer(&key), m);
	}
	m->memory_limit = MAX(m->memory_limit, address + 1);
	return m->id;
}

static uint64_t function_id(writer_t *w, guint32 site)
{
	const weft_callsite_t *cs = weft_model_borrow_callsite(w->model, site);
	g_autofree char *name = weft_analysis_dup_site_function(w->model, site);
	const char *file = weft_model_borrow_string(w->model, cs->file);
	g_autofree char *key = g_strdup_printf("%s\1%s", name, file);
	pb_function_t *f = g_hash_table_lookup(w->function_index, key);

	if (!f) {
		f = g_new0(pb_function_t, 1);
		perftools__profiles__function__init(f);
		f->id = w->functions->len + 1;
		f->name = f->system_name = str(w, name);
		f->filename = str(w, file);
		g_ptr_array_add(w->functions, f);
		g_hash_table_insert(w->function_index, g_steal_pointer(&key), f);
	}
	return f->id;
}

/*
 * The location of frames run[0 .. n): one address, innermost (inlined)
 * function first. exact: the address is the ip itself (a sampled leaf, a
 * start routine), otherwise ip - 1 lies in the call instruction.
 * A location is keyed by its frames and exactness: the same frames as a
 * leaf and as a caller are two locations (two addresses).
 */
static uint64_t location_id(writer_t *w, const guint32 *run, guint n, gboolean exact)
{
	g_autoptr(GByteArray) kb = g_byte_array_new();
	g_autoptr(GBytes) key = NULL;
	const weft_callsite_t *cs = weft_model_borrow_callsite(w->model, run[0]);
	pb_location_t *loc;
	guint8 flag = exact;

	g_byte_array_append(kb, &flag, 1);
	g_byte_array_append(kb, (const guint8 *) run, n * sizeof(*run));
	key = g_byte_array_free_to_bytes(g_steal_pointer(&kb));
	loc = g_hash_table_lookup(w->location_index, key);
	if (loc) {
		return loc->id;
	}
	loc = g_new0(pb_location_t, 1);
	perftools__profiles__location__init(loc);
	loc->id = w->locations->len + 1;
	loc->address = exact || !cs->ip ? cs->ip : cs->ip - 1;
	loc->mapping_id = mapping_id(w, cs, loc->address);
	loc->n_line = n;
	loc->line = g_new0(pb_line_t *, n);
	for (guint i = 0; i < n; i++) {
		loc->line[i] = g_new0(pb_line_t, 1);
		perftools__profiles__line__init(loc->line[i]);
		loc->line[i]->function_id = function_id(w, run[i]);
		loc->line[i]->line = weft_model_borrow_callsite(w->model, run[i])->line;
	}
	g_ptr_array_add(w->locations, loc);
	g_hash_table_insert(w->location_index, g_steal_pointer(&key), loc);
	return loc->id;
}

/* Location ids leaf first: a run of inline frames at one ip is one location. */
static void sample_locations(writer_t *w, const weft_profile_sample_t *s, pb_sample_t *out)
{
	const guint32 *frames = &g_array_index(w->prof->frames, guint32, s->first);
	const weft_thread_t *t = s->thread < w->model->threads->len
	                             ? g_ptr_array_index(w->model->threads, s->thread)
	                             : NULL;
	g_autofree guint32 *run = g_new(guint32, s->depth ? s->depth : 1);

	out->location_id = g_new(uint64_t, s->depth ? s->depth : 1);
	for (gint k = (gint) s->depth - 1; k >= 0;) {
		const weft_callsite_t *cs = weft_model_borrow_callsite(w->model, frames[k]);
		guint n = 0;
		gboolean leaf = k == (gint) s->depth - 1;
		gboolean routine = k == 0 && t && frames[0] == t->start_routine_site;

		run[n++] = frames[k];
		while (cs->inlined && k > 0 &&
		       weft_model_borrow_callsite(w->model, frames[k - 1])->ip == cs->ip) {
			k--;
			cs = weft_model_borrow_callsite(w->model, frames[k]);
			run[n++] = frames[k];
		}
		k--;
		out->location_id[out->n_location_id++] = location_id(w, run, n, leaf || routine);
	}
}

static pb_label_t *label(writer_t *w, const char *key, const char *s, int64_t num)
{
	pb_label_t *l = g_new0(pb_label_t, 1);

	perftools__profiles__label__init(l);
	l->key = str(w, key);
	l->str = str(w, s);
	l->num = num;
	return l;
}

static void sample_labels(writer_t *w, const weft_profile_sample_t *s, pb_sample_t *out)
{
	const weft_model_t *m = w->model;
	const weft_thread_t *t =
	    s->thread < m->threads->len ? g_ptr_array_index(m->threads, s->thread) : NULL;
	const weft_process_t *p =
	    s->process < m->processes->len ? g_ptr_array_index(m->processes, s->process) : NULL;
	const char *name = t ? weft_model_borrow_string(m, t->name) : "";

	out->label = g_new0(pb_label_t *, 4);
	if (*name) {
		out->label[out->n_label++] = label(w, "thread", name, 0);
	}
	if (t) {
		out->label[out->n_label++] = label(w, "tid", NULL, t->tid);
	}
	if (p) {
		out->label[out->n_label++] = label(w, "pid", NULL, p->pid);
	}
	if (s->tag && w->prof->tag_key) {
		out->label[out->n_label++] = label(w, w->prof->tag_key, s->tag, 0);
	}
}

static void add_samples(writer_t *w)
{
	for (guint i = 0; i < w->prof->samples->len; i++) {
		const weft_profile_sample_t *s =
		    &g_array_index(w->prof->samples, weft_profile_sample_t, i);
		pb_sample_t *out = g_new0(pb_sample_t, 1);

		perftools__profiles__sample__init(out);
		sample_locations(w, s, out);
		out->n_value = w->prof->n_values;
		out->value = g_memdup2(s->values, sizeof(int64_t) * w->prof->n_values);
		sample_labels(w, s, out);
		g_ptr_array_add(w->samples, out);
	}
}

static pb_value_type_t *value_type(writer_t *w, const weft_profile_value_type_t *vt)
{
	pb_value_type_t *v = g_new0(pb_value_type_t, 1);

	perftools__profiles__value_type__init(v);
	v->type = str(w, vt->type);
	v->unit = str(w, vt->unit);
	return v;
}

static void free_sample(gpointer p)
{
	pb_sample_t *s = p;

	g_free(s->location_id);
	g_free(s->value);
	for (size_t i = 0; i < s->n_label; i++) {
		g_free(s->label[i]);
	}
	g_free(s->label);
	g_free(s);
}

static void free_location(gpointer p)
{
	pb_location_t *l = p;

	for (size_t i = 0; i < l->n_line; i++) {
		g_free(l->line[i]);
	}
	g_free(l->line);
	g_free(l);
}

static void writer_init(writer_t *w, const weft_profile_t *prof)
{
	w->prof = prof;
	w->model = prof->model;
	w->strings = g_ptr_array_new_with_free_func(g_free);
	w->string_index = g_hash_table_new(g_str_hash, g_str_equal);
	w->functions = g_ptr_array_new_with_free_func(g_free);
	w->function_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	w->locations = g_ptr_array_new_with_free_func(free_location);
	w->location_index = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
	                                          (GDestroyNotify) g_bytes_unref, NULL);
	w->mappings = g_ptr_array_new_with_free_func(g_free);
	w->mapping_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	w->samples = g_ptr_array_new_with_free_func(free_sample);
	g_ptr_array_add(w->strings, g_strdup("")); /* string 0 */
}

static void writer_clear(writer_t *w)
{
	g_hash_table_destroy(w->string_index);
	g_ptr_array_free(w->strings, TRUE);
	g_hash_table_destroy(w->function_index);
	g_ptr_array_free(w->functions, TRUE);
	g_hash_table_destroy(w->location_index);
	g_ptr_array_free(w->locations, TRUE);
	g_hash_table_destroy(w->mapping_index);
	g_ptr_array_free(w->mappings, TRUE);
	g_ptr_array_free(w->samples, TRUE);
}

static GBytes *gzip(const guint8 *data, gsize len)
{
	z_stream z = {0};
	uLong bound;
	guint8 *out;

	deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	bound = deflateBound(&z, (uLong) len) + 32;
	out = g_malloc(bound);
	z.next_in = (Bytef *) data;
	z.avail_in = (uInt) len;
	z.next_out = out;
	z.avail_out = (uInt) bound;
	deflate(&z, Z_FINISH); /* the bound makes one call enough */
	bound = z.total_out;
	deflateEnd(&z);
	return g_bytes_new_take(out, bound);
}

/* The message: value types and period first, so that their strings come first. */
/* types has n_values + 1 entries, the last for the period type (owned by the caller). */
static void build_message(writer_t *w, pb_profile_t *pb, guint default_value,
                          pb_value_type_t **types, int64_t *comment)
{
	const weft_profile_t *prof = w->prof;
	g_autofree char *unattributed = NULL;

	perftools__profiles__profile__init(pb);
	for (guint v = 0; v < prof->n_values; v++) {
		types[v] = value_type(w, &prof->sample_types[v]);
	}
	types[prof->n_values] = value_type(w, &prof->period_type);
	pb->sample_type = types;
	pb->n_sample_type = prof->n_values;
	pb->period_type = types[prof->n_values];
	pb->period = prof->period;
	pb->time_nanos = prof->time_start;
	pb->duration_nanos = prof->duration;
	if (default_value + 1 < prof->n_values) {
		pb->default_sample_type = str(w, prof->sample_types[default_value].type);
	}
	if (prof->n_unattributed) {
		unattributed = g_strdup_printf("weft: %" G_GUINT64_FORMAT " lock waits have no "
		                               "recorded releaser and are not in this profile",
		                               prof->n_unattributed);
		comment[pb->n_comment++] = str(w, unattributed);
	}
	pb->comment = comment;
	add_samples(w);
	pb->sample = (pb_sample_t **) w->samples->pdata;
	pb->n_sample = w->samples->len;
	pb->location = (pb_location_t **) w->locations->pdata;
	pb->n_location = w->locations->len;
	pb->function = (pb_function_t **) w->functions->pdata;
	pb->n_function = w->functions->len;
	pb->mapping = (pb_mapping_t **) w->mappings->pdata;
	pb->n_mapping = w->mappings->len;
	pb->string_table = (char **) w->strings->pdata;
	pb->n_string_table = w->strings->len;
}

GBytes *weft_pprof_encode(const weft_profile_t *profile, guint default_value)
{
	writer_t w;
	pb_profile_t pb;
	pb_value_type_t *types[WEFT_PROFILE_MAX_VALUES + 1] = {NULL};
	int64_t comment[1];
	g_autofree guint8 *packed = NULL;
	gsize len;
	GBytes *out;

	g_return_val_if_fail(profile != NULL, NULL);
	writer_init(&w, profile);
	build_message(&w, &pb, default_value, types, comment);
	len = perftools__profiles__profile__get_packed_size(&pb);
	packed = g_malloc(len ? len : 1);
	perftools__profiles__profile__pack(&pb, packed);
	out = gzip(packed, len);
	for (guint v = 0; v <= profile->n_values; v++) {
		g_free(types[v]);
	}
	writer_clear(&w);
	return out;
}

gboolean weft_pprof_write_file(const weft_profile_t *profile, guint default_value, const char *path,
                               GError **error)
{
	g_autoptr(GBytes) data = weft_pprof_encode(profile, default_value);
	gsize len;
	const char *bytes = g_bytes_get_data(data, &len);
	g_autoptr(GError) cause = NULL;

	if (!strcmp(path, "-")) {
		if (fwrite(bytes, 1, len, stdout) != len || fflush(stdout) != 0) {
			g_set_error(error, WEFT_PROFILE_ERROR, WEFT_PROFILE_ERROR_WRITE,
			            "Failed to write profile: path=\"-\", reason=\"%s\"",
			            g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	if (!g_file_set_contents(path, bytes, (gssize) len, &cause)) {
		g_set_error(error, WEFT_PROFILE_ERROR, WEFT_PROFILE_ERROR_WRITE,
		            "Failed to write profile: path=\"%s\", reason=\"%s\"", path,
		            cause->message);
		return FALSE;
	}
	return TRUE;
}
