/*
 * The weft babeltrace2 plugin: registers its component classes, nothing
 * else. Each class lives in its own folder (chrome/).
 *
 *   babeltrace2 --plugin-path=LIBDIR/weft/babeltrace2 TRACE \
 *       -c sink.weft.chrome -p 'path="out.json"'
 */
#include <babeltrace2/babeltrace.h>

#include "chrome/chrome.h"

BT_PLUGIN_MODULE()

BT_PLUGIN(weft);
BT_PLUGIN_DESCRIPTION("weft: timelines of C programs as Chrome Trace Event JSON");
BT_PLUGIN_AUTHOR("The weft authors");
BT_PLUGIN_LICENSE("MIT");

BT_PLUGIN_SINK_COMPONENT_CLASS(chrome, weft_chrome_sink_consume);
BT_PLUGIN_SINK_COMPONENT_CLASS_DESCRIPTION(
    chrome, "Write the timeline as Chrome Trace Event JSON (the same file as `weft convert`).");
BT_PLUGIN_SINK_COMPONENT_CLASS_HELP(
    chrome, "Parameters: path (string, required; a name ending in .gz compresses), "
            "no-symbols (bool), max-size (MB, number), force (bool, default true: "
            "overwrite path). See weft's docs/convert.md.");
BT_PLUGIN_SINK_COMPONENT_CLASS_INITIALIZE_METHOD(chrome, weft_chrome_sink_init);
BT_PLUGIN_SINK_COMPONENT_CLASS_FINALIZE_METHOD(chrome, weft_chrome_sink_finalize);
BT_PLUGIN_SINK_COMPONENT_CLASS_GRAPH_IS_CONFIGURED_METHOD(chrome,
                                                          weft_chrome_sink_graph_is_configured);
