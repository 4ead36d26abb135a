/*
 * The reader's sink half: babeltrace2 messages -> neutral events -> the
 * builder. Each event class is mapped once (event id, payload member
 * indexes); each stream class once (context member indexes, clock).
 */
#include <string.h>

#include "weft-builder-private.h"
#include "weft-reader-private.h"

typedef enum {
	VAL_NONE = 0,
	VAL_UNSIGNED,
	VAL_SIGNED,
	VAL_STRING,
	VAL_ARRAY, /* a static or dynamic array of integers */
} val_type_t;

typedef struct {
	guint64 index;
	guint8 type; /* val_type_t */
} member_t;

typedef struct {
	weft_event_id_t id;
	const weft_event_spec_t *spec;
	member_t ints[WEFT_EVENT_MAX_INTS];
	member_t strs[WEFT_EVENT_MAX_STRS];
	member_t array;
} event_map_t;

typedef struct {
	member_t vpid, vtid, procname, ip, debug_info;
	member_t dbg_bin, dbg_func, dbg_src; /* inside debug_info */
	member_t cpu;                        /* in the packet context */
	const bt_clock_class *clock;         /* borrowed, may be NULL */
} stream_map_t;

struct weft_sink_state {
	weft_builder_t *builder;        /* owned */
	GHashTable *event_maps;         /* bt_event_class* -> event_map_t*, owned values */
	GHashTable *stream_maps;        /* bt_stream_class* -> stream_map_t*, owned values */
	GHashTable *stream_cpus;        /* bt_stream* -> cpu + 1 (last packet's) */
	const bt_event_class *last_ec;  /* one-entry cache, borrowed */
	event_map_t *last_em;           /* weak */
	const bt_stream_class *last_sc; /* borrowed */
	stream_map_t *last_sm;          /* weak */
	const bt_packet *last_packet;   /* borrowed, compared only */
	int last_cpu;
	guint64 n_events;
	gint64 last_time;
	uint64_t frames[WEFT_EVENT_MAX_FRAMES]; /* the current event's array field */
};

/* ---- mapping ---- */

static val_type_t value_type(const bt_field_class *fc)
{
	bt_field_class_type t = bt_field_class_get_type(fc);

	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER)) {
		return VAL_UNSIGNED;
	}
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER)) {
		return VAL_SIGNED;
	}
	if (t == BT_FIELD_CLASS_TYPE_STRING) {
		return VAL_STRING;
	}
	return VAL_NONE;
}

/* The member called name in structure class sfc; type VAL_NONE when absent. */
static member_t find_member(const bt_field_class *sfc, const char *name)
{
	member_t m = {0, VAL_NONE};
	guint64 n;

	if (!sfc || !name || bt_field_class_get_type(sfc) != BT_FIELD_CLASS_TYPE_STRUCTURE) {
		return m;
	}
	n = bt_field_class_structure_get_member_count(sfc);
	for (guint64 i = 0; i < n; i++) {
		const bt_field_class_structure_member *mem =
		    bt_field_class_structure_borrow_member_by_index_const(sfc, i);

		if (!strcmp(bt_field_class_structure_member_get_name(mem), name)) {
			m.index = i;
			m.type = (guint8) value_type(
			    bt_field_class_structure_member_borrow_field_class_const(mem));
			return m;
		}
	}
	return m;
}

static const bt_field_class *member_class(const bt_field_class *sfc, const char *name)
{
	const bt_field_class_structure_member *mem;

	if (!sfc || bt_field_class_get_type(sfc) != BT_FIELD_CLASS_TYPE_STRUCTURE) {
		return NULL;
	}
	mem = bt_field_class_structure_borrow_member_by_name_const(sfc, name);
	return mem ? bt_field_class_structure_member_borrow_field_class_const(mem) : NULL;
}

/* An array (static or dynamic) of integers called name, or VAL_NONE. */
static member_t find_array(const bt_field_class *sfc, const char *name)
{
	member_t m = find_member(sfc, name);
	const bt_field_class *fc;

	if (!sfc || bt_field_class_get_type(sfc) != BT_FIELD_CLASS_TYPE_STRUCTURE) {
		return m;
	}
	fc = member_class(sfc, name);
	m.type = VAL_NONE;
	if (fc && bt_field_class_type_is(bt_field_class_get_type(fc), BT_FIELD_CLASS_TYPE_ARRAY)) {
		val_type_t elem =
		    value_type(bt_field_class_array_borrow_element_field_class_const(fc));

		if (elem == VAL_UNSIGNED || elem == VAL_SIGNED) {
			m.type = VAL_ARRAY;
		}
	}
	return m;
}

static event_map_t *map_event_class(const bt_event_class *ec)
{
	event_map_t *em = g_new0(event_map_t, 1);
	const bt_field_class *payload = bt_event_class_borrow_payload_field_class_const(ec);

	em->id = weft_event_id_from_name(bt_event_class_get_name(ec));
	em->spec = weft_event_spec(em->id);
	if (!em->spec) {
		return em;
	}
	for (guint i = 0; i < em->spec->n_ints; i++) {
		em->ints[i] = find_member(payload, em->spec->ints[i]);
		if (em->ints[i].type == VAL_STRING) {
			em->ints[i].type = VAL_NONE;
		}
	}
	for (guint i = 0; i < em->spec->n_strs; i++) {
		em->strs[i] = find_member(payload, em->spec->strs[i]);
		if (em->strs[i].type != VAL_STRING) {
			em->strs[i].type = VAL_NONE;
		}
	}
	if (em->spec->array) {
		em->array = find_array(payload, em->spec->array);
	}
	return em;
}

static stream_map_t *map_stream_class(const bt_stream_class *sc)
{
	stream_map_t *sm = g_new0(stream_map_t, 1);
	const bt_field_class *ctx =
	    bt_stream_class_borrow_event_common_context_field_class_const(sc);
	const bt_field_class *dbg = member_class(ctx, "debug_info");

	sm->vpid = find_member(ctx, "vpid");
	sm->vtid = find_member(ctx, "vtid");
	if (sm->vtid.type == VAL_NONE) {
		sm->vtid = find_member(ctx, "tid");
	}
	if (sm->vpid.type == VAL_NONE) {
		sm->vpid = find_member(ctx, "pid");
	}
	sm->procname = find_member(ctx, "procname");
	sm->ip = find_member(ctx, "ip");
	if (dbg && bt_field_class_get_type(dbg) == BT_FIELD_CLASS_TYPE_STRUCTURE) {
		sm->debug_info = find_member(ctx, "debug_info");
		sm->debug_info.type = VAL_STRING; /* marks presence */
		sm->dbg_bin = find_member(dbg, "bin");
		sm->dbg_func = find_member(dbg, "func");
		sm->dbg_src = find_member(dbg, "src");
	}
	sm->cpu =
	    find_member(bt_stream_class_borrow_packet_context_field_class_const(sc), "cpu_id");
	sm->clock = bt_stream_class_borrow_default_clock_class_const(sc);
	return sm;
}

/* ---- reading fields ---- */

static int64_t read_int(const bt_field *sf, member_t m)
{
	const bt_field *f;

	if (m.type != VAL_UNSIGNED && m.type != VAL_SIGNED) {
		return 0;
	}
	f = bt_field_structure_borrow_member_field_by_index_const(sf, m.index);
	if (m.type == VAL_UNSIGNED) {
		return (int64_t) bt_field_integer_unsigned_get_value(f);
	}
	return bt_field_integer_signed_get_value(f);
}

static const char *read_str(const bt_field *sf, member_t m)
{
	if (m.type != VAL_STRING || !sf) {
		return NULL;
	}
	return bt_field_string_get_value(
	    bt_field_structure_borrow_member_field_by_index_const(sf, m.index));
}

static int64_t monotonic_to_origin(const stream_map_t *sm, int64_t value)
{
	int64_t ns;

	if (!value || !sm->clock) {
		return 0;
	}
	if (bt_clock_class_cycles_to_ns_from_origin(sm->clock, (uint64_t) value, &ns) !=
	    BT_CLOCK_CLASS_CYCLES_TO_NS_FROM_ORIGIN_STATUS_OK) {
		return 0;
	}
	return ns;
}

static int packet_cpu(weft_sink_state_t *s, const bt_event *event, const stream_map_t *sm)
{
	const bt_packet *packet;
	const bt_field *ctx;

	if (sm->cpu.type == VAL_NONE) {
		return -1;
	}
	packet = bt_event_borrow_packet_const(event);
	if (packet == s->last_packet) {
		return s->last_cpu;
	}
	s->last_packet = packet;
	s->last_cpu = -1;
	ctx = packet ? bt_packet_borrow_context_field_const(packet) : NULL;
	if (ctx) {
		s->last_cpu = (int) read_int(ctx, sm->cpu);
	}
	return s->last_cpu;
}

static void fill_context(weft_event_t *ev, const bt_event *event, const stream_map_t *sm)
{
	const bt_field *ctx = bt_event_borrow_common_context_field_const(event);

	if (!ctx) {
		return;
	}
	if (sm->vpid.type != VAL_NONE) {
		ev->vpid = read_int(ctx, sm->vpid);
	}
	if (sm->vtid.type != VAL_NONE) {
		ev->vtid = read_int(ctx, sm->vtid);
	}
	ev->procname = read_str(ctx, sm->procname);
	ev->ip = (uint64_t) read_int(ctx, sm->ip);
	if (sm->debug_info.type != VAL_NONE && ev->ip) {
		const bt_field *dbg = bt_field_structure_borrow_member_field_by_index_const(
		    ctx, sm->debug_info.index);

		ev->sym_bin = read_str(dbg, sm->dbg_bin);
		ev->sym_func = read_str(dbg, sm->dbg_func);
		ev->sym_src = read_str(dbg, sm->dbg_src);
	}
}

/* Copies the array field into frames (at most WEFT_EVENT_MAX_FRAMES elements). */
static guint read_array(const bt_field *sf, member_t m, uint64_t *frames)
{
	const bt_field *f;
	guint n;

	if (m.type != VAL_ARRAY || !sf) {
		return 0;
	}
	f = bt_field_structure_borrow_member_field_by_index_const(sf, m.index);
	n = (guint) MIN(bt_field_array_get_length(f), (guint64) WEFT_EVENT_MAX_FRAMES);
	for (guint i = 0; i < n; i++) {
		const bt_field *e = bt_field_array_borrow_element_field_by_index_const(f, i);

		frames[i] = bt_field_class_type_is(bt_field_get_class_type(e),
		                                   BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER)
		                ? bt_field_integer_unsigned_get_value(e)
		                : (uint64_t) bt_field_integer_signed_get_value(e);
	}
	return n;
}

static void fill_payload(weft_event_t *ev, const bt_event *event, const event_map_t *em,
                         const stream_map_t *sm, uint64_t *frames)
{
	const bt_field *payload = bt_event_borrow_payload_field_const(event);

	for (guint i = 0; i < em->spec->n_strs; i++) {
		const char *v = payload ? read_str(payload, em->strs[i]) : NULL;

		ev->s[i] = v ? v : "";
	}
	if (!payload) {
		return;
	}
	for (guint i = 0; i < em->spec->n_ints; i++) {
		ev->i[i] = read_int(payload, em->ints[i]);
		if (em->spec->int_kinds[i] == WEFT_FIELD_TS) {
			ev->i[i] = monotonic_to_origin(sm, ev->i[i]);
		}
	}
	ev->n_frames = read_array(payload, em->array, frames);
	ev->frames = ev->n_frames ? frames : NULL;
}

static stream_map_t *stream_map(weft_sink_state_t *s, const bt_stream_class *sc)
{
	stream_map_t *sm;

	if (sc == s->last_sc) {
		return s->last_sm;
	}
	sm = g_hash_table_lookup(s->stream_maps, sc);
	if (!sm) {
		sm = map_stream_class(sc);
		g_hash_table_insert(s->stream_maps, (gpointer) sc, sm);
	}
	s->last_sc = sc;
	s->last_sm = sm;
	return sm;
}

static event_map_t *event_map(weft_sink_state_t *s, const bt_event_class *ec)
{
	event_map_t *em;

	if (ec == s->last_ec) {
		return s->last_em;
	}
	em = g_hash_table_lookup(s->event_maps, ec);
	if (!em) {
		em = map_event_class(ec);
		g_hash_table_insert(s->event_maps, (gpointer) ec, em);
	}
	s->last_ec = ec;
	s->last_em = em;
	return em;
}

static gint64 snapshot_ns(const bt_clock_snapshot *snap, gint64 fallback)
{
	int64_t ns;

	if (!snap || bt_clock_snapshot_get_ns_from_origin(snap, &ns) !=
	                 BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK) {
		return fallback;
	}
	return ns;
}

static void consume_event(weft_sink_state_t *s, const bt_message *msg)
{
	const bt_event *event = bt_message_event_borrow_event_const(msg);
	const bt_event_class *ec = bt_event_borrow_class_const(event);
	const bt_stream_class *sc = bt_event_class_borrow_stream_class_const(ec);
	stream_map_t *sm = stream_map(s, sc);
	event_map_t *em = event_map(s, ec);
	weft_event_t ev;
	gint64 ts = s->last_time;

	if (sm->clock) {
		ts = snapshot_ns(bt_message_event_borrow_default_clock_snapshot_const(msg), ts);
	}
	s->n_events++;
	s->last_time = ts;
	if (!em->spec) {
		weft_builder_add_skipped(s->builder, ts);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.id = em->id;
	ev.vpid = ev.vtid = -1;
	ev.cpu = packet_cpu(s, event, sm);
	fill_context(&ev, event, sm);
	fill_payload(&ev, event, em, sm, s->frames);
	weft_builder_add_event(s->builder, &ev);
}

static int64_t trace_vpid(const bt_stream *stream)
{
	const bt_trace *trace = bt_stream_borrow_trace_const(stream);
	const bt_value *v = bt_trace_borrow_environment_entry_value_by_name_const(trace, "vpid");

	if (v && bt_value_get_type(v) == BT_VALUE_TYPE_SIGNED_INTEGER) {
		return bt_value_integer_signed_get(v);
	}
	return -1;
}

static void consume_discarded(weft_sink_state_t *s, const bt_message *msg, gboolean packets)
{
	const bt_stream *stream = packets ? bt_message_discarded_packets_borrow_stream_const(msg)
	                                  : bt_message_discarded_events_borrow_stream_const(msg);
	const bt_stream_class *sc = bt_stream_borrow_class_const(stream);
	gint64 start = -1, end = -1;
	uint64_t count = 0;
	gpointer cpu = g_hash_table_lookup(s->stream_cpus, stream);

	if (packets) {
		if (bt_stream_class_discarded_packets_have_default_clock_snapshots(sc)) {
			start = snapshot_ns(
			    bt_message_discarded_packets_borrow_beginning_default_clock_snapshot_const(
			        msg),
			    -1);
			end = snapshot_ns(
			    bt_message_discarded_packets_borrow_end_default_clock_snapshot_const(
			        msg),
			    -1);
		}
		if (bt_message_discarded_packets_get_count(msg, &count) !=
		    BT_PROPERTY_AVAILABILITY_AVAILABLE) {
			count = 0;
		}
	} else {
		if (bt_stream_class_discarded_events_have_default_clock_snapshots(sc)) {
			start = snapshot_ns(
			    bt_message_discarded_events_borrow_beginning_default_clock_snapshot_const(
			        msg),
			    -1);
			end = snapshot_ns(
			    bt_message_discarded_events_borrow_end_default_clock_snapshot_const(
			        msg),
			    -1);
		}
		if (bt_message_discarded_events_get_count(msg, &count) !=
		    BT_PROPERTY_AVAILABILITY_AVAILABLE) {
			count = 0;
		}
	}
	weft_builder_add_discarded(s->builder, start, end, count,
	                           cpu ? GPOINTER_TO_INT(cpu) - 1 : -1, trace_vpid(stream));
}

static void consume_packet_beginning(weft_sink_state_t *s, const bt_message *msg)
{
	const bt_packet *packet = bt_message_packet_beginning_borrow_packet_const(msg);
	const bt_stream *stream = bt_packet_borrow_stream_const(packet);
	stream_map_t *sm = stream_map(s, bt_stream_borrow_class_const(stream));
	const bt_field *ctx = bt_packet_borrow_context_field_const(packet);

	if (ctx && sm->cpu.type != VAL_NONE) {
		g_hash_table_insert(s->stream_cpus, (gpointer) stream,
		                    GINT_TO_POINTER((int) read_int(ctx, sm->cpu) + 1));
	}
}

/* A packet's end time: the recording lasted at least until then. */
static void consume_packet_end(weft_sink_state_t *s, const bt_message *msg)
{
	const bt_packet *packet = bt_message_packet_end_borrow_packet_const(msg);
	const bt_stream_class *sc =
	    bt_stream_borrow_class_const(bt_packet_borrow_stream_const(packet));
	gint64 ts;

	if (!bt_stream_class_packets_have_end_default_clock_snapshot(sc) ||
	    !bt_stream_class_borrow_default_clock_class_const(sc)) {
		return;
	}
	ts =
	    snapshot_ns(bt_message_packet_end_borrow_default_clock_snapshot_const(msg), G_MININT64);
	if (ts != G_MININT64) {
		weft_builder_add_recording_end(s->builder, ts);
	}
}

void weft_sink_state_consume(weft_sink_state_t *s, const bt_message *msg)
{
	switch (bt_message_get_type(msg)) {
	case BT_MESSAGE_TYPE_EVENT:
		consume_event(s, msg);
		break;
	case BT_MESSAGE_TYPE_PACKET_BEGINNING:
		consume_packet_beginning(s, msg);
		break;
	case BT_MESSAGE_TYPE_PACKET_END:
		consume_packet_end(s, msg);
		break;
	case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
		consume_discarded(s, msg, FALSE);
		break;
	case BT_MESSAGE_TYPE_DISCARDED_PACKETS:
		consume_discarded(s, msg, TRUE);
		break;
	case BT_MESSAGE_TYPE_STREAM_END:
		g_hash_table_remove(s->stream_cpus, bt_message_stream_end_borrow_stream_const(msg));
		break;
	default:
		break;
	}
}

weft_sink_state_t *weft_sink_state_new(void)
{
	weft_sink_state_t *s = g_new0(weft_sink_state_t, 1);

	s->builder = weft_builder_new();
	s->event_maps = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	s->stream_maps = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	s->stream_cpus = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->last_cpu = -1;
	return s;
}

void weft_sink_state_free(weft_sink_state_t *s)
{
	if (!s) {
		return;
	}
	weft_builder_free(s->builder);
	g_hash_table_destroy(s->event_maps);
	g_hash_table_destroy(s->stream_maps);
	g_hash_table_destroy(s->stream_cpus);
	g_free(s);
}

void weft_sink_state_set_symbolize(weft_sink_state_t *s, gboolean symbolize)
{
	weft_builder_set_symbolize(s->builder, symbolize);
}

guint64 weft_sink_state_get_n_events(const weft_sink_state_t *s)
{
	return s->n_events;
}

gint64 weft_sink_state_get_last_time(const weft_sink_state_t *s)
{
	return s->last_time;
}

weft_model_t *weft_sink_state_finish(weft_sink_state_t *s, GError **error)
{
	weft_model_t *model;

	if (s->n_events == 0) {
		g_set_error(error, WEFT_READER_ERROR, WEFT_READER_ERROR_EMPTY,
		            "Failed to read trace: reason=\"the trace holds no events\"");
		weft_sink_state_free(s);
		return NULL;
	}
	model = weft_builder_finish(s->builder);
	s->builder = NULL;
	weft_sink_state_free(s);
	return model;
}
