/*
 * weft-demo: a tiny request-processing service with a performance problem.
 *
 * A dispatcher thread queues requests; four workers take them, parse them,
 * look their key up in a shared cache and "write" a response. Every lookup
 * scans under the one cache mutex, and the periodic refresh runs while it
 * is held too, so workers spend much of their time waiting for it: the
 * timeline shows the convoy, and the lock contention analysis names the
 * lock and the call site that waits for it.
 *
 *     weft record --preload -- ./weft-demo
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <weft/trace.h>

#define N_WORKERS 4
#define N_REQUESTS 200
#define QUEUE_SIZE 16
#define CACHE_SIZE 64

struct request {
	uint64_t id;
	unsigned key;
	char *payload;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_empty;
	pthread_cond_t not_full;
	struct request items[QUEUE_SIZE];
	unsigned head, count;
	int closed;
} queue = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .not_empty = PTHREAD_COND_INITIALIZER,
    .not_full = PTHREAD_COND_INITIALIZER,
};

static struct {
	pthread_mutex_t lock;
	unsigned values[CACHE_SIZE];
	unsigned generation;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static unsigned long processed[N_WORKERS];

static void spin_for_us(unsigned us)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000000L + (now.tv_nsec - start.tv_nsec) / 1000 <
	         (long) us);
}

static void sleep_us(unsigned us)
{
	struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (long) (us % 1000000) * 1000};

	nanosleep(&ts, NULL);
}

static void queue_push(struct request req)
{
	pthread_mutex_lock(&queue.lock);
	while (queue.count == QUEUE_SIZE) {
		pthread_cond_wait(&queue.not_full, &queue.lock);
	}
	queue.items[(queue.head + queue.count) % QUEUE_SIZE] = req;
	queue.count++;
	TRACE_COUNTER("queue depth", queue.count);
	pthread_cond_signal(&queue.not_empty);
	pthread_mutex_unlock(&queue.lock);
}

static int queue_pop(struct request *req)
{
	pthread_mutex_lock(&queue.lock);
	while (queue.count == 0 && !queue.closed) {
		pthread_cond_wait(&queue.not_empty, &queue.lock);
	}
	if (queue.count == 0) {
		pthread_mutex_unlock(&queue.lock);
		return 0;
	}
	*req = queue.items[queue.head];
	queue.head = (queue.head + 1) % QUEUE_SIZE;
	queue.count--;
	TRACE_COUNTER("queue depth", queue.count);
	pthread_cond_signal(&queue.not_full);
	pthread_mutex_unlock(&queue.lock);
	return 1;
}

/*
 * The planted problem: every lookup scans under the cache lock, and the
 * periodic refresh runs while the lock is held too.
 */
static unsigned cache_lookup(unsigned key)
{
	unsigned value;

	pthread_mutex_lock(&cache.lock);
	if (key % 8 == 0) {
		TRACE_REGION("cache refresh");
		cache.generation++;
		spin_for_us(400);
	}
	spin_for_us(40);
	value = cache.values[key % CACHE_SIZE] += cache.generation;
	pthread_mutex_unlock(&cache.lock);
	return value;
}

static void handle(struct request *req, int worker)
{
	unsigned value;

	TRACE_FLOW_IN(req->id);
	{
		TRACE_REGION("parse");
		spin_for_us(20 + req->key % 20);
	}
	{
		TRACE_REGION("lookup");
		value = cache_lookup(req->key);
	}
	{
		TRACE_REGION("respond");
		snprintf(req->payload, 64, "response %u", value);
		sleep_us(200);
	}
	TRACE_TASK_END(req->id);
	free(req->payload);
	processed[worker]++;
}

static void *worker_main(void *arg)
{
	int worker = (int) (intptr_t) arg;
	struct request req;
	char name[16];

	snprintf(name, sizeof(name), "worker-%d", worker);
	pthread_setname_np(pthread_self(), name);
	TRACE_THREAD_NAME(name);
	while (queue_pop(&req)) {
		TRACE_REGION("request");
		handle(&req, worker);
	}
	return NULL;
}

static void *dispatcher_main(void *arg)
{
	(void) arg;
	pthread_setname_np(pthread_self(), "dispatcher");
	TRACE_THREAD_NAME("dispatcher");
	for (uint64_t id = 1; id <= N_REQUESTS; id++) {
		struct request req = {.id = id, .key = (unsigned) (id * 2654435761u % 1000)};

		req.payload = malloc(64);
		TRACE_TASK_BEGIN(id, "request");
		TRACE_FLOW_OUT(id);
		queue_push(req);
		if (id % 50 == 0) {
			TRACE_LOG("dispatch", "%llu requests queued", (unsigned long long) id);
			sleep_us(2000);
		}
	}
	pthread_mutex_lock(&queue.lock);
	queue.closed = 1;
	pthread_cond_broadcast(&queue.not_empty);
	pthread_mutex_unlock(&queue.lock);
	return NULL;
}

int main(void)
{
	pthread_t workers[N_WORKERS], dispatcher;
	unsigned long total = 0;

	TRACE_THREAD_NAME("main");
	TRACE_MARK("start");
	for (int i = 0; i < N_WORKERS; i++) {
		pthread_create(&workers[i], NULL, worker_main, (void *) (intptr_t) i);
	}
	pthread_create(&dispatcher, NULL, dispatcher_main, NULL);
	pthread_join(dispatcher, NULL);
	for (int i = 0; i < N_WORKERS; i++) {
		pthread_join(workers[i], NULL);
		total += processed[i];
	}
	TRACE_MARK("done");
	printf("weft-demo: %lu requests processed by %d workers\n", total, N_WORKERS);
	return total == N_REQUESTS ? 0 : 1;
}
