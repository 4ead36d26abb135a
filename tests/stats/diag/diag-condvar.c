/*
 * Planted problem: a condvar wait loop woken far too often. submit_job()
 * broadcasts to every consumer for each single job, so all but one of
 * the consumers waiting in next_job() wake up for nothing and wait again.
 * The start gate wait_until_ready() is woken once. Expected: next_job is
 * the first row of `weft stats --section wakeups`, most wake-ups futile.
 */
#include "diag-common.h"

#include <unistd.h>

#define CONSUMERS 4
#define JOBS 600

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int items, done, ready;
static volatile long consumed;

static void wait_until_ready(void)
{
	pthread_mutex_lock(&qlock);
	while (!ready) {
		pthread_cond_wait(&ready_cond, &qlock);
	}
	pthread_mutex_unlock(&qlock);
}

static int next_job(void)
{
	int got;

	pthread_mutex_lock(&qlock);
	while (items == 0 && !done) {
		pthread_cond_wait(&nonempty, &qlock);
	}
	got = items > 0;
	if (got) {
		items--;
	}
	pthread_mutex_unlock(&qlock);
	return got;
}

static void *consumer(void *arg)
{
	(void) arg;
	wait_until_ready();
	while (next_job()) {
		consumed++;
	}
	return NULL;
}

static void submit_job(void)
{
	pthread_mutex_lock(&qlock);
	items++;
	pthread_cond_broadcast(&nonempty); /* wakes every consumer for one job */
	pthread_mutex_unlock(&qlock);
}

int main(void)
{
	pthread_t c[CONSUMERS];

	for (int i = 0; i < CONSUMERS; i++) {
		diag_check(pthread_create(&c[i], NULL, consumer, NULL), "pthread_create");
	}
	usleep(20000);
	pthread_mutex_lock(&qlock);
	ready = 1;
	pthread_cond_broadcast(&ready_cond);
	pthread_mutex_unlock(&qlock);
	for (int i = 0; i < JOBS; i++) {
		submit_job();
		usleep(300);
	}
	pthread_mutex_lock(&qlock);
	done = 1;
	pthread_cond_broadcast(&nonempty);
	pthread_mutex_unlock(&qlock);
	for (int i = 0; i < CONSUMERS; i++) {
		diag_check(pthread_join(c[i], NULL), "pthread_join");
	}
	printf("consumed %ld\n", consumed);
	return 0;
}
