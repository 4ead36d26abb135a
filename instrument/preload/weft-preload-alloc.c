/*
 * Allocator wrappers.
 *
 * full: every call is an event (weight = size). sampled (the default):
 * about one allocation per WEFT_ALLOC_SAMPLE bytes is an event, chosen by
 * a per-thread exponential countdown of allocated bytes (Poisson sampling
 * by bytes, as Go's and tcmalloc's heap profilers do); its weight is the
 * unbiased estimate size / (1 - exp(-size / rate)). Sampled blocks are
 * remembered so that their free is an event too. In both modes the heap
 * in use (malloc_usable_size of live blocks) is counted exactly per thread
 * and a `heap` event with the process total is emitted at most once per
 * millisecond.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "weft-preload-private.h"

#define WEFT_HEAP_SLOTS 256
#define WEFT_HEAP_PERIOD_NS 1000000u
#define WEFT_HEAP_TICK_MASK 15u
#define WEFT_HEAP_BIG 65536u

/* Written by its thread only; read by whichever thread emits `heap`. */
struct weft_heap_local {
	_Atomic int64_t in_use;
	_Atomic uint64_t allocs;
	_Atomic uint64_t frees;
};

static WEFT_TLS struct weft_heap_local weft_heap_local;
static WEFT_TLS int weft_heap_slot; /* 0: none yet, -1: none available, else index + 1 */
static WEFT_TLS unsigned weft_heap_ops;
static WEFT_TLS int64_t weft_sample_left;
static WEFT_TLS int weft_sample_ready;
static WEFT_TLS uint64_t weft_rng;

/* weak: each points into a live thread's TLS, cleared at its exit */
static struct weft_heap_local *_Atomic weft_heap_slots[WEFT_HEAP_SLOTS];
static atomic_int weft_heap_slot_high;
/* Threads without a slot, and threads that exited. */
static struct weft_heap_local weft_heap_shared;
static _Atomic uint64_t weft_heap_last_ts;

static inline int weft_alloc_on(void)
{
	return weft_rt_on() && weft_rt.alloc != WEFT_ALLOCS_OFF;
}

/* ---- Heap counters ---- */

static struct weft_heap_local *weft_heap_register(void)
{
	if (weft_thread_known == 0) {
		return NULL; /* its exit would not be seen: count it shared */
	}
	for (int i = 0; i < WEFT_HEAP_SLOTS; i++) {
		struct weft_heap_local *expected = NULL;

		if (atomic_compare_exchange_strong(&weft_heap_slots[i], &expected,
		                                   &weft_heap_local)) {
			int high = atomic_load(&weft_heap_slot_high);

			while (high < i + 1 &&
			       !atomic_compare_exchange_weak(&weft_heap_slot_high, &high, i + 1)) {
			}
			weft_heap_slot = i + 1;
			return &weft_heap_local;
		}
	}
	weft_heap_slot = -1;
	return NULL;
}

static inline void weft_heap_add(struct weft_heap_local *h, int64_t delta, uint64_t allocs,
                                 uint64_t frees)
{
	atomic_store_explicit(&h->in_use,
	                      atomic_load_explicit(&h->in_use, memory_order_relaxed) + delta,
	                      memory_order_relaxed);
	atomic_store_explicit(&h->allocs,
	                      atomic_load_explicit(&h->allocs, memory_order_relaxed) + allocs,
	                      memory_order_relaxed);
	atomic_store_explicit(&h->frees,
	                      atomic_load_explicit(&h->frees, memory_order_relaxed) + frees,
	                      memory_order_relaxed);
}

static inline void weft_heap_account(int64_t delta, uint64_t allocs, uint64_t frees)
{
	struct weft_heap_local *h = NULL;

	if (WEFT_LIKELY(weft_heap_slot > 0)) {
		h = &weft_heap_local;
	} else if (weft_heap_slot == 0) {
		h = weft_heap_register();
	}
	if (h) {
		weft_heap_add(h, delta, allocs, frees);
		return;
	}
	atomic_fetch_add(&weft_heap_shared.in_use, delta);
	atomic_fetch_add(&weft_heap_shared.allocs, allocs);
	atomic_fetch_add(&weft_heap_shared.frees, frees);
}

void weft_heap_thread_exit(void)
{
	struct weft_heap_local *h = &weft_heap_local;

	if (weft_heap_slot <= 0) {
		return;
	}
	atomic_fetch_add(&weft_heap_shared.in_use, atomic_load(&h->in_use));
	atomic_fetch_add(&weft_heap_shared.allocs, atomic_load(&h->allocs));
	atomic_fetch_add(&weft_heap_shared.frees, atomic_load(&h->frees));
	atomic_store(&weft_heap_slots[weft_heap_slot - 1], NULL);
	weft_heap_slot = -1;
}

static __attribute__((noinline)) void weft_heap_emit(const void *ip)
{
	uint64_t now = weft_now();
	uint64_t last = atomic_load_explicit(&weft_heap_last_ts, memory_order_relaxed);
	int64_t in_use;
	uint64_t allocs;
	uint64_t frees;
	int high;

	if (now - last < WEFT_HEAP_PERIOD_NS ||
	    !atomic_compare_exchange_strong(&weft_heap_last_ts, &last, now)) {
		return;
	}
	in_use = atomic_load(&weft_heap_shared.in_use);
	allocs = atomic_load(&weft_heap_shared.allocs);
	frees = atomic_load(&weft_heap_shared.frees);
	high = atomic_load(&weft_heap_slot_high);
	for (int i = 0; i < high; i++) {
		struct weft_heap_local *h = atomic_load(&weft_heap_slots[i]);

		if (h) {
			in_use += atomic_load_explicit(&h->in_use, memory_order_relaxed);
			allocs += atomic_load_explicit(&h->allocs, memory_order_relaxed);
			frees += atomic_load_explicit(&h->frees, memory_order_relaxed);
		}
	}
	WEFT_EMIT(heap, ip, in_use, allocs, frees);
}

static inline void weft_heap_tick(const void *ip, size_t size)
{
	if (!lttng_ust_tracepoint_enabled(weft, heap)) {
		return;
	}
	if ((++weft_heap_ops & WEFT_HEAP_TICK_MASK) != 0 && size < WEFT_HEAP_BIG) {
		return;
	}
	if (!weft_rt_ip_is_tracer(ip)) {
		weft_heap_emit(ip);
	}
}

void weft_heap_force_emit(void)
{
	atomic_store(&weft_heap_last_ts, 0);
}

void weft_alloc_after_fork_child(void)
{
	atomic_store(&weft_heap_last_ts, 0);
}

/* ---- Sampling ---- */

static uint64_t weft_rng_next(void)
{
	uint64_t x = weft_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	weft_rng = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* Bytes until the next sample: exponential with mean alloc_sample. */
static int64_t weft_sample_next(void)
{
	double u = ((double) (weft_rng_next() >> 11) + 1.0) / 9007199254740993.0;
	double next = -log(u) * (double) weft_rt.alloc_sample;

	return next < 1.0 ? 1 : (next > 9e18 ? INT64_MAX : (int64_t) next);
}

static __attribute__((noinline)) int weft_sample_slow(size_t size)
{
	if (!weft_sample_ready) {
		weft_sample_ready = 1;
		weft_rng = weft_now() ^ ((uint64_t) (uintptr_t) &weft_rng * 0x9E3779B97F4A7C15ull);
		if (weft_rng == 0) {
			weft_rng = 1;
		}
		weft_sample_left = weft_sample_next() - (int64_t) size;
		if (weft_sample_left > 0) {
			return 0;
		}
	}
	weft_sample_left = weft_sample_next();
	return 1;
}

static inline int weft_sample_take(size_t size)
{
	weft_sample_left -= (int64_t) size;
	if (WEFT_LIKELY(weft_sample_left > 0)) {
		return 0;
	}
	return weft_sample_slow(size);
}

static uint64_t weft_sample_weight(size_t size)
{
	double rate = (double) weft_rt.alloc_sample;
	double s = (double) size;

	if (size == 0) {
		return 0;
	}
	return (uint64_t) (s / (1.0 - exp(-s / rate)) + 0.5);
}

/* ---- Recording ---- */

static void weft_alloc_record(const void *ip, void *p, size_t size, int func)
{
	weft_heap_account((int64_t) weft_real.malloc_usable_size(p), 1, 0);
	if (weft_rt.alloc == WEFT_ALLOCS_FULL) {
		if (lttng_ust_tracepoint_enabled(weft, alloc) && !weft_rt_ip_is_tracer(ip)) {
			WEFT_EMIT(alloc, ip, p, size, func, size, weft_stack_capture());
		}
	} else if (WEFT_UNLIKELY(weft_sample_take(size))) {
		if (lttng_ust_tracepoint_enabled(weft, alloc) && !weft_rt_ip_is_tracer(ip) &&
		    weft_sampled_insert(p)) {
			WEFT_EMIT(alloc, ip, p, size, func, weft_sample_weight(size),
			          weft_stack_capture());
		}
	}
	weft_heap_tick(ip, size);
}

static void weft_free_record(const void *ip, void *p)
{
	size_t usable = weft_real.malloc_usable_size(p);

	weft_heap_account(-(int64_t) usable, 0, 1);
	if (weft_rt.alloc == WEFT_ALLOCS_FULL) {
		if (lttng_ust_tracepoint_enabled(weft, free) && !weft_rt_ip_is_tracer(ip)) {
			WEFT_EMIT(free, ip, p);
		}
	} else if (WEFT_UNLIKELY(weft_sampled_remove(p))) {
		WEFT_EMIT(free, ip, p);
	}
	weft_heap_tick(ip, usable);
}

/* ---- Wrappers ---- */

WEFT_EXPORT void *malloc(size_t size)
{
	void *p;

	if (WEFT_UNLIKELY(weft_in_dlsym)) {
		return weft_bump_alloc(size, 16);
	}
	weft_real_ensure();
	p = weft_real.malloc(size);
	if (p && weft_alloc_on()) {
		weft_alloc_record(WEFT_CALLER(), p, size, WEFT_ALLOC_MALLOC);
	}
	return p;
}

WEFT_EXPORT void *calloc(size_t n, size_t size)
{
	void *p;

	if (WEFT_UNLIKELY(weft_in_dlsym)) {
		/* the arena starts zeroed and is never reused */
		return n && size > SIZE_MAX / n ? NULL : weft_bump_alloc(n * size, 16);
	}
	weft_real_ensure();
	p = weft_real.calloc(n, size);
	if (p && weft_alloc_on()) {
		weft_alloc_record(WEFT_CALLER(), p, n * size, WEFT_ALLOC_CALLOC);
	}
	return p;
}

WEFT_EXPORT void free(void *p)
{
	if (!p || WEFT_UNLIKELY(weft_bump_owns(p))) {
		return;
	}
	weft_real_ensure();
	if (weft_alloc_on()) {
		weft_free_record(WEFT_CALLER(), p);
	}
	weft_real.free(p);
}

/* A block from the bump arena moves to the real heap. */
static void *weft_realloc_bump(void *old, size_t size)
{
	size_t old_size = weft_bump_size(old);
	void *p;

	if (weft_in_dlsym) {
		p = weft_bump_alloc(size, 16);
	} else {
		weft_real_ensure();
		p = weft_real.malloc(size);
	}
	if (p) {
		memcpy(p, old, old_size < size ? old_size : size);
	}
	return p;
}

static void weft_realloc_record(const void *ip, void *old, void *p, size_t size, size_t old_usable)
{
	size_t usable = p ? weft_real.malloc_usable_size(p) : 0;
	int sampled = 0;

	weft_heap_account((int64_t) usable - (int64_t) old_usable, !old && p, old && !p);
	if (weft_rt.alloc == WEFT_ALLOCS_FULL) {
		if (lttng_ust_tracepoint_enabled(weft, realloc) && !weft_rt_ip_is_tracer(ip)) {
			WEFT_EMIT(realloc, ip, old, p, size, size, weft_stack_capture());
		}
		weft_heap_tick(ip, size);
		return;
	}
	/* A sampled block stays sampled; others take their chance by bytes. */
	sampled = old && weft_sampled_remove(old);
	if (p && (weft_sample_take(size) || sampled) &&
	    lttng_ust_tracepoint_enabled(weft, realloc) && !weft_rt_ip_is_tracer(ip) &&
	    weft_sampled_insert(p)) {
		WEFT_EMIT(realloc, ip, old, p, size, weft_sample_weight(size),
		          weft_stack_capture());
	} else if (sampled) {
		WEFT_EMIT(free, ip, old);
	}
	weft_heap_tick(ip, size);
}

static void *weft_realloc(const void *ip, void *old, size_t size)
{
	size_t old_usable;
	void *p;

	if (old && WEFT_UNLIKELY(weft_bump_owns(old))) {
		return weft_realloc_bump(old, size);
	}
	if (WEFT_UNLIKELY(weft_in_dlsym)) {
		return old ? NULL : weft_bump_alloc(size, 16);
	}
	weft_real_ensure();
	if (!weft_alloc_on()) {
		return weft_real.realloc(old, size);
	}
	old_usable = old ? weft_real.malloc_usable_size(old) : 0;
	p = weft_real.realloc(old, size);
	if (p || (old && size == 0)) {
		weft_realloc_record(ip, old, p, size, old_usable);
	}
	return p;
}

WEFT_EXPORT void *realloc(void *old, size_t size)
{
	return weft_realloc(WEFT_CALLER(), old, size);
}

/* glibc's reallocarray: overflow is ENOMEM, otherwise realloc. */
WEFT_EXPORT void *reallocarray(void *old, size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	return weft_realloc(WEFT_CALLER(), old, n * size);
}

WEFT_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
	int ret;

	if (WEFT_UNLIKELY(weft_in_dlsym)) {
		*out = weft_bump_alloc(size, align);
		return *out ? 0 : ENOMEM;
	}
	weft_real_ensure();
	ret = weft_real.posix_memalign(out, align, size);
	if (ret == 0 && weft_alloc_on()) {
		weft_alloc_record(WEFT_CALLER(), *out, size, WEFT_ALLOC_POSIX_MEMALIGN);
	}
	return ret;
}

WEFT_EXPORT void *aligned_alloc(size_t align, size_t size)
{
	void *p;

	if (WEFT_UNLIKELY(weft_in_dlsym)) {
		return weft_bump_alloc(size, align);
	}
	weft_real_ensure();
	p = weft_real.aligned_alloc(align, size);
	if (p && weft_alloc_on()) {
		weft_alloc_record(WEFT_CALLER(), p, size, WEFT_ALLOC_ALIGNED_ALLOC);
	}
	return p;
}

WEFT_EXPORT void *memalign(size_t align, size_t size)
{
	void *p;

	if (WEFT_UNLIKELY(weft_in_dlsym)) {
		return weft_bump_alloc(size, align);
	}
	weft_real_ensure();
	p = weft_real.memalign(align, size);
	if (p && weft_alloc_on()) {
		weft_alloc_record(WEFT_CALLER(), p, size, WEFT_ALLOC_MEMALIGN);
	}
	return p;
}

WEFT_EXPORT void *valloc(size_t size)
{
	void *p;

	if (WEFT_UNLIKELY(weft_in_dlsym)) {
		return weft_bump_alloc(size, 4096);
	}
	weft_real_ensure();
	p = weft_real.valloc(size);
	if (p && weft_alloc_on()) {
		weft_alloc_record(WEFT_CALLER(), p, size, WEFT_ALLOC_VALLOC);
	}
	return p;
}
