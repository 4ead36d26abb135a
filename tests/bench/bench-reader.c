/*
 * bench-reader - time weft_reader_load() (CTF decoding through babeltrace2
 * plus the model build) on a trace, and report the model's size.
 *
 *   bench-reader [--no-symbols | --debug-info-filter] TRACE...
 *
 * Prints one line: wall seconds, events, ns per event, peak RSS (KiB) and
 * peak bytes per event. tests/bench/bench-reader.sh compares it with
 * babeltrace2's dummy sink on the same trace.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "weft-reader.h"

int main(int argc, char **argv)
{
	weft_reader_options_t opts = {0};
	g_autoptr(GPtrArray) paths = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	weft_model_t *model;
	struct rusage ru;
	gint64 t0, t1;
	double secs;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-symbols")) {
			opts.no_symbols = TRUE;
		} else if (!strcmp(argv[i], "--debug-info-filter")) {
			opts.debug_info_filter = TRUE;
		} else {
			g_ptr_array_add(paths, argv[i]);
		}
	}
	g_ptr_array_add(paths, NULL);
	t0 = g_get_monotonic_time();
	model = weft_reader_load((const char *const *) paths->pdata, &opts, &error);
	t1 = g_get_monotonic_time();
	if (!model) {
		fprintf(stderr, "bench-reader: %s\n", error->message);
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru);
	secs = (double) (t1 - t0) / 1e6;
	printf("seconds=%.3f events=%" PRIu64
	       " ns_per_event=%.1f peak_kib=%ld bytes_per_event=%.1f\n",
	       secs, model->n_events, secs * 1e9 / (double) MAX(model->n_events, 1), ru.ru_maxrss,
	       (double) ru.ru_maxrss * 1024.0 / (double) MAX(model->n_events, 1));
	weft_model_free(model);
	return 0;
}
