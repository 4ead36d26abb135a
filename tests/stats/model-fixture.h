/*
 * model-fixture.h - build timeline models in code for the analysis tests:
 * the same GArrays the reader fills, filled directly with exact numbers.
 */
#ifndef WEFT_TEST_MODEL_FIXTURE_H
#define WEFT_TEST_MODEL_FIXTURE_H

#include "weft-model.h"

weft_process_t *fixture_process(weft_model_t *model, int64_t pid, const char *name,
                                weft_time_t start, weft_time_t end);
/* routine: the start routine's function name, NULL for none. */
weft_thread_t *fixture_thread(weft_model_t *model, weft_process_t *p, int64_t tid,
                              const char *routine, weft_time_t start, weft_time_t end);
guint32 fixture_site(weft_model_t *model, const char *function, const char *file, guint line);
void fixture_state(weft_thread_t *t, weft_state_t state, weft_time_t start, weft_time_t end,
                   guint64 object, gint32 aux, guint32 site);
void fixture_slice(weft_thread_t *t, const char *name, weft_model_t *model, guint16 depth,
                   weft_time_t start, weft_time_t end);
void fixture_hold(weft_model_t *model, weft_thread_t *t, guint64 lock, weft_state_t kind,
                  weft_time_t wait_start, weft_time_t start, weft_time_t end, guint32 site);
void fixture_alloc(weft_process_t *p, weft_time_t ts, weft_time_t free_ts, guint64 size,
                   guint64 weight, int64_t tid, guint32 site);
void fixture_task(weft_model_t *model, guint64 id, const char *name, weft_time_t start,
                  weft_time_t end, weft_thread_t *begin, weft_thread_t *end_thread);

/*
 * The "app" model of the analysis tests (times in ns from 0):
 *   main   tid 100 [0, 1000]  joins [100, 900]
 *   worker tid 101 [10, 1000] mutex L1 [100,300] [400,450] at update_counter,
 *                             read fd 3 [500,600], sleep [700,800]
 *   worker tid 102 [10, 1000] mutex L1 [200,260] at flush_batch, condvar C1
 *                             [300,310] [311,320] [900,950] at wait_item
 *   logger tid 103 [0, 500]   only runs; holds L1 [50,260] and [400,450]
 * plus allocations (two leaked 1000-byte blocks from leaky_alloc), regions
 * and tasks; test-analysis.c lists the expected numbers.
 */
typedef struct {
	weft_model_t *model; /* owned by the caller */
	weft_thread_t *main, *w1, *w2, *logger;
} app_t;

app_t app_new(void);

#endif /* WEFT_TEST_MODEL_FIXTURE_H */
