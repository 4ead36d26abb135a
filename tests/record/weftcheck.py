"""Helpers shared by the recording tests: run `weft record`, read traces
back with babeltrace2's Python bindings (bt2), and the every-macro program's
expected event sequence. Run with /usr/bin/python3 (the one that has bt2)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import bt2


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def require_sessiond():
    """A recording test cannot run without lttng-sessiond: fail, say how."""
    r = subprocess.run(["lttng", "list"], capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL: no lttng-sessiond is reachable (`lttng list`: %s). Run the suite "
              "through tests/run.sh, which starts one, or start one with "
              "`lttng-sessiond --daemonize`." % (r.stderr.strip() or r.stdout.strip()))
        sys.exit(1)


def main(test):
    """Runs test() with a fresh temporary folder; prints FAIL/ok."""
    require_sessiond()
    tmp = tempfile.mkdtemp(prefix="weft-test-")
    try:
        test(tmp)
    except Failure as e:
        print("FAIL:", e)
        sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok")


def weft_record(weft, args, **kw):
    """Runs `weft record ARGS`; returns (returncode, stdout, stderr)."""
    r = subprocess.run([weft, "record"] + list(args), capture_output=True, text=True,
                       timeout=kw.pop("timeout", 120), **kw)
    return r.returncode, r.stdout, r.stderr


def parse_summary(stderr):
    """The summary weft record prints on stderr, as a dict."""
    s = {}
    m = re.search(r"^weft record: trace: (.*)$", stderr, re.M)
    if m:
        s["trace"] = m.group(1)
    m = re.search(r"^weft record: events: (\d+) \((\d+) from (.*), pid (\d+)\)$", stderr, re.M)
    if m:
        s["events"], s["own"], s["pid"] = int(m.group(1)), int(m.group(2)), int(m.group(4))
    m = re.search(r"^weft record: discarded events: (\d+)$", stderr, re.M)
    if m:
        s["discarded"] = int(m.group(1))
    return s


def value(field):
    """A bt2 field as a plain Python value (enumerations as their label)."""
    if hasattr(field, "labels"):
        labels = list(field.labels)
        return labels[0] if labels else int(field)
    if isinstance(field, bt2._StringFieldConst):
        return str(field)
    if isinstance(field, bt2._IntegerFieldConst):
        return int(field)
    if isinstance(field, bt2._StructureFieldConst):
        return {k: value(v) for k, v in field.items()}
    if isinstance(field, bt2._ArrayFieldConst):
        return [value(v) for v in field]
    return field


def read_events(trace_dir, vpid=None):
    """Every event of the trace (of process vpid only, if given), in time
    order: dicts with name, ts, ctx (common context) and fields (payload)."""
    events = []
    if not any("metadata" in files for _, _, files in os.walk(trace_dir)):
        return events  # no instrumented process registered: an empty trace
    for msg in bt2.TraceCollectionMessageIterator(trace_dir):
        if type(msg) is not bt2._EventMessageConst:
            continue
        ev = msg.event
        ctx = value(ev.common_context_field) if ev.common_context_field is not None else {}
        if vpid is not None and ctx.get("vpid") != vpid:
            continue
        events.append({
            "name": ev.name,
            "ts": msg.default_clock_snapshot.ns_from_origin,
            "ctx": ctx,
            "fields": value(ev.payload_field) if ev.payload_field is not None else {},
        })
    return events


def symbols(binary):
    """{name: (start, end)} of the binary's defined symbols (file offsets),
    C++ names demangled and without their parameter lists."""
    out = subprocess.run(["nm", "-S", "-C", "--defined-only", binary], capture_output=True,
                         text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) == 4 and "[clone" not in parts[3]:
            start, size = int(parts[0], 16), int(parts[1], 16)
            syms[parts[3].split("(")[0]] = (start, start + size)  # C++: "scoped()"
    return syms


def base_address(events, binary):
    """The load address of `binary` from the lttng_ust_statedump:bin_info events."""
    real = os.path.realpath(binary)
    for e in events:
        if e["name"] == "lttng_ust_statedump:bin_info" and e["fields"]["path"] == real:
            return e["fields"]["baddr"]
    raise Failure("no lttng_ust_statedump:bin_info event for %s" % real)


# The events of tests/instrument/every-macro.c, in order: (function that
# holds the call site, event name, payload). "@pool+N" is an address inside
# the program's static `pool` array; None: present, value not checked.
EVERY_MACRO = [
    ("main", "weft:thread_name", {"pthread": None, "name": "main-thread"}),
    ("main", "weft:region_begin", {"name": "explicit"}),
    ("main", "weft:region_end", {"name": "explicit"}),
    ("scoped", "weft:region_begin", {"name": "outer"}),
    ("scoped", "weft:region_begin", {"name": "same-line"}),
    ("scoped", "weft:region_begin", {"name": "inner"}),
    ("scoped", "weft:mark", {"name": "in-inner"}),
    ("scoped", "weft:region_end", {"name": "inner"}),
    ("scoped", "weft:mark", {"name": "after-inner"}),
    ("scoped", "weft:region_end", {"name": "same-line"}),
    ("scoped", "weft:region_end", {"name": "outer"}),
    ("main", "weft:task_begin", {"id": 42, "name": "request"}),
    ("main", "weft:task_end", {"id": 42}),
    ("main", "weft:log", {"category": "plain", "msg": "no arguments"}),
    ("main", "weft:log", {"category": "fmt", "msg": "answer=7 name=weft"}),
    ("main", "weft:counter", {"name": "queue-depth", "value": -5}),
    ("main", "weft:mark", {"name": "mark"}),
    ("main", "weft:flow_out", {"id": 7}),
    ("main", "weft:flow_in", {"id": 7}),
    ("main", "weft:lock_wait", {"lock": "@pool+0", "kind": "custom", "stack": 0, "holder": 0}),
    ("main", "weft:lock_acquired", {"lock": "@pool+0", "kind": "custom", "acquire_ts": 0}),
    ("main", "weft:lock_released", {"lock": "@pool+0", "kind": "custom", "acquire_ts": 0,
                                    "release_ts": 0, "waited": 0, "waiters": -1,
                                    "acquire_ip": 0, "stack": 0}),
    ("main", "weft:block_begin", {"name": "disk"}),
    ("main", "weft:block_end", {}),
    ("main", "weft:alloc", {"ptr": "@pool+4", "size": 16, "func": "custom", "weight": 16,
                            "stack": 0}),
    ("main", "weft:free", {"ptr": "@pool+4"}),
]


def symbolize(events, binary):
    """The program's weft events with addresses made relative to its load
    address: ip becomes the name of the function holding it, pointers into
    `pool` become "@pool+N". The result compares equal across runs."""
    syms = symbols(binary)
    baddr = base_address(events, binary)
    out = []
    for e in events:
        if not e["name"].startswith("weft:"):
            continue
        ip = e["ctx"].get("ip", 0) - baddr
        func = next((n for n in ("main", "scoped") if syms[n][0] <= ip < syms[n][1]),
                    "0x%x" % ip)
        fields = {}
        for k, v in e["fields"].items():
            if k in ("lock", "ptr") and isinstance(v, int):
                off = v - baddr - syms["pool"][0]
                v = "@pool+%d" % off if 0 <= off < 16 else "0x%x" % v
            fields[k] = v
        out.append((func, e["name"], fields))
    return out


def check_every_macro(events, binary, pid):
    """Asserts the every-macro program's events: sequence, fields, contexts."""
    mine = [e for e in events if e["name"].startswith("weft:")]
    names = [e["name"] for e in mine]
    check(len(mine) == len(EVERY_MACRO),
          "expected %d weft events from pid %d, got %d: %s"
          % (len(EVERY_MACRO), pid, len(mine), names))
    got = symbolize(events, binary)
    for i, (exp, g) in enumerate(zip(EVERY_MACRO, got)):
        efunc, ename, efields = exp
        gfunc, gname, gfields = g
        check(gname == ename, "event %d is %s, expected %s" % (i, gname, ename))
        check(gfunc == efunc, "event %d (%s): ip is in %s, expected inside %s()"
              % (i, ename, gfunc, efunc))
        check(set(gfields) == set(efields), "event %d (%s): fields %s, expected %s"
              % (i, ename, sorted(gfields), sorted(efields)))
        for k, v in efields.items():
            check(v is None or gfields[k] == v, "event %d (%s): %s = %r, expected %r"
                  % (i, ename, k, gfields[k], v))
    procname = os.path.basename(binary)[:15]
    ips = set()
    for i, e in enumerate(mine):
        ctx = e["ctx"]
        for k in ("vpid", "vtid", "procname", "ip"):
            check(k in ctx, "event %d (%s) has no %s context" % (i, e["name"], k))
        check(ctx["vpid"] == pid and ctx["vtid"] == pid,
              "event %d: vpid/vtid %d/%d, expected %d" % (i, ctx["vpid"], ctx["vtid"], pid))
        check(ctx["procname"] == procname,
              "event %d: procname %r, expected %r" % (i, ctx["procname"], procname))
        check(ctx["ip"] != 0, "event %d (%s): ip is 0" % (i, e["name"]))
        ips.add(ctx["ip"])
    check(len(ips) == len(mine), "the %d macros share call sites: %d distinct ip values"
          % (len(mine), len(ips)))
    ts = [e["ts"] for e in mine]
    check(ts == sorted(ts), "the events are not in time order")
