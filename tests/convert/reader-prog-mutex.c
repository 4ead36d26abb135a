/*
 * Two threads contend for one mutex with known hold times: each takes it
 * ITERS times and holds it HOLD_MS, announcing the lock with TRACE_LOCK_*
 * so the trace carries weft events (the pthread wrapper adds its own).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

#include <weft/trace.h>

#define ITERS 5
#define HOLD_MS 20

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0) {
	}
}

static void *worker(void *arg)
{
	pthread_setname_np(pthread_self(), arg);
	TRACE_THREAD_NAME(arg);
	for (int i = 0; i < ITERS; i++) {
		TRACE_LOCK_WAIT(&lock);
		pthread_mutex_lock(&lock);
		TRACE_LOCK_ACQUIRED(&lock);
		TRACE_REGION_BEGIN("hold");
		sleep_ms(HOLD_MS);
		TRACE_REGION_END("hold");
		TRACE_LOCK_RELEASED(&lock);
		pthread_mutex_unlock(&lock);
		sleep_ms(1);
	}
	return NULL;
}

int main(void)
{
	pthread_t a, b;

	TRACE_THREAD_NAME("main");
	pthread_create(&a, NULL, worker, "worker-a");
	pthread_create(&b, NULL, worker, "worker-b");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
