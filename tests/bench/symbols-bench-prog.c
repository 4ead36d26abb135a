/*
 * A trace for the symbolizer benchmark: 4096 distinct functions in this one
 * compilation unit, each writing one byte to /dev/null through an inlined
 * helper, called in turn until about EVENTS weft events (1 million) were
 * emitted under the preload runtime. Each write is a weft:syscall_begin/end
 * pair whose call site (the ip context) lies in the inlined helper inside
 * one of the 4096 functions; with WEFT_STACK_SYSCALL_MIN=0 each write's
 * stack is captured too, interned once per function. The functions come
 * from macros, not from a generator: three hex digits name each one.
 *
 *   symbols-bench-prog [EVENTS]
 *
 * tests/bench/symbols-bench.sh records it and times the symbolizer.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EVENTS_PER_CALL 2 /* weft:syscall_begin, weft:syscall_end */

static volatile unsigned sink;

/* Inlined into every function, so each call site is an inline chain of two. */
static inline __attribute__((always_inline)) void put(int fd, unsigned n)
{
	char byte = (char) n;

	sink += n;
	if (write(fd, &byte, 1) != 1) {
		abort();
	}
}

/* f_XYZ writes 0xXYZ: distinct bodies, so no two are folded into one. */
#define DEFINE(x, y, z)                                           \
	static __attribute__((noinline)) void f_##x##y##z(int fd) \
	{                                                         \
		put(fd, 0x##x##y##z);                             \
	}
#define NAME(x, y, z) f_##x##y##z,

/* 16 x 16 x 16: X(x, y, z) for every three hex digits x, y, z */
// clang-format off
#define DIGITS3(X, p, q) \
	X(p, q, 0) X(p, q, 1) X(p, q, 2) X(p, q, 3) X(p, q, 4) X(p, q, 5) X(p, q, 6) X(p, q, 7) \
	X(p, q, 8) X(p, q, 9) X(p, q, a) X(p, q, b) X(p, q, c) X(p, q, d) X(p, q, e) X(p, q, f)
#define DIGITS2(X, p) \
	DIGITS3(X, p, 0) DIGITS3(X, p, 1) DIGITS3(X, p, 2) DIGITS3(X, p, 3) \
	DIGITS3(X, p, 4) DIGITS3(X, p, 5) DIGITS3(X, p, 6) DIGITS3(X, p, 7) \
	DIGITS3(X, p, 8) DIGITS3(X, p, 9) DIGITS3(X, p, a) DIGITS3(X, p, b) \
	DIGITS3(X, p, c) DIGITS3(X, p, d) DIGITS3(X, p, e) DIGITS3(X, p, f)
#define DIGITS1(X) \
	DIGITS2(X, 0) DIGITS2(X, 1) DIGITS2(X, 2) DIGITS2(X, 3) \
	DIGITS2(X, 4) DIGITS2(X, 5) DIGITS2(X, 6) DIGITS2(X, 7) \
	DIGITS2(X, 8) DIGITS2(X, 9) DIGITS2(X, a) DIGITS2(X, b) \
	DIGITS2(X, c) DIGITS2(X, d) DIGITS2(X, e) DIGITS2(X, f)
// clang-format on

DIGITS1(DEFINE)

static void (*const functions[])(int fd) = {DIGITS1(NAME)};

#define N_FUNCTIONS (sizeof(functions) / sizeof(functions[0]))

int main(int argc, char **argv)
{
	long events = argc > 1 ? atol(argv[1]) : 1000000;
	long calls = events / EVENTS_PER_CALL;
	int fd = open("/dev/null", O_WRONLY);

	if (events <= 0 || fd < 0) {
		fprintf(stderr, "usage: symbols-bench-prog [EVENTS > 0]\n");
		return 2;
	}
	for (long i = 0; i < calls; i++) {
		functions[i % (long) N_FUNCTIONS](fd);
	}
	close(fd);
	printf("%ld calls of %zu functions\n", calls, N_FUNCTIONS);
	return 0;
}
