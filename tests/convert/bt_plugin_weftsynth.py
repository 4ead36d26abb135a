# Synthetic CTF traces for the converter tests: a babeltrace2 source whose
# output, written by sink.ctf.fs, is what a live run on this machine cannot
# produce (kernel sched events, discarded events, tid reuse, ...).
#
#   babeltrace2 --plugin-path=DIR -c source.weftsynth.Synth \
#       -p 'scenario="kernel"' -c sink.ctf.fs -p 'path="OUT"'
#
# Times are clock cycles of a 1 GHz clock whose origin is the Unix epoch
# plus OFFSET_S seconds, like LTTng's monotonic clock; *_ts fields use the
# same clock.
import bt2

bt2.register_plugin(__name__, "weftsynth")

OFFSET_S = 1700000000

# Payload of each event: (field, type) with type u (uint64), i (int64),
# s (string).
EVENTS = {
    "weft:thread_name": [("pthread", "u"), ("name", "s")],
    "weft:region_begin": [("name", "s")],
    "weft:region_end": [("name", "s")],
    "weft:mark": [("name", "s")],
    "weft:block_begin": [("name", "s")],
    "weft:block_end": [],
    "weft:task_begin": [("id", "u"), ("name", "s")],
    "weft:task_end": [("id", "u")],
    "weft:flow_out": [("id", "u")],
    "weft:flow_in": [("id", "u")],
    "weft:log": [("category", "s"), ("msg", "s")],
    "weft:counter": [("name", "s"), ("value", "i")],
    "weft:lock_wait": [("lock", "u"), ("kind", "i")],
    "weft:lock_acquired": [("lock", "u"), ("kind", "i"), ("acquire_ts", "u")],
    "weft:lock_wait_end": [("lock", "u"), ("kind", "i"), ("ret", "i")],
    "weft:lock_released": [
        ("lock", "u"),
        ("kind", "i"),
        ("acquire_ts", "u"),
        ("release_ts", "u"),
        ("waited", "u"),
        ("waiters", "i"),
    ],
    "weft:alloc": [("ptr", "u"), ("size", "u"), ("func", "i"), ("weight", "u")],
    "weft:free": [("ptr", "u")],
    "weft:heap": [("in_use", "i"), ("allocs", "u"), ("frees", "u")],
    "weft:thread_create": [("create_id", "u"), ("start_routine", "u")],
    "weft:thread_start": [("create_id", "u"), ("start_routine", "u"), ("pthread", "u")],
    "weft:thread_exit": [],
    "weft:thread_join_begin": [("pthread", "u")],
    "weft:thread_join_end": [("pthread", "u"), ("ret", "i")],
    "weft:cond_wait_begin": [("cond", "u"), ("mutex", "u"), ("timed", "u")],
    "weft:cond_wait_end": [("cond", "u"), ("mutex", "u"), ("ret", "i")],
    "weft:cond_signal": [("obj", "u"), ("waiters", "i")],
    "weft:cond_broadcast": [("obj", "u"), ("waiters", "i")],
    "weft:sem_post": [("obj", "u"), ("waiters", "i")],
    "weft:sem_wait_begin": [("obj", "u"), ("timed", "u")],
    "weft:sem_wait_end": [("obj", "u"), ("ret", "i")],
    "weft:syscall_begin": [("kind", "i"), ("fd", "i")],
    "weft:syscall_end": [("kind", "i"), ("ret", "i")],
    "lttng_ust_pthread:pthread_mutex_lock_req": [("mutex", "u")],
    "lttng_ust_pthread:pthread_mutex_lock_acq": [("mutex", "u"), ("status", "i")],
    "lttng_ust_pthread:pthread_mutex_unlock": [("mutex", "u"), ("status", "i")],
    "lttng_ust_libc:malloc": [("size", "u"), ("ptr", "u")],
    "lttng_ust_libc:free": [("ptr", "u")],
    "foo:unknown": [("x", "u")],
    "lttng_ust_statedump:bin_info": [("baddr", "u"), ("memsz", "u"), ("path", "s"),
                                     ("is_pic", "u")],
    "sched_switch": [
        ("prev_comm", "s"),
        ("prev_tid", "i"),
        ("prev_prio", "i"),
        ("prev_state", "i"),
        ("next_comm", "s"),
        ("next_tid", "i"),
        ("next_prio", "i"),
    ],
    "sched_wakeup": [("comm", "s"), ("tid", "i"), ("prio", "i"), ("target_cpu", "i")],
    "sched_process_fork": [
        ("parent_comm", "s"),
        ("parent_tid", "i"),
        ("parent_pid", "i"),
        ("child_comm", "s"),
        ("child_tid", "i"),
        ("child_pid", "i"),
    ],
    "sched_process_exit": [("comm", "s"), ("tid", "i"), ("prio", "i")],
}


# A user-space event: (ts, name, pid, tid, payload dict).
def u(ts, event, pid, tid, **payload):
    return ("ust", ts, event, {"vpid": pid, "vtid": tid, "procname": "app%d" % pid,
                              "ip": 0x400000 + len(event)}, payload)


def k(ts, event, **payload):
    return ("kernel", ts, event, None, payload)


# A scenario: list of streams; a stream is (kind, cpu, [packet...]); a
# packet is (begin, end, [events], discarded-before-it).
def scenario_tidreuse():
    return [("ust", 0, [(1000, 20000, [
        u(1000, "weft:thread_create", 100, 100, create_id=1, start_routine=0x1000),
        u(2000, "weft:thread_start", 100, 101, create_id=1, start_routine=0x1000, pthread=0xAA),
        u(3000, "weft:region_begin", 100, 101, name="work"),
        u(5000, "weft:region_end", 100, 101, name="work"),
        u(6000, "weft:thread_exit", 100, 101),
        u(7000, "weft:thread_create", 100, 100, create_id=2, start_routine=0x2000),
        u(8000, "weft:thread_start", 100, 101, create_id=2, start_routine=0x2000, pthread=0xBB),
        u(8500, "weft:thread_name", 100, 100, pthread=0xBB, name="second"),
        u(9000, "weft:thread_join_begin", 100, 100, pthread=0xAA),
        u(9500, "weft:thread_join_end", 100, 100, pthread=0xAA, ret=0),
        u(10000, "weft:thread_exit", 100, 101),
        u(11000, "weft:thread_name", 100, 100, pthread=0, name="main"),
    ], None)])]


def scenario_kernel():
    kernel0 = [
        k(1000, "sched_switch", prev_comm="swapper", prev_tid=0, prev_prio=20, prev_state=0,
          next_comm="app200", next_tid=200, next_prio=20),
        k(2000, "sched_switch", prev_comm="app200", prev_tid=200, prev_prio=20, prev_state=1,
          next_comm="app200", next_tid=201, next_prio=20),
        k(5000, "sched_wakeup", comm="app200", tid=200, prio=20, target_cpu=0),
        k(6000, "sched_switch", prev_comm="app200", prev_tid=201, prev_prio=20, prev_state=0,
          next_comm="app200", next_tid=200, next_prio=20),
        k(9000, "sched_switch", prev_comm="app200", prev_tid=200, prev_prio=20, prev_state=0,
          next_comm="app200", next_tid=201, next_prio=20),
        k(9900, "sched_process_exit", comm="app200", tid=201, prio=20),
    ]
    user0 = [
        u(1200, "weft:region_begin", 200, 200, name="main work"),
        u(1500, "weft:lock_wait", 200, 200, lock=0x10, kind=0),
        u(2500, "weft:region_begin", 200, 201, name="r"),
        u(5800, "weft:region_end", 200, 201, name="r"),
        u(6500, "weft:lock_released", 200, 200, lock=0x10, kind=0, acquire_ts=6000,
          release_ts=0, waited=1, waiters=0),
        u(9500, "weft:region_end", 200, 201, name="late"),
        u(10000, "weft:region_end", 200, 200, name="main work"),
    ]
    return [("kernel", 0, [(1000, 10000, kernel0, None)]),
            ("ust", 0, [(1000, 10000, user0, None)])]


def scenario_discarded():
    return [("ust", 0, [
        (1000, 3000, [
            u(1500, "weft:region_begin", 300, 300, name="a"),
            u(2000, "weft:mark", 300, 301, name="other thread"),
        ], None),
        (5000, 8000, [
            u(6000, "weft:region_end", 300, 300, name="a"),
            u(7000, "weft:mark", 300, 301, name="after"),
        ], 7),
    ]), ("ust", 1, [
        (1000, 8000, [u(2500, "weft:mark", 300, 302, name="cpu1")], None),
    ])]


def scenario_unmatched():
    return [("ust", 0, [(500, 9000, [
        u(500, "weft:mark", 400, 400, name="first"),
        u(1000, "weft:region_end", 400, 400, name="orphan"),
        u(1200, "weft:task_end", 400, 401, id=77),
        u(2000, "weft:region_begin", 400, 400, name="outer"),
        u(2000, "weft:cond_wait_begin", 400, 402, cond=0x30, mutex=0x31, timed=0),
        u(2200, "weft:task_begin", 400, 401, id=78, name="never ends"),
        u(2500, "weft:region_begin", 400, 400, name="inner"),
        u(2600, "weft:block_end", 400, 401),
        u(3000, "weft:region_end", 400, 400, name="outer"),
        u(3000, "weft:cond_signal", 400, 403, obj=0x30, waiters=1),
        u(3100, "weft:cond_wait_end", 400, 402, cond=0x30, mutex=0x31, ret=0),
        u(3200, "weft:sem_wait_begin", 400, 402, obj=0x40, timed=0),
        u(3300, "weft:sem_post", 400, 403, obj=0x40, waiters=1),
        u(3400, "weft:sem_wait_end", 400, 402, obj=0x40, ret=0),
        u(3500, "weft:region_begin", 400, 400, name="never ended"),
        u(3600, "weft:flow_out", 400, 403, id=5),
        u(3700, "weft:flow_in", 400, 402, id=5),
        u(4000, "weft:lock_wait", 400, 400, lock=0x20, kind=4),
        u(4000, "weft:syscall_begin", 400, 402, kind=0, fd=3),
        u(4500, "weft:syscall_end", 400, 402, kind=0, ret=10),
        u(4600, "weft:syscall_begin", 400, 402, kind=21, fd=-1),
        u(4700, "weft:alloc", 400, 403, ptr=0x5000, size=100, func=0, weight=100),
        u(4800, "weft:alloc", 400, 403, ptr=0x6000, size=50, func=0, weight=50),
        u(4900, "weft:free", 400, 403, ptr=0x5000),
        u(5000, "weft:syscall_end", 400, 402, kind=21, ret=0),
        u(5100, "weft:log", 400, 403, category="cat", msg="hello"),
        u(5200, "weft:counter", 400, 403, name="queue", value=3),
        u(5300, "weft:counter", 400, 403, name="queue", value=-1),
        u(5400, "weft:lock_wait", 400, 403, lock=0x50, kind=0),
        u(5600, "weft:mark", 400, 403, name="after the wait"),
        u(5700, "weft:lock_released", 400, 403, lock=0x50, kind=0, acquire_ts=5500,
          release_ts=0, waited=1, waiters=0),
        u(9000, "weft:mark", 400, 401, name="last"),
    ], None)])]


def scenario_ust_wrappers():
    return [("ust", 0, [(1000, 9000, [
        u(1000, "lttng_ust_pthread:pthread_mutex_lock_req", 500, 500, mutex=0x70),
        u(1100, "lttng_ust_pthread:pthread_mutex_lock_acq", 500, 500, mutex=0x70, status=0),
        u(1200, "lttng_ust_pthread:pthread_mutex_lock_req", 500, 501, mutex=0x70),
        u(1300, "lttng_ust_libc:malloc", 500, 500, size=64, ptr=0x9000),
        u(3000, "lttng_ust_pthread:pthread_mutex_unlock", 500, 500, mutex=0x70, status=0),
        u(3100, "lttng_ust_pthread:pthread_mutex_lock_acq", 500, 501, mutex=0x70, status=0),
        u(4000, "lttng_ust_pthread:pthread_mutex_unlock", 500, 501, mutex=0x70, status=0),
        u(5000, "lttng_ust_libc:malloc", 500, 501, size=36, ptr=0x9100),
        u(6000, "lttng_ust_libc:free", 500, 500, ptr=0x9000),
        u(7000, "lttng_ust_libc:free", 500, 501, ptr=0x1234),
    ], None)])]


def scenario_unknown():
    return [("ust", 0, [(1000, 3000, [
        u(1000, "foo:unknown", 600, 600, x=1),
        u(2000, "foo:unknown", 600, 600, x=2),
        u(2500, "weft:mark", 600, 600, name="understood"),
    ], None)])]


# weft:heap is sampled at most once per ms: allocations after its last
# sample. pid 700 records every allocation (its heap curve must end with
# the records' total, 500 bytes live); pid 701 samples them (weight != size:
# the records are not exact, the curve stays as written).
def scenario_heap_tail():
    return [("ust", 0, [(1000, 9000, [
        u(1000, "weft:alloc", 700, 700, ptr=0xA000, size=100, func=0, weight=100),
        u(1000, "weft:heap", 700, 700, in_use=100, allocs=1, frees=0),
        u(1100, "weft:alloc", 701, 701, ptr=0xA000, size=64, func=0, weight=4096),
        u(1100, "weft:heap", 701, 701, in_use=64, allocs=1, frees=0),
        u(1500, "weft:alloc", 700, 700, ptr=0xB000, size=200, func=0, weight=200),
        u(1600, "weft:alloc", 700, 701, ptr=0xC000, size=300, func=0, weight=300),
        u(1700, "weft:alloc", 701, 701, ptr=0xB000, size=64, func=0, weight=4096),
        u(2000, "weft:free", 700, 700, ptr=0xA000),
        u(9000, "weft:mark", 700, 700, name="end"),
        u(9000, "weft:mark", 701, 701, name="end"),
    ], None)])]


# A thread whose start routine lies in a library weft cannot name (not on
# this machine, or stripped): it keeps the library's name and the offset.
def scenario_stripped_routine():
    lib = 0x7F0000000000
    return [("ust", 0, [(1000, 9000, [
        u(1000, "lttng_ust_statedump:bin_info", 800, 800, baddr=lib, memsz=0x100000,
          path="/nonexistent/liblzma.so.5.4.1", is_pic=1),
        u(2000, "weft:thread_create", 800, 800, create_id=1, start_routine=lib + 0xCD00),
        u(3000, "weft:thread_start", 800, 801, create_id=1, start_routine=lib + 0xCD00,
          pthread=0xAA),
        u(4000, "weft:mark", 800, 801, name="work"),
        u(9000, "weft:thread_exit", 800, 801),
    ], None)])]


def scenario_empty():
    return [("ust", 0, [(1000, 2000, [], None)])]


SCENARIOS = {
    "tidreuse": scenario_tidreuse,
    "kernel": scenario_kernel,
    "discarded": scenario_discarded,
    "unmatched": scenario_unmatched,
    "ust-wrappers": scenario_ust_wrappers,
    "unknown": scenario_unknown,
    "empty": scenario_empty,
    "heap-tail": scenario_heap_tail,
    "stripped-routine": scenario_stripped_routine,
}


class SynthIter(bt2._UserMessageIterator):
    def __init__(self, config, port):
        comp, kind, cpu, packets = port.user_data
        self._msgs = []
        stream = comp._trace.create_stream(comp._sc[kind])
        self._msgs.append(self._create_stream_beginning_message(stream))
        prev_end = None
        for begin, end, events, discarded in packets:
            if discarded is not None:
                self._msgs.append(self._create_discarded_events_message(
                    stream, discarded, prev_end, end))
            packet = stream.create_packet()
            packet.context_field["cpu_id"] = cpu
            self._msgs.append(self._create_packet_beginning_message(packet, begin))
            for _, ts, name, ctx, payload in events:
                msg = self._create_event_message(comp._ec[kind][name], packet, ts)
                if ctx is not None:
                    for key, value in ctx.items():
                        msg.event.common_context_field[key] = value
                for key, value in payload.items():
                    msg.event.payload_field[key] = value
                self._msgs.append(msg)
            self._msgs.append(self._create_packet_end_message(packet, end))
            prev_end = end
        self._msgs.append(self._create_stream_end_message(stream))
        self._msgs.reverse()

    def __next__(self):
        if not self._msgs:
            raise StopIteration
        return self._msgs.pop()


@bt2.plugin_component_class
class Synth(bt2._UserSourceComponent, message_iterator_class=SynthIter):
    def __init__(self, config, params, obj):
        name = str(params["scenario"])
        streams = SCENARIOS[name]()
        tc = self._create_trace_class()
        cc = self._create_clock_class(
            name="monotonic", frequency=1000000000,
            offset=bt2.ClockClassOffset(OFFSET_S, 0), origin_is_unix_epoch=True)
        self._sc = {}
        self._ec = {}
        for kind in ("ust", "kernel"):
            pc = tc.create_structure_field_class()
            pc.append_member("cpu_id", tc.create_unsigned_integer_field_class(32))
            ctx = None
            if kind == "ust":
                ctx = tc.create_structure_field_class()
                ctx.append_member("vpid", tc.create_signed_integer_field_class(32))
                ctx.append_member("vtid", tc.create_signed_integer_field_class(32))
                ctx.append_member("procname", tc.create_string_field_class())
                ctx.append_member("ip", tc.create_unsigned_integer_field_class(64))
            sc = tc.create_stream_class(
                name=kind, default_clock_class=cc, packet_context_field_class=pc,
                event_common_context_field_class=ctx, supports_packets=True,
                packets_have_beginning_default_clock_snapshot=True,
                packets_have_end_default_clock_snapshot=True,
                supports_discarded_events=True,
                discarded_events_have_default_clock_snapshots=True)
            self._sc[kind] = sc
            self._ec[kind] = {}
            for ev, fields in EVENTS.items():
                if (kind == "kernel") != ev.startswith("sched_"):
                    continue
                payload = tc.create_structure_field_class()
                for fname, ftype in fields:
                    if ftype == "u":
                        fc = tc.create_unsigned_integer_field_class(64)
                    elif ftype == "i":
                        fc = tc.create_signed_integer_field_class(64)
                    else:
                        fc = tc.create_string_field_class()
                    payload.append_member(fname, fc)
                self._ec[kind][ev] = sc.create_event_class(name=ev, payload_field_class=payload)
        self._trace = tc(environment={"hostname": "synth", "domain": "ust"})
        for i, (kind, cpu, packets) in enumerate(streams):
            self._add_output_port("out%d" % i, (self, kind, cpu, packets))
