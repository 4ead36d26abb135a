/*
 * A condvar ping-pong: two threads hand a token back and forth ROUNDS
 * times; each holds the token for HOLD_MS (a TRACE_BLOCK wraps the wait).
 */
#include <pthread.h>
#include <time.h>

#include <weft/trace.h>

#define ROUNDS 6
#define HOLD_MS 10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int turn;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0) {
	}
}

static void *player(void *arg)
{
	int me = (int) (long) arg;

	TRACE_THREAD_NAME(me ? "pong" : "ping");
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		TRACE_BLOCK_BEGIN("wait turn");
		while (turn != me) {
			pthread_cond_wait(&cond, &lock);
		}
		TRACE_BLOCK_END();
		pthread_mutex_unlock(&lock);
		TRACE_REGION_BEGIN(me ? "pong" : "ping");
		sleep_ms(HOLD_MS);
		TRACE_REGION_END(me ? "pong" : "ping");
		TRACE_FLOW_OUT((uint64_t) (i * 2 + me));
		pthread_mutex_lock(&lock);
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
