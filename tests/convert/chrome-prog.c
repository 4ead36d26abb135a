/*
 * A program with known behaviour for the end-to-end converter tests
 * (chrome-e2e-test.py). Prints "pid PID" first.
 *
 * main (named "main") begins task 1 "handoff" and emits flow 7, then
 * starts two workers. Each worker (named "worker-1"/"worker-2") runs
 * ITER iterations of region "step" containing a custom lock wait/acquire
 * of one shared mutex, a region "hold" of HOLD_US microseconds while
 * holding it, then the release; every iteration sets counter "iteration",
 * every 5th a mark "tick" and a log. worker-2 ends task 1 and takes flow 7
 * in; worker-1 blocks once in TRACE_BLOCK_BEGIN("waiting for disk").
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <weft/trace.h>

#define ITER 20
#define HOLD_US 300

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	int id = (int) (intptr_t) arg;

	TRACE_THREAD_NAME(id == 1 ? "worker-1" : "worker-2");
	if (id == 2) {
		TRACE_FLOW_IN(7);
		TRACE_TASK_END(1);
	} else {
		TRACE_BLOCK_BEGIN("waiting for disk");
		usleep(1000);
		TRACE_BLOCK_END();
	}
	for (int i = 0; i < ITER; i++) {
		TRACE_REGION_BEGIN("step");
		TRACE_LOCK_WAIT(&lock);
		pthread_mutex_lock(&lock);
		TRACE_LOCK_ACQUIRED(&lock);
		TRACE_REGION_BEGIN("hold");
		usleep(HOLD_US);
		TRACE_REGION_END("hold");
		TRACE_LOCK_RELEASED(&lock);
		pthread_mutex_unlock(&lock);
		TRACE_COUNTER("iteration", i);
		if (i % 5 == 0) {
			TRACE_MARK("tick");
			TRACE_LOG("test", "worker %d step %d", id, i);
		}
		TRACE_REGION_END("step");
		usleep(50);
	}
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;

	printf("pid %d\n", (int) getpid());
	fflush(stdout);
	TRACE_THREAD_NAME("main");
	TRACE_TASK_BEGIN(1, "handoff");
	TRACE_FLOW_OUT(7);
	pthread_create(&t1, NULL, worker, (void *) (intptr_t) 1);
	pthread_create(&t2, NULL, worker, (void *) (intptr_t) 2);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	return 0;
}
