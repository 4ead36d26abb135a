/*
 * A thread pool: the main thread queues NTASKS tasks (TRACE_TASK_BEGIN),
 * NWORKERS workers run them (TASK_MS each, inside a region) and end them
 * (TRACE_TASK_END), so every task crosses threads. Workers log, count and
 * allocate so logs, counters and the heap show up too.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <weft/trace.h>

#define NWORKERS 3
#define NTASKS 9
#define TASK_MS 5

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static int queue[NTASKS];
static int head, tail;
static int done;
static void *volatile keep;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0) {
	}
}

static void *worker(void *arg)
{
	char name[16];

	snprintf(name, sizeof(name), "pool-%ld", (long) arg);
	pthread_setname_np(pthread_self(), name);
	TRACE_THREAD_NAME(name);
	for (;;) {
		int task;
		void *block;

		pthread_mutex_lock(&lock);
		while (head == tail && !done) {
			pthread_cond_wait(&ready, &lock);
		}
		if (head == tail && done) {
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		task = queue[head++];
		pthread_mutex_unlock(&lock);
		TRACE_REGION_BEGIN("run task");
		block = malloc(1000 + (size_t) task);
		keep = block; /* published: the compiler must not drop the pair */
		TRACE_ALLOC(block, 1000 + (size_t) task);
		TRACE_LOG("pool", "task %d", task);
		sleep_ms(TASK_MS);
		TRACE_COUNTER("tasks done", task + 1);
		TRACE_FREE(block);
		free(block);
		TRACE_REGION_END("run task");
		TRACE_TASK_END((uint64_t) task + 1);
	}
}

int main(void)
{
	pthread_t workers[NWORKERS];

	TRACE_THREAD_NAME("main");
	for (long i = 0; i < NWORKERS; i++) {
		pthread_create(&workers[i], NULL, worker, (void *) i);
	}
	for (int i = 0; i < NTASKS; i++) {
		TRACE_TASK_BEGIN((uint64_t) i + 1, "task");
		TRACE_MARK("queued");
		pthread_mutex_lock(&lock);
		queue[tail++] = i;
		pthread_cond_signal(&ready);
		pthread_mutex_unlock(&lock);
		sleep_ms(2);
	}
	pthread_mutex_lock(&lock);
	done = 1;
	pthread_cond_broadcast(&ready);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < NWORKERS; i++) {
		pthread_join(workers[i], NULL);
	}
	return 0;
}
