/*
 * weft-test-model.h - models built in code for the viewer tests: the
 * GArrays are filled directly, so the tests need no trace on disk.
 *
 * The small model: process 100 "demo" with threads "main" (100),
 * "worker-1" (101), "worker-2" (102) over [T0, T0 + 10 ms]. Each thread
 * alternates running 300 us / mutex 100 us / running 300 us / condvar
 * 300 us (1 ms period); each has a "request" region every 2 ms (1 ms
 * long) holding a "parse" region (its first 400 us). main has a mark
 * at T0 + 5 ms. A lock hand-off flow goes from main at T0 + 1.1 ms
 * to worker-1 at T0 + 1.2 ms. A heap counter, one task, two CPU lanes
 * and a data-lost gap [T0 + 8 ms, T0 + 8.5 ms] complete it.
 */
#ifndef WEFT_TEST_MODEL_H
#define WEFT_TEST_MODEL_H

#include "weft-model.h"

#define WEFT_TEST_T0 ((weft_time_t) 1000000000)
#define WEFT_TEST_US ((weft_time_t) 1000)
#define WEFT_TEST_N_THREADS 3

weft_model_t *weft_test_model_new(void);

/*
 * The small model with call stacks. Callsites: main (demo.c:10),
 * worker_loop (demo.c:20), wait_work (demo.c:30), take_lock (demo.c:42),
 * lock_inline (lock.h:7, inlined into take_lock), pthread_mutex_lock,
 * pthread_mutex_unlock and pthread_cond_wait (libc.so.6, no source), and
 * an unnamed frame libfoo.so+0x1234. Stacks, leaf first:
 *   WEFT_TEST_STACK_LOCK    pthread_mutex_lock, lock_inline, take_lock, worker_loop
 *   WEFT_TEST_STACK_COND    pthread_cond_wait, wait_work, worker_loop
 *   WEFT_TEST_STACK_TRUNC   pthread_mutex_lock, libfoo.so+0x1234, main (truncated)
 *   WEFT_TEST_STACK_RELEASE pthread_mutex_unlock, main
 * worker-1 and worker-2 start in worker_loop; their mutex waits have the
 * LOCK stack, their condvar waits the COND stack. main's mutex waits have
 * the TRUNC stack, its condvar waits none (call site take_lock). A lock
 * hand-off from main (T0 + 2.35 ms, RELEASE stack) ends worker-2's mutex
 * wait at T0 + 2.4 ms. State interval 4k + 1 is a mutex wait, 4k + 3 a
 * condvar wait (k = 0..9). Two allocations at malloc (libc.so.6): 4 KiB
 * by worker-1 (malloc, worker_loop) never freed, 1 KiB by main (malloc,
 * main) freed at T0 + 5 ms.
 */
enum {
	WEFT_TEST_STACK_LOCK = 1,
	WEFT_TEST_STACK_COND,
	WEFT_TEST_STACK_TRUNC,
	WEFT_TEST_STACK_RELEASE,
};

weft_model_t *weft_test_model_stacks(void);

/*
 * The stacks model with CPU samples (period WEFT_TEST_SAMPLE_PERIOD) in
 * the running intervals: worker-1 has 300, 30 a millisecond, in hot_a
 * (demo.c:50, called by worker_loop); worker-2 has 100, 10 a millisecond,
 * in hot_b (demo.c:60, called by worker_loop). Half of each fall in
 * [T0 + 5 ms, T0 + 10 ms).
 */
#define WEFT_TEST_SAMPLE_PERIOD (10 * WEFT_TEST_US)
weft_model_t *weft_test_model_samples(void);

/* n samples with stack on t, step ns apart from start. */
void weft_test_model_add_samples(weft_thread_t *t, weft_time_t start, weft_time_t step, guint n,
                                 guint32 stack);

/* One thread with n_states alternating running/mutex states of dur ns
 * and as many depth-0 slices: for LOD and drawing at scale. */
weft_model_t *weft_test_model_dense(guint n_threads, guint n_states, weft_time_t dur);

/*
 * A chain of waits over [T0, T0 + 1 ms] in process 200 "chain": a
 * "request" region on "server" (201) [200 us, 900 us] waits for a mutex
 * [300, 820] released by "locker" (202) at 800 (hand-off to 820); locker
 * waited on a condvar [150, 720] signalled by "signaller" (203) at 700
 * after a sleep [100, 600].
 */
weft_model_t *weft_test_model_chain(void);

/*
 * A deadlock: process 300 "stuck", threads "first" (301) and "second"
 * (302) whose last states are unfinished mutex waits (from 400 us and
 * 500 us to the end, T0 + 1 ms) for each other (aux: the other's tid).
 */
weft_model_t *weft_test_model_deadlock(void);

/* An empty process (no thread, no counter) appended to m. */
weft_process_t *weft_test_model_add_process(weft_model_t *m, int64_t pid, const char *name);

#endif /* WEFT_TEST_MODEL_H */
