/*
 * Call-stack benchmark programs for the preload runtime (stack-bench.sh).
 * Built with frame pointers, so that WEFT_STACK_UNWIND=fp sees every frame
 * of this program.
 *
 *   stack-bench alloc same|distinct DEPTH ITERATIONS ROUNDS
 *     One thread recurses DEPTH calls deep and there mallocs and frees a
 *     64-byte block, ITERATIONS times per round. Under WEFT_ALLOC=full every
 *     malloc captures a stack. "same": always the same path, so one stack is
 *     defined and every later capture is a walk plus a lookup; "distinct":
 *     each iteration takes another path through 4 functions per level (4^DEPTH
 *     paths), so every capture is a stack the process has not seen yet.
 *     Prints the median over ROUNDS of the thread's CPU time per iteration.
 *
 *   stack-bench lock THREADS DEPTH ITERATIONS
 *     THREADS threads recurse DEPTH calls deep and there repeat lock, counter
 *     increment, unlock on one mutex ITERATIONS times. Prints the wall time
 *     from the first thread's start to the last one's end, per iteration of
 *     one thread (the threads block: CPU time would leave the waits out).
 *
 * Output: one line, "ns_per_iter=X".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline, noclone))
#define BENCH_MAX_ROUNDS 1001
#define BENCH_MAX_THREADS 64

static void *volatile bench_sink;
static volatile unsigned long bench_calls;
static pthread_mutex_t bench_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long bench_counter;
static long bench_iterations;
static int bench_depth;
static pthread_barrier_t bench_start;

typedef void (*bench_leaf_fn)(void);
typedef void (*bench_level_fn)(int depth, unsigned long path, bench_leaf_fn leaf);

static const bench_level_fn bench_levels[4];

/* Four copies of one level: each has its own return address for the call below it. */
#define BENCH_LEVEL(k)                                                                         \
	static NOINLINE void bench_level##k(int depth, unsigned long path, bench_leaf_fn leaf) \
	{                                                                                      \
		if (depth == 0) {                                                              \
			leaf();                                                                \
		} else {                                                                       \
			bench_levels[path & 3](depth - 1, path >> 2, leaf);                    \
		}                                                                              \
		bench_calls++; /* work after the call: no tail call */                         \
	}
BENCH_LEVEL(0)
BENCH_LEVEL(1)
BENCH_LEVEL(2)
BENCH_LEVEL(3)

static const bench_level_fn bench_levels[4] = {bench_level0, bench_level1, bench_level2,
                                               bench_level3};

static double bench_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

static void alloc_leaf(void)
{
	void *p = malloc(64);

	bench_sink = p;
	free(p);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static int run_alloc(int distinct, long rounds)
{
	static double per_iter[BENCH_MAX_ROUNDS];
	unsigned long path = 0;

	for (long r = 0; r < rounds; r++) {
		double t0 = bench_clock(CLOCK_THREAD_CPUTIME_ID);

		for (long i = 0; i < bench_iterations; i++) {
			/* A path not taken before, while path < 4^(DEPTH+1). */
			path += (unsigned long) distinct;
			bench_levels[path & 3](bench_depth, path >> 2, alloc_leaf);
		}
		per_iter[r] =
		    (bench_clock(CLOCK_THREAD_CPUTIME_ID) - t0) / (double) bench_iterations;
	}
	qsort(per_iter, (size_t) rounds, sizeof(per_iter[0]), cmp_double);
	printf("ns_per_iter=%.1f\n", per_iter[rounds / 2]);
	return 0;
}

static void lock_leaf(void)
{
	for (long i = 0; i < bench_iterations; i++) {
		pthread_mutex_lock(&bench_lock);
		bench_counter++;
		pthread_mutex_unlock(&bench_lock);
	}
}

/* Each thread times itself: the main thread may run late after the barrier. */
struct lock_span {
	double start, end;
};

static void *lock_thread(void *arg)
{
	struct lock_span *span = arg;

	pthread_barrier_wait(&bench_start);
	span->start = bench_clock(CLOCK_MONOTONIC);
	bench_levels[0](bench_depth, 0, lock_leaf);
	span->end = bench_clock(CLOCK_MONOTONIC);
	return NULL;
}

static int run_lock(int threads)
{
	pthread_t tids[BENCH_MAX_THREADS];
	struct lock_span spans[BENCH_MAX_THREADS];
	double first = 0, last = 0;

	pthread_barrier_init(&bench_start, NULL, (unsigned) threads + 1);
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&tids[i], NULL, lock_thread, &spans[i]) != 0) {
			fprintf(stderr, "stack-bench: cannot create a thread\n");
			return 1;
		}
	}
	pthread_barrier_wait(&bench_start);
	for (int i = 0; i < threads; i++) {
		pthread_join(tids[i], NULL);
		first = i == 0 || spans[i].start < first ? spans[i].start : first;
		last = i == 0 || spans[i].end > last ? spans[i].end : last;
	}
	if (bench_counter != (unsigned long) threads * (unsigned long) bench_iterations) {
		fprintf(stderr, "stack-bench: counter mismatch\n");
		return 1;
	}
	printf("ns_per_iter=%.1f\n", (last - first) / (double) bench_iterations);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: stack-bench alloc same|distinct DEPTH(0-60) ITERATIONS "
	                "ROUNDS(1-1001)\n"
	                "       stack-bench lock THREADS(1-64) DEPTH(0-60) ITERATIONS\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc != 6 && argc != 5) {
		return usage();
	}
	bench_depth = atoi(argv[3]);
	bench_iterations = atol(argv[4]);
	if (bench_depth < 0 || bench_depth > 60 || bench_iterations < 1) {
		return usage();
	}
	if (argc == 6 && !strcmp(argv[1], "alloc") &&
	    (!strcmp(argv[2], "same") || !strcmp(argv[2], "distinct"))) {
		long rounds = atol(argv[5]);

		if (rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
			return usage();
		}
		return run_alloc(!strcmp(argv[2], "distinct"), rounds);
	}
	if (argc == 5 && !strcmp(argv[1], "lock")) {
		int threads = atoi(argv[2]);

		if (threads < 1 || threads > BENCH_MAX_THREADS) {
			return usage();
		}
		return run_lock(threads);
	}
	return usage();
}
