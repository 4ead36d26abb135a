/*
 * The preload runtime's benchmark loop: each thread repeats malloc, mutex
 * lock, counter increment, unlock, free. The block is published through a
 * volatile pointer, or the compiler deletes the malloc/free pair.
 *
 * usage: preload-bench THREADS ITERATIONS
 * prints: threads=N iterations=M ns_per_iter=X cpu_ns_per_iter=Y
 *   X: wall time / iterations per thread;
 *   Y: the loop threads' CPU time / all their iterations (what one iteration
 *      costs the thread that runs it; waits are not counted).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t bench_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long bench_counter;
static void *volatile bench_sink;
static long bench_iterations;
static pthread_barrier_t bench_start;
static double bench_cpu_ns[64];

static double bench_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

static void *bench_thread(void *arg)
{
	double *cpu = arg;

	pthread_barrier_wait(&bench_start);
	*cpu = bench_clock(CLOCK_THREAD_CPUTIME_ID);
	for (long i = 0; i < bench_iterations; i++) {
		void *p = malloc(64);

		bench_sink = p;
		pthread_mutex_lock(&bench_lock);
		bench_counter++;
		pthread_mutex_unlock(&bench_lock);
		free(p);
	}
	*cpu = bench_clock(CLOCK_THREAD_CPUTIME_ID) - *cpu;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t threads[64];
	double t0;
	double t1;
	double cpu = 0;
	int n;

	if (argc != 3 || (n = atoi(argv[1])) < 1 || n > 64 ||
	    (bench_iterations = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: preload-bench THREADS(1-64) ITERATIONS\n");
		return 2;
	}
	pthread_barrier_init(&bench_start, NULL, (unsigned) n + 1);
	for (int i = 0; i < n; i++) {
		if (pthread_create(&threads[i], NULL, bench_thread, &bench_cpu_ns[i]) != 0) {
			fprintf(stderr, "preload-bench: cannot create thread\n");
			return 1;
		}
	}
	pthread_barrier_wait(&bench_start);
	t0 = bench_clock(CLOCK_MONOTONIC);
	for (int i = 0; i < n; i++) {
		pthread_join(threads[i], NULL);
		cpu += bench_cpu_ns[i];
	}
	t1 = bench_clock(CLOCK_MONOTONIC);
	if (bench_counter != (unsigned long) n * (unsigned long) bench_iterations) {
		fprintf(stderr, "preload-bench: counter mismatch\n");
		return 1;
	}
	printf("threads=%d iterations=%ld ns_per_iter=%.1f cpu_ns_per_iter=%.1f\n", n,
	       bench_iterations, (t1 - t0) / (double) bench_iterations,
	       cpu / ((double) n * (double) bench_iterations));
	return 0;
}
