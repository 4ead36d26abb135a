/*
 * Uses every TRACE_* macro, in a fixed order that the recording tests check
 * event by event (tests/record/weftcheck.py: EVERY_MACRO). Builds as C11,
 * as C++ (every-macro.cpp) and with -DWEFT_DISABLE. Exits with argv[1].
 */
#include <stdint.h>
#include <stdlib.h>

#include <weft/trace.h>

static int pool[4];

/* Not inlined: the test checks that its events carry call sites inside it. */
__attribute__((noinline)) static void scoped(void)
{
	/* Two scoped regions on one line, on purpose. */
	/* clang-format off */
	TRACE_REGION("outer"); TRACE_REGION("same-line");
	/* clang-format on */
	{
		TRACE_REGION("inner");
		TRACE_MARK("in-inner");
	}
	TRACE_MARK("after-inner");
}

int main(int argc, char **argv)
{
	uint64_t task = 42;
	int answer = 7;

	TRACE_THREAD_NAME("main-thread");
	TRACE_REGION_BEGIN("explicit");
	TRACE_REGION_END("explicit");
	scoped();
	TRACE_TASK_BEGIN(task, "request");
	TRACE_TASK_END(task);
	TRACE_LOG("plain", "no arguments");
	TRACE_LOG("fmt", "answer=%d name=%s", answer, "weft");
	TRACE_COUNTER("queue-depth", -5);
	TRACE_MARK("mark");
	TRACE_FLOW_OUT(7);
	TRACE_FLOW_IN(7);
	TRACE_LOCK_WAIT(&pool[0]);
	TRACE_LOCK_ACQUIRED(&pool[0]);
	TRACE_LOCK_RELEASED(&pool[0]);
	TRACE_BLOCK_BEGIN("disk");
	TRACE_BLOCK_END();
	TRACE_ALLOC(&pool[1], 16);
	TRACE_FREE(&pool[1]);
	return argc > 1 ? atoi(argv[1]) : 0;
}
