/*
 * For test_stacks.py (weft record's --stack* options): a contended mutex
 * wait, then 2 ms sleeps at the bottom of a recursion STACKS_DEPTH calls
 * deep, then writes to /dev/null. Built without frame pointers, so a
 * frame-pointer walk cannot see the recursion while DWARF unwinding does.
 * Prints recurse=ADDRESS (the checker finds its size with nm).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define STACKS_DEPTH 6
#define NOINLINE __attribute__((noinline, noclone))

static pthread_mutex_t stacks_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t stacks_held;
static volatile int stacks_sink;

static NOINLINE int recurse(int n)
{
	int r = n == 0 ? usleep(2000) : recurse(n - 1);

	stacks_sink = r; /* work after the calls: no tail call, no loop */
	return r;
}

/* Holds the lock for 20 ms once the main thread is about to take it. */
static void *holder(void *arg)
{
	(void) arg;
	pthread_mutex_lock(&stacks_lock);
	pthread_barrier_wait(&stacks_held);
	usleep(20000);
	pthread_mutex_unlock(&stacks_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || pthread_barrier_init(&stacks_held, NULL, 2) ||
	    pthread_create(&t, NULL, holder, NULL)) {
		return 1;
	}
	pthread_barrier_wait(&stacks_held);
	pthread_mutex_lock(&stacks_lock);
	pthread_mutex_unlock(&stacks_lock);
	pthread_join(t, NULL);
	for (int i = 0; i < 3; i++) {
		recurse(STACKS_DEPTH);
		if (write(fd, "x", 1) != 1) {
			return 1;
		}
	}
	close(fd);
	printf("recurse=0x%jx\n", (uintmax_t) (uintptr_t) recurse);
	return 0;
}
