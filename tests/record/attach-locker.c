/*
 * A long-running program for `weft record --pid` (test_attach.py): four
 * threads contend for one mutex in a loop, holding it for 200 µs, until
 * the program is killed or 60 seconds have passed. It uses no TRACE_*
 * macro: its events come from the preload runtime alone. Prints "ready"
 * once its threads run.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define LOCKER_THREADS 4
#define LOCKER_MAX_SECONDS 60

static pthread_mutex_t locker_mutex = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long locker_total;

static void hold_briefly(void)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = 200000};

	nanosleep(&ts, NULL);
}

static void *contend(void *arg)
{
	time_t end = time(NULL) + LOCKER_MAX_SECONDS;

	(void) arg;
	while (time(NULL) < end) {
		pthread_mutex_lock(&locker_mutex);
		locker_total++;
		hold_briefly();
		pthread_mutex_unlock(&locker_mutex);
	}
	return NULL;
}

int main(void)
{
	pthread_t threads[LOCKER_THREADS];

	for (int i = 0; i < LOCKER_THREADS; i++) {
		pthread_create(&threads[i], NULL, contend, NULL);
	}
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; i < LOCKER_THREADS; i++) {
		pthread_join(threads[i], NULL);
	}
	return 0;
}
