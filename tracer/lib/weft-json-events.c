/*
 * weft-json-events.c - one Chrome Trace Event into a typed record: its
 * phase, timestamp (us -> ns, plus metadata.trace-start-ns), pid/tid, args
 * (site, flags, object, fd) and stack, handed to weft-json-build.c.
 *
 * How weft's JSON maps back (docs/convert.md has the forward direction):
 * an X without a category named after a weft state ("mutex", "condvar",
 * "data lost", ...) or a call ("read()") is a state interval; zero-length
 * X events carrying bind_id are flow ends, not slices; args.site
 * "function (file:line)" becomes a call site; an "i" named "data lost"
 * with args.until_us is a data-lost gap; "sf" (or a stack array) on a
 * state or a flow source becomes its call stack (weft-json-stacks.c).
 * Nothing here depends on the order of events in the file.
 */
#include "weft-json-import-private.h"

#include <math.h>
#include <string.h>

static gboolean get_num(json_object *ev, const char *key, double *out)
{
	json_object *v;

	if (!ev || !json_object_object_get_ex(ev, key, &v)) {
		return FALSE;
	}
	if (json_object_is_type(v, json_type_string)) {
		/* Some producers quote large numbers, or write ids in hex. */
		const char *s = json_object_get_string(v);

		*out = g_str_has_prefix(s, "0x") ? (double) g_ascii_strtoull(s, NULL, 16)
		                                 : g_ascii_strtod(s, NULL);
		return TRUE;
	}
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double)) {
		return FALSE;
	}
	*out = json_object_get_double(v);
	return TRUE;
}

gint64 weft_json_get_int(json_object *ev, const char *key, gint64 fallback)
{
	json_object *o;
	double v;

	/* Integers stay exact: absolute ns do not fit a double's mantissa. */
	if (ev && json_object_object_get_ex(ev, key, &o) && json_object_is_type(o, json_type_int)) {
		return json_object_get_int64(o);
	}
	return get_num(ev, key, &v) ? (gint64) v : fallback;
}

static gboolean get_flag(json_object *ev, const char *key)
{
	json_object *v;

	return ev && json_object_object_get_ex(ev, key, &v) && json_object_get_boolean(v);
}

static guint64 get_u64(json_object *ev, const char *key)
{
	json_object *v;

	if (!ev || !json_object_object_get_ex(ev, key, &v)) {
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		return g_ascii_strtoull(json_object_get_string(v), NULL, 0);
	}
	return (guint64) json_object_get_int64(v);
}

static weft_time_t ts_of(weft_json_import_t *im, double us)
{
	return im->offset + (weft_time_t) llround(us * 1000.0);
}

/* A weft state by its JSON name, or -1. Syscall waits are named after
 * the call ("read()"). */
static int state_from_name(const char *name, json_object *args)
{
	gsize len;

	if (!name) {
		return -1;
	}
	for (int s = 0; s < WEFT_STATE_COUNT; s++) {
		if (!strcmp(name, weft_state_name((weft_state_t) s))) {
			return s;
		}
	}
	len = strlen(name);
	if (len > 2 && !strcmp(name + len - 2, "()") && args &&
	    weft_json_get_str(args, "site") != name) {
		json_object *fd;

		if (json_object_object_get_ex(args, "fd", &fd)) {
			return WEFT_STATE_SYSCALL;
		}
	}
	return -1;
}

/* args.site "function (file:line)", "function", "binary+0xoff" or
 * "0xaddr" as a call site index (0 when absent). */
static guint32 callsite_of(weft_json_import_t *im, json_object *args)
{
	const char *site = weft_json_get_str(args, "site");
	weft_callsite_t cs = {0};
	gpointer found;

	if (!site || !*site) {
		return 0;
	}
	if (g_hash_table_lookup_extended(im->sites, site, NULL, &found)) {
		return GPOINTER_TO_UINT(found);
	}
	weft_json_parse_site(im->model, site, FALSE, &cs);
	if (cs.function && !cs.file) {
		cs.binary = weft_model_intern(im->model, weft_json_get_str(args, "binary"));
	}
	g_array_append_val(im->model->callsites, cs);
	g_hash_table_insert(im->sites, g_strdup(site),
	                    GUINT_TO_POINTER(im->model->callsites->len - 1));
	return im->model->callsites->len - 1;
}

static guint8 flags_of(json_object *args)
{
	return (guint8) ((get_flag(args, "unfinished") ? WEFT_FLAG_UNFINISHED : 0) |
	                 (get_flag(args, "unstarted") ? WEFT_FLAG_UNSTARTED : 0) |
	                 (get_flag(args, "inferred") ? WEFT_FLAG_INFERRED : 0));
}

static void add_state(weft_json_import_t *im, weft_thread_t *t, weft_time_t start, weft_time_t end,
                      int state, json_object *ev, json_object *args)
{
	guint8 st = (guint8) state, flags = flags_of(args);
	guint64 object = get_u64(args, state == WEFT_STATE_SYSCALL ? "fd" : "object");
	gint32 aux = state == WEFT_STATE_SYSCALL ? -1 : 0;
	guint32 callsite = callsite_of(im, args);
	guint32 stack = weft_json_stacks_of_event(im->stacks, ev, args);

	g_array_append_val(t->states.start, start);
	g_array_append_val(t->states.end, end);
	g_array_append_val(t->states.state, st);
	g_array_append_val(t->states.flags, flags);
	g_array_append_val(t->states.object, object);
	g_array_append_val(t->states.aux, aux);
	g_array_append_val(t->states.callsite, callsite);
	g_array_append_val(t->states.stack, stack);
}

static void add_slice(weft_json_import_t *im, weft_thread_t *t, weft_time_t start, weft_time_t end,
                      const char *name, json_object *args)
{
	weft_json_pending_slice_t s = {start, MAX(end, start), weft_model_intern(im->model, name),
	                               flags_of(args), callsite_of(im, args)};

	weft_json_add_slice(im, t, &s);
}

static void on_metadata(weft_json_import_t *im, json_object *ev, const char *name, gint64 pid,
                        gint64 tid)
{
	json_object *args;
	const char *value;

	if (!json_object_object_get_ex(ev, "args", &args) ||
	    !(value = weft_json_get_str(args, "name"))) {
		return;
	}
	if (!strcmp(name, "process_name")) {
		weft_json_get_process(im, pid)->name = weft_model_intern(im->model, value);
	} else if (!strcmp(name, "thread_name")) {
		weft_json_get_thread(im, pid, tid)->name = weft_model_intern(im->model, value);
	}
}

static weft_flow_kind_t flow_kind(const char *name, const char *cat)
{
	for (int k = 0; k < WEFT_FLOW_COUNT; k++) {
		const char *kn = weft_flow_kind_name((weft_flow_kind_t) k);

		if ((name && !strcmp(name, kn)) || (cat && !strcmp(cat, kn))) {
			return (weft_flow_kind_t) k;
		}
	}
	return WEFT_FLOW_USER;
}

/* Flow v2: bind_id with flow_in/flow_out on a slice. TRUE when the event
 * is only a flow carrier (zero length, as weft writes them). */
static gboolean on_flow_v2(weft_json_import_t *im, json_object *ev, weft_thread_t *t,
                           weft_time_t ts, const char *name, const char *cat, double dur,
                           json_object *args)
{
	json_object *v;
	const char *id;
	gboolean in = get_flag(ev, "flow_in"), out = get_flag(ev, "flow_out");

	if (!json_object_object_get_ex(ev, "bind_id", &v) || (!in && !out)) {
		return FALSE;
	}
	id = json_object_get_string(v);
	if (in) {
		weft_json_flow_end(im, id, t, ts, FALSE, WEFT_FLOW_USER, 0, 0);
	}
	if (out) {
		weft_json_flow_end(im, id, t, ts, TRUE, flow_kind(name, cat),
		                   get_u64(args, "object"),
		                   weft_json_stacks_of_event(im->stacks, ev, args));
	}
	return dur == 0;
}

static void on_complete(weft_json_import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                        const char *name, const char *cat)
{
	double dur = 0;
	weft_time_t end;
	json_object *args = NULL;
	int state = -1;

	get_num(ev, "dur", &dur);
	end = ts + (weft_time_t) llround(dur * 1000.0);
	json_object_object_get_ex(ev, "args", &args);
	if (on_flow_v2(im, ev, t, ts, name, cat, dur, args)) {
		return;
	}
	weft_json_touch(im, t, ts, end);
	if (!cat || g_str_has_prefix(cat, "state")) {
		state = state_from_name(name, args);
	}
	if (state >= 0) {
		add_state(im, t, ts, end, state, ev, args);
	} else {
		add_slice(im, t, ts, end, name, args);
	}
}

static void on_begin_end(weft_json_import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                         const char *name, gboolean begin)
{
	json_object *args = NULL;

	json_object_object_get_ex(ev, "args", &args);
	weft_json_touch(im, t, ts, ts);
	if (begin) {
		weft_json_pending_slice_t s = {ts, ts, weft_model_intern(im->model, name),
		                               flags_of(args), callsite_of(im, args)};

		weft_json_begin_slice(im, t, &s);
		return;
	}
	weft_json_end_slice(im, t, ts);
}

static void on_async(weft_json_import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                     const char *name, const char *cat, gboolean begin)
{
	json_object *args = NULL, *id;
	char *key;
	weft_json_async_end_t a = {.ts = ts, .begin = begin, .thread = t->index};

	json_object_object_get_ex(ev, "args", &args);
	key = g_strdup_printf("%" G_GINT64_FORMAT ":%s:%s:%s", t->process->pid, cat ? cat : "",
	                      json_object_object_get_ex(ev, "id", &id) ? json_object_get_string(id)
	                                                               : "",
	                      name ? name : "");
	a.key = weft_model_intern(im->model, key);
	a.name = weft_model_intern(im->model, name);
	a.task_id = args && json_object_object_get_ex(args, "task", NULL)
	                ? get_u64(args, "task")
	                : (json_object_object_get_ex(ev, "id", &id) ? get_u64(ev, "id") : 0);
	a.callsite = callsite_of(im, args);
	g_array_append_val(im->async, a);
	weft_json_touch(im, t, ts, ts);
	g_free(key);
}

static void on_counter(weft_json_import_t *im, json_object *ev, gint64 pid, weft_time_t ts,
                       const char *name)
{
	json_object *args;
	weft_process_t *p = weft_json_get_process(im, pid);
	gboolean single;

	if (!json_object_object_get_ex(ev, "args", &args) ||
	    !json_object_is_type(args, json_type_object)) {
		return;
	}
	weft_json_touch(im, NULL, ts, ts);
	single = json_object_object_length(args) == 1;
	json_object_object_foreach(args, key, val)
	{
		char *full = single ? g_strdup(name) : g_strdup_printf("%s.%s", name, key);
		weft_counter_t *c = weft_json_get_counter(im, p, full);
		gint64 v = (gint64) json_object_get_double(val);

		g_array_append_val(c->ts, ts);
		g_array_append_val(c->value, v);
		g_free(full);
	}
}

/* weft writes discarded events as an "i" named "data lost" holding the
 * gap's end; TRUE when ev was one. */
static gboolean on_data_lost(weft_json_import_t *im, json_object *ev, gint64 pid, weft_time_t ts,
                             const char *name)
{
	json_object *args = NULL;
	double until;
	const char *scope = weft_json_get_str(ev, "s");
	weft_lost_t lost;

	if (!name || strcmp(name, "data lost") != 0 ||
	    !json_object_object_get_ex(ev, "args", &args) || !get_num(args, "until_us", &until)) {
		return FALSE;
	}
	lost.start = ts;
	lost.end = MAX(ts_of(im, until), ts);
	lost.count = get_u64(args, "discarded");
	lost.cpu = (int) weft_json_get_int(args, "cpu", -1);
	lost.pid = scope && !strcmp(scope, "g") ? -1 : pid;
	g_array_append_val(im->model->lost, lost);
	im->model->n_discarded += lost.count;
	weft_json_touch(im, NULL, lost.start, lost.end);
	return TRUE;
}

static void on_instant(weft_json_import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                       const char *name, const char *cat)
{
	json_object *args = NULL;
	guint8 kind = (cat && !strcmp(cat, "log")) ? WEFT_INSTANT_LOG : WEFT_INSTANT_MARK;
	weft_str_t sname, msg = 0;
	guint32 callsite;

	json_object_object_get_ex(ev, "args", &args);
	if (kind == WEFT_INSTANT_LOG) {
		/* Logs are named after the message; the model keeps the
		 * category as the name. */
		sname = weft_model_intern(im->model, weft_json_get_str(args, "category"));
		msg = weft_model_intern(im->model, name);
	} else {
		sname = weft_model_intern(im->model, name);
		msg = weft_model_intern(im->model, weft_json_get_str(args, "message"));
	}
	callsite = callsite_of(im, args);
	weft_json_touch(im, t, ts, ts);
	g_array_append_val(t->instants.ts, ts);
	g_array_append_val(t->instants.kind, kind);
	g_array_append_val(t->instants.name, sname);
	g_array_append_val(t->instants.message, msg);
	g_array_append_val(t->instants.callsite, callsite);
}

static void on_flow_v1(weft_json_import_t *im, json_object *ev, weft_thread_t *t, weft_time_t ts,
                       const char *name, const char *cat, gboolean out)
{
	json_object *id;
	g_autofree char *key = NULL;

	if (!json_object_object_get_ex(ev, "id", &id)) {
		im->model->n_skipped++;
		return;
	}
	key = g_strdup_printf("v1:%s:%s", cat ? cat : "", json_object_get_string(id));
	weft_json_flow_end(im, key, t, ts, out, flow_kind(name, cat), 0, 0);
}

static void on_thread_event(weft_json_import_t *im, json_object *ev, const char *ph,
                            weft_thread_t *t, weft_time_t ts, const char *name, const char *cat)
{
	switch (ph[0]) {
	case 'X':
		on_complete(im, ev, t, ts, name, cat);
		break;
	case 'B':
	case 'E':
		on_begin_end(im, ev, t, ts, name, ph[0] == 'B');
		break;
	case 'b':
	case 'e':
		on_async(im, ev, t, ts, name, cat, ph[0] == 'b');
		break;
	case 'i':
	case 'I':
	case 'n':
		on_instant(im, ev, t, ts, name, cat);
		break;
	case 's':
	case 'f':
		on_flow_v1(im, ev, t, ts, name, cat, ph[0] == 's');
		break;
	case 't':
		break;
	default:
		im->model->n_skipped++;
	}
}

void weft_json_on_event(weft_json_import_t *im, json_object *ev)
{
	const char *ph, *name, *cat, *scope;
	gint64 pid, tid;
	weft_time_t ts;
	double ts_us = 0;

	if (!json_object_is_type(ev, json_type_object) || !(ph = weft_json_get_str(ev, "ph"))) {
		im->model->n_skipped++;
		return;
	}
	name = weft_json_get_str(ev, "name");
	cat = weft_json_get_str(ev, "cat");
	scope = weft_json_get_str(ev, "s");
	pid = weft_json_get_int(ev, "pid", 0);
	tid = weft_json_get_int(ev, "tid", pid);
	im->model->n_events++;
	if (ph[0] == 'M') {
		on_metadata(im, ev, name ? name : "", pid, tid);
		return;
	}
	if (!get_num(ev, "ts", &ts_us)) {
		im->model->n_skipped++;
		return;
	}
	ts = ts_of(im, ts_us);
	if (ph[0] == 'C') {
		on_counter(im, ev, pid, ts, name ? name : "counter");
		return;
	}
	if ((ph[0] == 'i' || ph[0] == 'I') && on_data_lost(im, ev, pid, ts, name)) {
		return;
	}
	if ((ph[0] == 'i' || ph[0] == 'I') && scope && strcmp(scope, "t") != 0) {
		im->model->n_skipped++; /* process or global instants: no thread lane */
		return;
	}
	on_thread_event(im, ev, ph, weft_json_get_thread(im, pid, tid), ts, name, cat);
}
