/*
 * Linked with libweft-preload.so (so the loader keeps it even in secure
 * mode, where LD_PRELOAD is restricted) and with libweft. Prints AT_SECURE,
 * then does what the runtime would record: a contended mutex wait, a
 * thread, a 4 MiB allocation, a write; and one TRACE_MARK, which libweft
 * records whatever the runtime does, to show the process was traced.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>
#include <weft/trace.h>

static pthread_mutex_t secure_lock = PTHREAD_MUTEX_INITIALIZER;
static void *volatile secure_sink;

static void *secure_waiter(void *arg)
{
	(void) arg;
	pthread_mutex_lock(&secure_lock);
	pthread_mutex_unlock(&secure_lock);
	return NULL;
}

int main(void)
{
	struct timespec ts = {0, 30 * 1000000L};
	pthread_t t;

	printf("at_secure=%lu\npid=%d\n", getauxval(AT_SECURE), (int) getpid());
	fflush(stdout);
	TRACE_MARK("secure-probe");
	pthread_mutex_lock(&secure_lock);
	if (pthread_create(&t, NULL, secure_waiter, NULL) != 0) {
		return 1;
	}
	nanosleep(&ts, NULL);
	pthread_mutex_unlock(&secure_lock);
	pthread_join(t, NULL);
	for (int i = 0; i < 8; i++) {
		secure_sink = malloc(4u << 20);
		free(secure_sink);
	}
	if (write(1, "done\n", 5) != 5) {
		return 1;
	}
	return 0;
}
