/*
 * A trace for the converter benchmark: THREADS threads (4) looping over an
 * instrumented iteration until about EVENTS weft events (5.2 million) were
 * emitted in total.
 *
 *   convert-bench-prog [EVENTS] [THREADS]
 *
 * One iteration emits 7 events: region "iteration" around a custom lock
 * wait/acquire/release of one shared mutex with region "critical" inside
 * the hold; plus a counter every 4th, a task every 16th, a mark every
 * 64th and a log every 256th iteration (about 7.4 events per iteration).
 * tests/bench/convert-bench.sh records it and times the converter.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <weft/trace.h>

#define EVENTS_PER_ITERATION 7.4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long shared;
static long iterations;

static void iteration(long i, uint64_t task_base)
{
	TRACE_REGION_BEGIN("iteration");
	TRACE_LOCK_WAIT(&lock);
	pthread_mutex_lock(&lock);
	TRACE_LOCK_ACQUIRED(&lock);
	TRACE_REGION_BEGIN("critical");
	for (int k = 0; k < 20; k++) {
		shared += (unsigned long) k;
	}
	TRACE_REGION_END("critical");
	TRACE_LOCK_RELEASED(&lock);
	pthread_mutex_unlock(&lock);
	if (i % 4 == 0) {
		TRACE_COUNTER("shared", (int64_t) (shared & 0xffff));
	}
	if (i % 16 == 0) {
		TRACE_TASK_BEGIN(task_base + (uint64_t) i, "job");
		TRACE_TASK_END(task_base + (uint64_t) i);
	}
	if (i % 64 == 0) {
		TRACE_MARK("checkpoint");
	}
	if (i % 256 == 0) {
		TRACE_LOG("bench", "iteration %ld", i);
	}
	TRACE_REGION_END("iteration");
}

static void *worker(void *arg)
{
	uint64_t task_base = (uint64_t) (uintptr_t) arg << 32;

	TRACE_THREAD_NAME("bench-worker");
	for (long i = 0; i < iterations; i++) {
		iteration(i, task_base);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long events = argc > 1 ? atol(argv[1]) : 5200000;
	int nthreads = argc > 2 ? atoi(argv[2]) : 4;
	pthread_t threads[64];

	if (events <= 0 || nthreads <= 0 || nthreads > 64) {
		fprintf(stderr, "usage: convert-bench-prog [EVENTS] [THREADS<=64]\n");
		return 2;
	}
	iterations = (long) ((double) events / EVENTS_PER_ITERATION / nthreads) + 1;
	for (int t = 0; t < nthreads; t++) {
		pthread_create(&threads[t], NULL, worker, (void *) (uintptr_t) (t + 1));
	}
	for (int t = 0; t < nthreads; t++) {
		pthread_join(threads[t], NULL);
	}
	printf("%ld iterations on %d threads\n", iterations * nthreads, nthreads);
	return 0;
}
