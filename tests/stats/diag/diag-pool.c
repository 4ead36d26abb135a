/*
 * Planted problem: an oversubscribed thread pool. Sixteen CPU-bound
 * pool_worker threads share the machine's few CPUs, so each spends most
 * of its life waiting for one; a reporter thread mostly sleeps. Expected:
 * pool_worker is the first row of `weft stats --section threads`, with
 * most of its time runnable.
 */
#include "diag-common.h"

#include <unistd.h>

#define POOL 16
#define TASKS 30

static volatile double sink;

static void crunch(void)
{
	double x = 1.0;

	/* About 2 ms of arithmetic on a machine of this class. */
	for (int i = 0; i < 200000; i++) {
		x = x * 1.0000001 + 0.0000001;
	}
	sink = x;
}

static void *pool_worker(void *arg)
{
	(void) arg;
	for (int i = 0; i < TASKS; i++) {
		crunch();
	}
	return NULL;
}

static void *stats_reporter(void *arg)
{
	(void) arg;
	for (int i = 0; i < 5; i++) {
		usleep(10000);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[POOL], r;

	diag_check(pthread_create(&r, NULL, stats_reporter, NULL), "pthread_create");
	for (int i = 0; i < POOL; i++) {
		diag_check(pthread_create(&t[i], NULL, pool_worker, NULL), "pthread_create");
	}
	for (int i = 0; i < POOL; i++) {
		diag_check(pthread_join(t[i], NULL), "pthread_join");
	}
	diag_check(pthread_join(r, NULL), "pthread_join");
	printf("sink %f\n", sink);
	return 0;
}
