/*
 * reader-progress TRACE: weft_reader_load() reports progress (ending at
 * fraction 1 with every event counted) and honours cancellation (a
 * cancelled load returns WEFT_READER_ERROR_CANCELLED and no model).
 */
#include <inttypes.h>
#include <stdio.h>

#include "weft-reader.h"

typedef struct {
	guint calls;
	double last_fraction;
	guint64 last_events;
	gboolean monotonic;
	double max_partial; /* largest fraction below 1: the estimate at work */
} progress_t;

static void on_progress(double fraction, guint64 n_events, gpointer data)
{
	progress_t *p = data;

	if (fraction < p->last_fraction || n_events < p->last_events) {
		p->monotonic = FALSE;
	}
	p->calls++;
	if (fraction < 1.0) {
		p->max_partial = MAX(p->max_partial, fraction);
	}
	p->last_fraction = fraction;
	p->last_events = n_events;
}

int main(int argc, char **argv)
{
	const char *paths[] = {argc > 1 ? argv[1] : NULL, NULL};
	progress_t p = {.monotonic = TRUE};
	weft_reader_options_t opts = {.progress = on_progress, .progress_data = &p};
	g_autoptr(GCancellable) cancel = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	weft_model_t *model;
	int failures = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: reader-progress TRACE\n");
		return 2;
	}
	model = weft_reader_load(paths, &opts, &error);
	if (!model) {
		printf("FAIL: %s\n", error->message);
		return 1;
	}
	if (p.calls == 0 || p.last_fraction != 1.0 || p.last_events != model->n_events ||
	    !p.monotonic) {
		printf("FAIL: progress calls=%u last=%.3f events=%" G_GUINT64_FORMAT
		       "/%" G_GUINT64_FORMAT " monotonic=%d\n",
		       p.calls, p.last_fraction, p.last_events, model->n_events, p.monotonic);
		failures++;
	}
	weft_model_free(model);

	g_cancellable_cancel(cancel);
	opts.cancellable = cancel;
	model = weft_reader_load(paths, &opts, &error);
	if (model || !g_error_matches(error, WEFT_READER_ERROR, WEFT_READER_ERROR_CANCELLED)) {
		printf("FAIL: a cancelled load returned %s\n", model ? "a model" : error->message);
		weft_model_free(model);
		failures++;
	}
	printf("%s (%u progress calls, largest partial fraction %.3f)\n",
	       failures ? "FAILED" : "ok: progress reported, cancellation honoured", p.calls,
	       p.max_partial);
	return failures ? 1 : 0;
}
