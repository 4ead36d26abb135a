/*
 * sink.weft.chrome: feeds every message to the timeline model builder
 * (weft-reader-private.h) and, at the end of the graph, writes the model
 * as Chrome Trace Event JSON (weft-chrome.h).
 */
#ifndef WEFT_PLUGIN_CHROME_H
#define WEFT_PLUGIN_CHROME_H

#include <babeltrace2/babeltrace.h>

bt_component_class_initialize_method_status
weft_chrome_sink_init(bt_self_component_sink *self, bt_self_component_sink_configuration *config,
                      const bt_value *params, void *init_data);

void weft_chrome_sink_finalize(bt_self_component_sink *self);

bt_component_class_sink_graph_is_configured_method_status
weft_chrome_sink_graph_is_configured(bt_self_component_sink *self);

bt_component_class_sink_consume_method_status
weft_chrome_sink_consume(bt_self_component_sink *self);

#endif /* WEFT_PLUGIN_CHROME_H */
