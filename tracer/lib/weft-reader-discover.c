/*
 * weft-reader-discover.c - what the CTF reader is given, checked before
 * babeltrace2 sees it: the trace folders under a path (a folder holding a
 * "metadata" file, at most MAX_DEPTH levels down), metadata that is cut
 * inside a packet or a TSDL declaration (babeltrace2 2.0 loops forever or
 * aborts on those), whether the traces carry what the debug-info filter
 * needs, and the time range for the progress estimate.
 *
 * Apart from the graph (weft-reader.c) because it only reads files and
 * runs babeltrace2 queries: it decides whether the graph is built at all.
 */
#include <string.h>

#include "weft-reader-private.h"

#define MAX_DEPTH 8

/* ---- discovery ---- */

static void find_traces(const char *dir, int depth, GPtrArray *out)
{
	g_autofree char *metadata = g_build_filename(dir, "metadata", NULL);
	GDir *d;
	const char *name;

	if (g_file_test(metadata, G_FILE_TEST_IS_REGULAR)) {
		g_ptr_array_add(out, g_strdup(dir));
		return;
	}
	if (depth >= MAX_DEPTH || !(d = g_dir_open(dir, 0, NULL))) {
		return;
	}
	while ((name = g_dir_read_name(d))) {
		g_autofree char *sub = g_build_filename(dir, name, NULL);

		if (g_file_test(sub, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(sub, G_FILE_TEST_IS_SYMLINK)) {
			find_traces(sub, depth + 1, out);
		}
	}
	g_dir_close(d);
}

int weft_reader_cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* {"inputs": [dir]}: one trace per source.ctf.fs (babeltrace2 2.0 merges only
 * traces of one UUID in a component). */
bt_value *weft_reader_inputs_value(const char *dir)
{
	bt_value *params = bt_value_map_create();
	bt_value *inputs = NULL;

	if (!params ||
	    bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) !=
	        BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK ||
	    bt_value_array_append_string_element(inputs, dir) !=
	        BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK) {
		bt_value_put_ref(params);
		return NULL;
	}
	return params;
}

static const bt_value *query(const bt_component_class_source *cls, const char *object,
                             const bt_value *params)
{
	bt_query_executor *q = bt_query_executor_create(
	    bt_component_class_source_as_component_class_const(cls), object, params);
	const bt_value *result = NULL;

	if (!q) {
		return NULL;
	}
	bt_query_executor_set_logging_level(q, BT_LOGGING_LEVEL_NONE);
	if (bt_query_executor_query(q, &result) != BT_QUERY_EXECUTOR_QUERY_STATUS_OK) {
		result = NULL;
		bt_current_thread_clear_error();
	}
	bt_query_executor_put_ref(q);
	return result;
}

/*
 * LTTng writes metadata in packets (CTF 1.8 metadata packet header: magic,
 * uuid, checksum, content_size and packet_size in bits, ...). babeltrace2
 * 2.0 loops forever on a metadata file cut inside a packet, so check the
 * framing first: every packet must fit in the file. Plain-text metadata
 * has nothing to check. Returns NULL when fine, else the reason.
 */
#define METADATA_MAGIC 0x75D11D57U
#define METADATA_HEADER_SIZE 37

static guint32 read_u32(const guint8 *p, gboolean big_endian)
{
	return big_endian
	           ? ((guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3])
	           : ((guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0]);
}

static char *check_metadata_packets(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "metadata", NULL);
	g_autofree char *data = NULL;
	gsize len = 0, off = 0;
	gboolean be;

	if (!g_file_get_contents(path, &data, &len, NULL)) {
		return g_strdup_printf("cannot read %s", path);
	}
	if (len < 4 || (read_u32((guint8 *) data, FALSE) != METADATA_MAGIC &&
	                read_u32((guint8 *) data, TRUE) != METADATA_MAGIC)) {
		return NULL; /* plain text */
	}
	be = read_u32((guint8 *) data, TRUE) == METADATA_MAGIC;
	while (off < len) {
		const guint8 *h = (const guint8 *) data + off;
		guint64 content, packet;

		if (len - off < METADATA_HEADER_SIZE || read_u32(h, be) != METADATA_MAGIC) {
			return g_strdup_printf(
			    "the metadata file %s is truncated or corrupt at byte %" G_GSIZE_FORMAT,
			    path, off);
		}
		content = read_u32(h + 24, be) / 8;
		packet = read_u32(h + 28, be) / 8;
		if (packet < METADATA_HEADER_SIZE || content > packet || packet > len - off) {
			return g_strdup_printf(
			    "the metadata file %s is truncated or corrupt: its packet at byte "
			    "%" G_GSIZE_FORMAT " needs %" G_GUINT64_FORMAT
			    " bytes, %" G_GSIZE_FORMAT " remain",
			    path, off, packet, len - off);
		}
		off += packet;
	}
	return NULL;
}

/*
 * Whether TSDL text ends after a complete top-level declaration: braces
 * balanced outside comments and string literals, and the last significant
 * character a ';'. babeltrace2 2.0 also spins on metadata cut at a packet
 * boundary, which the framing check cannot see.
 */
static gboolean tsdl_complete(const char *s, gsize len)
{
	gint64 depth = 0;
	char last = 0;

	for (gsize i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '/' && i + 1 < len && s[i + 1] == '*') {
			const char *end = g_strstr_len(s + i + 2, (gssize) (len - i - 2), "*/");

			if (!end) {
				return FALSE;
			}
			i = (gsize) (end - s) + 1;
			continue;
		}
		if (ch == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n') {
				i++;
			}
			continue;
		}
		if (ch == '"' || ch == '\'') {
			for (i++; i < len && s[i] != ch; i++) {
				if (s[i] == '\\') {
					i++;
				}
			}
			if (i >= len) {
				return FALSE;
			}
			last = ch;
			continue;
		}
		if (ch == '{') {
			depth++;
		} else if (ch == '}' && --depth < 0) {
			return FALSE;
		}
		if (!g_ascii_isspace(ch) && ch != '\0') {
			last = ch;
		}
	}
	return depth == 0 && last == ';';
}

/*
 * After check_metadata_packets(): the TSDL text of dir/metadata (the
 * packets' contents, or the plain file) must not be cut mid-way. Returns
 * NULL when fine, else the reason.
 */
static char *check_metadata_text(const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "metadata", NULL);
	g_autofree char *data = NULL;
	gsize len = 0;
	GString *text;
	gboolean ok;

	if (!g_file_get_contents(path, &data, &len, NULL)) {
		return g_strdup_printf("cannot read %s", path);
	}
	if (len >= 4 && (read_u32((guint8 *) data, FALSE) == METADATA_MAGIC ||
	                 read_u32((guint8 *) data, TRUE) == METADATA_MAGIC)) {
		gboolean be = read_u32((guint8 *) data, TRUE) == METADATA_MAGIC;

		text = g_string_new(NULL);
		for (gsize off = 0; off + METADATA_HEADER_SIZE <= len;) {
			const guint8 *h = (const guint8 *) data + off;
			gsize content = read_u32(h + 24, be) / 8, packet = read_u32(h + 28, be) / 8;

			if (packet < METADATA_HEADER_SIZE || content > packet ||
			    packet > len - off) {
				break; /* the framing check reports it */
			}
			if (content > METADATA_HEADER_SIZE) {
				g_string_append_len(text, (const char *) h + METADATA_HEADER_SIZE,
				                    (gssize) (content - METADATA_HEADER_SIZE));
			}
			off += packet;
		}
	} else {
		text = g_string_new_len(data, (gssize) len);
	}
	ok = tsdl_complete(text->str, text->len);
	g_string_free(text, TRUE);
	return ok ? NULL
	          : g_strdup_printf("truncated metadata: the TSDL text of %s ends inside a "
	                            "declaration",
	                            path);
}

/* Reads each trace's metadata: does it carry what the debug-info filter needs? */
static gboolean check_metadata(const weft_reader_classes_t *c, weft_reader_input_t *in,
                               char **reason)
{
	for (guint i = 0; i < in->reads->len; i++) {
		bt_value *params = bt_value_map_create();
		const bt_value *res, *text;

		bt_value_map_insert_string_entry(params, "path", g_ptr_array_index(in->reads, i));
		res = query(c->ctf_fs, "metadata-info", params);
		bt_value_put_ref(params);
		text = res && bt_value_is_map(res)
		           ? bt_value_map_borrow_entry_value_const(res, "text")
		           : NULL;
		if (!text || !bt_value_is_string(text)) {
			bt_value_put_ref(res);
			*reason = g_strdup_printf("cannot parse the CTF metadata of %s",
			                          (const char *) g_ptr_array_index(in->dirs, i));
			return FALSE;
		}
		if (strstr(bt_value_string_get(text), "lttng_ust_statedump:bin_info") &&
		    strstr(bt_value_string_get(text), "_ip;")) {
			in->symbols = TRUE;
		}
		bt_value_put_ref(res);
	}
	return TRUE;
}

/* Widens [in->begin, in->end] by a babeltrace2 `range-ns` map, if m has one. */
static void widen_range(weft_reader_input_t *in, const bt_value *m)
{
	const bt_value *r =
	    bt_value_is_map(m) ? bt_value_map_borrow_entry_value_const(m, "range-ns") : NULL;
	const bt_value *b =
	    r && bt_value_is_map(r) ? bt_value_map_borrow_entry_value_const(r, "begin") : NULL;
	const bt_value *e =
	    r && bt_value_is_map(r) ? bt_value_map_borrow_entry_value_const(r, "end") : NULL;

	if (b && e && bt_value_is_signed_integer(b) && bt_value_is_signed_integer(e)) {
		in->begin = MIN(in->begin, bt_value_integer_signed_get(b));
		in->end = MAX(in->end, bt_value_integer_signed_get(e));
	}
}

/*
 * Time range of the traces, for the progress estimate. babeltrace2 2.0
 * gives `range-ns` per stream (`stream-infos`), later versions per trace too.
 */
static void query_range(const weft_reader_classes_t *c, weft_reader_input_t *in)
{
	in->begin = G_MAXINT64;
	in->end = G_MININT64;
	for (guint d = 0; d < in->reads->len; d++) {
		bt_value *params = weft_reader_inputs_value(g_ptr_array_index(in->reads, d));
		const bt_value *res =
		    params ? query(c->ctf_fs, "babeltrace.trace-infos", params) : NULL;

		bt_value_put_ref(params);
		for (guint64 i = 0;
		     res && bt_value_is_array(res) && i < bt_value_array_get_length(res); i++) {
			const bt_value *t = bt_value_array_borrow_element_by_index_const(res, i);
			const bt_value *streams =
			    bt_value_is_map(t)
			        ? bt_value_map_borrow_entry_value_const(t, "stream-infos")
			        : NULL;

			widen_range(in, t);
			for (guint64 k = 0; streams && bt_value_is_array(streams) &&
			                    k < bt_value_array_get_length(streams);
			     k++) {
				widen_range(
				    in, bt_value_array_borrow_element_by_index_const(streams, k));
			}
		}
		bt_value_put_ref(res);
	}
}

void weft_reader_input_free(weft_reader_input_t *in)
{
	for (guint i = 0; i < in->mirrors->len; i++) {
		weft_reader_repair_remove(g_ptr_array_index(in->mirrors, i));
	}
	g_free(in->path);
	g_ptr_array_free(in->dirs, TRUE);
	g_ptr_array_free(in->reads, TRUE);
	g_ptr_array_free(in->mirrors, TRUE);
	g_ptr_array_free(in->warnings, TRUE);
	g_hash_table_destroy(in->repaired);
	g_free(in);
}

/*
 * What babeltrace2 reads for each trace folder: the folder itself, or a
 * mirror where the streams it cannot read whole end at their last
 * complete packet (weft-reader-repair.c).
 */
static void plan_reads(weft_reader_input_t *in)
{
	for (guint i = 0; i < in->dirs->len; i++) {
		const char *dir = g_ptr_array_index(in->dirs, i);
		char *mirror = weft_reader_repair_dir(dir, in->warnings, in->repaired);

		g_ptr_array_add(in->reads, mirror ? mirror : g_strdup(dir));
		if (mirror) {
			g_ptr_array_add(in->mirrors, g_strdup(mirror));
		}
	}
}

weft_reader_input_t *weft_reader_open_input(const weft_reader_classes_t *c, const char *path,
                                            GError **error)
{
	weft_reader_input_t *in = g_new0(weft_reader_input_t, 1);
	g_autofree char *reason = NULL;

	in->path = g_strdup(path);
	in->dirs = g_ptr_array_new_with_free_func(g_free);
	in->reads = g_ptr_array_new_with_free_func(g_free);
	in->mirrors = g_ptr_array_new_with_free_func(g_free);
	in->warnings = g_ptr_array_new_with_free_func(g_free);
	in->repaired = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		weft_reader_set_error(error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", path,
		                      "no such file or directory");
		goto error;
	}
	if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_autofree char *base = g_path_get_basename(path);
		g_autofree char *dir = g_path_get_dirname(path);

		if (!strcmp(base, "metadata")) {
			g_ptr_array_add(in->dirs, g_strdup(dir));
		}
	} else {
		find_traces(path, 0, in->dirs);
	}
	if (!in->dirs->len) {
		weft_reader_set_error(
		    error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", path,
		    g_file_test(path, G_FILE_TEST_IS_DIR)
		        ? "no CTF trace (no metadata file) in this folder"
		        : "not a CTF trace (give the trace's folder or its metadata file)");
		goto error;
	}
	g_ptr_array_sort(in->dirs, weft_reader_cmp_str);
	for (guint i = 0; i < in->dirs->len; i++) {
		const char *dir = g_ptr_array_index(in->dirs, i);
		g_autofree char *bad = check_metadata_packets(dir);

		if (!bad) {
			bad = check_metadata_text(dir);
		}

		if (bad) {
			weft_reader_set_error(error, WEFT_READER_ERROR_READ, "open trace", path,
			                      bad);
			goto error;
		}
	}
	plan_reads(in);
	if (!check_metadata(c, in, &reason)) {
		weft_reader_set_error(error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", path,
		                      reason);
		goto error;
	}
	query_range(c, in);
	return in;
error:
	weft_reader_input_free(in);
	return NULL;
}
