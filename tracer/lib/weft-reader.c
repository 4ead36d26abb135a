/*
 * The CTF reader: builds and runs the libbabeltrace2 graph
 *
 *   source.ctf.fs (one per trace directory) -> filter.utils.muxer
 *     -> [filter.lttng-utils.debug-info] -> weft's simple sink
 *
 * and hands every message to the sink state (weft-sink.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "weft-json-import.h"
#include "weft-reader-private.h"

#define MAX_DEPTH 8

/* The quark's name is one token: kept from the formatter. */
/* clang-format off */
G_DEFINE_QUARK(weft-reader-error-quark, weft_reader_error)
/* clang-format on */

typedef struct {
	const bt_component_class_source *ctf_fs;     /* borrowed from the plugin */
	const bt_component_class_filter *muxer;      /* borrowed */
	const bt_component_class_filter *debug_info; /* borrowed, NULL when missing */
	const bt_plugin *plugins[3];                 /* owned, kept for the process */
} classes_t;

typedef struct {
	weft_sink_state_t *state;      /* owned until finish */
	bt_message_iterator *iterator; /* borrowed from the graph */
} sink_data_t;

typedef struct {
	char *path;           /* the user's path, owned */
	GPtrArray *dirs;      /* char*, owned: trace directories found under path */
	GPtrArray *reads;     /* char*, owned: what babeltrace2 reads for each of dirs */
	GPtrArray *mirrors;   /* char*, owned: the repaired mirrors among reads, removed at free */
	GPtrArray *warnings;  /* char*, owned: what the repair dropped */
	GHashTable *repaired; /* char* set, owned: stream files read only in part */
	gboolean symbols;     /* ip context and statedump events */
	gint64 begin, end;    /* ns from origin, from the trace infos; end < begin when unknown */
} input_t;

static gpointer load_classes(gpointer unused)
{
	classes_t *c = g_new0(classes_t, 1);
	const char *names[] = {"ctf", "utils", "lttng-utils"};

	for (int i = 0; i < 3; i++) {
		if (bt_plugin_find(names[i], BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE,
		                   &c->plugins[i]) != BT_PLUGIN_FIND_STATUS_OK) {
			c->plugins[i] = NULL;
			bt_current_thread_clear_error();
		}
	}
	if (c->plugins[0]) {
		c->ctf_fs =
		    bt_plugin_borrow_source_component_class_by_name_const(c->plugins[0], "fs");
	}
	if (c->plugins[1]) {
		c->muxer =
		    bt_plugin_borrow_filter_component_class_by_name_const(c->plugins[1], "muxer");
	}
	if (c->plugins[2]) {
		c->debug_info = bt_plugin_borrow_filter_component_class_by_name_const(c->plugins[2],
		                                                                      "debug-info");
	}
	return c;
}

static const classes_t *get_classes(void)
{
	static GOnce once = G_ONCE_INIT;

	return g_once(&once, load_classes, NULL);
}

/*
 * The babeltrace2 error of this thread as one line (taken and released):
 * the root cause first (cause 0), then the plugin causes that explain it;
 * libbabeltrace2's own causes only repeat component addresses.
 */
static char *take_bt_error(void)
{
	const bt_error *err = bt_current_thread_take_error();
	GString *s = g_string_new(NULL);
	guint64 n;
	guint used = 0;

	if (!err) {
		return g_string_free(s, FALSE);
	}
	n = bt_error_get_cause_count(err);
	for (guint64 i = 0; i < n && used < 2; i++) {
		const bt_error_cause *cause = bt_error_borrow_cause_by_index(err, i);
		const char *m = bt_error_cause_get_message(cause);
		const char *module = bt_error_cause_get_module_name(cause);

		if (!m || !*m || (module && !strcmp(module, "libbabeltrace2") && s->len)) {
			continue;
		}
		g_string_append_printf(s, "%s%s", s->len ? ": " : "", m);
		used++;
	}
	bt_error_release(err);
	if (strstr(s->str, "Failed to index CTF stream file")) {
		g_string_append(s, " (the stream file is truncated or corrupt)");
	}
	for (gsize i = 0; i < s->len; i++) {
		if (s->str[i] == '\n' || s->str[i] == '"') {
			s->str[i] = s->str[i] == '"' ? '\'' : ' ';
		}
	}
	return g_string_free(s, FALSE);
}

static void set_error(GError **error, weft_reader_error_t code, const char *what, const char *path,
                      const char *reason)
{
	g_set_error(error, WEFT_READER_ERROR, code, "Failed to %s: path=\"%s\", reason=\"%s\"",
	            what, path, reason && *reason ? reason : "unknown error");
}

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

static int cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* {"inputs": [dir]}: one trace per source.ctf.fs (babeltrace2 2.0 merges only
 * traces of one UUID in a component). */
static bt_value *inputs_value(const char *dir)
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
static gboolean check_metadata(const classes_t *c, input_t *in, char **reason)
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
static void widen_range(input_t *in, const bt_value *m)
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
static void query_range(const classes_t *c, input_t *in)
{
	in->begin = G_MAXINT64;
	in->end = G_MININT64;
	for (guint d = 0; d < in->reads->len; d++) {
		bt_value *params = inputs_value(g_ptr_array_index(in->reads, d));
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

static void input_free(input_t *in)
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
static void plan_reads(input_t *in)
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

static input_t *open_input(const classes_t *c, const char *path, GError **error)
{
	input_t *in = g_new0(input_t, 1);
	g_autofree char *reason = NULL;

	in->path = g_strdup(path);
	in->dirs = g_ptr_array_new_with_free_func(g_free);
	in->reads = g_ptr_array_new_with_free_func(g_free);
	in->mirrors = g_ptr_array_new_with_free_func(g_free);
	in->warnings = g_ptr_array_new_with_free_func(g_free);
	in->repaired = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		set_error(error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", path,
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
		set_error(error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", path,
		          g_file_test(path, G_FILE_TEST_IS_DIR)
		              ? "no CTF trace (no metadata file) in this folder"
		              : "not a CTF trace (give the trace's folder or its metadata file)");
		goto error;
	}
	g_ptr_array_sort(in->dirs, cmp_str);
	for (guint i = 0; i < in->dirs->len; i++) {
		const char *dir = g_ptr_array_index(in->dirs, i);
		g_autofree char *bad = check_metadata_packets(dir);

		if (!bad) {
			bad = check_metadata_text(dir);
		}

		if (bad) {
			set_error(error, WEFT_READER_ERROR_READ, "open trace", path, bad);
			goto error;
		}
	}
	plan_reads(in);
	if (!check_metadata(c, in, &reason)) {
		set_error(error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", path, reason);
		goto error;
	}
	query_range(c, in);
	return in;
error:
	input_free(in);
	return NULL;
}

/* ---- stream files ---- */

#define INDEX_MAGIC 0xC1F1DCC1u
#define INDEX_HEADER_SIZE 16
#define INDEX_ENTRY_MIN 56 /* offset, packet_size, content_size, 2 times, discarded, stream id */

/*
 * Bytes the LTTng index of stream dir/name says the stream holds
 * (dir/index/name.idx, big-endian), or 0 when there is no usable index.
 */
static guint64 index_expected_size(const char *dir, const char *name)
{
	g_autofree char *idx_name = g_strconcat(name, ".idx", NULL);
	g_autofree char *path = g_build_filename(dir, "index", idx_name, NULL);
	g_autofree char *data = NULL;
	gsize len = 0;
	guint32 h[4];
	guint64 end = 0;

	if (!g_file_get_contents(path, &data, &len, NULL) || len < INDEX_HEADER_SIZE) {
		return 0;
	}
	memcpy(h, data, sizeof h);
	if (GUINT32_FROM_BE(h[0]) != INDEX_MAGIC || GUINT32_FROM_BE(h[3]) < INDEX_ENTRY_MIN) {
		return 0;
	}
	for (gsize off = INDEX_HEADER_SIZE; off + GUINT32_FROM_BE(h[3]) <= len;
	     off += GUINT32_FROM_BE(h[3])) {
		guint64 e[2];

		memcpy(e, data + off, sizeof e);
		if (GUINT64_FROM_BE(e[1]) % 8 ||
		    GUINT64_FROM_BE(e[0]) > G_MAXUINT64 - GUINT64_FROM_BE(e[1]) / 8) {
			return 0;
		}
		end = MAX(end, GUINT64_FROM_BE(e[0]) + GUINT64_FROM_BE(e[1]) / 8);
	}
	return end;
}

static void add_cpu(GArray *cpus, guint cpu)
{
	for (guint i = 0; i < cpus->len; i++) {
		if (g_array_index(cpus, guint, i) == cpu) {
			return;
		}
	}
	g_array_append_val(cpus, cpu);
}

/*
 * Looks at the stream files of trace directory dir: babeltrace2 skips an
 * empty one silently and reads a file cut at a packet boundary as if it
 * were whole. Adds a sentence per such file to warnings and the CPU of each
 * per-CPU stream file (CHANNEL_CPU) to cpus.
 */
static void scan_streams(const char *dir, GHashTable *repaired, GPtrArray *warnings, GArray *cpus)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (!d) {
		return;
	}
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		const char *us = strrchr(name, '_');
		GStatBuf st;
		guint64 expected;

		if (name[0] == '.' || !strcmp(name, "metadata") || g_stat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode)) {
			continue;
		}
		if (us && us[1] && strspn(us + 1, "0123456789") == strlen(us + 1) &&
		    strlen(us + 1) < 6) {
			add_cpu(cpus, (guint) atoi(us + 1));
		}
		expected = index_expected_size(dir, name);
		if (g_hash_table_contains(repaired, path)) {
			continue; /* the repair said what was dropped */
		}
		if (st.st_size == 0) {
			g_ptr_array_add(
			    warnings,
			    g_strdup_printf("stream %s is empty: its events are missing", path));
		} else if ((guint64) st.st_size < expected) {
			g_ptr_array_add(warnings,
			                g_strdup_printf("stream %s is truncated (%" G_GUINT64_FORMAT
			                                " of %" G_GUINT64_FORMAT
			                                " bytes): the events of its "
			                                "missing packets are missing",
			                                path, (guint64) st.st_size, expected));
		}
	}
	g_dir_close(d);
}

static int cmp_guint(gconstpointer a, gconstpointer b)
{
	guint x = *(const guint *) a, y = *(const guint *) b;

	return (x > y) - (x < y);
}

/* Records in model what the stream files of every input say. */
static void add_stream_facts(weft_model_t *model, GPtrArray *inputs)
{
	guint first = model->warnings->len;

	for (guint i = 0; i < inputs->len; i++) {
		const input_t *in = g_ptr_array_index(inputs, i);

		for (guint d = 0; d < in->dirs->len; d++) {
			scan_streams(g_ptr_array_index(in->dirs, d), in->repaired, model->warnings,
			             model->stream_cpus);
		}
		for (guint w = 0; w < in->warnings->len; w++) {
			g_ptr_array_add(model->warnings,
			                g_strdup(g_ptr_array_index(in->warnings, w)));
		}
	}
	g_array_sort(model->stream_cpus, cmp_guint);
	if (model->warnings->len > first) {
		qsort(model->warnings->pdata + first, model->warnings->len - first,
		      sizeof(gpointer), cmp_str);
	}
}

/* ---- the sink ---- */

static bt_graph_simple_sink_component_initialize_func_status sink_init(bt_message_iterator *it,
                                                                       void *data)
{
	((sink_data_t *) data)->iterator = it;
	return BT_GRAPH_SIMPLE_SINK_COMPONENT_INITIALIZE_FUNC_STATUS_OK;
}

static bt_graph_simple_sink_component_consume_func_status sink_consume(bt_message_iterator *it,
                                                                       void *data)
{
	sink_data_t *sd = data;
	bt_message_array_const msgs;
	uint64_t count = 0;

	switch (bt_message_iterator_next(it, &msgs, &count)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		break;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	for (uint64_t i = 0; i < count; i++) {
		weft_sink_state_consume(sd->state, msgs[i]);
		bt_message_put_ref(msgs[i]);
	}
	return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

static void sink_finalize(void *data)
{
}

/* ---- the graph ---- */

static gboolean connect(bt_graph *graph, const bt_port_output *out, const bt_port_input *in)
{
	return bt_graph_connect_ports(graph, out, in, NULL) == BT_GRAPH_CONNECT_PORTS_STATUS_OK;
}

/* Connects every output port of src to a fresh input port of the muxer. */
static gboolean connect_to_muxer(bt_graph *graph, const bt_component_source *src,
                                 const bt_component_filter *muxer)
{
	guint64 n = bt_component_source_get_output_port_count(src);

	for (guint64 i = 0; i < n; i++) {
		guint64 nin = bt_component_filter_get_input_port_count(muxer);
		const bt_port_input *in =
		    bt_component_filter_borrow_input_port_by_index_const(muxer, nin - 1);

		if (!connect(graph, bt_component_source_borrow_output_port_by_index_const(src, i),
		             in)) {
			return FALSE;
		}
	}
	return TRUE;
}

static const bt_component_source *add_source(bt_graph *graph, const classes_t *c, const input_t *in,
                                             const char *dir, guint n, GError **error)
{
	bt_value *params = inputs_value(dir);
	const bt_component_source *src = NULL;
	g_autofree char *name = g_strdup_printf("source-%u", n);
	bt_graph_add_component_status st;

	if (!params) {
		set_error(error, WEFT_READER_ERROR_READ, "open trace", in->path, "out of memory");
		return NULL;
	}
	st = bt_graph_add_source_component(graph, c->ctf_fs, name, params, BT_LOGGING_LEVEL_NONE,
	                                   &src);
	bt_value_put_ref(params);
	if (st != BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
		g_autofree char *reason = take_bt_error();

		set_error(error, WEFT_READER_ERROR_READ, "open trace", in->path, reason);
		return NULL;
	}
	return src;
}

static const bt_component_filter *add_filter(bt_graph *graph, const bt_component_class_filter *cls,
                                             const char *name, bt_value *params)
{
	const bt_component_filter *f = NULL;

	if (bt_graph_add_filter_component(graph, cls, name, params, BT_LOGGING_LEVEL_NONE, &f) !=
	    BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
		return NULL;
	}
	return f;
}

static char *paths_label(GPtrArray *inputs)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < inputs->len; i++) {
		input_t *in = g_ptr_array_index(inputs, i);

		g_string_append_printf(s, "%s%s", i ? " " : "", in->path);
	}
	return g_string_free(s, FALSE);
}

/* Builds the graph; returns the last filter (whose output feeds weft's sink). */
static const bt_component_filter *build_graph(bt_graph *graph, const classes_t *c,
                                              GPtrArray *inputs, gboolean symbols, GError **error)
{
	const bt_component_filter *muxer = add_filter(graph, c->muxer, "muxer", NULL);
	const bt_component_filter *last = muxer;

	if (!muxer) {
		g_autofree char *reason = take_bt_error();

		set_error(error, WEFT_READER_ERROR_READ, "create the reading graph", "", reason);
		return NULL;
	}
	guint64 ports = 0;

	for (guint i = 0, n = 0; i < inputs->len; i++) {
		input_t *in = g_ptr_array_index(inputs, i);

		for (guint d = 0; d < in->reads->len; d++) {
			const bt_component_source *src =
			    add_source(graph, c, in, g_ptr_array_index(in->reads, d), n++, error);

			if (!src) {
				return NULL;
			}
			/* a trace without streams (a process that emitted nothing) adds nothing */
			ports += bt_component_source_get_output_port_count(src);
			if (!connect_to_muxer(graph, src, muxer)) {
				g_autofree char *reason = take_bt_error();

				set_error(error, WEFT_READER_ERROR_READ, "open trace", in->path,
				          reason);
				return NULL;
			}
		}
	}
	if (ports == 0) {
		g_autofree char *label = paths_label(inputs);

		set_error(error, WEFT_READER_ERROR_EMPTY, "open trace", label,
		          "the trace holds no event stream");
		return NULL;
	}
	if (symbols && c->debug_info) {
		bt_value *params = bt_value_map_create();
		const bt_component_filter *dbg;

		bt_value_map_insert_bool_entry(params, "full-path", BT_TRUE);
		dbg = add_filter(graph, c->debug_info, "debug-info", params);
		bt_value_put_ref(params);
		if (dbg &&
		    connect(graph, bt_component_filter_borrow_output_port_by_index_const(muxer, 0),
		            bt_component_filter_borrow_input_port_by_index_const(dbg, 0))) {
			last = dbg;
		} else {
			bt_current_thread_clear_error();
		}
	}
	return last;
}

typedef struct {
	const weft_reader_options_t *opts;
	gint64 begin, end;
	gint64 last_report;
} progress_t;

static void report_progress(progress_t *p, const weft_sink_state_t *state, gboolean force)
{
	gint64 now;
	double fraction = 0;

	if (!p->opts || !p->opts->progress) {
		return;
	}
	now = g_get_monotonic_time();
	if (!force && now - p->last_report < G_USEC_PER_SEC / 5) {
		return;
	}
	p->last_report = now;
	if (p->end > p->begin) {
		fraction = (double) (weft_sink_state_get_last_time(state) - p->begin) /
		           (double) (p->end - p->begin);
	}
	if (force) {
		fraction = 1;
	}
	p->opts->progress(CLAMP(fraction, 0.0, 1.0), weft_sink_state_get_n_events(state),
	                  p->opts->progress_data);
}

static gboolean run_graph(bt_graph *graph, sink_data_t *sd, progress_t *p, const char *label,
                          GError **error)
{
	guint64 n = 0;

	for (;;) {
		bt_graph_run_once_status st;

		if ((n++ & 63) == 0) {
			if (p->opts && p->opts->cancellable &&
			    g_cancellable_is_cancelled(p->opts->cancellable)) {
				set_error(error, WEFT_READER_ERROR_CANCELLED, "read trace", label,
				          "cancelled");
				return FALSE;
			}
			report_progress(p, sd->state, FALSE);
		}
		st = bt_graph_run_once(graph);
		if (st == BT_GRAPH_RUN_ONCE_STATUS_END) {
			return TRUE;
		}
		if (st != BT_GRAPH_RUN_ONCE_STATUS_OK && st != BT_GRAPH_RUN_ONCE_STATUS_AGAIN) {
			g_autofree char *reason = take_bt_error();

			set_error(error, WEFT_READER_ERROR_READ, "read trace", label, reason);
			return FALSE;
		}
	}
}

static gboolean check_classes(const classes_t *c, GError **error)
{
	if (!c->ctf_fs || !c->muxer) {
		set_error(error, WEFT_READER_ERROR_READ, "load babeltrace2 plugins", "",
		          "the ctf and utils plugins of babeltrace2 are not installed");
		return FALSE;
	}
	return TRUE;
}

/* A Chrome Trace Event JSON file (weft convert's output, plain or gzip'd)? */
static gboolean is_json_path(const char *path)
{
	return g_file_test(path, G_FILE_TEST_IS_REGULAR) &&
	       (g_str_has_suffix(path, ".json") || g_str_has_suffix(path, ".json.gz"));
}

static void on_json_progress(double fraction, gpointer data)
{
	const weft_reader_options_t *options = data;

	options->progress(fraction, 0, options->progress_data);
}

/*
 * A Chrome JSON trace, read alone: its model is what the viewer shows for
 * it. The error codes are the reader's.
 */
static weft_model_t *load_json(const char *const *paths, const weft_reader_options_t *options,
                               GError **error)
{
	GError *local = NULL;
	weft_model_t *model;

	if (paths[1]) {
		set_error(error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", paths[0],
		          "a Chrome JSON trace is read alone, not merged with other traces");
		return NULL;
	}
	model = weft_json_import_file(
	    paths[0], options && options->progress ? on_json_progress : NULL, (gpointer) options,
	    options ? options->cancellable : NULL, &local);
	if (!model) {
		gboolean cancelled = g_error_matches(local, G_IO_ERROR, G_IO_ERROR_CANCELLED);

		g_set_error_literal(error, WEFT_READER_ERROR,
		                    cancelled ? WEFT_READER_ERROR_CANCELLED
		                              : WEFT_READER_ERROR_NOT_A_TRACE,
		                    local->message);
		g_error_free(local);
	}
	return model;
}

weft_model_t *weft_reader_load(const char *const *paths, const weft_reader_options_t *options,
                               GError **error)
{
	const classes_t *c = get_classes();
	GPtrArray *inputs = g_ptr_array_new_with_free_func((GDestroyNotify) input_free);
	sink_data_t sd = {0};
	progress_t progress = {options, G_MAXINT64, G_MININT64, 0};
	bt_graph *graph = NULL;
	const bt_component_filter *last;
	const bt_component_sink *sink = NULL;
	g_autofree char *label = NULL;
	gboolean symbols = FALSE;
	weft_model_t *model = NULL;

	if (!check_classes(c, error)) {
		goto end;
	}
	if (!paths || !paths[0]) {
		set_error(error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", "", "no trace given");
		goto end;
	}
	for (guint i = 0; paths[i]; i++) {
		if (is_json_path(paths[i])) {
			model = load_json(i ? paths + i : paths, options, error);
			if (model && i) {
				g_clear_pointer(&model, weft_model_free);
				set_error(
				    error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", paths[i],
				    "a Chrome JSON trace is read alone, not merged with other "
				    "traces");
			}
			goto end;
		}
	}
	for (guint i = 0; paths[i]; i++) {
		input_t *in = open_input(c, paths[i], error);

		if (!in) {
			goto end;
		}
		symbols |= in->symbols;
		progress.begin = MIN(progress.begin, in->begin);
		progress.end = MAX(progress.end, in->end);
		g_ptr_array_add(inputs, in);
	}
	label = paths_label(inputs);
	graph = bt_graph_create(0);
	last = build_graph(graph, c, inputs,
	                   symbols && options && options->debug_info_filter && !options->no_symbols,
	                   error);
	if (!last) {
		goto end;
	}
	sd.state = weft_sink_state_new();
	weft_sink_state_set_symbolize(sd.state, !(options && options->no_symbols));
	if (bt_graph_add_simple_sink_component(graph, "weft", sink_init, sink_consume,
	                                       sink_finalize, &sd,
	                                       &sink) != BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
	    !connect(graph, bt_component_filter_borrow_output_port_by_index_const(last, 0),
	             bt_component_sink_borrow_input_port_by_index_const(sink, 0))) {
		g_autofree char *reason = take_bt_error();

		set_error(error, WEFT_READER_ERROR_READ, "create the reading graph", label, reason);
		goto end;
	}
	if (!run_graph(graph, &sd, &progress, label, error)) {
		goto end;
	}
	report_progress(&progress, sd.state, TRUE);
	model = weft_sink_state_finish(sd.state, NULL);
	sd.state = NULL;
	if (!model) {
		set_error(error, WEFT_READER_ERROR_EMPTY, "read trace", label,
		          "the trace holds no events");
	} else {
		add_stream_facts(model, inputs);
	}
end:
	bt_graph_put_ref(graph);
	weft_sink_state_free(sd.state);
	g_ptr_array_free(inputs, TRUE);
	return model;
}
