#!/usr/bin/env python3
"""make-json.py OUT: a Chrome Trace Event file like `weft convert` writes,
deterministic: 2 processes, 5 threads with states, nested regions, marks,
a counter, a task and flows. Used by viewer-screenshot.sh."""
import json
import sys

events = []
for pid, pname, tids in ((300, "server", (300, 301, 302)), (400, "client", (400, 401))):
    events.append({"ph": "M", "name": "process_name", "pid": pid, "tid": pid,
                   "args": {"name": pname}})
    for k, tid in enumerate(tids):
        events.append({"ph": "M", "name": "thread_name", "pid": pid, "tid": tid,
                       "args": {"name": "%s-%d" % (pname, k)}})
        t = 0.0
        i = 0
        while t < 20000:
            state = ("running", "mutex", "running", "condvar", "running", "syscall")[i % 6]
            dur = 40.0 + (i * 37 + tid) % 200
            events.append({"ph": "X", "cat": "state", "name": state, "pid": pid,
                           "tid": tid, "ts": t, "dur": dur})
            t += dur
            i += 1
        for r in range(20):
            start = r * 1000.0 + (tid % 7) * 10
            events.append({"ph": "X", "cat": "region", "name": "request", "pid": pid,
                           "tid": tid, "ts": start, "dur": 600})
            events.append({"ph": "X", "cat": "region", "name": "decode", "pid": pid,
                           "tid": tid, "ts": start + 50, "dur": 200})
            events.append({"ph": "i", "name": "tick", "s": "t", "pid": pid, "tid": tid,
                           "ts": start + 300})
    for c in range(100):
        events.append({"ph": "C", "name": "heap in use", "pid": pid, "ts": c * 200.0,
                       "args": {"value": 10000 + (c * 7919) % 50000}})
events.append({"ph": "b", "cat": "task", "name": "job", "id": "0x1", "pid": 300, "tid": 300,
               "ts": 100})
events.append({"ph": "e", "cat": "task", "name": "job", "id": "0x1", "pid": 300, "tid": 301,
               "ts": 9000})
for n in range(10):
    events.append({"ph": "s", "cat": "lock hand-off", "name": "lock hand-off", "id": n,
                   "pid": 300, "tid": 300, "ts": n * 2000.0 + 100})
    events.append({"ph": "f", "cat": "lock hand-off", "name": "lock hand-off", "id": n,
                   "pid": 300, "tid": 302, "ts": n * 2000.0 + 150, "bp": "e"})
with open(sys.argv[1], "w") as out:
    json.dump({"traceEvents": events, "displayTimeUnit": "ns"}, out)
