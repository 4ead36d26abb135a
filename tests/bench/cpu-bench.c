/*
 * cpu-bench: a CPU-bound multithreaded program for the CPU sampling
 * benchmark (cpu-bench.sh). THREADS threads each run ITER rounds of a
 * small call tree (so a profiler has stacks to walk); prints the process's
 * CPU time (user + system, getrusage) and wall time of the work.
 *
 * usage: cpu-bench THREADS ITER
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static unsigned long iterations;

__attribute__((noinline)) static unsigned long mix(unsigned long x)
{
	for (int i = 0; i < 64; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

__attribute__((noinline)) static unsigned long leaf_a(unsigned long x)
{
	return mix(x) + 1;
}

__attribute__((noinline)) static unsigned long leaf_b(unsigned long x)
{
	return mix(x ^ 0x9e3779b97f4a7c15ul);
}

static void *worker(void *arg)
{
	unsigned long x = (unsigned long) arg + 1;

	for (unsigned long i = 0; i < iterations; i++) {
		x = (i & 3) ? leaf_a(x) : leaf_b(x);
	}
	return (void *) x;
}

static double seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec * 1e-6 +
	       (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec * 1e-6;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t t[64];
	double wall, cpu;

	iterations = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000000;
	if (n < 1 || n > 64) {
		fprintf(stderr, "usage: cpu-bench THREADS ITER\n");
		return 2;
	}
	wall = seconds(CLOCK_MONOTONIC);
	cpu = cpu_seconds();
	for (int i = 0; i < n; i++) {
		pthread_create(&t[i], NULL, worker, (void *) (long) i);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
	}
	printf("cpu_s=%.4f wall_s=%.4f\n", cpu_seconds() - cpu, seconds(CLOCK_MONOTONIC) - wall);
	return 0;
}
