/*
 * Planted problem: a writer starved by readers. Three readers hold a
 * reader-preferring rwlock back to back in read_config(); the writer in
 * publish_config() waits until they stop. Expected: publish_config, an
 * "rwlock write" wait, is the first row of `weft stats --section sync`.
 */
#include "diag-common.h"

#include <stdatomic.h>
#include <unistd.h>

#define READERS 3
#define RUN_NS 300000000LL

static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int stop;
static volatile int config_version;
static volatile long reads;

static void read_config(void)
{
	pthread_rwlock_rdlock(&config_lock);
	diag_spin(300000);
	reads++;
	pthread_rwlock_unlock(&config_lock);
}

static void *reader(void *arg)
{
	(void) arg;
	while (!atomic_load(&stop)) {
		read_config();
	}
	return NULL;
}

static void publish_config(void)
{
	pthread_rwlock_wrlock(&config_lock);
	config_version++;
	pthread_rwlock_unlock(&config_lock);
}

static void *writer(void *arg)
{
	(void) arg;
	for (int i = 0; i < 3; i++) {
		diag_spin(1000000);
		publish_config();
	}
	return NULL;
}

int main(void)
{
	pthread_t r[READERS], w;
	long long end = diag_now_ns() + RUN_NS;

	for (int i = 0; i < READERS; i++) {
		diag_check(pthread_create(&r[i], NULL, reader, NULL), "pthread_create");
	}
	diag_check(pthread_create(&w, NULL, writer, NULL), "pthread_create");
	while (diag_now_ns() < end) {
		usleep(10000);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < READERS; i++) {
		diag_check(pthread_join(r[i], NULL), "pthread_join");
	}
	diag_check(pthread_join(w, NULL), "pthread_join");
	printf("version %d reads %ld\n", config_version, reads);
	return 0;
}
