/*
 * Planted problem: a sleep inside the request path. handle_request()
 * calls lookup_backend(), which sleeps 1 ms per request; a housekeeping
 * thread sleeps too, but far less in total. Expected: lookup_backend is
 * the first row of `weft stats --section sleep`.
 */
#include "diag-common.h"

#include <unistd.h>

#define REQUESTS 100

static volatile long served;

static void parse_request(int i)
{
	(void) i;
	diag_spin(50000);
}

static void lookup_backend(int i)
{
	(void) i;
	usleep(1000); /* "wait for the backend to settle" */
}

static void handle_request(int i)
{
	parse_request(i);
	lookup_backend(i);
	served++;
}

static void *server(void *arg)
{
	(void) arg;
	for (int i = 0; i < REQUESTS; i++) {
		handle_request(i);
	}
	return NULL;
}

static void tidy_caches(void)
{
	usleep(5000);
}

static void *housekeeping(void *arg)
{
	(void) arg;
	for (int i = 0; i < 4; i++) {
		tidy_caches();
	}
	return NULL;
}

int main(void)
{
	pthread_t s, h;

	diag_check(pthread_create(&s, NULL, server, NULL), "pthread_create");
	diag_check(pthread_create(&h, NULL, housekeeping, NULL), "pthread_create");
	diag_check(pthread_join(s, NULL), "pthread_join");
	diag_check(pthread_join(h, NULL), "pthread_join");
	printf("served %ld\n", served);
	return 0;
}
