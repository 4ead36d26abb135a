/*
 * weft - record, convert, analyse and view timeline traces of C programs.
 *
 * This file only dispatches: each subcommand lives in weft-NAME.c and
 * receives argv with the subcommand name as argv[0].
 */
#include <stdio.h>
#include <string.h>

#include "weft-cli.h"

struct weft_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct weft_command commands[] = {
    {"record", weft_cmd_record, "run a program under a new LTTng session and keep its trace"},
    {"convert", weft_cmd_convert, "write a trace as Chrome Trace Event JSON (Perfetto)"},
    {"stats", weft_cmd_stats, "print the analyses: threads, blocking, locks, allocations"},
    {"pprof", weft_cmd_pprof, "write a profile (cpu, block, mutex, heap, ...) for go tool pprof"},
    {"view", weft_cmd_view, "open a trace in the timeline viewer"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: weft COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; commands[i].name; i++) {
		fprintf(out, "  %-8s  %s\n", commands[i].name, commands[i].summary);
	}
	fprintf(out, "\n'weft COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("weft %s\n", WEFT_VERSION);
		return 0;
	}
	for (size_t i = 0; commands[i].name; i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "weft: unknown command '%s' (see 'weft --help')\n", argv[1]);
	return 2;
}
