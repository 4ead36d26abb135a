/*
 * Condition variables, semaphores and barriers.
 *
 * Waits are always recorded (begin/end), except a semaphore wait that
 * succeeds at once in contended mode. Signals, broadcasts and posts are
 * recorded only when someone waits on the object (contended mode) or
 * always (all mode): the waiter table counts the waiters of each object.
 */
#define _GNU_SOURCE
#include "weft-preload-private.h"

static inline int weft_locks_on(void)
{
	return weft_rt_on() && weft_rt.locks != WEFT_LOCKS_OFF;
}

static inline atomic_int *weft_waiter_enter(const void *obj)
{
	atomic_int *slot = weft_waiters_slot(obj);

	if (slot) {
		atomic_fetch_add(slot, 1);
	}
	return slot;
}

static inline void weft_waiter_leave(atomic_int *slot)
{
	if (slot) {
		atomic_fetch_sub(slot, 1);
	}
}

/* ---- Condition variables ---- */

static int weft_cond_wait(const void *ip, pthread_cond_t *c, pthread_mutex_t *m,
                          const struct timespec *abstime)
{
	atomic_int *slot;
	int ret;

	if (weft_rt_ip_is_tracer(ip)) {
		return abstime ? weft_real.pthread_cond_timedwait(c, m, abstime)
		               : weft_real.pthread_cond_wait(c, m);
	}
	/* The wait releases the mutex: end its hold (and hand it off). */
	weft_lock_release_now(ip, m, WEFT_LOCK_MUTEX);
	slot = weft_waiter_enter(c);
	WEFT_EMIT(cond_wait_begin, ip, c, m, abstime != NULL, weft_stack_capture());
	ret = abstime ? weft_real.pthread_cond_timedwait(c, m, abstime)
	              : weft_real.pthread_cond_wait(c, m);
	weft_waiter_leave(slot);
	WEFT_EMIT(cond_wait_end, ip, c, m, ret);
	weft_lock_hold_acquired(ip, m, WEFT_LOCK_MUTEX);
	return ret;
}

WEFT_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_cond_wait(c, m);
	}
	return weft_cond_wait(WEFT_CALLER(), c, m, NULL);
}

WEFT_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                       const struct timespec *abstime)
{
	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_cond_timedwait(c, m, abstime);
	}
	return weft_cond_wait(WEFT_CALLER(), c, m, abstime);
}

WEFT_EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
	weft_real_ensure();
	if (weft_locks_on()) {
		int n = weft_waiters_get(c);

		if (n > 0 || weft_rt.locks == WEFT_LOCKS_ALL) {
			WEFT_EMIT(cond_signal, WEFT_CALLER(), c, n,
			          n > 0 ? weft_stack_capture() : 0);
		}
	}
	return weft_real.pthread_cond_signal(c);
}

WEFT_EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
	weft_real_ensure();
	if (weft_locks_on()) {
		int n = weft_waiters_get(c);

		if (n > 0 || weft_rt.locks == WEFT_LOCKS_ALL) {
			WEFT_EMIT(cond_broadcast, WEFT_CALLER(), c, n,
			          n > 0 ? weft_stack_capture() : 0);
		}
	}
	return weft_real.pthread_cond_broadcast(c);
}

/* ---- Semaphores ---- */

static int weft_sem_wait(const void *ip, sem_t *s, const struct timespec *abstime)
{
	int saved_errno = errno;
	atomic_int *slot;
	int ret;
	int err;

	if (weft_rt.locks != WEFT_LOCKS_ALL) {
		if (weft_real.sem_trywait(s) == 0) {
			return 0;
		}
		errno = saved_errno;
	}
	if (weft_rt_ip_is_tracer(ip)) {
		return abstime ? weft_real.sem_timedwait(s, abstime) : weft_real.sem_wait(s);
	}
	slot = weft_waiter_enter(s);
	WEFT_EMIT(sem_wait_begin, ip, s, abstime != NULL, weft_stack_capture());
	ret = abstime ? weft_real.sem_timedwait(s, abstime) : weft_real.sem_wait(s);
	err = errno;
	weft_waiter_leave(slot);
	WEFT_EMIT(sem_wait_end, ip, s, ret == -1 ? -(int64_t) err : ret);
	errno = err;
	return ret;
}

WEFT_EXPORT int sem_wait(sem_t *s)
{
	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.sem_wait(s);
	}
	return weft_sem_wait(WEFT_CALLER(), s, NULL);
}

WEFT_EXPORT int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.sem_timedwait(s, abstime);
	}
	return weft_sem_wait(WEFT_CALLER(), s, abstime);
}

/* Contended mode: a failed try is not a wait, nothing is recorded. */
WEFT_EXPORT int sem_trywait(sem_t *s)
{
	const void *ip = WEFT_CALLER();
	int ret;
	int err;

	weft_real_ensure();
	if (!weft_locks_on() || weft_rt.locks != WEFT_LOCKS_ALL || weft_rt_ip_is_tracer(ip)) {
		return weft_real.sem_trywait(s);
	}
	WEFT_EMIT(sem_wait_begin, ip, s, 0, 0);
	ret = weft_real.sem_trywait(s);
	err = errno;
	WEFT_EMIT(sem_wait_end, ip, s, ret == -1 ? -(int64_t) err : ret);
	errno = err;
	return ret;
}

WEFT_EXPORT int sem_post(sem_t *s)
{
	weft_real_ensure();
	if (weft_locks_on()) {
		int n = weft_waiters_get(s);

		if (n > 0 || weft_rt.locks == WEFT_LOCKS_ALL) {
			WEFT_EMIT(sem_post, WEFT_CALLER(), s, n, n > 0 ? weft_stack_capture() : 0);
		}
	}
	return weft_real.sem_post(s);
}

/* ---- Barriers ---- */

WEFT_EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
	const void *ip = WEFT_CALLER();
	int ret;

	weft_real_ensure();
	if (!weft_locks_on() || weft_rt_ip_is_tracer(ip)) {
		return weft_real.pthread_barrier_wait(b);
	}
	WEFT_EMIT(barrier_wait_begin, ip, b, 0, weft_stack_capture());
	ret = weft_real.pthread_barrier_wait(b);
	WEFT_EMIT(barrier_wait_end, ip, b, ret);
	return ret;
}
