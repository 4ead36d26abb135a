/*
 * The CTF reader: builds and runs the libbabeltrace2 graph
 *
 *   source.ctf.fs (one per trace directory) -> filter.utils.muxer
 *     -> [filter.lttng-utils.debug-info] -> weft's simple sink
 *
 * and hands every message to the sink state (weft-sink.c). What it is
 * given is found and checked first (weft-reader-discover.c, with
 * weft-reader-repair.c for damaged streams); the stream files' own facts
 * are added to the model last (weft-reader-streams.c).
 */
#include <string.h>

#include "weft-json-import.h"
#include "weft-reader-private.h"

/* The quark's name is one token: kept from the formatter. */
/* clang-format off */
G_DEFINE_QUARK(weft-reader-error-quark, weft_reader_error)
/* clang-format on */

typedef struct {
	weft_sink_state_t *state;      /* owned until finish */
	bt_message_iterator *iterator; /* borrowed from the graph */
} sink_data_t;

static gpointer load_classes(gpointer unused)
{
	weft_reader_classes_t *c = g_new0(weft_reader_classes_t, 1);
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

static const weft_reader_classes_t *get_classes(void)
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

void weft_reader_set_error(GError **error, weft_reader_error_t code, const char *what,
                           const char *path, const char *reason)
{
	g_set_error(error, WEFT_READER_ERROR, code, "Failed to %s: path=\"%s\", reason=\"%s\"",
	            what, path, reason && *reason ? reason : "unknown error");
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

static const bt_component_source *add_source(bt_graph *graph, const weft_reader_classes_t *c,
                                             const weft_reader_input_t *in, const char *dir,
                                             guint n, GError **error)
{
	bt_value *params = weft_reader_inputs_value(dir);
	const bt_component_source *src = NULL;
	g_autofree char *name = g_strdup_printf("source-%u", n);
	bt_graph_add_component_status st;

	if (!params) {
		weft_reader_set_error(error, WEFT_READER_ERROR_READ, "open trace", in->path,
		                      "out of memory");
		return NULL;
	}
	st = bt_graph_add_source_component(graph, c->ctf_fs, name, params, BT_LOGGING_LEVEL_NONE,
	                                   &src);
	bt_value_put_ref(params);
	if (st != BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
		g_autofree char *reason = take_bt_error();

		weft_reader_set_error(error, WEFT_READER_ERROR_READ, "open trace", in->path,
		                      reason);
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
		weft_reader_input_t *in = g_ptr_array_index(inputs, i);

		g_string_append_printf(s, "%s%s", i ? " " : "", in->path);
	}
	return g_string_free(s, FALSE);
}

/* Builds the graph; returns the last filter (whose output feeds weft's sink). */
static const bt_component_filter *build_graph(bt_graph *graph, const weft_reader_classes_t *c,
                                              GPtrArray *inputs, gboolean symbols, GError **error)
{
	const bt_component_filter *muxer = add_filter(graph, c->muxer, "muxer", NULL);
	const bt_component_filter *last = muxer;

	if (!muxer) {
		g_autofree char *reason = take_bt_error();

		weft_reader_set_error(error, WEFT_READER_ERROR_READ, "create the reading graph", "",
		                      reason);
		return NULL;
	}
	guint64 ports = 0;

	for (guint i = 0, n = 0; i < inputs->len; i++) {
		weft_reader_input_t *in = g_ptr_array_index(inputs, i);

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

				weft_reader_set_error(error, WEFT_READER_ERROR_READ, "open trace",
				                      in->path, reason);
				return NULL;
			}
		}
	}
	if (ports == 0) {
		g_autofree char *label = paths_label(inputs);

		weft_reader_set_error(error, WEFT_READER_ERROR_EMPTY, "open trace", label,
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
				weft_reader_set_error(error, WEFT_READER_ERROR_CANCELLED,
				                      "read trace", label, "cancelled");
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

			weft_reader_set_error(error, WEFT_READER_ERROR_READ, "read trace", label,
			                      reason);
			return FALSE;
		}
	}
}

static gboolean check_classes(const weft_reader_classes_t *c, GError **error)
{
	if (!c->ctf_fs || !c->muxer) {
		weft_reader_set_error(error, WEFT_READER_ERROR_READ, "load babeltrace2 plugins", "",
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
 * paths[json], a Chrome JSON trace, read alone (an error with any other
 * path, before anything is read): its model is what the viewer shows for
 * it. The error codes are the reader's.
 */
static weft_model_t *load_json(const char *const *paths, guint json,
                               const weft_reader_options_t *options, GError **error)
{
	GError *local = NULL;
	weft_model_t *model;

	if (json > 0 || paths[1]) {
		weft_reader_set_error(
		    error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", paths[json],
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
	const weft_reader_classes_t *c = get_classes();
	GPtrArray *inputs = g_ptr_array_new_with_free_func((GDestroyNotify) weft_reader_input_free);
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
		weft_reader_set_error(error, WEFT_READER_ERROR_NOT_A_TRACE, "open trace", "",
		                      "no trace given");
		goto end;
	}
	for (guint i = 0; paths[i]; i++) {
		if (is_json_path(paths[i])) {
			model = load_json(paths, i, options, error);
			goto end;
		}
	}
	for (guint i = 0; paths[i]; i++) {
		weft_reader_input_t *in = weft_reader_open_input(c, paths[i], error);

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

		weft_reader_set_error(error, WEFT_READER_ERROR_READ, "create the reading graph",
		                      label, reason);
		goto end;
	}
	if (!run_graph(graph, &sd, &progress, label, error)) {
		goto end;
	}
	report_progress(&progress, sd.state, TRUE);
	model = weft_sink_state_finish(sd.state, NULL);
	sd.state = NULL;
	if (!model) {
		weft_reader_set_error(error, WEFT_READER_ERROR_EMPTY, "read trace", label,
		                      "the trace holds no events");
	} else {
		weft_reader_add_stream_facts(model, inputs);
	}
end:
	bt_graph_put_ref(graph);
	weft_sink_state_free(sd.state);
	g_ptr_array_free(inputs, TRUE);
	return model;
}
