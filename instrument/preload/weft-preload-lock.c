/*
 * Mutex, rwlock and spinlock wrappers.
 *
 * Contended mode (the default) tries the lock first; a thread that gets it
 * at once records nothing. A thread that must wait counts itself in the
 * waiter table, emits lock_wait before blocking, takes the real lock, then
 * reads the clock and keeps (lock, acquire_ts) in a small thread-local
 * table. Nothing is emitted while the lock is held: at unlock the release
 * time is read before the real unlock and lock_released, carrying both
 * times, is emitted after it. A holder that did not wait emits
 * lock_released only when others wait, for the hand-off arrow. All mode
 * does the same for every acquisition: one event per lock/unlock pair.
 *
 * So that a release with waiters tells when and where its hold began even
 * when the acquisition did not wait, every acquisition keeps (lock, time,
 * call site) in the table, without emitting anything. The releaser's stack
 * is captured after the real unlock, when the lock had waiters; a waiter's
 * stack before it blocks.
 */
#define _GNU_SOURCE
#include <string.h>

#include "weft-preload-private.h"

#define WEFT_HOLDS_MAX 8

struct weft_hold {
	const void *lock; /* borrowed: the program's lock */
	const void *ip;   /* borrowed: the call site that took it */
	uint64_t acquire_ts;
	int kind;
	int waited;
};

static WEFT_TLS int weft_hold_count;
static WEFT_TLS struct weft_hold weft_holds[WEFT_HOLDS_MAX];

struct weft_wait {
	atomic_int *slot; /* the waiter count, NULL when the table is full */
	int recorded;     /* lock_wait was emitted */
};

struct weft_release {
	const void *acquire_ip; /* borrowed: code address */
	uint64_t acquire_ts;
	uint64_t release_ts;
	int kind;
	int waited;
	int waiters;
	int emit;
};

static inline int weft_locks_on(void)
{
	return weft_rt_on() && weft_rt.locks != WEFT_LOCKS_OFF;
}

/*
 * The table is written only by its thread; a signal handler that locks
 * and unlocks in between leaves it as it found it, so a compiler barrier
 * between filling an entry and counting it is enough.
 */
static void weft_hold_push(const void *ip, const void *lock, int kind, uint64_t ts, int waited)
{
	int n = weft_hold_count;

	if (n == WEFT_HOLDS_MAX && !waited && weft_rt.locks != WEFT_LOCKS_ALL) {
		/*
		 * An acquisition that did not wait, kept only in case others
		 * come to wait: make room by forgetting the oldest entry (a lock
		 * unlocked by another thread stays here until then).
		 */
		memmove(&weft_holds[0], &weft_holds[1], sizeof(weft_holds[0]) * (size_t) (n - 1));
		n--;
	} else if (n == WEFT_HOLDS_MAX) {
		/* No room: say now that the lock is held, release says acquire_ts 0. */
		WEFT_EMIT(lock_acquired, ip, lock, kind, ts);
		return;
	}
	weft_holds[n].lock = lock;
	weft_holds[n].ip = ip;
	weft_holds[n].acquire_ts = ts;
	weft_holds[n].kind = kind;
	weft_holds[n].waited = waited;
	atomic_signal_fence(memory_order_seq_cst);
	weft_hold_count = n + 1;
}

static int weft_hold_pop(const void *lock, struct weft_hold *out)
{
	int n = weft_hold_count;

	for (int i = n - 1; i >= 0; i--) {
		if (weft_holds[i].lock != lock) {
			continue;
		}
		*out = weft_holds[i];
		memmove(&weft_holds[i], &weft_holds[i + 1],
		        sizeof(weft_holds[0]) * (size_t) (n - 1 - i));
		atomic_signal_fence(memory_order_seq_cst);
		weft_hold_count = n - 1;
		return 1;
	}
	return 0;
}

/* An acquisition that did not wait (every mode). */
static void weft_hold_fast(const void *ip, const void *lock, int kind)
{
	if (!lttng_ust_tracepoint_enabled(weft, lock_released)) {
		return;
	}
	weft_hold_push(ip, lock, kind, weft_now(), 0);
}

void weft_lock_hold_acquired(const void *ip, const void *lock, int kind)
{
	weft_hold_fast(ip, lock, kind);
}

/*
 * The thread that holds lock, as glibc's lock word records it (0: not
 * known): a mutex's owner, an rwlock's writer. A racy read of an int the
 * lock keeps anyway; the tid bits only (robust and PI mutexes keep flags
 * above them).
 */
static int32_t weft_lock_holder(const void *lock, int kind)
{
	int32_t tid = 0;

	if (kind == WEFT_LOCK_MUTEX) {
		tid = __atomic_load_n(&((const pthread_mutex_t *) lock)->__data.__owner,
		                      __ATOMIC_RELAXED);
	} else if (kind == WEFT_LOCK_RWLOCK_WRITE || kind == WEFT_LOCK_RWLOCK_READ) {
		tid = (int32_t) __atomic_load_n(
		    &((const pthread_rwlock_t *) lock)->__data.__cur_writer, __ATOMIC_RELAXED);
	}
	return tid & 0x3fffffff;
}

static void weft_wait_begin(const void *ip, const void *lock, int kind, struct weft_wait *w)
{
	w->slot = weft_waiters_slot(lock);
	if (w->slot) {
		atomic_fetch_add(w->slot, 1);
	}
	w->recorded = lttng_ust_tracepoint_enabled(weft, lock_wait) ? 1 : 0;
	if (w->recorded) {
		uint32_t stack = weft_stack_capture();

		WEFT_EMIT(lock_wait, ip, lock, kind, stack, weft_lock_holder(lock, kind));
	}
}

static void weft_wait_done(const void *ip, const void *lock, int kind, int ret, struct weft_wait *w)
{
	uint64_t ts = 0;

	if (ret == 0 || ret == EOWNERDEAD) {
		ts = weft_now();
	}
	if (w->slot) {
		atomic_fetch_sub(w->slot, 1);
	}
	if (ts == 0) {
		if (w->recorded) {
			WEFT_EMIT(lock_wait_end, ip, lock, kind, ret);
		}
		return;
	}
	weft_hold_push(ip, lock, kind, ts, w->recorded);
}

/* kind < 0: take it from the hold entry (rwlocks), else use rw_kind. */
static void weft_release_prepare(const void *ip, const void *lock, int kind, struct weft_release *r)
{
	struct weft_hold h;
	int found = weft_hold_count > 0 && weft_hold_pop(lock, &h);

	r->emit = 0;
	if (!lttng_ust_tracepoint_enabled(weft, lock_released)) {
		return;
	}
	r->waiters = weft_waiters_get(lock);
	r->acquire_ts = found ? h.acquire_ts : 0;
	r->acquire_ip = found ? h.ip : NULL;
	r->waited = found ? h.waited : 0;
	r->kind = found ? h.kind : kind;
	if (!r->waited && r->waiters <= 0 && weft_rt.locks != WEFT_LOCKS_ALL) {
		return;
	}
	if (weft_rt_ip_is_tracer(ip)) {
		return;
	}
	r->emit = 1;
	r->release_ts = weft_now();
}

/* After the real unlock: the releaser's stack when the lock had waiters. */
static void weft_release_emit(const void *ip, const void *lock, const struct weft_release *r)
{
	uint32_t stack = r->waiters > 0 ? weft_stack_capture() : 0;

	WEFT_EMIT(lock_released, ip, lock, r->kind, r->acquire_ts, r->release_ts, r->waited,
	          r->waiters, (uint64_t) (uintptr_t) r->acquire_ip, stack);
}

/* A condition wait releases its mutex: end the hold the way unlock does. */
void weft_lock_release_now(const void *ip, const void *lock, int kind)
{
	struct weft_release r;

	weft_release_prepare(ip, lock, kind, &r);
	if (r.emit) {
		weft_release_emit(ip, lock, &r);
	}
}

/* ---- Mutexes ---- */

static __attribute__((noinline)) int weft_mutex_wait(const void *ip, pthread_mutex_t *m,
                                                     const struct timespec *abstime)
{
	struct weft_wait w;
	int ret;

	if (weft_rt_ip_is_tracer(ip)) {
		return abstime ? weft_real.pthread_mutex_timedlock(m, abstime)
		               : weft_real.pthread_mutex_lock(m);
	}
	weft_wait_begin(ip, m, WEFT_LOCK_MUTEX, &w);
	ret = abstime ? weft_real.pthread_mutex_timedlock(m, abstime)
	              : weft_real.pthread_mutex_lock(m);
	weft_wait_done(ip, m, WEFT_LOCK_MUTEX, ret, &w);
	return ret;
}

WEFT_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
	int ret;

	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_mutex_lock(m);
	}
	ret = weft_real.pthread_mutex_trylock(m);
	if (WEFT_LIKELY(ret == 0)) {
		weft_hold_fast(WEFT_CALLER(), m, WEFT_LOCK_MUTEX);
		return 0;
	}
	if (ret != EBUSY) {
		return ret == EOWNERDEAD ? ret : weft_real.pthread_mutex_lock(m);
	}
	return weft_mutex_wait(WEFT_CALLER(), m, NULL);
}

WEFT_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	int ret;

	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_mutex_timedlock(m, abstime);
	}
	ret = weft_real.pthread_mutex_trylock(m);
	if (ret == 0) {
		weft_hold_fast(WEFT_CALLER(), m, WEFT_LOCK_MUTEX);
		return 0;
	}
	if (ret != EBUSY) {
		return ret == EOWNERDEAD ? ret : weft_real.pthread_mutex_timedlock(m, abstime);
	}
	return weft_mutex_wait(WEFT_CALLER(), m, abstime);
}

WEFT_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
	int ret;

	weft_real_ensure();
	ret = weft_real.pthread_mutex_trylock(m);
	if (ret == 0 && weft_locks_on()) {
		weft_hold_fast(WEFT_CALLER(), m, WEFT_LOCK_MUTEX);
	}
	return ret;
}

WEFT_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
	struct weft_release r;
	int ret;

	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_mutex_unlock(m);
	}
	weft_release_prepare(WEFT_CALLER(), m, WEFT_LOCK_MUTEX, &r);
	ret = weft_real.pthread_mutex_unlock(m);
	if (WEFT_UNLIKELY(r.emit) && ret == 0) {
		weft_release_emit(WEFT_CALLER(), m, &r);
	}
	return ret;
}

/* ---- Reader-writer locks ---- */

typedef int (*weft_rw_fn)(pthread_rwlock_t *);
typedef int (*weft_rw_timed_fn)(pthread_rwlock_t *, const struct timespec *);

static __attribute__((noinline)) int
weft_rwlock_acquire(const void *ip, pthread_rwlock_t *rw, int kind, weft_rw_fn try_fn,
                    weft_rw_fn lock_fn, weft_rw_timed_fn timed_fn, const struct timespec *abstime)
{
	struct weft_wait w;
	int ret = try_fn(rw);

	if (ret == 0) {
		weft_hold_fast(ip, rw, kind);
		return 0;
	}
	if (ret != EBUSY || weft_rt_ip_is_tracer(ip)) {
		return timed_fn ? timed_fn(rw, abstime) : lock_fn(rw);
	}
	weft_wait_begin(ip, rw, kind, &w);
	ret = timed_fn ? timed_fn(rw, abstime) : lock_fn(rw);
	weft_wait_done(ip, rw, kind, ret, &w);
	return ret;
}

WEFT_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_rwlock_rdlock(rw);
	}
	return weft_rwlock_acquire(WEFT_CALLER(), rw, WEFT_LOCK_RWLOCK_READ,
	                           weft_real.pthread_rwlock_tryrdlock,
	                           weft_real.pthread_rwlock_rdlock, NULL, NULL);
}

WEFT_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_rwlock_wrlock(rw);
	}
	return weft_rwlock_acquire(WEFT_CALLER(), rw, WEFT_LOCK_RWLOCK_WRITE,
	                           weft_real.pthread_rwlock_trywrlock,
	                           weft_real.pthread_rwlock_wrlock, NULL, NULL);
}

WEFT_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_rwlock_timedrdlock(rw, abstime);
	}
	return weft_rwlock_acquire(WEFT_CALLER(), rw, WEFT_LOCK_RWLOCK_READ,
	                           weft_real.pthread_rwlock_tryrdlock, NULL,
	                           weft_real.pthread_rwlock_timedrdlock, abstime);
}

WEFT_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_rwlock_timedwrlock(rw, abstime);
	}
	return weft_rwlock_acquire(WEFT_CALLER(), rw, WEFT_LOCK_RWLOCK_WRITE,
	                           weft_real.pthread_rwlock_trywrlock, NULL,
	                           weft_real.pthread_rwlock_timedwrlock, abstime);
}

WEFT_EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	int ret;

	weft_real_ensure();
	ret = weft_real.pthread_rwlock_tryrdlock(rw);
	if (ret == 0 && weft_locks_on()) {
		weft_hold_fast(WEFT_CALLER(), rw, WEFT_LOCK_RWLOCK_READ);
	}
	return ret;
}

WEFT_EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	int ret;

	weft_real_ensure();
	ret = weft_real.pthread_rwlock_trywrlock(rw);
	if (ret == 0 && weft_locks_on()) {
		weft_hold_fast(WEFT_CALLER(), rw, WEFT_LOCK_RWLOCK_WRITE);
	}
	return ret;
}

WEFT_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	struct weft_release r;
	int kind;
	int ret;

	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_rwlock_unlock(rw);
	}
	/* While we hold it, a writer in glibc's rwlock can only be us. */
	kind = rw->__data.__cur_writer ? WEFT_LOCK_RWLOCK_WRITE : WEFT_LOCK_RWLOCK_READ;
	weft_release_prepare(WEFT_CALLER(), rw, kind, &r);
	ret = weft_real.pthread_rwlock_unlock(rw);
	if (WEFT_UNLIKELY(r.emit) && ret == 0) {
		weft_release_emit(WEFT_CALLER(), rw, &r);
	}
	return ret;
}

/* ---- Spinlocks ---- */

static __attribute__((noinline)) int weft_spin_wait(const void *ip, pthread_spinlock_t *s)
{
	struct weft_wait w;
	int ret;

	if (weft_rt_ip_is_tracer(ip)) {
		return weft_real.pthread_spin_lock(s);
	}
	weft_wait_begin(ip, (const void *) s, WEFT_LOCK_SPIN, &w);
	ret = weft_real.pthread_spin_lock(s);
	weft_wait_done(ip, (const void *) s, WEFT_LOCK_SPIN, ret, &w);
	return ret;
}

WEFT_EXPORT int pthread_spin_lock(pthread_spinlock_t *s)
{
	int ret;

	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_spin_lock(s);
	}
	ret = weft_real.pthread_spin_trylock(s);
	if (WEFT_LIKELY(ret == 0)) {
		weft_hold_fast(WEFT_CALLER(), (const void *) s, WEFT_LOCK_SPIN);
		return 0;
	}
	return weft_spin_wait(WEFT_CALLER(), s);
}

WEFT_EXPORT int pthread_spin_trylock(pthread_spinlock_t *s)
{
	int ret;

	weft_real_ensure();
	ret = weft_real.pthread_spin_trylock(s);
	if (ret == 0 && weft_locks_on()) {
		weft_hold_fast(WEFT_CALLER(), (const void *) s, WEFT_LOCK_SPIN);
	}
	return ret;
}

WEFT_EXPORT int pthread_spin_unlock(pthread_spinlock_t *s)
{
	struct weft_release r;
	int ret;

	weft_real_ensure();
	if (!weft_locks_on()) {
		return weft_real.pthread_spin_unlock(s);
	}
	weft_release_prepare(WEFT_CALLER(), (const void *) s, WEFT_LOCK_SPIN, &r);
	ret = weft_real.pthread_spin_unlock(s);
	if (WEFT_UNLIKELY(r.emit) && ret == 0) {
		weft_release_emit(WEFT_CALLER(), (const void *) s, &r);
	}
	return ret;
}
