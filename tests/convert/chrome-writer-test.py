#!/usr/bin/env python3
"""The Chrome JSON writer on hand-built models (chrome-model-gen), every
output checked by check-chrome-json.py and its contents asserted.

    chrome-writer-test.py CHROME_MODEL_GEN CHECKER
"""
import decimal
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile

GEN, CHECKER = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("checker", CHECKER)
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)

failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def run(tmp, model, name, *opts, ok=True):
    out = os.path.join(tmp, name)
    p = subprocess.run([GEN, model, out, *opts], capture_output=True, text=True)
    if not ok:
        return p
    if p.returncode != 0:
        raise SystemExit(f"chrome-model-gen {model} {opts} failed: {p.stderr}")
    text = checker.load_text(out)
    problems = checker.check_document(text)
    expect(not problems, f"{name}: checker: {problems[:5]}")
    first, _, message = p.stdout.partition("\n")
    st = json.loads(first)
    st["message"] = message.strip()
    return json.loads(text, parse_float=decimal.Decimal), st


def xs(doc, tid=None, name=None):
    return [e for e in doc["traceEvents"] if e["ph"] == "X" and (tid is None or e["tid"] == tid)
            and (name is None or e["name"] == name)]


def span(e):
    return (decimal.Decimal(e["ts"]), decimal.Decimal(e["ts"]) + decimal.Decimal(e["dur"]))


def test_basic(tmp):
    doc, st = run(tmp, "basic", "basic.json")
    ev = doc["traceEvents"]
    meta = [e for e in ev if e["ph"] == "M"]
    expect({"name": "prog"} in [e["args"] for e in meta if e["name"] == "process_name"],
           "process_name prog")
    expect(any(e["name"] == "thread_name" and e["tid"] == 101 and e["args"]["name"] == 'worker "1"'
               for e in meta), "thread name with quotes escaped")
    # states split at region boundaries, leaves inside regions
    mutex = sorted(span(e) for e in xs(doc, 100, "mutex"))
    expect(mutex == [(decimal.Decimal("1.5"), 2), (2, decimal.Decimal("2.5"))],
           f"mutex split at the inner region start: {mutex}")
    condvar = sorted(span(e) for e in xs(doc, 100, "condvar"))
    expect(condvar == [(4, 5), (5, 6)], f"condvar split at the inner region end: {condvar}")
    expect(not xs(doc, 100, "running"), "running gets no slice")
    over = xs(doc, 100, "overlapping")
    expect(len(over) == 1 and span(over[0]) == (8, 9), "partially overlapping region clipped")
    read = xs(doc, 100, "read()")
    expect(len(read) == 2 and all(e["args"]["fd"] == 3 for e in read), "syscall name and fd")
    m = xs(doc, 100, "mutex")[0]["args"]
    expect(m.get("object") == "0xabc0" and m.get("site") == "worker_main (prog.c:42)"
           and "binary" not in m, f"mutex args: {m}")
    join = xs(doc, 100, "join")[0]
    expect(join["args"].get("unfinished") is True, "unfinished flag")
    expect(xs(doc, 101, "waiting for disk"), "custom block reason as name")
    expect(xs(doc, 101, "data lost"), "data-lost state slice")
    # ts in microseconds relative to the start, with ns fractions
    expect(xs(doc, 200, "mutex")[0]["ts"] == decimal.Decimal("0.1"), "ts relative, us")
    # instants
    logs = [e for e in ev if e["ph"] == "i" and e.get("cat") == "log"]
    expect(len(logs) == 1 and logs[0]["name"] == 'hello "world"\n !'
           and logs[0]["args"]["category"] == "net", f"log instant: {logs}")
    marks = [e for e in ev if e["ph"] == "i" and e.get("cat") == "mark"]
    expect(len(marks) == 1 and marks[0]["name"] == "tick" and marks[0]["ts"] == decimal.Decimal("3.5"),
           "mark instant")
    # counters
    heap = [(e["ts"], e["args"]["bytes"]) for e in ev if e["ph"] == "C" and e["name"] == "heap"]
    expect(heap == [(1, 100), (5, 300), (7, 200)], f"heap counter: {heap}")
    expect(len([e for e in ev if e["ph"] == "C" and e["name"] == "queue"]) == 2, "user counter")
    # tasks: lanes never overlap, the cross-thread one ends on the worker
    b = [e for e in ev if e["ph"] == "b"]
    e_ = [e for e in ev if e["ph"] == "e"]
    expect(len(b) == 3 and len(e_) == 3, "three tasks")
    expect([x["id"] for x in b] == [0, 1, 0], f"task lanes: {[x['id'] for x in b]}")
    expect(e_[0]["tid"] == 101 and b[0]["tid"] == 100 and b[0]["args"]["task"] == 42,
           "task begins on main, ends on worker")
    # flows: v2, one zero-length carrier per end; the backwards flow is left out
    flows = [e for e in ev if "bind_id" in e]
    expect(len(flows) == 4 and st["bad_flows"] == 1, f"flows: {len(flows)}, bad {st['bad_flows']}")
    out = [e for e in flows if e.get("flow_out")]
    expect(out[0]["name"] == "lock hand-off" and out[0]["tid"] == 101 and
           out[0]["ts"] == decimal.Decimal("2.4"), "hand-off source")
    # data lost
    lost = [e for e in ev if e["ph"] == "i" and e["name"] == "data lost"]
    expect(len(lost) == 1 and lost[0]["args"]["discarded"] == 17, "data-lost instant")
    md = doc["metadata"]
    expect(md["discarded-events"] == 17 and md["skipped-events"] == 3
           and md["data-lost"][0]["discarded"] == 17, f"metadata: {md}")
    expect(any(e["name"] == "process_labels" for e in meta), "data-lost process label")


def test_symbols(tmp):
    doc, _ = run(tmp, "basic", "nosym.json", "--no-symbols")
    expect(not any("site" in e.get("args", {}) for e in doc["traceEvents"]), "--no-symbols")


# The stacks of chrome-model-gen's basic model, leaf first (basic_stacks()).
STACK_A = ["lock_helper (lock.h:7) [inlined]", "worker_main (prog.c:42)", "start_thread"]
STACK_B = ["worker_main (prog.c:42)", "main (prog.c:10)"]
STACK_C = ["0xdead", "libfoo.so+0x1f00", "main (prog.c:10)"]


def chain(doc, ev):
    """The stackFrames nodes from ev's sf to the root, leaf first."""
    frames, out, node = doc["stackFrames"], [], str(ev["sf"])
    while node is not None:
        out.append(frames[node])
        node = frames[node].get("parent")
    return out


def test_stacks(tmp):
    doc, _ = run(tmp, "basic", "stacks.json")
    ev = doc["traceEvents"]
    want = {(100, "mutex"): STACK_B, (100, "condvar"): STACK_B, (100, "read()"): STACK_C,
            (101, "semaphore"): STACK_A}
    for (tid, name), stack in want.items():
        for e in xs(doc, tid, name):
            expect([n["name"] for n in chain(doc, e)] == stack and e["args"]["stack"] == stack,
                   f"{name} carries its stack through sf and args.stack: {e}")
    out = {e["name"]: e for e in ev if e.get("flow_out")}
    expect(out["lock hand-off"]["args"].get("stack") == STACK_A,
           f"hand-off source carries the releaser's stack: {out['lock hand-off']}")
    expect(out["thread create"]["args"].get("stack") == STACK_B,
           f"thread create carries the creator's stack: {out['thread create']}")
    bare = [e for e in ev if e["ph"] == "X" and (e["tid"], e["name"]) not in want
            and not e.get("flow_out")]
    expect(bare and not any("sf" in e or "stack" in e.get("args", {}) for e in bare),
           "events without a stack carry none (sleep, join, regions, flow ends)")
    expect(not any("sf" in e for e in ev if e["ph"] != "X"), "sf only on X events")
    # one node per (parent, frame): A has its own root, B and C share main
    frames = doc["stackFrames"]
    expect(len(frames) == 7, f"7 shared nodes for 3 stacks of 8 frames: {len(frames)}")
    helper = chain(doc, xs(doc, 101, "semaphore")[0])
    expect(helper[0].get("file") == "/src/prog/lock.h" and helper[0].get("category") == "prog"
           and helper[2].get("category") == "libc.so.6" and "parent" not in helper[2],
           f"node details: file when shortened, binary as category, root without parent: {helper}")
    expect(list(doc.keys())[-1] == "stackFrames", "stackFrames is the last key")
    doc, _ = run(tmp, "basic", "stacks-nosym.json", "--no-symbols")
    expect("stackFrames" not in doc and not any("sf" in e for e in doc["traceEvents"]),
           "--no-symbols writes no stacks")
    doc, _ = run(tmp, "basic", "stacks-101.json", "--tid", "101")
    expect([n["name"] for n in doc["stackFrames"].values()] == STACK_A[::-1],
           f"--tid 101: only the worker's frames: {doc.get('stackFrames')}")
    doc, _ = run(tmp, "basic", "stacks-200.json", "--tid", "200")
    expect("stackFrames" not in doc, "a thread without stacks: no stackFrames")


def test_stack_size(tmp):
    """Stacks must not double the file (docs/convert.md gives the figures)."""
    _, with_st = run(tmp, "server:4000", "server.json")
    _, without = run(tmp, "server:4000", "server-bare.json", "--strip-stacks")
    growth = with_st["bytes"] / without["bytes"]
    print(f"server:4000: {without['bytes']} bytes without stacks, {with_st['bytes']} with "
          f"({growth:.2f}x)")
    expect(1.2 < growth < 2.0, f"stacks grow the file {growth:.2f}x (wanted below 2x)")
    full, _ = run(tmp, "server:4000", "server.json", "--force")
    limit = int(with_st["bytes"] * 0.7)
    doc, st = run(tmp, "server:4000", "server-cut.json", "--max-size", str(limit))
    size = os.path.getsize(os.path.join(tmp, "server-cut.json"))
    expect(0.8 * limit <= size <= limit and st["dropped_slices"] > 0,
           f"--max-size with stacks: {size} bytes for {limit}")
    mutex_kept = xs(doc, name="mutex")
    lock_nodes = [n for n in doc["stackFrames"].values() if n["name"].startswith("lock_shared")]
    expect(len(doc["stackFrames"]) < len(full["stackFrames"]) and
           (mutex_kept or not lock_nodes),
           f"frames only of the events kept: {len(doc['stackFrames'])} of "
           f"{len(full['stackFrames'])} nodes, {len(mutex_kept)} mutex slices, "
           f"{len(lock_nodes)} lock_shared nodes")


def test_filters(tmp):
    doc, st = run(tmp, "basic", "tid.json", "--tid", "101")
    tids = {e.get("tid") for e in doc["traceEvents"] if e["ph"] in "Xi" and "tid" in e}
    expect(tids == {101}, f"--tid 101 keeps only 101: {tids}")
    doc, _ = run(tmp, "basic", "pid.json", "--pid", "200")
    expect({e["pid"] for e in doc["traceEvents"]} == {200}, "--pid 200")
    doc, _ = run(tmp, "basic", "win.json", "--from", "2500", "--to", "5500")
    for e in doc["traceEvents"]:
        if e["ph"] in "XiCbe":
            lo, hi = span(e) if e["ph"] == "X" else (e["ts"], e["ts"])
            expect(decimal.Decimal("2.5") <= lo and hi <= decimal.Decimal("5.5"),
                   f"window: {e}")
    cv = sorted(span(e) for e in xs(doc, 100, "condvar"))
    expect(cv == [(4, 5), (5, decimal.Decimal("5.5"))], f"window clips: {cv}")
    heap = [e for e in doc["traceEvents"] if e["ph"] == "C" and e["name"] == "heap"]
    expect(heap and heap[0]["ts"] == decimal.Decimal("2.5") and heap[0]["args"]["bytes"] == 100,
           "counter value carried into the window")
    doc, st = run(tmp, "basic", "excl.json", "--exclude", "mutex", "--exclude", "j*b",
                  "--exclude", "hello*")
    names = {e.get("name") for e in doc["traceEvents"]}
    expect("mutex" not in names and "job" not in names and "condvar" in names
           and not any(n and n.startswith("hello") for n in names), "--exclude globs")
    expect(st["filtered"] > 0, "filtered count")


def test_max_size(tmp):
    doc, st = run(tmp, "big:20000", "big.json")
    full = st["bytes"]
    expect(full > 1_000_000, f"big model size {full}")
    limit = full // 2
    doc, st = run(tmp, "big:20000", "half.json", "--max-size", str(limit))
    expect(st["bytes"] <= limit, f"--max-size respected: {st['bytes']} > {limit}")
    expect(st["dropped_slices"] > 0 and st["dropped_instants"] == 0, "slices dropped first")
    kept = [e["dur"] for e in xs(doc) if "bind_id" not in e]
    below = decimal.Decimal(st["dropped_below"]) / 1000
    expect(kept and min(kept) >= below, f"only the shortest slices dropped: {min(kept)} < {below}")
    expect(doc["metadata"]["dropped"]["slices"] == st["dropped_slices"], "dropped in metadata")
    # The budget is filled (at least 80 %), the shortest slices go first and
    # the summary names the shortest kept duration, in a readable unit.
    units = {"ns": decimal.Decimal("0.001"), "us": 1, "ms": 1000, "s": 1000000}
    for frac in (0.3, 0.5, 0.7, 0.9):
        limit = int(full * frac)
        doc, st = run(tmp, "big:20000", f"fill{frac}.json", "--max-size", str(limit))
        size = os.path.getsize(os.path.join(tmp, f"fill{frac}.json"))
        expect(0.8 * limit <= size <= limit,
               f"--max-size {limit}: {size} bytes outside [0.8, 1.0] x budget")
        kept = [e["dur"] for e in xs(doc) if "bind_id" not in e]
        below = decimal.Decimal(st["dropped_below"]) / 1000
        expect(kept and min(kept) == below,
               f"--max-size {limit}: threshold {below} us is not the shortest kept {min(kept)}")
        expect(doc["metadata"]["dropped"]["slices-shorter-than-ns"] == st["dropped_below"],
               "threshold in metadata")
        m = re.search(r"slices shorter than ([0-9.]+) (ns|us|ms|s)\b", st["message"])
        expect(m is not None, f"summary names the threshold: {st['message']!r}")
        if m:
            shown = decimal.Decimal(m.group(1)) * units[m.group(2)]
            digits = len(m.group(1).partition(".")[2])
            tolerance = units[m.group(2)] * decimal.Decimal(10) ** -digits / 2
            expect(abs(shown - below) <= tolerance and 1 <= decimal.Decimal(m.group(1)) < 1000,
                   f"summary threshold {m.group(0)!r} vs shortest kept {below} us")
    # Past the slices, instants, flows and counters are thinned evenly, so
    # the budget is still filled; a class is only dropped whole when needed.
    partial = []
    for limit in range(100_000, 400_001, 50_000):
        doc, st = run(tmp, "big:20000", f"thin{limit}.json", "--max-size", str(limit))
        size = os.path.getsize(os.path.join(tmp, f"thin{limit}.json"))
        if st["over_size"]:
            expect(size > limit, f"over_size but {size} <= {limit}")
            continue
        expect(0.8 * limit <= size <= limit,
               f"--max-size {limit} past the slices: {size} bytes outside [0.8, 1.0] x budget")
        if st["dropped_slices"] == 20000:
            expect(st["message"].startswith("all 20000 slices"), f"all slices: {st['message']}")
        partial.append((st["dropped_instants"], st["dropped_flows"]))
    expect(any(0 < i < 2000 for i, _ in partial), f"instants never thinned: {partial}")
    expect(any(i == 2000 and 0 < f for i, f in partial), f"flows never dropped: {partial}")
    # nothing left of slices: then instants go
    doc, st = run(tmp, "big:20000", "tiny.json", "--max-size", "200000")
    expect(st["dropped_instants"] > 0 and not [e for e in xs(doc) if "bind_id" not in e],
           f"instants dropped after every slice: {st}")


def test_errors(tmp):
    p = run(tmp, "basic", "basic.json", ok=False)
    expect(p.returncode == 1 and "file exists" in p.stderr, f"refuses to overwrite: {p.stderr}")
    p = run(tmp, "basic", "basic.json", "--force", ok=False)
    expect(p.returncode == 0, "--force overwrites")
    p = run(tmp, "basic", "w.json", "--from", "5000", "--to", "100", ok=False)
    expect(p.returncode == 1 and "before --from" in p.stderr and
           not os.path.exists(os.path.join(tmp, "w.json")), "bad window")
    p = run(tmp, "basic", "/nonexistent-dir/x.json", ok=False)
    expect(p.returncode == 1 and "Failed to create output" in p.stderr, "unwritable output")


def test_gzip(tmp):
    doc, st = run(tmp, "basic", "basic.json.gz")
    with open(os.path.join(tmp, "basic.json.gz"), "rb") as f:
        expect(f.read(2) == b"\x1f\x8b", "gzip magic")
    expect(len(doc["traceEvents"]) == st["events"], "gzip content")


def test_checker_catches(tmp):
    bad = [
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":0,"dur":5,"name":"a"},'
         '{"ph":"X","pid":1,"tid":1,"ts":3,"dur":5,"name":"b"}],"metadata":{}}', "partially overlaps"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"b","cat":"c","id":1,"pid":1,"tid":1,"ts":0,'
         '"name":"a"}],"metadata":{}}', "without 'e'"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":0,"dur":0,"name":"a",'
         '"bind_id":1,"flow_out":true}],"metadata":{}}', "0 flow_in"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":0.0001,"dur":1,'
         '"name":"a"}],"metadata":{}}', "more than 3 decimals"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1,"dur":-1,'
         '"name":"a"}],"metadata":{}}', "negative"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1,"dur":1,'
         '"name":"a","sf":2,"args":{"stack":["f"]}}],"metadata":{},'
         '"stackFrames":{"1":{"name":"f"}}}', "missing or without a name"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1,"dur":1,'
         '"name":"a","sf":2,"args":{"stack":["f"]}}],"metadata":{},'
         '"stackFrames":{"1":{"name":"main"},"2":{"name":"f","parent":"1"}}}', "is not the sf chain"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1,"dur":1,'
         '"name":"a","sf":1,"args":{"stack":["f"]}}],"metadata":{},'
         '"stackFrames":{"1":{"name":"f"},"2":{"name":"g"}}}', "on no event's chain"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1,"dur":1,'
         '"name":"a","args":{"stack":["f"]}}],"metadata":{}}', "args.stack without sf"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1,"dur":1,'
         '"name":"a","sf":1,"args":{"stack":["f"]}}],"stackFrames":{"1":{"name":"f"}},'
         '"metadata":{}}', "before metadata"),
        ('{"displayTimeUnit":"ns","traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1,"dur":1,'
         '"name":"a","sf":3,"args":{"stack":["f","f"]}},{"ph":"X","pid":1,"tid":1,"ts":1,'
         '"dur":1,"name":"a","sf":2,"args":{"stack":["f"]}}],"metadata":{},'
         '"stackFrames":{"1":{"name":"f"},"2":{"name":"f"},"3":{"name":"f","parent":"1"}}}',
         "a sibling reads the same"),
    ]
    for text, what in bad:
        problems = checker.check_document(text)
        expect(any(what in p for p in problems), f"checker catches {what!r}: {problems}")


def main():
    with tempfile.TemporaryDirectory(prefix="weft-chrome-") as tmp:
        for t in (test_basic, test_stacks, test_stack_size, test_symbols, test_filters, test_max_size, test_errors, test_gzip,
                  test_checker_catches):
            t(tmp)
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
