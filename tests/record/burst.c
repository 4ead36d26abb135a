/* A burst of region begin/end pairs: 2 x argv[1] events (default 1M). */
#include <stdlib.h>

#include <weft/trace.h>

int main(int argc, char **argv)
{
	long pairs = argc > 1 ? atol(argv[1]) : 500000;

	for (long i = 0; i < pairs; i++) {
		TRACE_REGION_BEGIN("burst");
		TRACE_REGION_END("burst");
	}
	return 0;
}
