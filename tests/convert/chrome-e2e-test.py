#!/usr/bin/env python3
"""End to end: record chrome-prog in a real LTTng session, convert it with
`weft convert` and with the babeltrace2 plugin, check every JSON with
check-chrome-json.py and assert its contents.

    chrome-e2e-test.py WEFT PLUGIN_DIR CHROME_PROG CHECKER [PRELOAD_LIB]

With PRELOAD_LIB (libweft-preload.so) the program runs under the preload
runtime and the test checks what the runtime adds: thread-create flows,
lock hand-offs, sleeps nested in the regions, joins.

Needs a reachable lttng-sessiond (tests/run.sh starts one); fails, never
skips, without one. Assertions only look at the launched program's pid:
the session records every instrumented process on the machine.
"""
import decimal
import gzip
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

WEFT, PLUGIN_DIR, PROG, CHECKER = sys.argv[1:5]
PRELOAD = sys.argv[5] if len(sys.argv) > 5 else None
spec = importlib.util.spec_from_file_location("checker", CHECKER)
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)

failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def sh(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


def lttng(*args):
    p = sh("lttng", *args)
    if p.returncode != 0:
        raise SystemExit(f"lttng {' '.join(args)} failed: {p.stderr.strip()}")


def record(tmp):
    if sh("lttng", "list").returncode != 0:
        raise SystemExit("chrome-e2e: no lttng-sessiond reachable (tests/run.sh starts one)")
    session = f"weft-chrome-e2e-{os.getpid()}"
    trace = os.path.join(tmp, "trace")
    lttng("create", session, f"--output={trace}")
    try:
        lttng("enable-event", "-u", "-s", session, "weft:*")
        lttng("enable-event", "-u", "-s", session, "lttng_ust_statedump:*")
        lttng("add-context", "-u", "-s", session, "-t", "vpid", "-t", "vtid", "-t", "procname",
              "-t", "ip")
        lttng("start", session)
        env = dict(os.environ, LD_PRELOAD=PRELOAD) if PRELOAD else None
        p = sh(PROG, env=env)
        lttng("stop", session)
    finally:
        sh("lttng", "destroy", session)
    if p.returncode != 0:
        raise SystemExit(f"chrome-prog failed: {p.stderr}")
    return trace, int(p.stdout.split()[1])


def convert(trace, out, *opts):
    return sh(WEFT, "convert", trace, "-o", out, *opts)


def load(path):
    text = checker.load_text(path)
    problems = checker.check_document(text)
    expect(not problems, f"{os.path.basename(path)}: checker: {problems[:5]}")
    return json.loads(text, parse_float=decimal.Decimal)


def mine(doc, pid):
    return [e for e in doc["traceEvents"] if e.get("pid") == pid]


def tids_by_name(evs):
    return {e["args"]["name"]: e["tid"] for e in evs
            if e["ph"] == "M" and e["name"] == "thread_name"}


def test_convert(tmp, trace, pid):
    out = os.path.join(tmp, "out.json")
    p = convert(trace, out)
    expect(p.returncode == 0, f"weft convert: {p.stderr}")
    expect(p.stdout.startswith("weft convert: ") and "JSON events" in p.stdout
           and "discarded" in p.stdout and "skipped" in p.stdout and p.stdout.count("\n") == 1,
           f"one-line summary: {p.stdout!r}")
    doc = load(out)
    ev = mine(doc, pid)
    names = tids_by_name(ev)
    expect({"main", "worker-1", "worker-2"} <= set(names), f"thread names: {names}")
    expect(any(e["ph"] == "M" and e["name"] == "process_name" and e["args"]["name"] == "chrome-prog"
               for e in ev), "process name")
    xs = [e for e in ev if e["ph"] == "X"]
    for w in ("worker-1", "worker-2"):
        tid = names.get(w)
        steps = [e for e in xs if e["tid"] == tid and e["name"] == "step"]
        holds = [e for e in xs if e["tid"] == tid and e["name"] == "hold"]
        expect(len(steps) == 20 and len(holds) == 20, f"{w}: 20 steps and holds")
        expect(all(decimal.Decimal(h["dur"]) >= 300 for h in holds),
               f"{w}: hold >= 300 us: {[h['dur'] for h in holds][:5]}")
        expect(all(decimal.Decimal(h["dur"]) < 300000 for h in holds), f"{w}: hold sane")
    locks = [e for e in xs if e["name"] == "lock"]
    expect(locks and all(e["args"].get("object", "").startswith("0x") for e in locks),
           "lock waits with the lock's address")
    disk = [e for e in xs if e["name"] == "waiting for disk"]
    expect(len(disk) == 1 and disk[0]["tid"] == names.get("worker-1")
           and decimal.Decimal(disk[0]["dur"]) >= 1000, f"custom block: {disk}")
    step = next(e for e in xs if e["name"] == "step")
    site = step.get("args", {}).get("site", "")
    # the function always; file:line when babeltrace2's DWARF lookup finds it
    expect(site.startswith("worker") and ("chrome-prog.c:" in site or
                                          step["args"].get("binary") == "chrome-prog"),
           f"symbolized call site: {step.get('args')}")
    b = [e for e in ev if e["ph"] == "b" and e["name"] == "handoff"]
    e_ = [e for e in ev if e["ph"] == "e" and e["name"] == "handoff"]
    expect(len(b) == 1 and len(e_) == 1 and b[0]["tid"] == names.get("main")
           and e_[0]["tid"] == names.get("worker-2"), "task across threads")
    flows = {}
    for e in xs:
        if "bind_id" in e:
            flows.setdefault(e["bind_id"], {})["out" if e.get("flow_out") else "in"] = e
    user = [f for f in flows.values() if f.get("out", {}).get("name") == "flow"]
    expect(len(user) == 1 and user[0]["out"]["tid"] == names.get("main")
           and user[0]["in"]["tid"] == names.get("worker-2"), f"user flow main -> worker-2")
    counters = [e for e in ev if e["ph"] == "C" and e["name"] == "iteration"]
    expect(len(counters) == 40 and max(c["args"]["value"] for c in counters) == 19, "counter")
    marks = [e for e in ev if e["ph"] == "i" and e["name"] == "tick"]
    logs = [e for e in ev if e["ph"] == "i" and e.get("cat") == "log"]
    expect(len(marks) == 8 and len(logs) == 8, f"marks {len(marks)}, logs {len(logs)}")
    expect(any(l["name"] == "worker 1 step 0" and l["args"]["category"] == "test" for l in logs),
           "log message and category")
    expect(isinstance(doc["metadata"].get("discarded-events"), int), "discarded in metadata")
    return out, doc, names


def test_filters(tmp, trace, pid, names):
    out = os.path.join(tmp, "pid.json")
    expect(convert(trace, out, "--pid", str(pid)).returncode == 0, "--pid runs")
    doc = load(out)
    expect({e["pid"] for e in doc["traceEvents"]} == {pid}, "--pid keeps one process")
    w1 = names["worker-1"]
    out = os.path.join(tmp, "tid.json")
    expect(convert(trace, out, "--tid", str(w1)).returncode == 0, "--tid runs")
    doc = load(out)
    expect({e["tid"] for e in doc["traceEvents"] if e["ph"] in "Xi" and "tid" in e} == {w1},
           "--tid keeps one thread")
    out = os.path.join(tmp, "win.json")
    p = convert(trace, out, "--pid", str(pid), "--from", "2ms", "--to", "0.006s")
    expect(p.returncode == 0, f"window runs: {p.stderr}")
    doc = load(out)
    for e in doc["traceEvents"]:
        if e["ph"] in "XiC":
            end = e["ts"] + e.get("dur", 0)
            expect(2000 <= e["ts"] and end <= 6000, f"window: {e}")
    out = os.path.join(tmp, "excl.json")
    expect(convert(trace, out, "--exclude", "ho*", "--exclude", "tick").returncode == 0,
           "--exclude runs")
    names_left = {e.get("name") for e in load(out)["traceEvents"]}
    expect("hold" not in names_left and "tick" not in names_left and "step" in names_left,
           "--exclude globs")


def test_max_size(tmp, trace, full):
    size = os.path.getsize(full)
    out = os.path.join(tmp, "small.json")
    limit_mb = size * 0.6 / 1e6
    p = convert(trace, out, "--max-size", f"{limit_mb:.6f}")
    expect(p.returncode == 0 and "--max-size dropped" in p.stdout and "slices shorter than" in p.stdout,
           f"--max-size reports what it dropped: {p.stdout}")
    expect(os.path.getsize(out) <= limit_mb * 1e6, "--max-size respected")
    load(out)


def test_gzip(tmp, trace, doc):
    out = os.path.join(tmp, "out.json.gz")
    expect(convert(trace, out).returncode == 0, ".gz runs")
    with gzip.open(out, "rt") as f:
        text = f.read()
    expect(json.loads(text, parse_float=decimal.Decimal) == doc, ".gz holds the same JSON")
    load(out)


def test_plugin(tmp, trace, full):
    out = os.path.join(tmp, "plugin.json")
    p = sh("babeltrace2", f"--plugin-path={PLUGIN_DIR}", trace, "-c", "sink.weft.chrome",
           "-p", f'path="{out}"')
    expect(p.returncode == 0, f"plugin runs: {p.stderr[-500:]}")
    with open(full, "rb") as a, open(out, "rb") as b:
        expect(a.read() == b.read(), "plugin output identical to weft convert's")
    nosym = os.path.join(tmp, "nosym.json")
    convert(trace, nosym, "--no-symbols")
    out2 = os.path.join(tmp, "plugin-nosym.json")
    p = sh("babeltrace2", f"--plugin-path={PLUGIN_DIR}", trace, "-c", "sink.weft.chrome",
           "-p", f'path="{out2}",no-symbols=yes')
    with open(nosym, "rb") as a, open(out2, "rb") as b:
        expect(p.returncode == 0 and a.read() == b.read(),
               "plugin no-symbols identical to weft convert --no-symbols")
    load(out2)
    small = os.path.join(tmp, "plugin-small.json")
    limit = os.path.getsize(full) * 0.6 / 1e6
    p = sh("babeltrace2", f"--plugin-path={PLUGIN_DIR}", trace, "-c", "sink.weft.chrome",
           "-p", f'path="{small}",max-size={limit:.6f}')
    expect(p.returncode == 0 and os.path.getsize(small) <= limit * 1e6, "plugin max-size")
    p = sh("babeltrace2", f"--plugin-path={PLUGIN_DIR}", trace, "-c", "sink.weft.chrome",
           "-p", f'path="{small}",force=no')
    expect(p.returncode != 0 and "file exists" in p.stderr, "plugin force=no refuses to overwrite")
    p = sh("babeltrace2", f"--plugin-path={PLUGIN_DIR}", "list-plugins")
    expect("sink.weft.chrome" in p.stdout, "list-plugins finds sink.weft.chrome")
    p = sh("babeltrace2", f"--plugin-path={PLUGIN_DIR}", trace, "-c", "sink.weft.chrome")
    expect(p.returncode != 0 and 'name="path"' in p.stderr, "plugin without path fails clearly")


def test_errors(tmp, trace, full):
    empty = os.path.join(tmp, "not-a-trace")
    os.mkdir(empty)
    p = convert(empty, os.path.join(tmp, "x.json"))
    lines = p.stderr.strip().splitlines()
    expect(p.returncode == 1 and len(lines) == 1 and
           lines[0].startswith("weft convert: cannot read trace: ") and "path=" in lines[0],
           f"not a trace: {p.stderr!r}")
    expect(not os.path.exists(os.path.join(tmp, "x.json")), "no output for a bad trace")
    before = os.path.getmtime(full)
    p = convert(trace, full)
    expect(p.returncode == 1 and "file exists" in p.stderr and "--force" in p.stderr
           and os.path.getmtime(full) == before, f"refuses to overwrite: {p.stderr!r}")
    expect(convert(trace, full, "--force").returncode == 0, "--force overwrites")
    for args, what in ((["--from", "abc"], "--from"), (["--bogus"], "bogus"),
                       (["--max-size", "-1"], "--max-size"), (["--pid", "x"], "--pid"),
                       (["--from", "5ms", "--to", "1ms"], "before")):
        p = convert(trace, os.path.join(tmp, "bad.json"), *args)
        expect(p.returncode == 2 and what in p.stderr and p.stderr.count("\n") == 1,
               f"bad flag {args}: {p.returncode} {p.stderr!r}")
    p = sh(WEFT, "convert", trace)
    expect(p.returncode == 2 and "-o" in p.stderr, "missing -o")
    p = sh(WEFT, "convert", "-o", os.path.join(tmp, "y.json"))
    expect(p.returncode == 2 and "no trace" in p.stderr, "missing trace")


def test_preload(tmp, trace, pid):
    out = os.path.join(tmp, "preload.json")
    p = convert(trace, out, "--pid", str(pid))
    expect(p.returncode == 0, f"weft convert: {p.stderr}")
    ev = load(out)["traceEvents"]
    names = tids_by_name(ev)
    xs = [e for e in ev if e["ph"] == "X"]
    flows = {}
    for e in xs:
        if "bind_id" in e:
            flows.setdefault(e["bind_id"], {})["out" if e.get("flow_out") else "in"] = e
    creates = [f for f in flows.values() if f["out"]["name"] == "thread create"]
    expect(sorted(f["in"]["tid"] for f in creates) == sorted([names["worker-1"], names["worker-2"]])
           and all(f["out"]["tid"] == names["main"] for f in creates),
           f"thread-create flows main -> workers: {creates}")
    handoffs = [f for f in flows.values() if f["out"]["name"] == "lock hand-off"]
    expect(handoffs and all(f["in"]["tid"] != f["out"]["tid"] for f in handoffs),
           f"lock hand-offs between the workers: {len(handoffs)}")
    sleeps = [e for e in xs if e["name"] == "sleep"]
    holds = [e for e in xs if e["name"] == "hold"]
    inside = [s for s in sleeps if any(h["tid"] == s["tid"] and h["ts"] <= s["ts"] and
                                       s["ts"] + s["dur"] <= h["ts"] + h["dur"] for h in holds)]
    expect(len(inside) >= 40, f"usleep as sleep slices inside the hold regions: {len(inside)}")
    joins = [e for e in xs if e["name"] == "join" and "bind_id" not in e]
    expect(joins and all(e["tid"] == names["main"] for e in joins), "joins on main")


def main():
    with tempfile.TemporaryDirectory(prefix="weft-chrome-e2e-") as tmp:
        trace, pid = record(tmp)
        if PRELOAD:
            test_preload(tmp, trace, pid)
            return report()
        full, doc, names = test_convert(tmp, trace, pid)
        test_filters(tmp, trace, pid, names)
        test_max_size(tmp, trace, full)
        test_gzip(tmp, trace, doc)
        test_plugin(tmp, trace, full)
        test_errors(tmp, trace, full)
    return report()


def report():
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
