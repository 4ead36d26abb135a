/*
 * model-dump - print the timeline model of traces in a stable text form,
 * for golden files and for looking at what the reader made of a trace.
 *
 *   model-dump [--pid PID] [--no-symbols] [--debug-info-filter] [--no-callsites] TRACE...
 *
 * Times are nanoseconds relative to the model's start (or, with --pid, to
 * that process's start). Threads are named by tid; with --pid, by their
 * order in the process ("T0", "T1", ...), so that output is the same from
 * run to run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft-reader.h"

typedef struct {
	const weft_model_t *m;
	int64_t pid; /* -1: every process */
	weft_time_t origin;
	gboolean callsites;
} dump_t;

static const char *str(const dump_t *d, weft_str_t s)
{
	return weft_model_borrow_string(d->m, s);
}

static int64_t rel(const dump_t *d, weft_time_t t)
{
	return t - d->origin;
}

static const weft_thread_t *thread(const dump_t *d, guint index)
{
	if (index >= d->m->threads->len) {
		return NULL;
	}
	return g_ptr_array_index(d->m->threads, index);
}

/* A thread's label: tid, or its rank in its process with --pid. */
static char *thread_label(const dump_t *d, guint index)
{
	const weft_thread_t *t = thread(d, index);

	if (!t) {
		return g_strdup("?");
	}
	if (d->pid >= 0) {
		for (guint i = 0; i < t->process->threads->len; i++) {
			if (g_ptr_array_index(t->process->threads, i) == t) {
				return g_strdup_printf("T%u", i);
			}
		}
	}
	return g_strdup_printf("%" PRId64, t->tid);
}

static gboolean wanted(const dump_t *d, guint thread_index)
{
	const weft_thread_t *t = thread(d, thread_index);

	return d->pid < 0 || (t && t->process->pid == d->pid);
}

static void print_flags(guint8 flags)
{
	if (flags & WEFT_FLAG_UNFINISHED) {
		printf(" unfinished");
	}
	if (flags & WEFT_FLAG_UNSTARTED) {
		printf(" unstarted");
	}
	if (flags & WEFT_FLAG_INFERRED) {
		printf(" inferred");
	}
}

static void print_callsite(const dump_t *d, guint32 index)
{
	const weft_callsite_t *cs = weft_model_borrow_callsite(d->m, index);

	if (!d->callsites || !index) {
		return;
	}
	printf(" at=%s", cs->function ? str(d, cs->function) : "?");
	if (cs->file) {
		printf("(%s:%u)", str(d, cs->file), cs->line);
	}
}

static void dump_states(const dump_t *d, const weft_thread_t *t)
{
	const weft_state_track_t *s = &t->states;

	for (guint i = 0; i < s->start->len; i++) {
		weft_time_t a = g_array_index(s->start, weft_time_t, i);
		weft_time_t b = g_array_index(s->end, weft_time_t, i);
		guint8 st = g_array_index(s->state, guint8, i);

		printf("    state %" PRId64 " %" PRId64 " %s", rel(d, a), rel(d, b),
		       weft_state_name(st));
		if (st == WEFT_STATE_BLOCK_CUSTOM) {
			printf(" reason=\"%s\"",
			       str(d, (weft_str_t) g_array_index(s->aux, gint32, i)));
		} else if (st == WEFT_STATE_SYSCALL || st == WEFT_STATE_SLEEP) {
			printf(" kind=%d", g_array_index(s->aux, gint32, i));
		}
		if (st == WEFT_STATE_DATA_LOST) {
			printf(" lost=%" G_GUINT64_FORMAT, g_array_index(s->object, guint64, i));
		}
		print_flags(g_array_index(s->flags, guint8, i));
		print_callsite(d, g_array_index(s->callsite, guint32, i));
		printf("\n");
	}
}

static void dump_slices(const dump_t *d, const weft_thread_t *t)
{
	const weft_slice_track_t *s = &t->slices;

	for (guint i = 0; i < s->start->len; i++) {
		printf("    region %" PRId64 " %" PRId64 " depth=%u \"%s\"",
		       rel(d, g_array_index(s->start, weft_time_t, i)),
		       rel(d, g_array_index(s->end, weft_time_t, i)),
		       g_array_index(s->depth, guint16, i),
		       str(d, g_array_index(s->name, weft_str_t, i)));
		print_flags(g_array_index(s->flags, guint8, i));
		print_callsite(d, g_array_index(s->callsite, guint32, i));
		printf("\n");
	}
}

static void dump_instants(const dump_t *d, const weft_thread_t *t)
{
	const weft_instant_track_t *s = &t->instants;

	for (guint i = 0; i < s->ts->len; i++) {
		gboolean log = g_array_index(s->kind, guint8, i) == WEFT_INSTANT_LOG;

		printf("    %s %" PRId64 " \"%s\"", log ? "log" : "mark",
		       rel(d, g_array_index(s->ts, weft_time_t, i)),
		       str(d, g_array_index(s->name, weft_str_t, i)));
		if (log) {
			printf(" \"%s\"", str(d, g_array_index(s->message, weft_str_t, i)));
		}
		print_callsite(d, g_array_index(s->callsite, guint32, i));
		printf("\n");
	}
}

static void dump_process(const dump_t *d, const weft_process_t *p)
{
	printf("process pid=%" PRId64 " name=\"%s\" parent=%" PRId64 " start=%" PRId64
	       " end=%" PRId64 " threads=%u\n",
	       d->pid >= 0 ? 0 : p->pid, str(d, p->name), d->pid >= 0 ? -1 : p->parent_pid,
	       rel(d, p->start), rel(d, p->end), p->threads->len);
	for (guint i = 0; i < p->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(p->threads, i);
		g_autofree char *label = thread_label(d, t->index);
		const weft_thread_t *parent = NULL;

		for (guint j = 0; j < p->threads->len && t->parent_tid >= 0; j++) {
			const weft_thread_t *c = g_ptr_array_index(p->threads, j);

			if (c->tid == t->parent_tid && c->start <= t->start) {
				parent = c;
			}
		}
		printf("  thread %s name=\"%s\" start=%" PRId64 " end=%" PRId64, label,
		       str(d, t->name), rel(d, t->start), rel(d, t->end));
		if (parent) {
			g_autofree char *pl = thread_label(d, parent->index);

			printf(" parent=%s", pl);
		}
		if (t->start_routine && d->callsites) {
			print_callsite(d, t->start_routine_site);
		}
		printf("\n");
		dump_states(d, t);
		dump_slices(d, t);
		dump_instants(d, t);
	}
	for (guint i = 0; i < p->counters->len; i++) {
		const weft_counter_t *c = g_ptr_array_index(p->counters, i);

		printf("  counter \"%s\"%s", str(d, c->name), c->is_heap ? " heap" : "");
		for (guint j = 0; j < c->ts->len; j++) {
			printf(" %" PRId64 "=%" PRId64,
			       rel(d, g_array_index(c->ts, weft_time_t, j)),
			       g_array_index(c->value, gint64, j));
		}
		printf("\n");
	}
	if (p->allocs) {
		for (guint i = 0; i < p->allocs->len; i++) {
			const weft_alloc_t *a = &g_array_index(p->allocs, weft_alloc_t, i);

			printf("  alloc %" PRId64 " size=%" PRIu64 " weight=%" PRIu64,
			       rel(d, a->ts), a->size, a->weight);
			if (a->free_ts != G_MAXINT64) {
				printf(" freed=%" PRId64, rel(d, a->free_ts));
			}
			printf("\n");
		}
	}
}

static void dump_global(const dump_t *d)
{
	const weft_model_t *m = d->m;

	for (guint i = 0; i < m->flows->len; i++) {
		const weft_flow_t *f = &g_array_index(m->flows, weft_flow_t, i);
		g_autofree char *from = thread_label(d, f->from_thread);
		g_autofree char *to = thread_label(d, f->to_thread);

		if (wanted(d, f->from_thread) || wanted(d, f->to_thread)) {
			printf("flow \"%s\" %s %" PRId64 " -> %s %" PRId64 "\n",
			       weft_flow_kind_name(f->kind), from, rel(d, f->from_ts), to,
			       rel(d, f->to_ts));
		}
	}
	for (guint i = 0; i < m->tasks->len; i++) {
		const weft_task_t *t = &g_array_index(m->tasks, weft_task_t, i);
		g_autofree char *from = thread_label(d, t->begin_thread);
		g_autofree char *to = thread_label(d, t->end_thread);

		if (wanted(d, t->begin_thread) || wanted(d, t->end_thread)) {
			printf("task %" PRIu64 " \"%s\" %" PRId64 " %" PRId64 " %s -> %s", t->id,
			       str(d, t->name), rel(d, t->start), rel(d, t->end), from, to);
			print_flags(t->flags);
			printf("\n");
		}
	}
	for (guint i = 0; i < m->holds->len; i++) {
		const weft_lock_hold_t *h = &g_array_index(m->holds, weft_lock_hold_t, i);
		g_autofree char *th = thread_label(d, h->thread);

		if (wanted(d, h->thread)) {
			printf("hold %s %s wait=%" PRId64 " %" PRId64 " %" PRId64 "%s\n", th,
			       weft_state_name(h->kind), rel(d, h->wait_start), rel(d, h->start),
			       rel(d, h->end), h->contended ? " contended" : "");
		}
	}
	for (guint i = 0; i < m->lost->len; i++) {
		const weft_lost_t *l = &g_array_index(m->lost, weft_lost_t, i);

		printf("lost %" PRId64 " %" PRId64 " count=%" PRIu64 " cpu=%d\n", rel(d, l->start),
		       rel(d, l->end), l->count, l->cpu);
	}
	for (guint c = 0; c < m->cpus->len && d->pid < 0; c++) {
		const weft_cpu_lane_t *lane = g_ptr_array_index(m->cpus, c);

		printf("cpu %u", lane->cpu);
		for (guint i = 0; i < lane->start->len; i++) {
			g_autofree char *th =
			    thread_label(d, g_array_index(lane->thread, guint, i));

			printf(" %s@%" PRId64 "-%" PRId64, th,
			       rel(d, g_array_index(lane->start, weft_time_t, i)),
			       rel(d, g_array_index(lane->end, weft_time_t, i)));
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	weft_reader_options_t opts = {0};
	g_autoptr(GPtrArray) paths = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(weft_model_t) model = NULL;
	dump_t d = {.pid = -1, .callsites = TRUE};

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pid") && i + 1 < argc) {
			d.pid = g_ascii_strtoll(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--no-symbols")) {
			opts.no_symbols = TRUE;
		} else if (!strcmp(argv[i], "--debug-info-filter")) {
			opts.debug_info_filter = TRUE;
		} else if (!strcmp(argv[i], "--no-callsites")) {
			d.callsites = FALSE;
		} else {
			g_ptr_array_add(paths, argv[i]);
		}
	}
	g_ptr_array_add(paths, NULL);
	model = weft_reader_load((const char *const *) paths->pdata, &opts, &error);
	if (!model) {
		fprintf(stderr, "model-dump: %s\n", error->message);
		return 1;
	}
	d.m = model;
	d.origin = model->start;
	printf("trace events=%" PRIu64 " skipped=%" PRIu64 " discarded=%" PRIu64 " kernel=%d\n",
	       d.pid >= 0 ? 0 : model->n_events, d.pid >= 0 ? 0 : model->n_skipped,
	       model->n_discarded, model->has_kernel);
	for (guint i = 0; i < model->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(model->processes, i);

		if (d.pid < 0 || p->pid == d.pid) {
			if (d.pid >= 0) {
				d.origin = p->start;
			}
			dump_process(&d, p);
		}
	}
	dump_global(&d);
	return 0;
}
