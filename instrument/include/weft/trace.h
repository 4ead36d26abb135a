/*
 * weft/trace.h - instrument a C or C++ program for weft.
 *
 *     #include <weft/trace.h>
 *     cc app.c $(pkg-config --cflags --libs weft)
 *
 * Every macro costs one predicted branch while no tracing session records
 * weft events: its arguments are not evaluated and no string is formatted.
 * Define WEFT_DISABLE to compile every macro out (arguments are still
 * type-checked, nothing of weft is referenced); define WEFT_NO_SHORT_NAMES
 * to keep only the WEFT_TRACE_* spellings. docs/api.md is the reference.
 */
#ifndef WEFT_TRACE_H
#define WEFT_TRACE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define WEFT__PRINTF(fmt_idx, args_idx) __attribute__((format(printf, fmt_idx, args_idx)))
#else
#define WEFT__PRINTF(fmt_idx, args_idx)
#endif

#define WEFT__CAT2(a, b) a##b
#define WEFT__CAT(a, b) WEFT__CAT2(a, b)

/* Type checks that the compiler evaluates only inside sizeof: never called. */
int weft__check_str(const char *s);
int weft__check_id(uint64_t id);
int weft__check_id_str(uint64_t id, const char *s);
int weft__check_counter(const char *name, int64_t value);
int weft__check_ptr(const void *p);
int weft__check_alloc(const void *p, size_t size);
int weft__check_log(const char *category, const char *fmt, ...) WEFT__PRINTF(2, 3);
#define WEFT__CHECK(call) ((void) sizeof(call))

#ifndef WEFT_DISABLE

#include <lttng/tracepoint-types.h>

/* The tracepoints, defined and exported by libweft. */
#define WEFT__TP(ev) lttng_ust_tracepoint_weft___##ev
extern struct lttng_ust_tracepoint WEFT__TP(thread_name), WEFT__TP(region_begin),
    WEFT__TP(region_end), WEFT__TP(task_begin), WEFT__TP(task_end), WEFT__TP(log),
    WEFT__TP(counter), WEFT__TP(mark), WEFT__TP(flow_out), WEFT__TP(flow_in), WEFT__TP(lock_wait),
    WEFT__TP(lock_acquired), WEFT__TP(lock_released), WEFT__TP(block_begin), WEFT__TP(block_end),
    WEFT__TP(alloc), WEFT__TP(free);

/* True while a session records event `ev`: one load and one branch. */
#define WEFT__ENABLED(ev) \
	__builtin_expect(__atomic_load_n(&WEFT__TP(ev).state, __ATOMIC_RELAXED) != 0, 0)

/* Out of line, in libweft: each records its caller as the call site. */
void weft_trace_thread_name(const char *name);
void weft_trace_region_begin(const char *name);
void weft_trace_region_end(const char *name);
const char *weft_trace_region_scope_begin(const char *name);
void weft_trace_task_begin(uint64_t id, const char *name);
void weft_trace_task_end(uint64_t id);
void weft_trace_log(const char *category, const char *fmt, ...) WEFT__PRINTF(2, 3);
void weft_trace_counter(const char *name, int64_t value);
void weft_trace_mark(const char *name);
void weft_trace_flow_out(uint64_t id);
void weft_trace_flow_in(uint64_t id);
void weft_trace_lock_wait(const void *lock);
void weft_trace_lock_acquired(const void *lock);
void weft_trace_lock_released(const void *lock);
void weft_trace_block_begin(const char *reason);
void weft_trace_block_end(void);
void weft_trace_alloc(const void *ptr, size_t size);
void weft_trace_free(const void *ptr);

/*
 * After the out-of-line call: keeps it from becoming a tail call (a jump),
 * which would make the recorded call site the caller's caller. Emits no
 * instruction.
 */
#define WEFT__NO_TAIL_CALL() __asm__ __volatile__("")

#define WEFT__EMIT(ev, call)                  \
	do {                                  \
		if (WEFT__ENABLED(ev)) {      \
			call;                 \
			WEFT__NO_TAIL_CALL(); \
		}                             \
	} while (0)

/* Cleanup handler of WEFT_TRACE_REGION: ends the region its scope began. */
static inline __attribute__((always_inline)) void weft__region_scope_end(const char *const *name)
{
	if (*name && WEFT__ENABLED(region_end)) {
		weft_trace_region_end(*name);
		WEFT__NO_TAIL_CALL();
	}
}

#define WEFT__REGION_SCOPE(var, name)                                              \
	const char *var __attribute__((cleanup(weft__region_scope_end), unused)) = \
	    WEFT__ENABLED(region_begin) ? weft_trace_region_scope_begin(name) : (const char *) 0

#define WEFT_TRACE_THREAD_NAME(name) WEFT__EMIT(thread_name, weft_trace_thread_name(name))
#define WEFT_TRACE_REGION_BEGIN(name) WEFT__EMIT(region_begin, weft_trace_region_begin(name))
#define WEFT_TRACE_REGION_END(name) WEFT__EMIT(region_end, weft_trace_region_end(name))
#define WEFT_TRACE_REGION(name) WEFT__REGION_SCOPE(WEFT__CAT(weft_region_scope_, __COUNTER__), name)
#define WEFT_TRACE_TASK_BEGIN(id, name) WEFT__EMIT(task_begin, weft_trace_task_begin(id, name))
#define WEFT_TRACE_TASK_END(id) WEFT__EMIT(task_end, weft_trace_task_end(id))
#define WEFT_TRACE_LOG(category, ...) WEFT__EMIT(log, weft_trace_log(category, __VA_ARGS__))
#define WEFT_TRACE_COUNTER(name, value) WEFT__EMIT(counter, weft_trace_counter(name, value))
#define WEFT_TRACE_MARK(name) WEFT__EMIT(mark, weft_trace_mark(name))
#define WEFT_TRACE_FLOW_OUT(id) WEFT__EMIT(flow_out, weft_trace_flow_out(id))
#define WEFT_TRACE_FLOW_IN(id) WEFT__EMIT(flow_in, weft_trace_flow_in(id))
#define WEFT_TRACE_LOCK_WAIT(lock) WEFT__EMIT(lock_wait, weft_trace_lock_wait(lock))
#define WEFT_TRACE_LOCK_ACQUIRED(lock) WEFT__EMIT(lock_acquired, weft_trace_lock_acquired(lock))
#define WEFT_TRACE_LOCK_RELEASED(lock) WEFT__EMIT(lock_released, weft_trace_lock_released(lock))
#define WEFT_TRACE_BLOCK_BEGIN(reason) WEFT__EMIT(block_begin, weft_trace_block_begin(reason))
#define WEFT_TRACE_BLOCK_END() WEFT__EMIT(block_end, weft_trace_block_end())
#define WEFT_TRACE_ALLOC(ptr, size) WEFT__EMIT(alloc, weft_trace_alloc(ptr, size))
#define WEFT_TRACE_FREE(ptr) WEFT__EMIT(free, weft_trace_free(ptr))

#else /* WEFT_DISABLE: nothing is emitted, arguments are only type-checked. */

#define WEFT__NOP(call)            \
	do {                       \
		WEFT__CHECK(call); \
	} while (0)

#define WEFT_TRACE_THREAD_NAME(name) WEFT__NOP(weft__check_str(name))
#define WEFT_TRACE_REGION_BEGIN(name) WEFT__NOP(weft__check_str(name))
#define WEFT_TRACE_REGION_END(name) WEFT__NOP(weft__check_str(name))
#define WEFT_TRACE_REGION(name) WEFT__CHECK(weft__check_str(name))
#define WEFT_TRACE_TASK_BEGIN(id, name) WEFT__NOP(weft__check_id_str(id, name))
#define WEFT_TRACE_TASK_END(id) WEFT__NOP(weft__check_id(id))
#define WEFT_TRACE_LOG(category, ...) WEFT__NOP(weft__check_log(category, __VA_ARGS__))
#define WEFT_TRACE_COUNTER(name, value) WEFT__NOP(weft__check_counter(name, value))
#define WEFT_TRACE_MARK(name) WEFT__NOP(weft__check_str(name))
#define WEFT_TRACE_FLOW_OUT(id) WEFT__NOP(weft__check_id(id))
#define WEFT_TRACE_FLOW_IN(id) WEFT__NOP(weft__check_id(id))
#define WEFT_TRACE_LOCK_WAIT(lock) WEFT__NOP(weft__check_ptr(lock))
#define WEFT_TRACE_LOCK_ACQUIRED(lock) WEFT__NOP(weft__check_ptr(lock))
#define WEFT_TRACE_LOCK_RELEASED(lock) WEFT__NOP(weft__check_ptr(lock))
#define WEFT_TRACE_BLOCK_BEGIN(reason) WEFT__NOP(weft__check_str(reason))
#define WEFT_TRACE_BLOCK_END() WEFT__NOP(0)
#define WEFT_TRACE_ALLOC(ptr, size) WEFT__NOP(weft__check_alloc(ptr, size))
#define WEFT_TRACE_FREE(ptr) WEFT__NOP(weft__check_ptr(ptr))

#endif /* WEFT_DISABLE */

#ifndef WEFT_NO_SHORT_NAMES
#define TRACE_THREAD_NAME(name) WEFT_TRACE_THREAD_NAME(name)
#define TRACE_REGION_BEGIN(name) WEFT_TRACE_REGION_BEGIN(name)
#define TRACE_REGION_END(name) WEFT_TRACE_REGION_END(name)
#define TRACE_REGION(name) WEFT_TRACE_REGION(name)
#define TRACE_TASK_BEGIN(id, name) WEFT_TRACE_TASK_BEGIN(id, name)
#define TRACE_TASK_END(id) WEFT_TRACE_TASK_END(id)
#define TRACE_LOG(category, ...) WEFT_TRACE_LOG(category, __VA_ARGS__)
#define TRACE_COUNTER(name, value) WEFT_TRACE_COUNTER(name, value)
#define TRACE_MARK(name) WEFT_TRACE_MARK(name)
#define TRACE_FLOW_OUT(id) WEFT_TRACE_FLOW_OUT(id)
#define TRACE_FLOW_IN(id) WEFT_TRACE_FLOW_IN(id)
#define TRACE_LOCK_WAIT(lock) WEFT_TRACE_LOCK_WAIT(lock)
#define TRACE_LOCK_ACQUIRED(lock) WEFT_TRACE_LOCK_ACQUIRED(lock)
#define TRACE_LOCK_RELEASED(lock) WEFT_TRACE_LOCK_RELEASED(lock)
#define TRACE_BLOCK_BEGIN(reason) WEFT_TRACE_BLOCK_BEGIN(reason)
#define TRACE_BLOCK_END() WEFT_TRACE_BLOCK_END()
#define TRACE_ALLOC(ptr, size) WEFT_TRACE_ALLOC(ptr, size)
#define TRACE_FREE(ptr) WEFT_TRACE_FREE(ptr)
#endif

#ifdef __cplusplus
}
#endif

#endif /* WEFT_TRACE_H */
