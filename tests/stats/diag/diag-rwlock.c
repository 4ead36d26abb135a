/*
 * Planted problem: a writer starved by readers. Three readers pass the
 * read side of a reader-preferring rwlock from hand to hand in
 * read_config(): each one takes the read lock before the previous holder
 * lets go, so the lock is never free while the chain runs. The writer in
 * publish_config() waits for it. Expected: publish_config, an "rwlock
 * write" wait, is the first row of `weft stats --section sync`.
 *
 * Nothing here depends on timing. The writer calls wrlock only while a
 * reader holds the lock, so its first try fails and the wait is recorded;
 * the readers keep the chain going until the writer is seen asleep in the
 * kernel (blocked in wrlock), then for HANDOFFS_BLOCKED more hand-offs, and
 * only then pause to let it in. All hand-shakes are spins on atomics, so
 * no other wait of the program shows up in the sync section.
 */
#define _GNU_SOURCE
#include "diag-common.h"

#include <sched.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <unistd.h>

#define READERS 3
#define PUBLISHES 3
#define HOLD_NS 500000LL
#define HANDOFFS_BLOCKED 10

static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
static volatile int config_version;
static volatile long reads;

static atomic_int stop;
static atomic_long turn;       /* ticket of the reader that may take the lock next */
static atomic_long acquired;   /* last ticket that holds the lock */
static atomic_int writer_tid;  /* 0 until the writer has started */
static atomic_int want_write;  /* the writer is about to call wrlock */
static atomic_int paused;      /* the chain stopped for the writer */
static atomic_int published;   /* writes done */
static atomic_long blocked_at; /* ticket that saw the writer blocked, or -1 */

static void read_config(void)
{
	pthread_rwlock_rdlock(&config_lock);
	reads++;
}

static void release_config(void)
{
	pthread_rwlock_unlock(&config_lock);
}

static void *reader(void *arg)
{
	long me = (long) arg;

	for (long ticket = me; !atomic_load(&stop); ticket += READERS) {
		long since;

		/* Wait for this reader's turn; after a pause, for the write too. */
		while (atomic_load(&turn) != ticket || atomic_load(&paused)) {
			if (atomic_load(&stop)) {
				return NULL;
			}
			sched_yield();
		}
		read_config();
		atomic_store(&acquired, ticket);
		diag_spin(HOLD_NS);

		since = atomic_load(&blocked_at);
		if (since < 0 && atomic_load(&want_write) &&
		    diag_thread_sleeping(atomic_load(&writer_tid))) {
			atomic_store(&blocked_at, ticket);
		} else if (since >= 0 && ticket - since >= HANDOFFS_BLOCKED) {
			/* Let the writer in: nobody takes over this time. */
			atomic_store(&paused, 1);
			atomic_store(&turn, ticket + 1);
			release_config();
			continue;
		}
		atomic_store(&turn, ticket + 1);
		while (atomic_load(&acquired) < ticket + 1 && !atomic_load(&stop)) {
			sched_yield();
		}
		release_config();
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
	atomic_store(&writer_tid, (int) gettid());
	for (int i = 0; i < PUBLISHES; i++) {
		long seen = atomic_load(&acquired);

		/* Wait until the chain runs and a reader holds the lock. */
		while (atomic_load(&paused) || atomic_load(&acquired) < seen + 2) {
			sched_yield();
		}
		atomic_store(&want_write, 1);
		publish_config();
		atomic_store(&want_write, 0);
		atomic_store(&published, i + 1);
		atomic_store(&blocked_at, -1);
		atomic_store(&paused, 0);
	}
	return NULL;
}

int main(void)
{
	pthread_t r[READERS], w;

	atomic_store(&acquired, -1);
	atomic_store(&blocked_at, -1);
	for (long i = 0; i < READERS; i++) {
		diag_check(pthread_create(&r[i], NULL, reader, (void *) i), "pthread_create");
	}
	diag_check(pthread_create(&w, NULL, writer, NULL), "pthread_create");
	while (atomic_load(&published) < PUBLISHES) {
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
