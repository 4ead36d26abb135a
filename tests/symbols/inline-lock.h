/*
 * inline-lock.h - the functions inline-app inlines into its worker: the
 * contended wait lies in take_shared_lock(), inlined into bump(), inlined
 * into worker(). The SITE: comments mark the lines the tests expect.
 */
#ifndef INLINE_LOCK_H
#define INLINE_LOCK_H

#include <pthread.h>

extern pthread_mutex_t shared_lock;
extern volatile unsigned long shared_counter;
/* Where take_shared_lock() returns to after note_site(), for --print-site. */
void note_site(void);

static inline __attribute__((always_inline)) void take_shared_lock(int print_site)
{
	if (print_site) {
		note_site(); /* SITE:note */
	}
	pthread_mutex_lock(&shared_lock); /* SITE:lock */
}

static inline __attribute__((always_inline)) void bump(int print_site)
{
	take_shared_lock(print_site); /* SITE:bump */
	shared_counter++;
	for (volatile int spin = 0; spin < 20000; spin++) {
	}
	pthread_mutex_unlock(&shared_lock);
}

#endif /* INLINE_LOCK_H */
