/*
 * Builds timeline models by hand and writes them with the Chrome JSON
 * writer, so the writer is tested without a trace reader:
 *
 *   chrome-model-gen MODEL OUT [--pid N] [--tid N] [--from NS] [--to NS]
 *                    [--exclude GLOB] [--max-size BYTES] [--no-symbols] [--force]
 *                    [--strip-stacks]
 *
 * MODEL is "basic" (one of everything, with known times and a few call
 * stacks), "big:N" (N short state intervals of growing duration, instants
 * and flows, every wait with a stack) or "server:N" (N requests of a
 * server whose waits, long reads and lock hand-offs carry stacks of
 * realistic depth). --strip-stacks writes the same
 * model with every stack reference cleared, to measure what stacks cost.
 * Prints the writer's stats as one JSON line on stdout.
 * tests/convert/chrome-writer-test.py checks the output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft-chrome.h"

#define BASE 1000000000000LL /* absolute start of the trace, ns */

static GArray *arr(guint size)
{
	return g_array_new(FALSE, TRUE, size);
}

static weft_process_t *add_process(weft_model_t *m, int64_t pid, const char *name)
{
	weft_process_t *p = weft_model_add_process(m, pid, 0);

	p->name = weft_model_intern(m, name);
	return p;
}

static weft_thread_t *add_thread(weft_model_t *m, weft_process_t *p, int64_t tid, const char *name)
{
	weft_thread_t *t = weft_model_add_thread(m, p, tid, 0);

	t->name = name ? weft_model_intern(m, name) : 0;
	return t;
}

static void add_state(weft_thread_t *t, weft_time_t s, weft_time_t e, weft_state_t st,
                      guint64 object, gint32 aux, guint32 callsite, guint8 flags)
{
	guint8 st8 = (guint8) st;

	s += BASE;
	e += BASE;
	g_array_append_val(t->states.start, s);
	g_array_append_val(t->states.end, e);
	g_array_append_val(t->states.state, st8);
	g_array_append_val(t->states.flags, flags);
	g_array_append_val(t->states.object, object);
	g_array_append_val(t->states.aux, aux);
	g_array_append_val(t->states.callsite, callsite);
}

/* Gives the latest state interval of t a stack. */
static void set_stack(weft_thread_t *t, guint32 stack)
{
	weft_state_track_set_stack(&t->states, t->states.start->len - 1, stack);
}

static guint32 add_site(weft_model_t *m, const char *fn, const char *file, guint32 line,
                        const char *binary, guint64 offset, gboolean inlined)
{
	weft_callsite_t cs;

	memset(&cs, 0, sizeof(cs)); /* padding too: call sites are compared bytewise */
	cs.ip = 0x400000 + offset;
	cs.line = line;
	cs.offset = offset;
	cs.inlined = (guint8) inlined;

	cs.function = fn ? weft_model_intern(m, fn) : 0;
	cs.file = file ? weft_model_intern(m, file) : 0;
	cs.binary = binary ? weft_model_intern(m, binary) : 0;
	for (guint i = 1; i < m->callsites->len; i++) {
		if (!memcmp(&g_array_index(m->callsites, weft_callsite_t, i), &cs, sizeof(cs))) {
			return i; /* one call site per address, as the builder interns them */
		}
	}
	g_array_append_val(m->callsites, cs);
	return m->callsites->len - 1;
}

/* A stack of n call sites, leaf first. */
static guint32 add_stack(weft_model_t *m, guint n, const guint32 *sites)
{
	return weft_model_add_stack(m, sites, n, FALSE);
}

static void add_region(weft_model_t *m, weft_thread_t *t, weft_time_t s, weft_time_t e,
                       guint16 depth, const char *name, guint8 flags)
{
	weft_str_t n = weft_model_intern(m, name);
	guint32 cs = 0;

	s += BASE;
	e += BASE;
	g_array_append_val(t->slices.start, s);
	g_array_append_val(t->slices.end, e);
	g_array_append_val(t->slices.depth, depth);
	g_array_append_val(t->slices.flags, flags);
	g_array_append_val(t->slices.name, n);
	g_array_append_val(t->slices.callsite, cs);
	t->slices.max_depth = MAX(t->slices.max_depth, (guint) depth + 1);
}

static void add_instant(weft_model_t *m, weft_thread_t *t, weft_time_t ts, weft_instant_kind_t kind,
                        const char *name, const char *msg)
{
	weft_str_t n = weft_model_intern(m, name), s = msg ? weft_model_intern(m, msg) : 0;
	guint8 k = (guint8) kind;
	guint32 cs = 1;

	ts += BASE;
	g_array_append_val(t->instants.ts, ts);
	g_array_append_val(t->instants.kind, k);
	g_array_append_val(t->instants.name, n);
	g_array_append_val(t->instants.message, s);
	g_array_append_val(t->instants.callsite, cs);
}

static weft_counter_t *add_counter(weft_model_t *m, weft_process_t *p, const char *name,
                                   gboolean heap)
{
	weft_counter_t *c = g_new0(weft_counter_t, 1);

	c->name = weft_model_intern(m, name);
	c->is_heap = heap;
	c->ts = arr(sizeof(weft_time_t));
	c->value = arr(sizeof(gint64));
	g_ptr_array_add(p->counters, c);
	return c;
}

static void add_sample(weft_counter_t *c, weft_time_t ts, gint64 v)
{
	ts += BASE;
	g_array_append_val(c->ts, ts);
	g_array_append_val(c->value, v);
}

static weft_flow_t *add_flow(weft_model_t *m, weft_flow_kind_t kind, weft_thread_t *from,
                             weft_time_t fts, weft_thread_t *to, weft_time_t tts, guint64 object)
{
	weft_flow_t f = {kind, from->index, to->index, fts + BASE, tts + BASE, object, 0};

	g_array_append_val(m->flows, f);
	return &g_array_index(m->flows, weft_flow_t, m->flows->len - 1);
}

static void add_task(weft_model_t *m, guint64 id, const char *name, weft_time_t s, weft_time_t e,
                     weft_thread_t *bt, weft_thread_t *et)
{
	weft_task_t task = {
	    id, weft_model_intern(m, name), s + BASE, e + BASE, bt->index, et->index, 0, 0};

	g_array_append_val(m->tasks, task);
}

/*
 * Three stacks over six call sites: an inlined frame, a function without
 * a file, an unnamed frame in a library, a bare address; stacks A and B
 * share no frame node (different roots), B and C share "main".
 */
static void basic_stacks(weft_model_t *m, guint32 out[3])
{
	guint32 helper =
	    add_site(m, "lock_helper", "/src/prog/lock.h", 7, "/usr/bin/prog", 0x1234, TRUE);
	guint32 start =
	    add_site(m, "start_thread", NULL, 0, "/lib/x86_64-linux-gnu/libc.so.6", 0x94ac3, FALSE);
	guint32 main_fn = add_site(m, "main", "prog.c", 10, "/usr/bin/prog", 0x1100, FALSE);
	guint32 lib = add_site(m, NULL, NULL, 0, "/usr/lib/libfoo.so", 0x1f00, FALSE);
	guint32 addr = add_site(m, NULL, NULL, 0, NULL, 0, FALSE);
	guint32 a[] = {helper, 1, start}, b[] = {1, main_fn}, c[] = {addr, lib, main_fn};

	g_array_index(m->callsites, weft_callsite_t, addr).ip = 0xdead;
	out[0] = add_stack(m, 3, a);
	out[1] = add_stack(m, 2, b);
	out[2] = add_stack(m, 3, c);
}

/* One of everything, with known times (ns after BASE). */
static weft_model_t *build_basic(void)
{
	weft_model_t *m = weft_model_new();
	weft_callsite_t cs = {0x401234, 0, 0, 42, 0, 0x1234, 0};
	weft_process_t *p, *q;
	weft_thread_t *main_t, *worker, *other;
	weft_counter_t *heap, *queue;
	weft_lost_t lost = {BASE + 8500, BASE + 8600, 17, 1, 100};
	guint32 st[3];

	cs.function = weft_model_intern(m, "worker_main");
	cs.file = weft_model_intern(m, "prog.c");
	cs.binary = weft_model_intern(m, "/usr/bin/prog");
	g_array_append_val(m->callsites, cs);
	basic_stacks(m, st);
	m->start = BASE;
	m->end = BASE + 10000;
	m->n_events = 40;
	m->n_discarded = 17;
	m->n_skipped = 3;
	p = add_process(m, 100, "prog");
	main_t = add_thread(m, p, 100, "main");
	worker = add_thread(m, p, 101, "worker \"1\"");
	q = add_process(m, 200, "other");
	other = add_thread(m, q, 200, "other-main");

	add_region(m, main_t, 1000, 9000, 0, "outer", 0);
	add_region(m, main_t, 2000, 5000, 1, "inner", 0);
	add_region(m, main_t, 8000, 9500, 1, "overlapping", 0); /* clipped at 9000 */
	add_state(main_t, 0, 1500, WEFT_STATE_RUNNING, 0, 0, 0, 0);
	add_state(main_t, 1500, 2500, WEFT_STATE_MUTEX, 0xabc0, 0, 1, 0); /* split at 2000 */
	set_stack(main_t, st[1]);
	add_state(main_t, 2500, 4000, WEFT_STATE_RUNNING, 0, 0, 0, 0);
	add_state(main_t, 4000, 6000, WEFT_STATE_CONDVAR, 0xc0d0, 0, 0, 0); /* split at 5000 */
	set_stack(main_t, st[1]);
	add_state(main_t, 7000, 8500, WEFT_STATE_SYSCALL, 3, 0 /* read */, 0, 0); /* at 8000 */
	set_stack(main_t, st[2]);
	add_state(main_t, 9600, 9800, WEFT_STATE_SLEEP, 0, 21 /* nanosleep */, 0, 0);
	add_state(main_t, 9900, 10000, WEFT_STATE_JOIN, 0x7f00, 0, 0, WEFT_FLAG_UNFINISHED);
	add_instant(m, main_t, 3000, WEFT_INSTANT_LOG, "net", "hello \"world\"\n\x01!");
	add_instant(m, main_t, 3500, WEFT_INSTANT_MARK, "tick", NULL);

	add_state(worker, 1000, 2400, WEFT_STATE_RUNNING, 0, 0, 0, 0);
	add_state(worker, 2600, 2900, WEFT_STATE_SEMAPHORE, 0x5e0, 0, 0, 0);
	set_stack(worker, st[0]);
	add_state(worker, 3000, 3000, WEFT_STATE_BARRIER, 0xba0, 0, 0, 0);
	add_state(worker, 3100, 3300, WEFT_STATE_BLOCK_CUSTOM, 0,
	          (gint32) weft_model_intern(m, "waiting for disk"), 0, 0);
	add_region(m, worker, 4000, 4000, 0, "empty", 0);
	add_state(worker, 5000, 5600, WEFT_STATE_DATA_LOST, 0, 0, 0, 0);

	add_state(other, 100, 300, WEFT_STATE_MUTEX, 0x1, 0, 0, 0);
	add_region(m, other, 50, 400, 0, "other-region", 0);

	heap = add_counter(m, p, "heap", TRUE);
	add_sample(heap, 1000, 100);
	add_sample(heap, 5000, 300);
	add_sample(heap, 7000, 200);
	queue = add_counter(m, p, "queue", FALSE);
	add_sample(queue, 2000, 1);
	add_sample(queue, 3000, 2);

	add_task(m, 42, "job", 2000, 8000, main_t, worker);
	add_task(m, 43, "job", 3000, 4000, worker, worker); /* overlaps: second lane */
	add_task(m, 44, "job", 8500, 9000, worker, worker); /* first lane again */

	add_flow(m, WEFT_FLOW_LOCK_HANDOFF, worker, 2400, main_t, 2500, 0xabc0)->stack = st[0];
	add_flow(m, WEFT_FLOW_THREAD_CREATE, main_t, 500, worker, 1000, 0);
	worker->create_stack = st[1]; /* the flow has none: the thread's record is used */
	add_flow(m, WEFT_FLOW_USER, worker, 6000, main_t, 5900, 7); /* ends before it starts */
	g_array_append_val(m->lost, lost);
	return m;
}

/* n short states of growing duration on 4 threads, plus instants and flows. */
static weft_model_t *build_big(guint n)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = add_process(m, 300, "big");
	weft_thread_t *t[4];
	weft_time_t now[4] = {0, 0, 0, 0};

	m->start = BASE;
	for (guint i = 0; i < 4; i++) {
		char name[16];

		g_snprintf(name, sizeof(name), "t%u", i);
		t[i] = add_thread(m, p, 301 + i, name);
	}
	for (guint i = 0; i < n; i++) {
		guint k = i % 4;
		weft_time_t dur = 100 + (weft_time_t) i * 10;

		add_state(t[k], now[k], now[k] + dur, WEFT_STATE_MUTEX, 0x1000 + k, 0, 0, 0);
		if (i % 10 == 0) {
			add_instant(m, t[k], now[k] + dur + 5, WEFT_INSTANT_MARK, "m", NULL);
		}
		if (i % 20 == 0 && i >= 4) {
			add_flow(m, WEFT_FLOW_LOCK_HANDOFF, t[(k + 1) % 4], now[(k + 1) % 4], t[k],
			         now[k] + dur, 0x1000 + k);
		}
		now[k] += dur + 50;
	}
	m->end = BASE + MAX(MAX(now[0], now[1]), MAX(now[2], now[3]));
	return m;
}

/* The server's functions: name, file (under SRC), first line. */
#define SRC "/home/dev/src/server/"
static const struct {
	const char *fn, *file;
	guint32 line;
} server_fns[] = {
    {"handle_request", SRC "request.c", 120}, {"parse_header", SRC "http.c", 64},
    {"route", SRC "router.c", 210},           {"cache_lookup", SRC "cache.c", 88},
    {"cache_insert", SRC "cache.c", 141},     {"db_query", SRC "db.c", 301},
    {"db_pool_get", SRC "db_pool.c", 57},     {"log_write", SRC "log.c", 33},
    {"stats_update", SRC "stats.c", 75},      {"session_find", SRC "session.c", 190},
    {"json_encode", SRC "json.c", 412},       {"send_response", SRC "response.c", 66},
};

/*
 * Stack number k of a pool (salt): the libc thread frames, worker_loop,
 * then 2 to 5 of the server's functions chosen by k, then a leaf that
 * takes the lock or does the read, sometimes inlined into its caller.
 * 8 to 11 frames, as a real C server's waits have.
 */
static guint32 server_stack(weft_model_t *m, guint k, guint salt, const char *leaf)
{
	guint32 f[16];
	guint n = 0, mid = 2 + (k + salt) % 4;
	guint nf = G_N_ELEMENTS(server_fns);

	f[n++] = add_site(m, leaf, SRC "sync.h", 20 + salt, "/usr/sbin/server", 0x2000 + salt,
	                  k % 3 == 0);
	for (guint i = 0; i < mid; i++) {
		guint j = (k * 7 + i * 5 + salt) % nf;

		f[n++] =
		    add_site(m, server_fns[j].fn, server_fns[j].file, server_fns[j].line + k + i,
		             "/usr/sbin/server", 0x3000 + j * 0x40 + k, FALSE);
	}
	f[n++] = add_site(m, "worker_loop", SRC "worker.c", 88, "/usr/sbin/server", 0x1800, FALSE);
	f[n++] =
	    add_site(m, "start_thread", NULL, 0, "/lib/x86_64-linux-gnu/libc.so.6", 0x94ac3, FALSE);
	f[n++] = add_site(m, NULL, NULL, 0, "/lib/x86_64-linux-gnu/libc.so.6", 0x126850, FALSE);
	return add_stack(m, n, f);
}

/*
 * n requests on 8 workers: a region per request holding a contended mutex
 * wait (stacked, with the releaser's stack on the hand-off flow), a read()
 * (every third one long enough to be stacked), a heap sample and, every
 * eighth request, a log line.
 */
static weft_model_t *build_server(guint n)
{
	weft_model_t *m = weft_model_new();
	weft_process_t *p = add_process(m, 500, "server");
	weft_thread_t *main_t = add_thread(m, p, 500, "main"), *t[8];
	weft_counter_t *heap = add_counter(m, p, "heap", TRUE);
	guint32 lock_stacks[12], release_stacks[12], read_stacks[8], spawn[5];
	weft_time_t now[8], end = 0;

	m->start = BASE;
	spawn[0] =
	    add_site(m, "spawn_workers", SRC "main.c", 40, "/usr/sbin/server", 0x1400, FALSE);
	spawn[1] = add_site(m, "main", SRC "main.c", 97, "/usr/sbin/server", 0x1300, FALSE);
	spawn[2] = add_site(m, "__libc_start_call_main", NULL, 0, "/lib/x86_64-linux-gnu/libc.so.6",
	                    0x271ca, FALSE);
	spawn[3] = add_site(m, "__libc_start_main_impl", NULL, 0, "/lib/x86_64-linux-gnu/libc.so.6",
	                    0x27285, FALSE);
	spawn[4] = add_site(m, "_start", NULL, 0, "/usr/sbin/server", 0x1091, FALSE);
	for (guint k = 0; k < 12; k++) {
		lock_stacks[k] = server_stack(m, k, 0, "lock_shared");
		release_stacks[k] = server_stack(m, k, 1, "unlock_shared");
	}
	for (guint k = 0; k < 8; k++) {
		char name[16];

		read_stacks[k] = server_stack(m, k, 2, "read_body");
		g_snprintf(name, sizeof(name), "worker-%u", k);
		t[k] = add_thread(m, p, 501 + k, name);
		now[k] = 1000 + k * 100;
		t[k]->create_stack = add_stack(m, 5, spawn);
		add_flow(m, WEFT_FLOW_THREAD_CREATE, main_t, k * 100, t[k], now[k], 0);
	}
	for (guint i = 0; i < n; i++) {
		guint k = i % 8, o = (k + 1) % 8;
		weft_time_t s = now[k], wait = 2000 + (i * 37) % 9000,
		            io = 30000 + (i * 53) % 70000;

		add_region(m, t[k], s, s + 500 + wait + io + 2000, 0, "request", 0);
		add_state(t[k], s + 500, s + 500 + wait, WEFT_STATE_MUTEX, 0x7000 + i % 4, 0, 0, 0);
		set_stack(t[k], lock_stacks[i % 12]);
		add_flow(m, WEFT_FLOW_LOCK_HANDOFF, t[o], s + 400 + wait, t[k], s + 500 + wait,
		         0x7000 + i % 4)
		    ->stack = release_stacks[(i + 5) % 12];
		add_state(t[k], s + 1000 + wait, s + 1000 + wait + io, WEFT_STATE_SYSCALL, 9, 0, 0,
		          0);
		if (i % 3 == 0) {
			set_stack(t[k], read_stacks[i % 8]);
		}
		add_sample(heap, s + 600, (gint64) (i % 100) * 4096);
		if (i % 8 == 0) {
			add_instant(m, t[k], s + 1500 + wait + io, WEFT_INSTANT_LOG, "http",
			            "request done");
		}
		now[k] = s + 500 + wait + io + 3000;
		end = MAX(end, now[k]);
	}
	m->end = BASE + end;
	return m;
}

/* The same model without any stack reference (the stacks stay interned). */
static void strip_stacks(weft_model_t *m)
{
	for (guint i = 0; i < m->threads->len; i++) {
		weft_thread_t *t = g_ptr_array_index(m->threads, i);

		g_array_set_size(t->states.stack, 0);
		t->create_stack = 0;
	}
	for (guint i = 0; i < m->flows->len; i++) {
		g_array_index(m->flows, weft_flow_t, i).stack = 0;
	}
}

int main(int argc, char **argv)
{
	weft_chrome_options_t opt;
	weft_chrome_stats_t st;
	GArray *pids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	GArray *tids = g_array_new(FALSE, FALSE, sizeof(int64_t));
	GPtrArray *excl = g_ptr_array_new();
	weft_model_t *m;
	GError *error = NULL;
	gboolean strip = FALSE;
	char *dropped;
	int rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: chrome-model-gen basic|big:N OUT [options]\n");
		return 2;
	}
	weft_chrome_options_init(&opt);
	for (int i = 3; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "0";
		int64_t n = g_ascii_strtoll(v, NULL, 10);

		if (!strcmp(a, "--no-symbols")) {
			opt.no_symbols = TRUE;
			continue;
		}
		if (!strcmp(a, "--force")) {
			opt.force = TRUE;
			continue;
		}
		if (!strcmp(a, "--strip-stacks")) {
			strip = TRUE;
			continue;
		}
		i++;
		if (!strcmp(a, "--pid")) {
			g_array_append_val(pids, n);
		} else if (!strcmp(a, "--tid")) {
			g_array_append_val(tids, n);
		} else if (!strcmp(a, "--from")) {
			opt.has_from = TRUE;
			opt.from = n;
		} else if (!strcmp(a, "--to")) {
			opt.has_to = TRUE;
			opt.to = n;
		} else if (!strcmp(a, "--exclude")) {
			g_ptr_array_add(excl, (gpointer) v);
		} else if (!strcmp(a, "--max-size")) {
			opt.max_size = (guint64) n;
		} else {
			fprintf(stderr, "chrome-model-gen: unknown option %s\n", a);
			return 2;
		}
	}
	g_ptr_array_add(excl, NULL);
	opt.pids = (const int64_t *) (void *) pids->data;
	opt.n_pids = pids->len;
	opt.tids = (const int64_t *) (void *) tids->data;
	opt.n_tids = tids->len;
	opt.exclude = (const char *const *) excl->pdata;
	if (!strcmp(argv[1], "basic")) {
		m = build_basic();
	} else if (g_str_has_prefix(argv[1], "big:")) {
		m = build_big((guint) atoi(argv[1] + 4));
	} else if (g_str_has_prefix(argv[1], "server:")) {
		m = build_server((guint) atoi(argv[1] + 7));
	} else {
		fprintf(stderr, "chrome-model-gen: unknown model %s\n", argv[1]);
		return 2;
	}
	if (strip) {
		strip_stacks(m);
	}
	if (!weft_chrome_write_file(m, argv[2], &opt, &st, &error)) {
		fprintf(stderr, "chrome-model-gen: %s\n", error->message);
		g_error_free(error);
		rc = 1;
	} else {
		printf("{\"events\":%" G_GUINT64_FORMAT ",\"bytes\":%" G_GUINT64_FORMAT
		       ",\"filtered\":%" G_GUINT64_FORMAT ",\"bad_flows\":%" G_GUINT64_FORMAT
		       ",\"dropped_below\":%" G_GINT64_FORMAT
		       ",\"dropped_slices\":%" G_GUINT64_FORMAT
		       ",\"dropped_instants\":%" G_GUINT64_FORMAT
		       ",\"dropped_flows\":%" G_GUINT64_FORMAT ",\"over_size\":%s}\n",
		       st.n_json_events, st.n_bytes, st.n_filtered, st.n_bad_flows,
		       st.dropped_below, st.dropped_slices, st.dropped_instants, st.dropped_flows,
		       st.over_size ? "true" : "false");
		dropped = weft_chrome_stats_describe_dropped(&st);
		printf("%s\n", dropped); /* the --max-size summary, plain text */
		g_free(dropped);
	}
	weft_model_free(m);
	g_array_free(pids, TRUE);
	g_array_free(tids, TRUE);
	g_ptr_array_free(excl, TRUE);
	return rc;
}
