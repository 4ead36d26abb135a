/*
 * weft-test-model.h - models built in code for the viewer tests: the
 * GArrays are filled directly, so the tests need no trace on disk.
 *
 * The small model: process 100 "demo" with threads "main" (100),
 * "worker-1" (101), "worker-2" (102) over [T0, T0 + 10 ms]. Each thread
 * alternates running 300 us / mutex 100 us / running 300 us / condvar
 * 300 us (1 ms period); each has a "request" region every 2 ms (1 ms
 * long) holding a "parse" region (its first 400 us). main has a mark
 * at T0 + 5 ms. A lock hand-off flow goes from main at T0 + 1.1 ms
 * to worker-1 at T0 + 1.2 ms. A heap counter, one task, two CPU lanes
 * and a data-lost gap [T0 + 8 ms, T0 + 8.5 ms] complete it.
 */
#ifndef WEFT_TEST_MODEL_H
#define WEFT_TEST_MODEL_H

#include "weft-model.h"

#define WEFT_TEST_T0 ((weft_time_t) 1000000000)
#define WEFT_TEST_US ((weft_time_t) 1000)
#define WEFT_TEST_N_THREADS 3

weft_model_t *weft_test_model_new(void);

/* One thread with n_states alternating running/mutex states of dur ns
 * and as many depth-0 slices: for LOD and drawing at scale. */
weft_model_t *weft_test_model_dense(guint n_threads, guint n_states, weft_time_t dur);

/* An empty process (no thread, no counter) appended to m. */
weft_process_t *weft_test_model_add_process(weft_model_t *m, int64_t pid, const char *name);

#endif /* WEFT_TEST_MODEL_H */
