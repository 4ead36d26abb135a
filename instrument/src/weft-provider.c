/*
 * The `weft` tracepoint provider: probes and tracepoint definitions, built
 * into libweft. The tracepoints keep default visibility so that programs
 * using <weft/trace.h> test their state directly (one load, one branch).
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "weft-provider.h"
