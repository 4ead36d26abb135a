/*
 * bench-macros: the cost of a TRACE_REGION_BEGIN + TRACE_REGION_END pair.
 *
 *   bench-macros enabled   a session records weft:region_* and weft_bench:*
 *                          (bench-macros.sh sets it up): ns per pair through
 *                          the macros and through raw lttng_ust_tracepoint()
 *                          calls with the same payload, and their ratio;
 *   bench-macros disabled  no session records them: ns per macro, against an
 *                          empty loop and against disabled raw tracepoints.
 *
 * Enabled, 401 short rounds alternate the two variants, so bursts of noise
 * from other processes hit both alike; it prints the ratio of the medians
 * and the median of the per-round ratios. Not a test: it only prints.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <weft/trace.h>

#include "bench-provider.h"

/* Enabled: many short alternating rounds, so both variants meet the same noise. */
#define ROUNDS_ON 401
/* Disabled: few long rounds; there is no tracer to disturb. */
#define ROUNDS_OFF 15

static const char *volatile region_name = "bench";

/*
 * The thread's CPU time: time slices given to other processes on a busy
 * machine are not counted (nothing measured here blocks or sleeps).
 */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

__attribute__((noinline)) static uint64_t run_macros(long pairs)
{
	const char *name = region_name;
	uint64_t t0 = now_ns();

	for (long i = 0; i < pairs; i++) {
		TRACE_REGION_BEGIN(name);
		TRACE_REGION_END(name);
	}
	return now_ns() - t0;
}

__attribute__((noinline)) static uint64_t run_raw(long pairs)
{
	const char *name = region_name;
	uint64_t t0 = now_ns();

	for (long i = 0; i < pairs; i++) {
		lttng_ust_tracepoint(weft_bench, region_begin, __builtin_return_address(0), name);
		lttng_ust_tracepoint(weft_bench, region_end, __builtin_return_address(0), name);
	}
	return now_ns() - t0;
}

__attribute__((noinline)) static uint64_t run_empty(long pairs)
{
	uint64_t t0 = now_ns();

	for (long i = 0; i < pairs; i++) {
		__asm__ __volatile__("" ::: "memory");
	}
	return now_ns() - t0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

	return x < y ? -1 : x > y;
}

/* Sorts t[0..n); the median, divided by `per`. */
static double median_ns(uint64_t *t, int n, long per)
{
	qsort(t, (size_t) n, sizeof(t[0]), cmp_u64);
	return (double) t[n / 2] / (double) per;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static int weft_enabled(void)
{
	return __atomic_load_n(&lttng_ust_tracepoint_weft___region_begin.state, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&lttng_ust_tracepoint_weft___region_end.state, __ATOMIC_RELAXED);
}

static int raw_enabled(void)
{
	return lttng_ust_tracepoint_enabled(weft_bench, region_begin) &&
	       lttng_ust_tracepoint_enabled(weft_bench, region_end);
}

static int bench_enabled(long pairs)
{
	static uint64_t weft[ROUNDS_ON], raw[ROUNDS_ON];
	static double ratio[ROUNDS_ON];

	if (!weft_enabled() || !raw_enabled()) {
		fprintf(stderr, "bench-macros: no session records weft:region_* and weft_bench:* "
		                "(run bench-macros.sh)\n");
		return 1;
	}
	run_macros(pairs * 10); /* warm up: buffers, caches, page faults */
	run_raw(pairs * 10);
	for (int r = 0; r < ROUNDS_ON; r++) {
		if (r % 2) {
			raw[r] = run_raw(pairs);
			weft[r] = run_macros(pairs);
		} else {
			weft[r] = run_macros(pairs);
			raw[r] = run_raw(pairs);
		}
		ratio[r] = (double) weft[r] / (double) raw[r];
	}
	qsort(ratio, ROUNDS_ON, sizeof(ratio[0]), cmp_double);
	double w = median_ns(weft, ROUNDS_ON, pairs), l = median_ns(raw, ROUNDS_ON, pairs);
	printf("enabled: %d alternating rounds of %ld pairs, medians\n", ROUNDS_ON, pairs);
	printf("  TRACE_REGION_BEGIN+END pair      %8.1f ns\n", w);
	printf("  raw lttng_ust_tracepoint pair    %8.1f ns   (baseline)\n", l);
	printf("  ratio of the medians             %8.3fx  (target <= 1.1x)\n", w / l);
	printf("  median of per-round ratios       %8.3fx  (quartiles %.3f, %.3f)\n",
	       ratio[ROUNDS_ON / 2], ratio[ROUNDS_ON / 4], ratio[3 * ROUNDS_ON / 4]);
	return 0;
}

static int bench_disabled(long pairs)
{
	uint64_t macros[ROUNDS_OFF], raw[ROUNDS_OFF], empty[ROUNDS_OFF];

	if (weft_enabled() || raw_enabled()) {
		fprintf(stderr, "bench-macros: a session records weft events right now; the "
		                "disabled cost cannot be measured\n");
		return 1;
	}
	for (int r = 0; r < ROUNDS_OFF; r++) {
		empty[r] = run_empty(pairs);
		macros[r] = run_macros(pairs);
		raw[r] = run_raw(pairs);
	}
	double m = median_ns(macros, ROUNDS_OFF, 2 * pairs);
	double l = median_ns(raw, ROUNDS_OFF, 2 * pairs);
	double e = median_ns(empty, ROUNDS_OFF, 2 * pairs);
	printf("disabled (no session): %d rounds of %ld pairs, medians, loop included\n",
	       ROUNDS_OFF, pairs);
	printf("  per TRACE_REGION_* macro         %8.3f ns   (target <= 1 ns)\n", m);
	printf("  per raw disabled tracepoint      %8.3f ns   (baseline)\n", l);
	printf("  empty loop, per half iteration   %8.3f ns\n", e);
	printf("  ratio macros / raw               %8.3fx\n", m / l);
	return 0;
}

static void pin_to_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu > 0 ? cpu : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long pairs = argc > 2 ? atol(argv[2]) : 0;

	pin_to_one_cpu();
	if (!strcmp(mode, "enabled")) {
		return bench_enabled(pairs > 0 ? pairs : 2000);
	}
	if (!strcmp(mode, "disabled")) {
		return bench_disabled(pairs > 0 ? pairs : 50000000);
	}
	fprintf(stderr, "usage: bench-macros enabled|disabled [PAIRS]\n");
	return 2;
}
