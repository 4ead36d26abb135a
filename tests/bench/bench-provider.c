/* The bench-only provider's probes, linked into bench-macros. */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "bench-provider.h"
