/*
 * inline-app - threads that wait for one mutex inside functions inlined
 * into worker() (inline-lock.h), built -O2 -g: the symbolizer must name
 * the inline chain take_shared_lock <- bump <- worker.
 *
 * usage: inline-app             run 4 threads contending for the lock
 *        inline-app --print-site print the return address of note_site()
 *                                (inside take_shared_lock, inlined) as an
 *                                offset into this executable, and exit
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "inline-lock.h"

pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
volatile unsigned long shared_counter;
static int print_site;

__attribute__((noinline)) void note_site(void)
{
	void *ret = __builtin_return_address(0);
	Dl_info info;

	if (dladdr(ret, &info) && info.dli_fbase) {
		printf("0x%" PRIxPTR "\n", (uintptr_t) ret - (uintptr_t) info.dli_fbase);
	}
}

__attribute__((noinline)) static void *worker(void *arg)
{
	int rounds = (int) (intptr_t) arg;

	for (int i = 0; i < rounds; i++) {
		bump(print_site); /* SITE:worker */
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t threads[4];

	if (argc > 1 && !strcmp(argv[1], "--print-site")) {
		print_site = 1;
		worker((void *) (intptr_t) 1);
		return 0;
	}
	for (int i = 0; i < 4; i++) {
		pthread_create(&threads[i], NULL, worker, (void *) (intptr_t) 2000);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
	}
	printf("%lu\n", shared_counter);
	return 0;
}
