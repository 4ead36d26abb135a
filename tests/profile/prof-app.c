/*
 * prof-app - one planted function per profile, for the pprof tests
 * (pprof.sh records it under libweft-preload.so):
 *   block         wait_for_lock   (lock_waiter blocks on a mutex lock_holder holds)
 *   mutex         hold_lock_long  (lock_holder releases the lock the waiter waits for)
 *   threadcreate  spawn_workers   (creates every worker thread)
 *   syscall       read_request    (pipe_reader waits in read until main writes)
 *   sleep         take_a_nap      (usleep)
 *   heap, leak    remember_session (leak_worker: 1000 blocks of 1000 bytes, never freed,
 *                                   25 every 5 ms from start to end)
 * Contention does not depend on timing: the waiter asks for the lock only
 * once the holder holds it, and the holder keeps it 20 ms.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 3
#define LEAK_ROUNDS 40

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int round_held, round_done;
static int pipe_fds[2];
static void *volatile sessions[LEAK_ROUNDS * 25];

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static __attribute__((noinline)) void take_a_nap(int ms)
{
	usleep((useconds_t) ms * 1000);
}

static __attribute__((noinline)) void hold_lock_long(int round)
{
	double until;

	pthread_mutex_lock(&lock);
	atomic_store(&round_held, round);
	until = now_ms() + 20;
	while (now_ms() < until) {
	}
	pthread_mutex_unlock(&lock);
}

static __attribute__((noinline)) void wait_for_lock(void)
{
	pthread_mutex_lock(&lock);
	pthread_mutex_unlock(&lock);
}

static void *lock_holder(void *arg)
{
	pthread_setname_np(pthread_self(), "holder");
	for (int r = 1; r <= ROUNDS; r++) {
		hold_lock_long(r);
		while (atomic_load(&round_done) < r) {
			sched_yield();
		}
	}
	return arg;
}

static void *lock_waiter(void *arg)
{
	pthread_setname_np(pthread_self(), "waiter");
	for (int r = 1; r <= ROUNDS; r++) {
		while (atomic_load(&round_held) < r) {
			sched_yield();
		}
		wait_for_lock();
		atomic_store(&round_done, r);
	}
	return arg;
}

static __attribute__((noinline)) void read_request(void)
{
	char c;

	if (read(pipe_fds[0], &c, 1) != 1) {
		abort();
	}
}

static void *pipe_reader(void *arg)
{
	read_request();
	return arg;
}

static __attribute__((noinline)) void remember_session(int round)
{
	for (int i = 0; i < 25; i++) {
		sessions[round * 25 + i] = malloc(1000);
	}
}

static void *leak_worker(void *arg)
{
	pthread_setname_np(pthread_self(), "leaker");
	for (int r = 0; r < LEAK_ROUNDS; r++) {
		remember_session(r);
		take_a_nap(5);
	}
	return arg;
}

static __attribute__((noinline)) void spawn_workers(pthread_t *threads)
{
	void *(*routines[])(void *) = {lock_holder, lock_waiter, pipe_reader, leak_worker};

	for (int i = 0; i < 4; i++) {
		pthread_create(&threads[i], NULL, routines[i], NULL);
	}
}

static void *spawner(void *arg)
{
	spawn_workers(arg);
	return NULL;
}

int main(void)
{
	pthread_t threads[4], sp;

	if (pipe(pipe_fds) != 0) {
		return 1;
	}
	pthread_create(&sp, NULL, spawner, threads);
	pthread_join(sp, NULL);
	for (int i = 0; i < 5; i++) {
		take_a_nap(10);
	}
	if (write(pipe_fds[1], "x", 1) != 1) {
		return 1;
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
	}
	return 0;
}
