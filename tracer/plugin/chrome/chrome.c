/*
 * sink.weft.chrome - the babeltrace2 face of `weft convert`.
 *
 * The upstream graph (the babeltrace2 CLI builds source.ctf.fs ->
 * filter.utils.muxer) decides what is read; this sink hands each message
 * to the same model builder that weft_reader_load() uses, which names call
 * sites itself when it finishes, and writes the same JSON when the graph
 * ends.
 */
#include "chrome.h"

#include <glib.h>

#include "weft-chrome.h"
#include "weft-reader-private.h"

typedef struct {
	char *path;                /* owned */
	weft_chrome_options_t opt; /* opt.exclude etc. unused here */
	weft_sink_state_t *state;  /* owned, NULL once finished */
	bt_message_iterator *iter; /* owned */
	bt_self_component *self;   /* weak */
} chrome_sink_t;

static void sink_free(chrome_sink_t *sink)
{
	if (!sink) {
		return;
	}
	bt_message_iterator_put_ref(sink->iter);
	if (sink->state) {
		weft_sink_state_free(sink->state);
	}
	g_free(sink->path);
	g_free(sink);
}

static gboolean get_bool(const bt_value *params, const char *key, gboolean *out,
                         bt_self_component *self)
{
	const bt_value *v = bt_value_map_borrow_entry_value_const(params, key);

	if (!v) {
		return TRUE;
	}
	if (!bt_value_is_bool(v)) {
		BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(
		    self, "Invalid parameter: name=\"%s\", reason=\"expecting a boolean\"", key);
		return FALSE;
	}
	*out = bt_value_bool_get(v) ? TRUE : FALSE;
	return TRUE;
}

static gboolean get_max_size(const bt_value *params, guint64 *bytes, bt_self_component *self)
{
	const bt_value *v = bt_value_map_borrow_entry_value_const(params, "max-size");
	double mb;

	if (!v) {
		return TRUE;
	}
	if (bt_value_is_real(v)) {
		mb = bt_value_real_get(v);
	} else if (bt_value_is_signed_integer(v)) {
		mb = (double) bt_value_integer_signed_get(v);
	} else if (bt_value_is_unsigned_integer(v)) {
		mb = (double) bt_value_integer_unsigned_get(v);
	} else {
		mb = -1;
	}
	if (mb <= 0) {
		BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(
		    self, "Invalid parameter: name=\"max-size\", reason=\"expecting a positive "
		          "number of megabytes\"");
		return FALSE;
	}
	*bytes = (guint64) (mb * 1e6);
	return TRUE;
}

static gboolean parse_params(chrome_sink_t *sink, const bt_value *params)
{
	const bt_value *path = bt_value_map_borrow_entry_value_const(params, "path");

	if (!path || !bt_value_is_string(path) || !*bt_value_string_get(path)) {
		BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(
		    sink->self, "Missing parameter: name=\"path\", reason=\"expecting the output "
		                "file name, e.g. -p 'path=\\\"out.json\\\"'\"");
		return FALSE;
	}
	sink->path = g_strdup(bt_value_string_get(path));
	sink->opt.force = TRUE;
	return get_bool(params, "no-symbols", &sink->opt.no_symbols, sink->self) &&
	       get_bool(params, "force", &sink->opt.force, sink->self) &&
	       get_max_size(params, &sink->opt.max_size, sink->self);
}

bt_component_class_initialize_method_status
weft_chrome_sink_init(bt_self_component_sink *self, bt_self_component_sink_configuration *config,
                      const bt_value *params, void *init_data)
{
	chrome_sink_t *sink = g_new0(chrome_sink_t, 1);

	sink->self = bt_self_component_sink_as_self_component(self);
	weft_chrome_options_init(&sink->opt);
	if (!parse_params(sink, params)) {
		goto error;
	}
	if (bt_self_component_sink_add_input_port(self, "in", NULL, NULL) !=
	    BT_SELF_COMPONENT_ADD_PORT_STATUS_OK) {
		BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(
		    sink->self, "Failed to add the input port: name=\"in\"");
		goto error;
	}
	sink->state = weft_sink_state_new();
	weft_sink_state_set_symbolize(sink->state, !sink->opt.no_symbols);
	bt_self_component_set_data(sink->self, sink);
	return BT_COMPONENT_CLASS_INITIALIZE_METHOD_STATUS_OK;
error:
	sink_free(sink);
	return BT_COMPONENT_CLASS_INITIALIZE_METHOD_STATUS_ERROR;
}

void weft_chrome_sink_finalize(bt_self_component_sink *self)
{
	sink_free(bt_self_component_get_data(bt_self_component_sink_as_self_component(self)));
}

bt_component_class_sink_graph_is_configured_method_status
weft_chrome_sink_graph_is_configured(bt_self_component_sink *self)
{
	chrome_sink_t *sink =
	    bt_self_component_get_data(bt_self_component_sink_as_self_component(self));
	bt_message_iterator_create_from_sink_component_status status;

	status = bt_message_iterator_create_from_sink_component(
	    self, bt_self_component_sink_borrow_input_port_by_name(self, "in"), &sink->iter);
	switch (status) {
	case BT_MESSAGE_ITERATOR_CREATE_FROM_SINK_COMPONENT_STATUS_OK:
		return BT_COMPONENT_CLASS_SINK_GRAPH_IS_CONFIGURED_METHOD_STATUS_OK;
	case BT_MESSAGE_ITERATOR_CREATE_FROM_SINK_COMPONENT_STATUS_MEMORY_ERROR:
		return BT_COMPONENT_CLASS_SINK_GRAPH_IS_CONFIGURED_METHOD_STATUS_MEMORY_ERROR;
	default:
		BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(
		    sink->self, "Failed to create the message iterator: port=\"in\"");
		return BT_COMPONENT_CLASS_SINK_GRAPH_IS_CONFIGURED_METHOD_STATUS_ERROR;
	}
}

/* The graph ended: build the model and write it. */
static bt_component_class_sink_consume_method_status finish(chrome_sink_t *sink)
{
	GError *error = NULL;
	weft_model_t *model = weft_sink_state_finish(sink->state, &error);
	gboolean ok;

	sink->state = NULL;
	if (!model) {
		BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(sink->self, "%s",
		                                                    error->message);
		g_error_free(error);
		return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_ERROR;
	}
	ok = weft_chrome_write_file(model, sink->path, &sink->opt, NULL, &error);
	weft_model_free(model);
	if (!ok) {
		BT_CURRENT_THREAD_ERROR_APPEND_CAUSE_FROM_COMPONENT(sink->self, "%s",
		                                                    error->message);
		g_error_free(error);
		return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_ERROR;
	}
	return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_END;
}

bt_component_class_sink_consume_method_status weft_chrome_sink_consume(bt_self_component_sink *self)
{
	chrome_sink_t *sink =
	    bt_self_component_get_data(bt_self_component_sink_as_self_component(self));
	bt_message_array_const msgs;
	uint64_t count = 0;

	switch (bt_message_iterator_next(sink->iter, &msgs, &count)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		for (uint64_t i = 0; i < count; i++) {
			weft_sink_state_consume(sink->state, msgs[i]);
			bt_message_put_ref(msgs[i]);
		}
		return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_OK;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return finish(sink);
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_MEMORY_ERROR;
	default:
		return BT_COMPONENT_CLASS_SINK_CONSUME_METHOD_STATUS_ERROR;
	}
}
