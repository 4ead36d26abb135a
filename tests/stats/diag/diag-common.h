/*
 * Helpers for the diagnosis programs: each program plants one problem
 * that `weft stats` must name. Built with -fno-inline so that every
 * function below is its own call site.
 */
#ifndef WEFT_DIAG_COMMON_H
#define WEFT_DIAG_COMMON_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline long long diag_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Burns CPU for about ns nanoseconds without blocking. */
static inline void diag_spin(long long ns)
{
	long long end = diag_now_ns() + ns;

	while (diag_now_ns() < end) {
	}
}

static inline void diag_check(int ret, const char *what)
{
	if (ret != 0) {
		fprintf(stderr, "diag: %s failed: %d\n", what, ret);
		exit(1);
	}
}

#endif /* WEFT_DIAG_COMMON_H */
