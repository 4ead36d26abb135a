/*
 * Planted problem: a lock convoy. Four threads take one hot mutex for a
 * long critical section in update_shared_counter(); a cold mutex is taken
 * now and then in record_audit(). Expected: the hot mutex is the first
 * row of `weft stats --section locks`, waited for in update_shared_counter.
 */
#include "diag-common.h"

#define THREADS 4
#define ROUNDS 300

static pthread_mutex_t hot = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cold = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long counter, audits;

static void update_shared_counter(void)
{
	pthread_mutex_lock(&hot);
	diag_spin(20000); /* the critical section is far too long */
	counter++;
	pthread_mutex_unlock(&hot);
}

static void record_audit(void)
{
	pthread_mutex_lock(&cold);
	audits++;
	pthread_mutex_unlock(&cold);
}

static void *convoy_worker(void *arg)
{
	(void) arg;
	for (int i = 0; i < ROUNDS; i++) {
		update_shared_counter();
		diag_spin(2000);
		if (i % 30 == 0) {
			record_audit();
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS - 1];

	for (int i = 0; i < THREADS - 1; i++) {
		diag_check(pthread_create(&t[i], NULL, convoy_worker, NULL), "pthread_create");
	}
	convoy_worker(NULL);
	for (int i = 0; i < THREADS - 1; i++) {
		diag_check(pthread_join(t[i], NULL), "pthread_join");
	}
	printf("counter %lu audits %lu\n", counter, audits);
	return 0;
}
