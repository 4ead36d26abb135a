/*
 * Marks "ready", tells the test on stdout, and waits for a signal. With
 * argument "handle" it catches SIGINT/SIGTERM, waits 300 ms for duplicates,
 * records how many signals it got (counter "signals") and the mark
 * "interrupted" (the session must still be recording) and exits 7;
 * otherwise the signal's default action kills it.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <weft/trace.h>

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	(void) sig;
	caught++;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "handle")) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	}
	TRACE_MARK("ready");
	printf("ready\n");
	fflush(stdout);
	while (!caught) {
		pause();
	}
	usleep(300000);
	TRACE_COUNTER("signals", caught);
	TRACE_MARK("interrupted");
	return 7;
}
