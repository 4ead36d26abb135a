/*
 * A bench-only LTTng-UST provider with the payload of weft:region_begin/end
 * (a call site as ip, one string field), so bench-macros compares the
 * TRACE_* path with raw lttng_ust_tracepoint() calls event for event.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER weft_bench

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "bench-provider.h"

#undef LTTNG_UST_TP_IP_PARAM
#define LTTNG_UST_TP_IP_PARAM ip

#if !defined(WEFT_BENCH_PROVIDER_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define WEFT_BENCH_PROVIDER_H

#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT_CLASS(weft_bench, name_class,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_string(name, name)))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft_bench, name_class, weft_bench, region_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft_bench, name_class, weft_bench, region_end,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name))

#endif /* WEFT_BENCH_PROVIDER_H */

#include <lttng/tracepoint-event.h>
