/*
 * The program the viewer tests record: named threads with nested regions,
 * a contended lock (TRACE_LOCK_*), a task that crosses threads, a flow
 * between threads, a counter and marks, so every kind of lane has data.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include <weft/trace.h>

#define NWORKERS 3
#define ROUNDS 20

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long shared;

static void spin_us(long us)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000 < us);
}

static void *worker(void *arg)
{
	long id = (long) arg;
	char name[16];

	snprintf(name, sizeof name, "view-worker-%ld", id);
	pthread_setname_np(pthread_self(), name);
	TRACE_THREAD_NAME(name);
	if (id == 0) {
		TRACE_FLOW_IN(42);
		TRACE_TASK_END(7);
	}
	for (int r = 0; r < ROUNDS; r++) {
		TRACE_REGION_BEGIN("round");
		TRACE_REGION_BEGIN("compute");
		spin_us(200);
		TRACE_REGION_END("compute");
		TRACE_LOCK_WAIT(&lock);
		pthread_mutex_lock(&lock);
		TRACE_LOCK_ACQUIRED(&lock);
		shared++;
		TRACE_COUNTER("shared", shared);
		spin_us(100);
		TRACE_LOCK_RELEASED(&lock);
		pthread_mutex_unlock(&lock);
		TRACE_REGION_END("round");
	}
	TRACE_MARK("worker done");
	return NULL;
}

int main(void)
{
	pthread_t threads[NWORKERS];

	TRACE_THREAD_NAME("view-main");
	TRACE_REGION_BEGIN("setup");
	TRACE_TASK_BEGIN(7, "handoff");
	TRACE_FLOW_OUT(42);
	spin_us(300);
	TRACE_REGION_END("setup");
	for (long i = 0; i < NWORKERS; i++) {
		pthread_create(&threads[i], NULL, worker, (void *) i);
	}
	for (int i = 0; i < NWORKERS; i++) {
		pthread_join(threads[i], NULL);
	}
	printf("%ld\n", shared);
	return 0;
}
