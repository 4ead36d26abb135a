/*
 * The `weft` LTTng-UST tracepoint provider: the event schema.
 *
 * docs/events.md documents every event and field and what the converter
 * makes of it. Rules (docs/architecture.md): one event per state transition; fields
 * are small integers and addresses; strings only where the user gave a
 * name. Every event's first argument is `ip`, the traced code's call site,
 * which LTTng-UST records as the `ip` context when the session adds it.
 *
 * Fields named `*_ts` hold CLOCK_MONOTONIC nanoseconds, the clock LTTng-UST
 * timestamps events with; 0 means "at this event's own timestamp".
 *
 * Fields named `stack` hold the id of a call stack (0: none captured),
 * defined by a weft:stack event the same thread emitted earlier; ids are
 * per process (vpid). Fields are appended only, so `stack` comes last.
 */

/* clang-format off: the LTTng-UST event DSL reads best laid out by hand. */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER weft

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "weft-provider.h"

#undef LTTNG_UST_TP_IP_PARAM
#define LTTNG_UST_TP_IP_PARAM ip

#if !defined(WEFT_PROVIDER_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define WEFT_PROVIDER_H

#include <stdint.h>
#include <lttng/tracepoint.h>

#include "weft-schema.h"

/* Enumerations. Values are part of the trace format: append only. */

LTTNG_UST_TRACEPOINT_ENUM(weft, lock_kind,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("mutex", 0)
		lttng_ust_field_enum_value("rwlock_read", 1)
		lttng_ust_field_enum_value("rwlock_write", 2)
		lttng_ust_field_enum_value("spin", 3)
		lttng_ust_field_enum_value("custom", 4)))

#define WEFT_SYSCALL_KIND_LABEL_(id, name) lttng_ust_field_enum_value(#name, WEFT_SYSCALL_##id)
LTTNG_UST_TRACEPOINT_ENUM(weft, syscall_kind,
	LTTNG_UST_TP_ENUM_VALUES(WEFT_SYSCALL_KINDS(WEFT_SYSCALL_KIND_LABEL_)))

LTTNG_UST_TRACEPOINT_ENUM(weft, alloc_func,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("malloc", 0)
		lttng_ust_field_enum_value("calloc", 1)
		lttng_ust_field_enum_value("realloc", 2)
		lttng_ust_field_enum_value("reallocarray", 3)
		lttng_ust_field_enum_value("posix_memalign", 4)
		lttng_ust_field_enum_value("aligned_alloc", 5)
		lttng_ust_field_enum_value("memalign", 6)
		lttng_ust_field_enum_value("valloc", 7)
		lttng_ust_field_enum_value("custom", 8)))

/* ---- Events of the TRACE_* macros (include/weft/trace.h) ---- */

LTTNG_UST_TRACEPOINT_EVENT(weft, thread_name,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, pthread, const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pthread, pthread)
		lttng_ust_field_string(name, name)))

LTTNG_UST_TRACEPOINT_EVENT_CLASS(weft, name_class,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_string(name, name)))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, name_class, weft, region_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, name_class, weft, region_end,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, name_class, weft, mark,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, name_class, weft, block_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name))

LTTNG_UST_TRACEPOINT_EVENT(weft, block_end,
	LTTNG_UST_TP_ARGS(const void *, ip),
	LTTNG_UST_TP_FIELDS())

LTTNG_UST_TRACEPOINT_EVENT(weft, task_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, id, const char *, name),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_string(name, name)))

LTTNG_UST_TRACEPOINT_EVENT_CLASS(weft, id_class,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, id),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(uint64_t, id, id)))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, id_class, weft, task_end,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, id))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, id_class, weft, flow_out,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, id))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, id_class, weft, flow_in,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, id))

LTTNG_UST_TRACEPOINT_EVENT(weft, log,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, category, const char *, msg),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(category, category)
		lttng_ust_field_string(msg, msg)))

LTTNG_UST_TRACEPOINT_EVENT(weft, counter,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, name, int64_t, value),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(int64_t, value, value)))

/* ---- Locks: TRACE_LOCK_* (kind "custom") and the preload runtime ---- */

/*
 * A thread starts waiting for `lock`. holder: the thread id (vtid) that
 * holds it as the lock itself records it (a glibc mutex's owner, an
 * rwlock's writer), 0 when unknown: what finds a cycle of waits.
 */
LTTNG_UST_TRACEPOINT_EVENT(weft, lock_wait,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, lock, int, kind,
		uint32_t, stack, int32_t, holder),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, lock, (uintptr_t) lock)
		lttng_ust_field_enum(weft, lock_kind, int, kind, kind)
		lttng_ust_field_integer(uint32_t, stack, stack)
		lttng_ust_field_integer(int32_t, holder, holder)))

/* The thread holds `lock` since acquire_ts (0: this event's time). */
LTTNG_UST_TRACEPOINT_EVENT(weft, lock_acquired,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, lock, int, kind,
		uint64_t, acquire_ts),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, lock, (uintptr_t) lock)
		lttng_ust_field_enum(weft, lock_kind, int, kind, kind)
		lttng_ust_field_integer(uint64_t, acquire_ts, acquire_ts)))

/* A wait for `lock` ended without the lock (timeout or error): ret. */
LTTNG_UST_TRACEPOINT_EVENT(weft, lock_wait_end,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, lock, int, kind, int64_t, ret),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, lock, (uintptr_t) lock)
		lttng_ust_field_enum(weft, lock_kind, int, kind, kind)
		lttng_ust_field_integer(int64_t, ret, ret)))

/*
 * The thread released `lock` at release_ts (0: this event's time).
 * acquire_ts: when it took the lock (0: unknown or already recorded by a
 * lock_acquired event). waited: the hold began after this thread's last
 * lock_wait on this lock, which it ends. waiters: threads waiting for the
 * lock at release (-1: unknown), so the converter draws the hand-off.
 * acquire_ip: where the thread took the lock (0: unknown). stack: the
 * releaser's stack, captured only when the lock had waiters.
 */
LTTNG_UST_TRACEPOINT_EVENT(weft, lock_released,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, lock, int, kind,
		uint64_t, acquire_ts, uint64_t, release_ts, int, waited,
		int, waiters, uint64_t, acquire_ip, uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, lock, (uintptr_t) lock)
		lttng_ust_field_enum(weft, lock_kind, int, kind, kind)
		lttng_ust_field_integer(uint64_t, acquire_ts, acquire_ts)
		lttng_ust_field_integer(uint64_t, release_ts, release_ts)
		lttng_ust_field_integer(uint8_t, waited, waited)
		lttng_ust_field_integer(int32_t, waiters, waiters)
		lttng_ust_field_integer_hex(uint64_t, acquire_ip, acquire_ip)
		lttng_ust_field_integer(uint32_t, stack, stack)))

/* ---- Allocator: TRACE_ALLOC/TRACE_FREE (func "custom") and the runtime ---- */

/*
 * weight: the bytes this record stands for. Equal to size when every
 * allocation is recorded; larger in sampled mode (the Poisson estimate).
 */
LTTNG_UST_TRACEPOINT_EVENT(weft, alloc,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, ptr, uint64_t, size,
		int, func, uint64_t, weight, uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, ptr, (uintptr_t) ptr)
		lttng_ust_field_integer(uint64_t, size, size)
		lttng_ust_field_enum(weft, alloc_func, int, func, func)
		lttng_ust_field_integer(uint64_t, weight, weight)
		lttng_ust_field_integer(uint32_t, stack, stack)))

LTTNG_UST_TRACEPOINT_EVENT(weft, free,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, ptr),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, ptr, (uintptr_t) ptr)))

LTTNG_UST_TRACEPOINT_EVENT(weft, realloc,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, old_ptr,
		const void *, ptr, uint64_t, size, uint64_t, weight,
		uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, old_ptr, (uintptr_t) old_ptr)
		lttng_ust_field_integer_hex(uintptr_t, ptr, (uintptr_t) ptr)
		lttng_ust_field_integer(uint64_t, size, size)
		lttng_ust_field_integer(uint64_t, weight, weight)
		lttng_ust_field_integer(uint32_t, stack, stack)))

/* Per-process heap in use, exact even while allocations are sampled. */
LTTNG_UST_TRACEPOINT_EVENT(weft, heap,
	LTTNG_UST_TP_ARGS(const void *, ip, int64_t, in_use, uint64_t, allocs,
		uint64_t, frees),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(int64_t, in_use, in_use)
		lttng_ust_field_integer(uint64_t, allocs, allocs)
		lttng_ust_field_integer(uint64_t, frees, frees)))

/* ---- Runtime: call stacks (libweft-preload.so) ---- */

/*
 * Defines stack `id` (> 0, unique within the process; a forked child
 * restarts at 1): return addresses, leaf first, without the runtime's own
 * frames. truncated: the walk stopped at the depth limit. exact_leaf:
 * frames[0] is an exact PC rather than a return address. Emitted by the
 * thread that captured it, before the first event that refers to it.
 */
LTTNG_UST_TRACEPOINT_EVENT(weft, stack,
	LTTNG_UST_TP_ARGS(const void *, ip, uint32_t, id, int, truncated,
		int, exact_leaf, const uint64_t *, frames, unsigned int, depth),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint32_t, id, id)
		lttng_ust_field_integer(uint8_t, truncated, truncated)
		lttng_ust_field_integer(uint8_t, exact_leaf, exact_leaf)
		lttng_ust_field_sequence_hex(uint64_t, frames, frames, uint16_t,
			depth)))

/* ---- Runtime: threads and processes (libweft-preload.so) ---- */

/* Settings of the preload runtime, once per process when tracing starts. */
LTTNG_UST_TRACEPOINT_EVENT(weft, runtime_config,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, locks,
		const char *, alloc, uint64_t, alloc_sample),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(locks, locks)
		lttng_ust_field_string(alloc, alloc)
		lttng_ust_field_integer(uint64_t, alloc_sample, alloc_sample)))

/* In the parent: a thread is about to be created; create_id links it. */
LTTNG_UST_TRACEPOINT_EVENT(weft, thread_create,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, create_id,
		const void *, start_routine, uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, create_id, create_id)
		lttng_ust_field_integer_hex(uintptr_t, start_routine,
			(uintptr_t) start_routine)
		lttng_ust_field_integer(uint32_t, stack, stack)))

/* In the child, first thing: same create_id as the parent's event. */
LTTNG_UST_TRACEPOINT_EVENT(weft, thread_start,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, create_id,
		const void *, start_routine, uint64_t, pthread),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, create_id, create_id)
		lttng_ust_field_integer_hex(uintptr_t, start_routine,
			(uintptr_t) start_routine)
		lttng_ust_field_integer_hex(uint64_t, pthread, pthread)))

LTTNG_UST_TRACEPOINT_EVENT(weft, thread_exit,
	LTTNG_UST_TP_ARGS(const void *, ip),
	LTTNG_UST_TP_FIELDS())

LTTNG_UST_TRACEPOINT_EVENT_CLASS(weft, pthread_class,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, pthread),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_integer_hex(uint64_t, pthread, pthread)))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, pthread_class, weft, thread_detach,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, pthread))

LTTNG_UST_TRACEPOINT_EVENT(weft, thread_join_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, pthread, uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pthread, pthread)
		lttng_ust_field_integer(uint32_t, stack, stack)))

/* Every *_end event carries the call's return value. */
LTTNG_UST_TRACEPOINT_EVENT(weft, thread_join_end,
	LTTNG_UST_TP_ARGS(const void *, ip, uint64_t, pthread, int64_t, ret),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uint64_t, pthread, pthread)
		lttng_ust_field_integer(int64_t, ret, ret)))

LTTNG_UST_TRACEPOINT_EVENT(weft, process_fork,
	LTTNG_UST_TP_ARGS(const void *, ip, int, child_pid),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_integer(int32_t, child_pid, child_pid)))

LTTNG_UST_TRACEPOINT_EVENT(weft, process_exec,
	LTTNG_UST_TP_ARGS(const void *, ip, const char *, path),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_string(path, path)))

/* ---- Runtime: condition variables, semaphores, barriers ---- */

LTTNG_UST_TRACEPOINT_EVENT(weft, cond_wait_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, cond,
		const void *, mutex, int, timed, uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, cond, (uintptr_t) cond)
		lttng_ust_field_integer_hex(uintptr_t, mutex, (uintptr_t) mutex)
		lttng_ust_field_integer(uint8_t, timed, timed)
		lttng_ust_field_integer(uint32_t, stack, stack)))

LTTNG_UST_TRACEPOINT_EVENT(weft, cond_wait_end,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, cond,
		const void *, mutex, int64_t, ret),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, cond, (uintptr_t) cond)
		lttng_ust_field_integer_hex(uintptr_t, mutex, (uintptr_t) mutex)
		lttng_ust_field_integer(int64_t, ret, ret)))

/*
 * waiters: threads waiting on the object when it was signalled/posted.
 * stack: the signaller's stack, captured only when waiters > 0.
 */
LTTNG_UST_TRACEPOINT_EVENT_CLASS(weft, wake_class,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int, waiters,
		uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, obj, (uintptr_t) obj)
		lttng_ust_field_integer(int32_t, waiters, waiters)
		lttng_ust_field_integer(uint32_t, stack, stack)))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, wake_class, weft, cond_signal,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int, waiters,
		uint32_t, stack))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, wake_class, weft, cond_broadcast,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int, waiters,
		uint32_t, stack))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, wake_class, weft, sem_post,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int, waiters,
		uint32_t, stack))

LTTNG_UST_TRACEPOINT_EVENT_CLASS(weft, obj_begin_class,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int, timed,
		uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, obj, (uintptr_t) obj)
		lttng_ust_field_integer(uint8_t, timed, timed)
		lttng_ust_field_integer(uint32_t, stack, stack)))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, obj_begin_class, weft, sem_wait_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int, timed,
		uint32_t, stack))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, obj_begin_class, weft, barrier_wait_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int, timed,
		uint32_t, stack))

LTTNG_UST_TRACEPOINT_EVENT_CLASS(weft, obj_end_class,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int64_t, ret),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer_hex(uintptr_t, obj, (uintptr_t) obj)
		lttng_ust_field_integer(int64_t, ret, ret)))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, obj_end_class, weft, sem_wait_end,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int64_t, ret))
LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(weft, obj_end_class, weft, barrier_wait_end,
	LTTNG_UST_TP_ARGS(const void *, ip, const void *, obj, int64_t, ret))

/* ---- Runtime: blocking system calls ---- */

LTTNG_UST_TRACEPOINT_EVENT(weft, syscall_begin,
	LTTNG_UST_TP_ARGS(const void *, ip, int, kind, int, fd),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_enum(weft, syscall_kind, int, kind, kind)
		lttng_ust_field_integer(int32_t, fd, fd)))

/* stack: captured when the call lasted at least WEFT_STACK_SYSCALL_MIN. */
LTTNG_UST_TRACEPOINT_EVENT(weft, syscall_end,
	LTTNG_UST_TP_ARGS(const void *, ip, int, kind, int64_t, ret,
		uint32_t, stack),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_enum(weft, syscall_kind, int, kind, kind)
		lttng_ust_field_integer(int64_t, ret, ret)
		lttng_ust_field_integer(uint32_t, stack, stack)))

#endif /* WEFT_PROVIDER_H */

#include <lttng/tracepoint-event.h>
