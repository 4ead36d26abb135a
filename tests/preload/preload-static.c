/*
 * A statically linked program: LD_PRELOAD cannot reach it. The test checks
 * that it runs unchanged with LD_PRELOAD set and records nothing (`weft
 * record` refuses such programs before running them).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t static_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long static_count;

static void *static_worker(void *arg)
{
	(void) arg;
	for (int i = 0; i < 10000; i++) {
		void *p = malloc(32);

		pthread_mutex_lock(&static_lock);
		static_count++;
		pthread_mutex_unlock(&static_lock);
		free(p);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[4];

	for (int i = 0; i < 4; i++) {
		if (pthread_create(&t[i], NULL, static_worker, NULL) != 0) {
			return 1;
		}
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
	}
	printf("static count=%lu\n", static_count);
	return static_count == 40000 ? 0 : 1;
}
