/*
 * diag-chain: a request that waits on a lock whose holder waits on a
 * condition variable that a third thread signals after a slow backend call.
 * Each round:
 *   refresher  takes cache_lock, then waits on `fresh` (refresh_cache);
 *   client     enters region "request" and asks for cache_lock (serve_request);
 *   fetcher    once the client sleeps in its wait, sleeps 30 ms in
 *              fetch_from_backend, then signals `fresh`;
 *   refresher  wakes, releases cache_lock; the client gets it; the request ends.
 * The client also runs region "compute" that waits for nothing.
 * Expected: the critical path of "request" is mostly fetcher's sleep in
 * fetch_from_backend; the path of "compute" stays on the client, running.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include <weft/trace.h>

#include "diag-common.h"

#define ROUNDS 5

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t fresh_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fresh = PTHREAD_COND_INITIALIZER;
static atomic_int holding_round, waiting_round, client_round, served_round, client_tid;
static int fresh_round;

static __attribute__((noinline)) void refresh_cache(int round)
{
	pthread_mutex_lock(&cache_lock);
	pthread_mutex_lock(&fresh_lock);
	atomic_store(&holding_round, round);
	while (fresh_round < round) {
		atomic_store(&waiting_round, round);
		pthread_cond_wait(&fresh, &fresh_lock);
	}
	pthread_mutex_unlock(&fresh_lock);
	pthread_mutex_unlock(&cache_lock);
}

static __attribute__((noinline)) void fetch_from_backend(void)
{
	struct timespec ts = {0, 30 * 1000 * 1000};

	nanosleep(&ts, NULL);
}

static __attribute__((noinline)) void serve_request(int round)
{
	TRACE_REGION_BEGIN("request");
	atomic_store(&client_round, round);
	pthread_mutex_lock(&cache_lock);
	pthread_mutex_unlock(&cache_lock);
	TRACE_REGION_END("request");
}

static __attribute__((noinline)) void compute(void)
{
	TRACE_REGION_BEGIN("compute");
	diag_spin(5 * 1000 * 1000);
	TRACE_REGION_END("compute");
}

static void *refresher(void *arg)
{
	(void) arg;
	for (int r = 1; r <= ROUNDS; r++) {
		while (atomic_load(&served_round) < r - 1) {
			diag_spin(10000);
		}
		refresh_cache(r);
	}
	return NULL;
}

static void *fetcher(void *arg)
{
	(void) arg;
	for (int r = 1; r <= ROUNDS; r++) {
		/* the refresher waits, and the client sleeps in its wait for the lock */
		while (atomic_load(&waiting_round) < r || atomic_load(&client_round) < r ||
		       !diag_thread_sleeping(atomic_load(&client_tid))) {
			diag_spin(10000);
		}
		fetch_from_backend();
		pthread_mutex_lock(&fresh_lock);
		fresh_round = r;
		pthread_cond_signal(&fresh);
		pthread_mutex_unlock(&fresh_lock);
	}
	return NULL;
}

static void *client(void *arg)
{
	(void) arg;
	atomic_store(&client_tid, (int) gettid());
	for (int r = 1; r <= ROUNDS; r++) {
		while (atomic_load(&holding_round) < r) {
			diag_spin(10000);
		}
		serve_request(r);
		atomic_store(&served_round, r);
		compute();
	}
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	void *(*fn[3])(void *) = {refresher, fetcher, client};

	for (int i = 0; i < 3; i++) {
		diag_check(pthread_create(&t[i], NULL, fn[i], NULL), "pthread_create");
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
	}
	return 0;
}
