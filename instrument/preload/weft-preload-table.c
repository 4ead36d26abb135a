/*
 * Two lock-free open-addressing tables keyed by address, with bounded
 * probing so that no lookup ever costs more than WEFT_PROBE loads:
 *
 * - waiters: lock/cond/semaphore address -> number of threads waiting on
 *   it. Keys are never deleted; a key whose count is zero may be taken
 *   over by another address when its probe window is full.
 * - sampled: the set of live sampled heap blocks, so that their free is
 *   recorded (and only theirs, in sampled mode). Removal leaves a
 *   tombstone that insertion reuses.
 *
 * When a table has no room, the caller is told: a waiter that cannot be
 * counted still records its own wait, a block that cannot be remembered is
 * not sampled.
 */
#define _GNU_SOURCE
#include <string.h>

#include "weft-preload-private.h"

#define WEFT_PROBE 32
#define WEFT_WAITERS_BITS 14
#define WEFT_SAMPLED_BITS 16
#define WEFT_TOMBSTONE ((uintptr_t) 1)

struct weft_waiter_slot {
	_Atomic uintptr_t key;
	atomic_int count;
};

static struct weft_waiter_slot weft_waiters[1u << WEFT_WAITERS_BITS];
static _Atomic uintptr_t weft_sampled[1u << WEFT_SAMPLED_BITS];

static inline size_t weft_hash(const void *obj, unsigned bits)
{
	uint64_t a = (uint64_t) (uintptr_t) obj;

	return (size_t) ((a * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

atomic_int *weft_waiters_slot(const void *obj)
{
	const size_t mask = (1u << WEFT_WAITERS_BITS) - 1;
	const uintptr_t key = (uintptr_t) obj;
	size_t h = weft_hash(obj, WEFT_WAITERS_BITS);
	struct weft_waiter_slot *idle = NULL;

	for (size_t i = 0; i < WEFT_PROBE; i++) {
		struct weft_waiter_slot *s = &weft_waiters[(h + i) & mask];
		uintptr_t k = atomic_load_explicit(&s->key, memory_order_acquire);

		if (k == key) {
			return &s->count;
		}
		if (k == 0) {
			if (atomic_compare_exchange_strong(&s->key, &k, key) || k == key) {
				return &s->count;
			}
			continue;
		}
		if (!idle && atomic_load_explicit(&s->count, memory_order_relaxed) == 0) {
			idle = s;
		}
	}
	if (idle) {
		uintptr_t k = atomic_load_explicit(&idle->key, memory_order_relaxed);

		if (atomic_compare_exchange_strong(&idle->key, &k, key) || k == key) {
			return &idle->count;
		}
	}
	return NULL;
}

int weft_waiters_get(const void *obj)
{
	const size_t mask = (1u << WEFT_WAITERS_BITS) - 1;
	const uintptr_t key = (uintptr_t) obj;
	size_t h = weft_hash(obj, WEFT_WAITERS_BITS);

	for (size_t i = 0; i < WEFT_PROBE; i++) {
		struct weft_waiter_slot *s = &weft_waiters[(h + i) & mask];
		uintptr_t k = atomic_load_explicit(&s->key, memory_order_acquire);

		if (k == key) {
			return atomic_load_explicit(&s->count, memory_order_acquire);
		}
		if (k == 0) {
			return 0;
		}
	}
	return 0;
}

/* In a forked child only the forking thread exists: nobody waits. */
void weft_waiters_reset(void)
{
	memset(weft_waiters, 0, sizeof(weft_waiters));
}

int weft_sampled_insert(const void *ptr)
{
	const size_t mask = (1u << WEFT_SAMPLED_BITS) - 1;
	size_t h = weft_hash(ptr, WEFT_SAMPLED_BITS);

	for (size_t i = 0; i < WEFT_PROBE; i++) {
		_Atomic uintptr_t *s = &weft_sampled[(h + i) & mask];
		uintptr_t k = atomic_load_explicit(s, memory_order_relaxed);

		if ((k == 0 || k == WEFT_TOMBSTONE) &&
		    atomic_compare_exchange_strong(s, &k, (uintptr_t) ptr)) {
			return 1;
		}
	}
	return 0;
}

int weft_sampled_remove(const void *ptr)
{
	const size_t mask = (1u << WEFT_SAMPLED_BITS) - 1;
	size_t h = weft_hash(ptr, WEFT_SAMPLED_BITS);

	for (size_t i = 0; i < WEFT_PROBE; i++) {
		_Atomic uintptr_t *s = &weft_sampled[(h + i) & mask];
		uintptr_t k = atomic_load_explicit(s, memory_order_relaxed);

		if (k == (uintptr_t) ptr) {
			return atomic_compare_exchange_strong(s, &k, WEFT_TOMBSTONE);
		}
		if (k == 0) {
			return 0;
		}
	}
	return 0;
}
