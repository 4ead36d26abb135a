/*
 * A condvar ping-pong: two threads hand a token back and forth ROUNDS
 * times; each keeps the token for HOLD_MS inside a region. A TRACE_BLOCK
 * wraps each wait for the token and a TRACE_FLOW arrow follows it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <weft/trace.h>

#define ROUNDS 6
#define HOLD_MS 10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int turn;
static uint64_t handoffs; /* flow id of the last hand-off, 0 = none yet */

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0) {
	}
}

static void *player(void *arg)
{
	int me = (int) (long) arg;
	const char *name = me ? "pong" : "ping";

	pthread_setname_np(pthread_self(), name);
	TRACE_THREAD_NAME(name);
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t flow;

		pthread_mutex_lock(&lock);
		TRACE_BLOCK_BEGIN("wait turn");
		while (turn != me) {
			pthread_cond_wait(&cond, &lock);
		}
		TRACE_BLOCK_END();
		flow = handoffs;
		pthread_mutex_unlock(&lock);
		if (flow) {
			TRACE_FLOW_IN(flow);
		}
		TRACE_REGION_BEGIN(name);
		sleep_ms(HOLD_MS);
		TRACE_REGION_END(name);
		pthread_mutex_lock(&lock);
		handoffs++;
		TRACE_FLOW_OUT(handoffs);
		turn = !me;
		pthread_cond_signal(&cond);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t a, b;

	pthread_create(&a, NULL, player, (void *) 0L);
	pthread_create(&b, NULL, player, (void *) 1L);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
