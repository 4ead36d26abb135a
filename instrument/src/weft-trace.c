/*
 * Out-of-line halves of the TRACE_* macros. The macros test whether the
 * event is enabled; these run only when it is. Each passes its caller's
 * address as the call site, so the converter can name the function, file
 * and line that used the macro.
 */
#include <stdarg.h>
#include <stdio.h>

#include "weft/trace.h"
#include "weft-provider.h"
#include "weft-schema.h"

/* Longer messages are cut; the trace keeps a bounded record per log. */
#define WEFT_LOG_MAX 1024

#define WEFT_CALLER() __builtin_return_address(0)

void weft_trace_thread_name(const char *name)
{
	lttng_ust_tracepoint(weft, thread_name, WEFT_CALLER(), 0, name);
}

void weft_trace_region_begin(const char *name)
{
	lttng_ust_tracepoint(weft, region_begin, WEFT_CALLER(), name);
}

void weft_trace_region_end(const char *name)
{
	lttng_ust_tracepoint(weft, region_end, WEFT_CALLER(), name);
}

const char *weft_trace_region_scope_begin(const char *name)
{
	lttng_ust_tracepoint(weft, region_begin, WEFT_CALLER(), name);
	return name;
}

void weft_trace_task_begin(uint64_t id, const char *name)
{
	lttng_ust_tracepoint(weft, task_begin, WEFT_CALLER(), id, name);
}

void weft_trace_task_end(uint64_t id)
{
	lttng_ust_tracepoint(weft, task_end, WEFT_CALLER(), id);
}

void weft_trace_log(const char *category, const char *fmt, ...)
{
	char msg[WEFT_LOG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lttng_ust_tracepoint(weft, log, WEFT_CALLER(), category, msg);
}

void weft_trace_counter(const char *name, int64_t value)
{
	lttng_ust_tracepoint(weft, counter, WEFT_CALLER(), name, value);
}

void weft_trace_mark(const char *name)
{
	lttng_ust_tracepoint(weft, mark, WEFT_CALLER(), name);
}

void weft_trace_flow_out(uint64_t id)
{
	lttng_ust_tracepoint(weft, flow_out, WEFT_CALLER(), id);
}

void weft_trace_flow_in(uint64_t id)
{
	lttng_ust_tracepoint(weft, flow_in, WEFT_CALLER(), id);
}

void weft_trace_lock_wait(const void *lock)
{
	lttng_ust_tracepoint(weft, lock_wait, WEFT_CALLER(), lock, WEFT_LOCK_CUSTOM, 0, 0);
}

void weft_trace_lock_acquired(const void *lock)
{
	lttng_ust_tracepoint(weft, lock_acquired, WEFT_CALLER(), lock, WEFT_LOCK_CUSTOM, 0);
}

void weft_trace_lock_released(const void *lock)
{
	/* A custom lock's waiters are unknown: the converter infers hand-offs. */
	lttng_ust_tracepoint(weft, lock_released, WEFT_CALLER(), lock, WEFT_LOCK_CUSTOM, 0, 0, 0,
	                     -1, 0, 0);
}

void weft_trace_block_begin(const char *reason)
{
	lttng_ust_tracepoint(weft, block_begin, WEFT_CALLER(), reason);
}

void weft_trace_block_end(void)
{
	lttng_ust_tracepoint(weft, block_end, WEFT_CALLER());
}

void weft_trace_alloc(const void *ptr, size_t size)
{
	lttng_ust_tracepoint(weft, alloc, WEFT_CALLER(), ptr, size, WEFT_ALLOC_CUSTOM, size, 0);
}

void weft_trace_free(const void *ptr)
{
	lttng_ust_tracepoint(weft, free, WEFT_CALLER(), ptr);
}
