/*
 * Wrong argument types that must not compile, even with -DWEFT_DISABLE.
 * check-typecheck.sh builds it once per CASE (and with CASE=0, which is
 * correct code and must build).
 */
#include <stdint.h>

#include <weft/trace.h>

int main(void)
{
	int n = 3;
	struct {
		int x;
	} s = {1};

	(void) n;
	(void) s;
#if CASE == 0
	TRACE_REGION_BEGIN("ok");
	TRACE_LOG("cat", "n=%d", n);
	TRACE_COUNTER("c", n);
	TRACE_TASK_BEGIN(1, "t");
	TRACE_ALLOC(&n, sizeof(n));
#elif CASE == 1
	TRACE_REGION_BEGIN(n); /* an int as a region name */
#elif CASE == 2
	TRACE_REGION(42);
#elif CASE == 3
	TRACE_LOG("cat", "n=%s", n); /* format does not match */
#elif CASE == 4
	TRACE_COUNTER("c", "not a number");
#elif CASE == 5
	TRACE_TASK_BEGIN(s, "t"); /* a struct as a task id */
#elif CASE == 6
	TRACE_MARK(1.5);
#endif
	return 0;
}
