/*
 * diag-wrapper: one mutex taken only through a small wrapper pair
 * (my_lock/my_unlock) from two callers.
 *   hog_work      takes the lock without waiting and keeps it until the
 *                 round's waiter is about to ask for it, and 2 ms more;
 *   quick_update  (three waiter threads, one per round) asks for it only
 *                 while hog_work holds it, so it waits behind hog_work
 *                 and no one else.
 * Expected: waits are charged to quick_update (block profile, "waited most
 * at"), the delay they suffered to hog_work's release (mutex profile,
 * "contention caused at"), the longest holds to hog_work, and none of it
 * to the wrappers.
 */
#include <stdatomic.h>
#include <stdint.h>

#include "diag-common.h"

#define ROUNDS 20
#define WAITERS 3

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int held_round, asking_round, done_round;
static long long table_value;

static __attribute__((noinline)) void my_lock(pthread_mutex_t *m)
{
	diag_check(pthread_mutex_lock(m), "pthread_mutex_lock");
}

static __attribute__((noinline)) void my_unlock(pthread_mutex_t *m)
{
	diag_check(pthread_mutex_unlock(m), "pthread_mutex_unlock");
}

static __attribute__((noinline)) void hog_work(int round)
{
	my_lock(&table_lock);
	atomic_store(&held_round, round);
	while (atomic_load(&asking_round) < round) {
		diag_spin(10000);
	}
	diag_spin(2000000);
	table_value += round;
	my_unlock(&table_lock);
}

static __attribute__((noinline)) void quick_update(void)
{
	my_lock(&table_lock);
	table_value++;
	my_unlock(&table_lock);
}

static void *hog(void *arg)
{
	(void) arg;
	for (int r = 1; r <= ROUNDS; r++) {
		/* the last round's waiter is done: this acquisition does not wait */
		while (atomic_load(&done_round) < r - 1) {
			diag_spin(10000);
		}
		hog_work(r);
	}
	return NULL;
}

static void *waiter(void *arg)
{
	int first = (int) (intptr_t) arg;

	for (int r = first; r <= ROUNDS; r += WAITERS) {
		while (atomic_load(&held_round) < r) {
			diag_spin(10000);
		}
		atomic_store(&asking_round, r);
		quick_update();
		atomic_store(&done_round, r);
	}
	return NULL;
}

int main(void)
{
	pthread_t h, w[WAITERS];

	diag_check(pthread_create(&h, NULL, hog, NULL), "pthread_create");
	for (int i = 0; i < WAITERS; i++) {
		diag_check(pthread_create(&w[i], NULL, waiter, (void *) (intptr_t) (i + 1)),
		           "pthread_create");
	}
	pthread_join(h, NULL);
	for (int i = 0; i < WAITERS; i++) {
		pthread_join(w[i], NULL);
	}
	printf("table value %lld\n", table_value);
	return 0;
}
