#!/usr/bin/env python3
"""viewer-export.py XVFB_RUN VIEWER_EXPORT CHECKER: runs viewer-export under
Xvfb, then reads what it exported back: the pprof files with the real
`go tool pprof -raw` (offline), the JSON files with check-chrome-json.py,
and checks that the selection (2 ms to 4 ms after the start, thread
worker-1, tid 101) restricted both."""
import json
import os
import re
import subprocess
import sys
import tempfile

SEL_FROM_US, SEL_TO_US, SEL_TID = 2000.0, 4000.0, 101


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def raw_samples(path, env):
    """(value, labels) of every sample `go tool pprof -raw` lists."""
    out = subprocess.run(["go", "tool", "pprof", "-raw", path], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode or "Samples:" not in out.stdout:
        fail(f"go tool pprof -raw {path}: {out.stderr.strip()}")
    samples = []
    lines = out.stdout.split("Samples:", 1)[1].split("Locations")[0].splitlines()
    for line in lines:
        m = re.match(r"^\s+([\d ]+):", line)
        if m:  # "count delay: locations": the delay
            samples.append([int(m.group(1).split()[-1]), ""])
        elif samples and line.strip().startswith("thread:"):
            samples[-1][1] += line.strip()
    return samples


def x_events(path):
    with open(path, encoding="utf-8") as f:
        return [e for e in json.load(f)["traceEvents"] if e.get("ph") == "X"]


def main():
    xvfb, program, checker = sys.argv[1:4]
    work = tempfile.mkdtemp(prefix="viewer-export-")
    run = subprocess.run([xvfb, "-a", program, work], check=False)
    if run.returncode:
        fail(f"viewer-export exited {run.returncode}")
    env = dict(os.environ, HOME=work, GOCACHE=os.path.join(work, "cache"),
               GOTOOLCHAIN="local", GOPROXY="off", PPROF_TMPDIR=work)
    for name in ("all.json", "sel.json", "chooser.json"):
        if subprocess.run([sys.executable, checker, os.path.join(work, name)]).returncode:
            fail(f"{name} breaks the Chrome JSON rules")
    every = x_events(os.path.join(work, "all.json"))
    sel = x_events(os.path.join(work, "sel.json"))
    for e in x_events(os.path.join(work, "chooser.json")):
        if e["ts"] > SEL_TO_US or e["ts"] + e.get("dur", 0) < SEL_FROM_US:
            fail(f"the chooser's export has an event outside the range: {e}")
    if not any(e["ts"] > SEL_TO_US or e.get("tid") != SEL_TID for e in every):
        fail("the whole-trace export has nothing outside the selection")
    if not sel:
        fail("the selection export has no slice")
    for e in sel:
        if e["ts"] > SEL_TO_US or e["ts"] + e.get("dur", 0) < SEL_FROM_US:
            fail(f"selection export has an event outside the range: {e}")
        if e.get("tid") != SEL_TID:
            fail(f"selection export has an event of another thread: {e}")
    whole = raw_samples(os.path.join(work, "all.pb.gz"), env)
    part = raw_samples(os.path.join(work, "sel.pb.gz"), env)
    total, sel_total = sum(v for v, _ in whole), sum(v for v, _ in part)
    if not part or sel_total >= total:
        fail(f"block delay: selection {sel_total} ns, whole trace {total} ns")
    if sel_total > (SEL_TO_US - SEL_FROM_US) * 1000:
        fail(f"block delay of one thread over 2 ms is {sel_total} ns")
    threads = {lab for _, lab in part}
    if any("worker-1" not in lab for lab in threads):
        fail(f"selection profile has other threads: {threads}")
    print(f"ok: {len(sel)}/{len(every)} slices, block delay {sel_total}/{total} ns")


main()
