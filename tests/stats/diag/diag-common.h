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
#include <string.h>
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

/*
 * Is thread tid of this process asleep (state S) right now? The programs
 * use it to wait, without timing assumptions, until a thread is blocked
 * in the call that plants the problem.
 */
static inline int diag_thread_sleeping(int tid)
{
	char path[64], buf[256];
	FILE *f;
	char *p;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f) {
		return 0;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

#endif /* WEFT_DIAG_COMMON_H */
