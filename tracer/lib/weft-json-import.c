/*
 * Chrome Trace Event Format -> timeline model: the entry points and the
 * reading. The file is parsed in chunks with json-c's incremental tokener
 * (progress, cancellation, gzip through GZlibDecompressor), then each event
 * becomes a record (weft-json-events.c) and the records are matched into
 * the model (weft-json-build.c); weft-json-import-private.h is what they
 * share.
 *
 * Timestamps are microseconds (floats) in the format; the model is in ns.
 * weft's writer makes them relative to the trace start and gives the
 * absolute start in metadata.trace-start-ns, which is added back so the
 * times read the same as from the CTF trace.
 */
#include "weft-json-import-private.h"

#include <string.h>

#define CHUNK (1 << 20)

static gboolean import_events(weft_json_import_t *im, json_object *root, GError **error)
{
	json_object *events = root, *metadata, *frames;
	size_t n;

	if (json_object_is_type(root, json_type_object) &&
	    !json_object_object_get_ex(root, "traceEvents", &events)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		                    "no \"traceEvents\" array: not a Chrome trace");
		return FALSE;
	}
	if (!json_object_is_type(events, json_type_array)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		                    "\"traceEvents\" is not an array: not a Chrome trace");
		return FALSE;
	}
	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_get_ex(root, "metadata", &metadata)) {
		im->offset = weft_json_get_int(metadata, "trace-start-ns", 0);
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "stackFrames", &frames)) {
		frames = NULL;
	}
	im->stacks = weft_json_stacks_new(im->model, frames);
	n = json_object_array_length(events);
	for (size_t i = 0; i < n; i++) {
		weft_json_on_event(im, json_object_array_get_idx(events, i));
	}
	if (im->model->threads->len == 0 || im->min_ts > im->max_ts) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		                    "the trace holds no timed events");
		return FALSE;
	}
	weft_json_finish_model(im);
	return TRUE;
}

static void import_init(weft_json_import_t *im)
{
	memset(im, 0, sizeof *im);
	im->model = weft_model_new();
	im->processes = g_hash_table_new(g_int64_hash, g_int64_equal);
	im->threads = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->slices = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
	im->open_b = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
	im->flows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	im->counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->sites = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	im->async = g_array_new(FALSE, FALSE, sizeof(weft_json_async_end_t));
	im->min_ts = G_MAXINT64;
	im->max_ts = G_MININT64;
}

static void import_clear(weft_json_import_t *im)
{
	g_hash_table_destroy(im->processes);
	g_hash_table_destroy(im->threads);
	g_hash_table_destroy(im->slices);
	g_hash_table_destroy(im->open_b);
	g_hash_table_destroy(im->flows);
	g_hash_table_destroy(im->counters);
	g_hash_table_destroy(im->sites);
	g_array_unref(im->async);
	weft_json_stacks_free(im->stacks);
}

/* Builds the model from a parsed document; takes root. */
static weft_model_t *import_root(json_object *root, GError **error)
{
	weft_json_import_t im;
	weft_model_t *model;

	import_init(&im);
	if (!import_events(&im, root, error)) {
		weft_model_free(im.model);
		im.model = NULL;
	}
	model = im.model;
	import_clear(&im);
	json_object_put(root);
	return model;
}

static json_object *parse_stream(GInputStream *in, goffset size, weft_json_progress_func_t progress,
                                 gpointer progress_data, GCancellable *cancellable, GError **error)
{
	json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	g_autofree char *buf = g_malloc(CHUNK);
	json_object *root = NULL;
	enum json_tokener_error jerr = json_tokener_continue;
	goffset done = 0;
	gssize n;

	while (jerr == json_tokener_continue &&
	       (n = g_input_stream_read(in, buf, CHUNK, cancellable, error)) > 0) {
		root = json_tokener_parse_ex(tok, buf, (int) n);
		jerr = json_tokener_get_error(tok);
		done += n;
		if (progress && size > 0) {
			progress(MIN((double) done / (double) size, 1.0) * 0.8, progress_data);
		}
	}
	if (error && *error) {
		json_object_put(root);
		root = NULL;
	} else if (jerr != json_tokener_success || !root) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "malformed JSON: %s",
		            jerr == json_tokener_continue ? "unexpected end of file"
		                                          : json_tokener_error_desc(jerr));
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

weft_model_t *weft_json_import_file(const char *path, weft_json_progress_func_t progress,
                                    gpointer progress_data, GCancellable *cancellable,
                                    GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) in = NULL;
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GError) local = NULL;
	json_object *root;
	weft_model_t *model = NULL;

	in = g_file_read(file, cancellable, &local);
	if (in) {
		g_autoptr(GInputStream) stream = g_object_ref(G_INPUT_STREAM(in));
		goffset size = 0;

		info =
		    g_file_input_stream_query_info(in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
		if (info) {
			size = g_file_info_get_size(info);
		}
		/* `weft convert -o out.json.gz` writes gzip. Progress then
		 * counts uncompressed bytes against a guessed ratio. */
		if (g_str_has_suffix(path, ".gz")) {
			g_autoptr(GZlibDecompressor) gunzip =
			    g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);

			g_object_unref(stream);
			stream =
			    g_converter_input_stream_new(G_INPUT_STREAM(in), G_CONVERTER(gunzip));
			size *= 8;
		}
		root = parse_stream(stream, size, progress, progress_data, cancellable, &local);
		if (root) {
			model = import_root(root, &local);
		}
	}
	if (!model) {
		g_set_error(error, local->domain, local->code,
		            "Failed to read Chrome JSON trace: path=\"%s\", reason=\"%s\"", path,
		            local->message);
	}
	return model;
}

weft_model_t *weft_json_import_string(const char *json, gssize len, GError **error)
{
	g_autoptr(GInputStream) in =
	    g_memory_input_stream_new_from_data(json, len < 0 ? (gssize) strlen(json) : len, NULL);
	json_object *root = parse_stream(in, 0, NULL, NULL, NULL, error);

	return root ? import_root(root, error) : NULL;
}
