/*
 * Profiles on models built in code: every kind's values, stacks, window
 * clipping, region windows, thread filters, the mutex releaser, heap
 * scaling and in-use instants, folded output, and the profile.proto
 * message decoded back with protobuf-c.
 *
 * `test-profile --write DIR` writes the CPU-sample fixture's cpu and wall
 * profiles to DIR for pprof.sh, which reads them with go tool pprof.
 */
#include <string.h>
#include <zlib.h>

#include "model-fixture.h"
#include "profile.pb-c.h"
#include "weft-analysis.h"
#include "weft-pprof.h"
#include "weft-profile.h"

#define MS 1000000

static weft_profile_t *profile(const weft_model_t *m, weft_profile_kind_t kind,
                               const weft_profile_request_t *request)
{
	weft_profile_options_t o;
	g_autoptr(GError) error = NULL;
	weft_profile_t *p;

	g_assert_true(weft_profile_options_init(&o, m, request, &error));
	g_assert_no_error(error);
	p = weft_profile_new(m, kind, &o);
	weft_profile_options_clear(&o);
	return p;
}

/* "worker;update_counter" for a sample: its frames' function names, root first. */
static char *frames_of(const weft_profile_t *p, const weft_profile_sample_t *s)
{
	GString *out = g_string_new(NULL);

	for (guint f = 0; f < s->depth; f++) {
		guint32 site = g_array_index(p->frames, guint32, s->first + f);
		const weft_callsite_t *cs = weft_model_borrow_callsite(p->model, site);

		g_string_append_printf(out, "%s%s", f ? ";" : "",
		                       weft_model_borrow_string(p->model, cs->function));
	}
	return g_string_free(out, FALSE);
}

/* Sum of value v over the samples whose frames are want. */
static gint64 value_at(const weft_profile_t *p, const char *want, guint v)
{
	gint64 sum = 0;

	for (guint i = 0; i < p->samples->len; i++) {
		const weft_profile_sample_t *s =
		    &g_array_index(p->samples, weft_profile_sample_t, i);
		g_autofree char *frames = frames_of(p, s);

		if (!strcmp(frames, want)) {
			sum += s->values[v];
		}
	}
	return sum;
}

static void test_waits(void)
{
	app_t app = app_new();
	g_autoptr(weft_profile_t) block = profile(app.model, WEFT_PROFILE_BLOCK, NULL);
	g_autoptr(weft_profile_t) sys = profile(app.model, WEFT_PROFILE_SYSCALL, NULL);
	g_autoptr(weft_profile_t) sleep = profile(app.model, WEFT_PROFILE_SLEEP, NULL);

	g_assert_cmpstr(block->sample_types[0].type, ==, "contentions");
	g_assert_cmpstr(block->sample_types[1].unit, ==, "nanoseconds");
	g_assert_cmpint(weft_profile_total(block, 0), ==, 7);
	g_assert_cmpint(weft_profile_total(block, 1), ==, 800 + 250 + 60 + 69);
	/* the waiter's call site under its start routine; main has none */
	g_assert_cmpint(value_at(block, "worker;update_counter", 1), ==, 250);
	g_assert_cmpint(value_at(block, "worker;update_counter", 0), ==, 2);
	g_assert_cmpint(value_at(block, "wait_all", 1), ==, 800);
	g_assert_cmpint(weft_profile_total(sys, 1), ==, 100);
	g_assert_cmpint(value_at(sys, "worker;read_input", 0), ==, 1);
	g_assert_cmpint(weft_profile_total(sleep, 1), ==, 100);
	g_assert_cmpint(block->duration, ==, 1000);
	weft_model_free(app.model);
}

static void test_window(void)
{
	app_t app = app_new();
	weft_profile_request_t window = {.from = "250ns", .to = "450ns"};
	weft_profile_request_t region = {.region = "parse"};
	weft_profile_request_t both = {.region = "request", .from = "0", .to = "300ns"};
	g_autoptr(weft_profile_t) w = profile(app.model, WEFT_PROFILE_BLOCK, &window);
	g_autoptr(weft_profile_t) r = profile(app.model, WEFT_PROFILE_BLOCK, &region);
	g_autoptr(weft_profile_t) rb = profile(app.model, WEFT_PROFILE_BLOCK, &both);

	/* join 200 + mutex 50 + 50 + 10 + condvar 10 + 9; the condvar at 900 is outside */
	g_assert_cmpint(weft_profile_total(w, 1), ==, 329);
	g_assert_cmpint(weft_profile_total(w, 0), ==, 6);
	g_assert_cmpint(w->duration, ==, 200);
	g_assert_cmpint(w->time_start, ==, 250);
	/* parse [120, 180): main's join and w1's first mutex wait, 60 each */
	g_assert_cmpint(weft_profile_total(r, 1), ==, 120);
	g_assert_cmpint(value_at(r, "worker;update_counter", 1), ==, 60);
	/* request instances [100,400] [200,250] [500,900] cut at 300: [100, 300) */
	g_assert_cmpint(rb->duration, ==, 200);
	g_assert_cmpint(value_at(rb, "worker;flush_batch", 1), ==, 60);
	weft_model_free(app.model);
}

static void test_bad_requests(void)
{
	app_t app = app_new();
	const char *nope[] = {"nope", NULL};
	weft_profile_request_t bad[] = {
	    {.from = "1 s"},    {.from = "500ns", .to = "100ns"},
	    {.region = "none"}, {.threads = nope},
	    {.at = "x"},
	};
	const char *words[] = {"from=\"1 s\"", "before --from", "region=\"none\"",
	                       "thread=\"nope\"", "at=\"x\""};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		weft_profile_options_t o;
		g_autoptr(GError) error = NULL;

		g_assert_false(weft_profile_options_init(&o, app.model, &bad[i], &error));
		g_assert_error(error, WEFT_PROFILE_ERROR, WEFT_PROFILE_ERROR_INVALID);
		g_assert_true(g_str_has_prefix(error->message, "Failed to select "));
		g_assert_nonnull(strstr(error->message, words[i]));
	}
	weft_model_free(app.model);
}

static void test_threads(void)
{
	app_t app = app_new();
	const char *by_tid[] = {"102", NULL};
	const char *by_name[] = {"log*,100", NULL};
	weft_profile_request_t r1 = {.threads = by_tid}, r2 = {.threads = by_name};
	g_autoptr(weft_profile_t) p1 = NULL, p2 = NULL;

	app.logger->name = weft_model_intern(app.model, "logger-1");
	p1 = profile(app.model, WEFT_PROFILE_BLOCK, &r1);
	p2 = profile(app.model, WEFT_PROFILE_HEAP, &r2);
	g_assert_cmpint(weft_profile_total(p1, 1), ==, 60 + 10 + 9 + 50);
	/* tid 100 made the 50-byte block; the logger allocated nothing */
	g_assert_cmpint(weft_profile_total(p2, 1), ==, 50);
	weft_model_free(app.model);
}

static guint32 stack_of(weft_model_t *m, guint n, const guint32 *leaf_first)
{
	return weft_model_add_stack(m, leaf_first, n, FALSE);
}

/*
 * The app's waits on L1: w1 [100,300] is released by w2 (hold ends 300),
 * w1 [400,450] and w2 [200,260] by the logger; a hand-off flow with a
 * release stack wins over the holds.
 */
static void test_mutex(void)
{
	app_t app = app_new();
	weft_model_t *m = app.model;
	g_autoptr(weft_profile_t) holds = profile(m, WEFT_PROFILE_MUTEX, NULL);
	guint32 frames[] = {fixture_site(m, "unlock_all", "app.c", 80),
	                    fixture_site(m, "log_flush", "app.c", 81)};
	weft_flow_t f = {WEFT_FLOW_LOCK_HANDOFF, app.logger->index, app.w2->index, 260, 260, 0x5000,
	                 stack_of(m, 2, frames)};
	g_autoptr(weft_profile_t) flows = NULL;

	g_assert_cmpint(value_at(holds, "worker;flush_batch", 1), ==, 200);
	g_assert_cmpint(value_at(holds, "logger;log_write", 1), ==, 110);
	g_assert_cmpint(value_at(holds, "logger;log_write", 0), ==, 2);
	g_assert_cmpint(holds->n_unattributed, ==, 0);
	g_array_append_val(m->flows, f);
	g_array_index(m->holds, weft_lock_hold_t, 3).release_stack = f.stack;
	flows = profile(m, WEFT_PROFILE_MUTEX, NULL);
	/* both logger releases now name the release stack: the flow's, the hold's */
	g_assert_cmpint(value_at(flows, "logger;log_flush;unlock_all", 1), ==, 110);
	g_assert_cmpint(value_at(flows, "logger;log_write", 1), ==, 0);
	weft_model_free(m);
}

static void test_threadcreate(void)
{
	app_t app = app_new();
	weft_model_t *m = app.model;
	guint32 frames[] = {fixture_site(m, "spawn", "app.c", 5),
	                    fixture_site(m, "main_loop", "app.c", 6)};
	weft_flow_t f = {WEFT_FLOW_THREAD_CREATE, app.main->index, app.w2->index, 5, 10, 1, 0};
	weft_profile_request_t late = {.from = "6ns"};
	g_autoptr(weft_profile_t) p = NULL, lp = NULL;

	app.w1->parent_tid = 100;
	app.w1->create_stack = stack_of(m, 2, frames);
	g_array_append_val(m->flows, f);
	p = profile(m, WEFT_PROFILE_THREADCREATE, NULL);
	lp = profile(m, WEFT_PROFILE_THREADCREATE, &late);
	/* w1 at its create stack, w2 (flow, no stack) and the logger (creator unknown) */
	g_assert_cmpint(weft_profile_total(p, 0), ==, 3);
	g_assert_cmpint(value_at(p, "main_loop;spawn", 0), ==, 1);
	g_assert_cmpint(value_at(p, "", 0), ==, 2);
	/* the flow dates w2's creation at 5; w1 was created when it started (10) */
	g_assert_cmpint(weft_profile_total(lp, 0), ==, 1);
	weft_model_free(m);
}

static void test_heap(void)
{
	app_t app = app_new();
	weft_model_t *m = app.model;
	weft_process_t *proc = g_ptr_array_index(m->processes, 0);
	weft_profile_request_t at = {.at = "350ns"};
	g_autoptr(weft_profile_t) end = profile(m, WEFT_PROFILE_HEAP, NULL);
	g_autoptr(weft_profile_t) mid = profile(m, WEFT_PROFILE_HEAP, &at);
	g_autoptr(weft_profile_t) leak = profile(m, WEFT_PROFILE_LEAK, NULL);
	g_autoptr(weft_profile_t) sampled = NULL;

	g_assert_cmpstr(end->sample_types[3].type, ==, "inuse_space");
	g_assert_cmpint(weft_profile_total(end, 0), ==, 4);
	g_assert_cmpint(weft_profile_total(end, 1), ==, 2150);
	g_assert_cmpint(weft_profile_total(end, 2), ==, 2);
	g_assert_cmpint(weft_profile_total(end, 3), ==, 2000);
	g_assert_cmpint(value_at(end, "worker;leaky_alloc", 3), ==, 2000);
	g_assert_cmpint(weft_profile_total(mid, 2), ==, 3);
	g_assert_cmpint(weft_profile_total(mid, 3), ==, 2050);
	g_assert_cmpint(weft_profile_total(leak, 1), ==, 2000);
	/* a sampled 1000-byte record standing for 4000 bytes stands for 4 blocks */
	fixture_alloc(proc, 500, G_MAXINT64, 1000, 4000, 102, 0);
	sampled = profile(m, WEFT_PROFILE_LEAK, NULL);
	g_assert_cmpint(weft_profile_total(sampled, 0), ==, 6);
	g_assert_cmpint(weft_profile_total(sampled, 1), ==, 6000);
	weft_model_free(m);
}

/*
 * CPU samples: worker tid 201 "hasher" runs main_loop -> compute_hash with
 * mix_bits inlined into it (3 samples) and main_loop alone (1 sample),
 * period 1 ms; it sleeps 5 ms in main_loop -> throttle.
 */
typedef struct {
	weft_model_t *model;
	guint32 hash_stack, loop_stack;
	guint32 mix, hash, loop, throttle;
} cpu_fixture_t;

static guint32 site_in(weft_model_t *m, const char *fn, guint line, guint64 ip, gboolean inlined,
                       const char *binary)
{
	guint32 s = fixture_site(m, fn, "hash.c", line);
	weft_callsite_t *cs = &g_array_index(m->callsites, weft_callsite_t, s);

	cs->ip = ip;
	cs->inlined = inlined;
	cs->binary = weft_model_intern(m, binary);
	cs->offset = ip - 0x400000;
	return s;
}

static cpu_fixture_t cpu_fixture(void)
{
	cpu_fixture_t c;
	weft_model_t *m = weft_model_new();
	weft_process_t *p = fixture_process(m, 200, "hashd", 0, 20 * MS);
	weft_thread_t *t = fixture_thread(m, p, 201, "hash_worker", 0, 20 * MS);
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	guint32 sleep_stack;

	c.model = m;
	t->name = weft_model_intern(m, "hasher");
	c.mix = site_in(m, "mix_bits", 12, 0x401234, TRUE, self);
	c.hash = site_in(m, "compute_hash", 30, 0x401234, FALSE, self);
	c.loop = site_in(m, "main_loop", 50, 0x401400, FALSE, self);
	c.throttle = site_in(m, "throttle", 60, 0x401500, FALSE, self);
	c.hash_stack = stack_of(m, 3, (guint32[]){c.mix, c.hash, c.loop});
	c.loop_stack = stack_of(m, 1, (guint32[]){c.loop});
	sleep_stack = stack_of(m, 2, (guint32[]){c.throttle, c.loop});
	m->sample_period = MS;
	for (guint i = 0; i < 4; i++) {
		weft_time_t ts = (1 + i) * MS;
		guint32 s = i < 3 ? c.hash_stack : c.loop_stack;

		g_array_append_val(t->samples.ts, ts);
		g_array_append_val(t->samples.stack, s);
	}
	fixture_state(t, WEFT_STATE_SLEEP, 10 * MS, 15 * MS, 0, 0, c.throttle);
	weft_state_track_set_stack(&t->states, 0, sleep_stack);
	return c;
}

static void test_cpu_wall(void)
{
	cpu_fixture_t c = cpu_fixture();
	g_autoptr(weft_profile_t) cpu = profile(c.model, WEFT_PROFILE_CPU, NULL);
	g_autoptr(weft_profile_t) wall = profile(c.model, WEFT_PROFILE_WALL, NULL);
	weft_profile_request_t early = {.to = "2500us"};
	g_autoptr(weft_profile_t) part = profile(c.model, WEFT_PROFILE_CPU, &early);
	g_autoptr(GString) folded = g_string_new(NULL);

	g_assert_cmpint(cpu->period, ==, MS);
	g_assert_cmpstr(cpu->period_type.type, ==, "cpu");
	g_assert_cmpint(weft_profile_total(cpu, 0), ==, 4);
	g_assert_cmpint(value_at(cpu, "hash_worker;main_loop;compute_hash;mix_bits", 1), ==,
	                3 * MS);
	g_assert_cmpint(weft_profile_total(wall, 0), ==, 4 * MS + 5 * MS);
	g_assert_cmpint(value_at(wall, "hash_worker;main_loop;throttle", 0), ==, 5 * MS);
	g_assert_cmpint(weft_profile_total(part, 0), ==, 2);
	weft_folded_write(c.model, WEFT_FOLDED_WALL, NULL, folded);
	g_assert_cmpstr(folded->str, ==,
	                "hashd;hash_worker;main_loop 1000000\n"
	                "hashd;hash_worker;main_loop;compute_hash;mix_bits 3000000\n"
	                "hashd;hash_worker;main_loop;throttle 5000000\n");
	g_assert_cmpint(weft_folded_default_kind(c.model), ==, WEFT_FOLDED_WALL);
	weft_model_free(c.model);
}

/* The row of function fn in the cpu section, or -1. */
static int cpu_row(const weft_table_t *t, const char *fn)
{
	for (guint r = 0; r < t->n_rows; r++) {
		if (!g_strcmp0(weft_table_borrow_cell(t, r, 5)->v.s, fn)) {
			return (int) r;
		}
	}
	return -1;
}

/* stats' cpu section: flat at the leaf, cum once per stack, sorted by flat. */
static void test_cpu_section(void)
{
	cpu_fixture_t c = cpu_fixture();
	g_autoptr(weft_table_t) t = weft_analysis_section_new(c.model, "cpu", NULL);
	int mix = cpu_row(t, "mix_bits"), loop = cpu_row(t, "main_loop");
	int hash = cpu_row(t, "compute_hash");

	g_assert_cmpint(mix, ==, 0);
	g_assert_cmpint(loop, ==, 1);
	g_assert_cmpint(weft_table_borrow_cell(t, 0, 0)->v.i, ==, 3 * MS);
	g_assert_cmpfloat_with_epsilon(weft_table_borrow_cell(t, 0, 1)->v.d, 0.75, 1e-9);
	g_assert_cmpint(weft_table_borrow_cell(t, 1, 0)->v.i, ==, MS);
	g_assert_cmpfloat_with_epsilon(weft_table_borrow_cell(t, 1, 2)->v.d, 1.0, 1e-9);
	g_assert_cmpint(weft_table_borrow_cell(t, 1, 3)->v.i, ==, 4 * MS);
	g_assert_cmpint(hash, >, 1);
	g_assert_cmpint(weft_table_borrow_cell(t, hash, 0)->v.i, ==, 0);
	g_assert_cmpint(weft_table_borrow_cell(t, hash, 3)->v.i, ==, 3 * MS);
	g_assert_cmpfloat_with_epsilon(weft_table_borrow_cell(t, hash, 4)->v.d, 0.75, 1e-9);
	g_assert_true(t->estimated);
	weft_model_free(c.model);
}

static void test_folded(void)
{
	app_t app = app_new();
	weft_profile_options_t o;
	const char *w2[] = {"102", NULL};
	weft_profile_request_t r = {.threads = w2, .from = "0", .to = "255ns"};
	g_autoptr(GString) mutex = g_string_new(NULL), blocked = g_string_new(NULL);
	g_autoptr(GString) regions = g_string_new(NULL);

	g_assert_true(weft_profile_options_init(&o, app.model, &r, NULL));
	weft_folded_write(app.model, WEFT_FOLDED_MUTEX, NULL, mutex);
	weft_folded_write(app.model, WEFT_FOLDED_BLOCKED, &o, blocked);
	weft_folded_write(app.model, WEFT_FOLDED_REGIONS, &o, regions);
	g_assert_cmpstr(mutex->str, ==, "app;logger;log_write 110\napp;worker;flush_batch 200\n");
	g_assert_cmpstr(blocked->str, ==, "app;worker;flush_batch;mutex 55\n");
	g_assert_cmpstr(regions->str, ==, "app;worker;request 50\n");
	g_assert_cmpint(weft_folded_default_kind(app.model), ==, WEFT_FOLDED_BLOCKED);
	weft_profile_options_clear(&o);
	weft_model_free(app.model);
}

/* ---- profile.proto ---- */

static Perftools__Profiles__Profile *decode(GBytes *gz)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(gz, &len);
	g_autoptr(GByteArray) raw = g_byte_array_new();
	z_stream z = {0};
	guint8 buf[4096];
	int rc;

	g_assert_true(len > 2 && data[0] == 0x1f && data[1] == 0x8b);
	g_assert_cmpint(inflateInit2(&z, 15 + 16), ==, Z_OK);
	z.next_in = (Bytef *) data;
	z.avail_in = (uInt) len;
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = inflate(&z, Z_NO_FLUSH);
		g_assert_true(rc == Z_OK || rc == Z_STREAM_END);
		g_byte_array_append(raw, buf, sizeof(buf) - z.avail_out);
	} while (rc != Z_STREAM_END);
	inflateEnd(&z);
	return perftools__profiles__profile__unpack(NULL, raw->len, raw->data);
}

static const char *s_of(const Perftools__Profiles__Profile *pb, int64_t i)
{
	g_assert_cmpint(i, >=, 0);
	g_assert_cmpint(i, <, (int64_t) pb->n_string_table);
	return pb->string_table[i];
}

static const Perftools__Profiles__Location *loc_of(const Perftools__Profiles__Profile *pb,
                                                   uint64_t id)
{
	g_assert_cmpuint(id, >=, 1);
	g_assert_cmpuint(id, <=, pb->n_location);
	g_assert_cmpuint(pb->location[id - 1]->id, ==, id);
	return pb->location[id - 1];
}

static const char *fn_of(const Perftools__Profiles__Profile *pb,
                         const Perftools__Profiles__Line *line)
{
	g_assert_cmpuint(line->function_id, >=, 1);
	g_assert_cmpuint(line->function_id, <=, pb->n_function);
	return s_of(pb, pb->function[line->function_id - 1]->name);
}

static void check_labels(const Perftools__Profiles__Profile *pb,
                         const Perftools__Profiles__Sample *s)
{
	guint seen = 0;

	for (size_t i = 0; i < s->n_label; i++) {
		const char *key = s_of(pb, s->label[i]->key);

		if (!strcmp(key, "thread")) {
			g_assert_cmpstr(s_of(pb, s->label[i]->str), ==, "hasher");
			seen |= 1;
		} else if (!strcmp(key, "tid")) {
			g_assert_cmpint(s->label[i]->num, ==, 201);
			seen |= 2;
		} else if (!strcmp(key, "pid")) {
			g_assert_cmpint(s->label[i]->num, ==, 200);
			seen |= 4;
		}
	}
	g_assert_cmpuint(seen, ==, 7);
}

static void test_pprof_cpu(void)
{
	cpu_fixture_t c = cpu_fixture();
	g_autoptr(weft_profile_t) cpu = profile(c.model, WEFT_PROFILE_CPU, NULL);
	g_autoptr(GBytes) gz = weft_pprof_encode(cpu, 1);
	Perftools__Profiles__Profile *pb = decode(gz);
	const Perftools__Profiles__Sample *hot = NULL;
	const Perftools__Profiles__Location *leaf, *caller;
	const Perftools__Profiles__Mapping *map;

	g_assert_nonnull(pb);
	g_assert_cmpstr(pb->string_table[0], ==, "");
	g_assert_cmpuint(pb->n_sample_type, ==, 2);
	g_assert_cmpstr(s_of(pb, pb->sample_type[0]->type), ==, "samples");
	g_assert_cmpstr(s_of(pb, pb->sample_type[1]->unit), ==, "nanoseconds");
	g_assert_cmpstr(s_of(pb, pb->period_type->type), ==, "cpu");
	g_assert_cmpint(pb->period, ==, MS);
	g_assert_cmpint(pb->default_sample_type, ==, 0); /* the last type, as Go leaves it */
	g_assert_cmpint(pb->duration_nanos, ==, 20 * MS);
	g_assert_cmpuint(pb->n_sample, ==, 2);
	for (size_t i = 0; i < pb->n_sample; i++) {
		check_labels(pb, pb->sample[i]);
		if (pb->sample[i]->value[0] == 3) {
			hot = pb->sample[i];
		}
	}
	g_assert_nonnull(hot);
	g_assert_cmpint(hot->value[1], ==, 3 * MS);
	/* mix_bits inlined into compute_hash: one location, two lines, innermost first */
	g_assert_cmpuint(hot->n_location_id, ==, 3);
	leaf = loc_of(pb, hot->location_id[0]);
	g_assert_cmpuint(leaf->address, ==, 0x401234);
	g_assert_cmpuint(leaf->n_line, ==, 2);
	g_assert_cmpstr(fn_of(pb, leaf->line[0]), ==, "mix_bits");
	g_assert_cmpint(leaf->line[0]->line, ==, 12);
	g_assert_cmpstr(fn_of(pb, leaf->line[1]), ==, "compute_hash");
	/* a caller's address is in its call instruction */
	caller = loc_of(pb, hot->location_id[1]);
	g_assert_cmpuint(caller->address, ==, 0x401400 - 1);
	g_assert_cmpstr(fn_of(pb, caller->line[0]), ==, "main_loop");
	/* the root: the start routine at its own address */
	g_assert_cmpstr(fn_of(pb, loc_of(pb, hot->location_id[2])->line[0]), ==, "hash_worker");
	g_assert_cmpuint(pb->n_mapping, ==, 1);
	map = pb->mapping[0];
	g_assert_cmpuint(leaf->mapping_id, ==, map->id);
	g_assert_cmpuint(map->memory_start, ==, 0x400000);
	g_assert_cmpuint(map->memory_limit, ==, 0x401401); /* main_loop as a leaf */
	g_assert_true(map->has_functions && map->has_inline_frames);
	g_assert_true(g_str_has_suffix(s_of(pb, map->filename), "test-profile"));
	/* meson links with --build-id: the id read back from this binary */
	g_assert_cmpuint(strlen(s_of(pb, map->build_id)), ==, 40);
	perftools__profiles__profile__free_unpacked(pb, NULL);
	weft_model_free(c.model);
}

static void test_pprof_heap(void)
{
	app_t app = app_new();
	g_autoptr(weft_profile_t) heap = profile(app.model, WEFT_PROFILE_HEAP, NULL);
	g_autoptr(GBytes) space = weft_pprof_encode(heap, 1);
	g_autoptr(GBytes) inuse = weft_pprof_encode(heap, 3);
	Perftools__Profiles__Profile *a = decode(space), *b = decode(inuse);

	g_assert_cmpuint(a->n_sample_type, ==, 4);
	g_assert_cmpstr(s_of(a, a->default_sample_type), ==, "alloc_space");
	g_assert_cmpstr(s_of(a, a->period_type->type), ==, "space");
	g_assert_cmpint(b->default_sample_type, ==, 0);
	perftools__profiles__profile__free_unpacked(a, NULL);
	perftools__profiles__profile__free_unpacked(b, NULL);
	weft_model_free(app.model);
}

static void test_empty(void)
{
	g_autoptr(weft_model_t) m = weft_model_new();

	for (guint k = 0; k < WEFT_PROFILE_KIND_COUNT; k++) {
		g_autoptr(weft_profile_t) p = profile(m, k, NULL);
		g_autoptr(GBytes) gz = weft_pprof_encode(p, 0);
		Perftools__Profiles__Profile *pb = decode(gz);

		g_assert_cmpuint(p->samples->len, ==, 0);
		g_assert_nonnull(weft_profile_empty_reason(p));
		g_assert_nonnull(pb);
		g_assert_cmpuint(pb->n_sample, ==, 0);
		g_assert_cmpuint(pb->n_sample_type, ==, p->n_values);
		perftools__profiles__profile__free_unpacked(pb, NULL);
	}
}

static void test_names(void)
{
	guint n;
	const weft_profile_name_t *names = weft_profile_names(&n);

	g_assert_cmpuint(n, ==, 11);
	for (guint i = 0; i < n; i++) {
		g_assert_true(weft_profile_lookup(names[i].name) == &names[i]);
		g_assert_nonnull(strstr(weft_profile_name_list(), names[i].name));
	}
	g_assert_cmpuint(weft_profile_lookup("inuse_objects")->value, ==, 2);
	g_assert_null(weft_profile_lookup("heap"));
}

static int write_fixtures(const char *dir)
{
	cpu_fixture_t c = cpu_fixture();
	weft_profile_kind_t kinds[] = {WEFT_PROFILE_CPU, WEFT_PROFILE_WALL};
	const char *files[] = {"cpu.pb.gz", "wall.pb.gz"};
	int rc = 0;

	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autoptr(weft_profile_t) p = weft_profile_new(c.model, kinds[i], NULL);
		g_autofree char *path = g_build_filename(dir, files[i], NULL);
		g_autoptr(GError) error = NULL;

		if (!weft_pprof_write_file(p, kinds[i] == WEFT_PROFILE_CPU ? 1 : 0, path, &error)) {
			g_printerr("%s\n", error->message);
			rc = 1;
		}
	}
	weft_model_free(c.model);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--write")) {
		return write_fixtures(argv[2]);
	}
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/profile/waits", test_waits);
	g_test_add_func("/profile/cpu-section", test_cpu_section);
	g_test_add_func("/profile/window", test_window);
	g_test_add_func("/profile/bad-requests", test_bad_requests);
	g_test_add_func("/profile/threads", test_threads);
	g_test_add_func("/profile/mutex", test_mutex);
	g_test_add_func("/profile/threadcreate", test_threadcreate);
	g_test_add_func("/profile/heap", test_heap);
	g_test_add_func("/profile/cpu-wall", test_cpu_wall);
	g_test_add_func("/profile/folded", test_folded);
	g_test_add_func("/profile/pprof-cpu", test_pprof_cpu);
	g_test_add_func("/profile/pprof-heap", test_pprof_heap);
	g_test_add_func("/profile/empty", test_empty);
	g_test_add_func("/profile/names", test_names);
	return g_test_run();
}
