/*
 * weft view - open traces in the timeline viewer.
 *
 * Runs weft-view with the same arguments: the one next to this weft in a
 * build tree (../../viewer/weft-view from tracer/cli/weft), otherwise the
 * installed one in WEFT_BINDIR. docs/viewer.md is the manual.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "weft-cli.h"

#define WEFT_VIEW_EXIT_USAGE 2
#define WEFT_VIEW_EXIT_NOTFOUND 127

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: weft view [--screenshot OUT.png [--size WxH] [--range FROM:TO]] "
	        "TRACE...\n\n"
	        "Opens each TRACE (a CTF trace folder or a Chrome JSON file) in the timeline\n"
	        "viewer, weft-view. With --screenshot, renders the window to OUT.png once the\n"
	        "trace is loaded and exits (non-zero when it cannot be opened).\n");
}

/* The build tree's weft-view, or "" when this weft is not in one. */
static void build_tree_viewer(char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	out[0] = '\0';
	if (n <= 0) {
		return;
	}
	self[n] = '\0';
	snprintf(out, len, "%s/../../viewer/weft-view", dirname(self));
	if (access(out, X_OK) != 0) {
		out[0] = '\0';
	}
}

int weft_cmd_view(int argc, char **argv)
{
	char path[PATH_MAX + 32];

	if (argc < 2) {
		usage(stderr);
		return WEFT_VIEW_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	build_tree_viewer(path, sizeof path);
	if (!path[0]) {
		snprintf(path, sizeof path, "%s/weft-view", WEFT_BINDIR);
	}
	argv[0] = path;
	execv(path, argv);
	fprintf(stderr, "weft view: cannot start the viewer: path=\"%s\", reason=\"%s\"\n", path,
	        strerror(errno));
	return WEFT_VIEW_EXIT_NOTFOUND;
}
