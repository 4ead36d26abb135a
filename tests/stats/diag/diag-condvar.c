/*
 * Planted problem: a condvar wait loop woken far too often. submit_job()
 * broadcasts to every consumer for each single job, so all but one of
 * the consumers waiting in next_job() wake up for nothing and wait again.
 * The consumer that gets the job works on it in handle_job(), so its
 * wake-up is not futile. The start gate wait_until_ready() is woken once.
 * Expected: next_job is the first row of `weft stats --section wakeups`,
 * most wake-ups futile.
 *
 * Nothing here depends on timing: each job is submitted only once every
 * consumer is asleep, which (nobody else holding the mutex) means waiting
 * in next_job(), so every broadcast wakes all of them: one takes the job,
 * the others wait again (3 of 4 wake-ups futile).
 */
#define _GNU_SOURCE
#include "diag-common.h"

#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

#define CONSUMERS 4
#define JOBS 600

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int items, done, ready;
static volatile long consumed;
static atomic_int tids[CONSUMERS];

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

static void handle_job(void)
{
	diag_spin(50000); /* real work: the wake-up that got the job is not futile */
	consumed++;
}

static void *consumer(void *arg)
{
	atomic_store(&tids[(long) arg], (int) gettid());
	wait_until_ready();
	while (next_job()) {
		handle_job();
	}
	return NULL;
}

/* Until every consumer is asleep in its wait. */
static void wait_all_waiting(void)
{
	for (int i = 0; i < CONSUMERS; i++) {
		while (!atomic_load(&tids[i]) || !diag_thread_sleeping(atomic_load(&tids[i]))) {
			sched_yield();
		}
	}
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
		diag_check(pthread_create(&c[i], NULL, consumer, (void *) (long) i),
		           "pthread_create");
	}
	wait_all_waiting();
	pthread_mutex_lock(&qlock);
	ready = 1;
	pthread_cond_broadcast(&ready_cond);
	pthread_mutex_unlock(&qlock);
	for (int i = 0; i < JOBS; i++) {
		wait_all_waiting();
		submit_job();
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
