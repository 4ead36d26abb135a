/*
 * diag-deadlock: two threads take two mutexes in opposite orders
 * (transfer_in: accounts then journal; transfer_out: journal then
 * accounts), each only once the other holds its first lock, so both wait
 * forever. alarm() ends the process after two seconds, as a user would
 * kill it. Expected: the deadlocks section names the cycle, both locks and
 * both callers, and the waits last until the recording ended, not until
 * the last event.
 */
#include <stdatomic.h>
#include <unistd.h>

#include "diag-common.h"

static pthread_mutex_t accounts = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t journal = PTHREAD_MUTEX_INITIALIZER;
static atomic_int first_taken;

static __attribute__((noinline)) void take_both(pthread_mutex_t *first, pthread_mutex_t *second)
{
	diag_check(pthread_mutex_lock(first), "pthread_mutex_lock");
	atomic_fetch_add(&first_taken, 1);
	while (atomic_load(&first_taken) < 2) {
		diag_spin(10000);
	}
	diag_check(pthread_mutex_lock(second), "pthread_mutex_lock");
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}

static __attribute__((noinline)) void *transfer_in(void *arg)
{
	(void) arg;
	take_both(&accounts, &journal);
	return NULL;
}

static __attribute__((noinline)) void *transfer_out(void *arg)
{
	(void) arg;
	take_both(&journal, &accounts);
	return NULL;
}

int main(void)
{
	pthread_t a, b;

	alarm(2);
	diag_check(pthread_create(&a, NULL, transfer_in, NULL), "pthread_create");
	diag_check(pthread_create(&b, NULL, transfer_out, NULL), "pthread_create");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
