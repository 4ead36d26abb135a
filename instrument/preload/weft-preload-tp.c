/*
 * The tracepoint definitions of libweft-preload.so: its own, hidden
 * tracepoint structures and its own dlopen of liblttng-ust-tracepoint.
 * The probes themselves live in libweft.so (a DT_NEEDED of this library),
 * which registers the `weft` provider; the other files of the runtime
 * include the provider header plainly.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_HIDDEN_DEFINITION
#include "weft-provider.h"
