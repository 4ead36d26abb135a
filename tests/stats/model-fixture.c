/* Models built in code for the analysis tests. */
#include "model-fixture.h"

#include "weft-schema.h"

weft_process_t *fixture_process(weft_model_t *model, int64_t pid, const char *name,
                                weft_time_t start, weft_time_t end)
{
	weft_process_t *p = weft_model_add_process(model, pid, start);

	p->name = weft_model_intern(model, name);
	p->end = end;
	model->start = model->processes->len == 1 ? start : MIN(model->start, start);
	model->end = MAX(model->end, end);
	return p;
}

guint32 fixture_site(weft_model_t *model, const char *function, const char *file, guint line)
{
	weft_callsite_t cs = {0};

	cs.ip = 0x401000 + model->callsites->len * 0x10;
	cs.function = weft_model_intern(model, function);
	cs.file = weft_model_intern(model, file);
	cs.line = line;
	g_array_append_val(model->callsites, cs);
	return model->callsites->len - 1;
}

weft_thread_t *fixture_thread(weft_model_t *model, weft_process_t *p, int64_t tid,
                              const char *routine, weft_time_t start, weft_time_t end)
{
	weft_thread_t *t = weft_model_add_thread(model, p, tid, start);

	t->end = end;
	if (routine) {
		t->start_routine_site = fixture_site(model, routine, "app.c", 1);
		t->start_routine = weft_model_borrow_callsite(model, t->start_routine_site)->ip;
	}
	return t;
}

void fixture_state(weft_thread_t *t, weft_state_t state, weft_time_t start, weft_time_t end,
                   guint64 object, gint32 aux, guint32 site)
{
	guint8 s = state, flags = 0;

	g_array_append_val(t->states.start, start);
	g_array_append_val(t->states.end, end);
	g_array_append_val(t->states.state, s);
	g_array_append_val(t->states.flags, flags);
	g_array_append_val(t->states.object, object);
	g_array_append_val(t->states.aux, aux);
	g_array_append_val(t->states.callsite, site);
}

void fixture_slice(weft_thread_t *t, const char *name, weft_model_t *model, guint16 depth,
                   weft_time_t start, weft_time_t end)
{
	weft_str_t n = weft_model_intern(model, name);
	guint8 flags = 0;
	guint32 site = 0;

	g_array_append_val(t->slices.start, start);
	g_array_append_val(t->slices.end, end);
	g_array_append_val(t->slices.depth, depth);
	g_array_append_val(t->slices.flags, flags);
	g_array_append_val(t->slices.name, n);
	g_array_append_val(t->slices.callsite, site);
	t->slices.max_depth = MAX(t->slices.max_depth, (guint) depth + 1);
}

void fixture_hold(weft_model_t *model, weft_thread_t *t, guint64 lock, weft_state_t kind,
                  weft_time_t wait_start, weft_time_t start, weft_time_t end, guint32 site)
{
	weft_lock_hold_t h = {
	    lock, kind, wait_start < start, t->index, wait_start, start, end, site, 0, 0, 0};

	g_array_append_val(model->holds, h);
}

void fixture_alloc(weft_process_t *p, weft_time_t ts, weft_time_t free_ts, guint64 size,
                   guint64 weight, int64_t tid, guint32 site)
{
	weft_alloc_t a = {ts, free_ts, 0x1000 + p->allocs->len * 0x100, size, weight, tid, site,
	                  0,  0};

	g_array_append_val(p->allocs, a);
	if (weight != size) {
		p->alloc_sampled = TRUE;
	}
}

void fixture_task(weft_model_t *model, guint64 id, const char *name, weft_time_t start,
                  weft_time_t end, weft_thread_t *begin, weft_thread_t *end_thread)
{
	weft_task_t task = {id,
	                    weft_model_intern(model, name),
	                    start,
	                    end,
	                    begin ? begin->index : G_MAXUINT,
	                    end_thread ? end_thread->index : G_MAXUINT,
	                    0,
	                    0};

	g_array_append_val(model->tasks, task);
}

#define L1 0x5000
#define C1 0x6000
#define JOINED 0x7000

static void app_states(app_t *app, weft_model_t *m)
{
	guint32 join = fixture_site(m, "wait_all", "app.c", 90);
	guint32 lock_a = fixture_site(m, "update_counter", "app.c", 20);
	guint32 lock_b = fixture_site(m, "flush_batch", "app.c", 30);
	guint32 cw = fixture_site(m, "wait_item", "app.c", 40);
	guint32 rd = fixture_site(m, "read_input", "app.c", 50);
	guint32 sl = fixture_site(m, "throttle", "app.c", 60);
	guint32 log = fixture_site(m, "log_write", "app.c", 70);

	fixture_state(app->main, WEFT_STATE_JOIN, 100, 900, JOINED, 0, join);
	fixture_state(app->w1, WEFT_STATE_MUTEX, 100, 300, L1, 0, lock_a);
	fixture_state(app->w1, WEFT_STATE_MUTEX, 400, 450, L1, 0, lock_a);
	fixture_state(app->w1, WEFT_STATE_SYSCALL, 500, 600, 3, WEFT_SYSCALL_READ, rd);
	fixture_state(app->w1, WEFT_STATE_SLEEP, 700, 800, 0, WEFT_SYSCALL_NANOSLEEP, sl);
	fixture_state(app->w2, WEFT_STATE_MUTEX, 200, 260, L1, 0, lock_b);
	fixture_state(app->w2, WEFT_STATE_CONDVAR, 300, 310, C1, 0, cw);
	fixture_state(app->w2, WEFT_STATE_CONDVAR, 311, 320, C1, 0, cw);
	fixture_state(app->w2, WEFT_STATE_CONDVAR, 900, 950, C1, 0, cw);
	fixture_hold(m, app->logger, L1, WEFT_STATE_MUTEX, 50, 50, 260, log);
	fixture_hold(m, app->w2, L1, WEFT_STATE_MUTEX, 200, 260, 300, lock_b);
	fixture_hold(m, app->w1, L1, WEFT_STATE_MUTEX, 100, 300, 400, lock_a);
	fixture_hold(m, app->logger, L1, WEFT_STATE_MUTEX, 400, 400, 450, log);
	fixture_hold(m, app->w1, L1, WEFT_STATE_MUTEX, 400, 450, 480, lock_a);
}

static void app_rest(app_t *app, weft_model_t *m, weft_process_t *p)
{
	guint32 ok = fixture_site(m, "make_buf", "app.c", 100);
	guint32 leak = fixture_site(m, "leaky_alloc", "app.c", 110);

	fixture_alloc(p, 100, 200, 100, 100, 101, ok);
	fixture_alloc(p, 150, G_MAXINT64, 1000, 1000, 101, leak);
	fixture_alloc(p, 300, G_MAXINT64, 1000, 1000, 102, leak);
	fixture_alloc(p, 310, 400, 50, 50, 100, ok);
	fixture_slice(app->w1, "request", m, 0, 100, 400);
	fixture_slice(app->w1, "parse", m, 1, 120, 180);
	fixture_slice(app->w1, "request", m, 0, 500, 900);
	fixture_slice(app->w2, "request", m, 0, 200, 250);
	fixture_task(m, 1, "job", 100, 700, app->w1, app->w2);
	fixture_task(m, 2, "job", 200, 300, app->w2, app->w2);
}

app_t app_new(void)
{
	app_t app;
	weft_model_t *m = weft_model_new();
	weft_process_t *p = fixture_process(m, 100, "app", 0, 1000);

	app.model = m;
	app.main = fixture_thread(m, p, 100, NULL, 0, 1000);
	app.w1 = fixture_thread(m, p, 101, "worker", 10, 1000);
	app.w2 = fixture_thread(m, p, 102, "worker", 10, 1000);
	app.logger = fixture_thread(m, p, 103, "logger", 0, 500);
	app_states(&app, m);
	app_rest(&app, m, p);
	return app;
}
