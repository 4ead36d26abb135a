#!/usr/bin/python3
"""Tests of libweft-preload.so under a real LTTng session.

usage: preload_check.py TEST

Each test creates its own session (unique name), runs a program with
LD_PRELOAD, reads the trace with the bt2 Python bindings and checks the
events of the processes it launched (filtered by vpid: other programs on
the machine may be traced at the same time). Environment: WEFT_BUILD_ROOT,
WEFT_SOURCE_ROOT (set by meson).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import bt2

BUILD = os.environ.get("WEFT_BUILD_ROOT", "build")
PRELOAD = os.path.join(BUILD, "instrument", "preload", "libweft-preload.so")
TESTDIR = os.path.join(BUILD, "tests", "preload")
SCENARIOS = os.path.join(TESTDIR, "preload-scenarios")

LOCK_KINDS = {"mutex": 0, "rwlock_read": 1, "rwlock_write": 2, "spin": 3}
SYSCALL_KINDS = {"read": 0, "write": 1, "poll": 15, "nanosleep": 21, "usleep": 23,
                 "fsync": 25, "waitpid": 28}


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def lttng(*args, check_rc=True):
    p = subprocess.run(["lttng"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if check_rc and p.returncode != 0:
        raise Failure("lttng %s failed: %s" % (" ".join(args), p.stdout.strip()))
    return p.stdout


def require_sessiond():
    p = subprocess.run(["lttng", "list"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise Failure("no lttng-sessiond reachable (start one: lttng-sessiond --daemonize): "
                      + p.stdout.strip())


class Session:
    """A recording session of weft:* events with vpid, vtid and ip."""

    def __init__(self, test, subbuf="1M", nsubbuf=8, start=True):
        self.name = "weft-preload-%s-%d" % (test, os.getpid())
        self.dir = tempfile.mkdtemp(prefix="weft-preload-%s-" % test)
        self.path = os.path.join(self.dir, "trace")
        lttng("create", self.name, "--output=" + self.path)
        self.live = True
        lttng("enable-channel", "-u", "-s", self.name, "--subbuf-size=" + subbuf,
              "--num-subbuf=%d" % nsubbuf, "ch")
        lttng("enable-event", "-u", "-s", self.name, "-c", "ch", "weft:*")
        lttng("add-context", "-u", "-s", self.name, "-c", "ch", "-t", "vpid", "-t", "vtid",
              "-t", "ip")
        if start:
            lttng("start", self.name)

    def stop(self):
        if self.live:
            lttng("stop", self.name)
            lttng("destroy", self.name)
            self.live = False

    def close(self):
        if self.live:
            lttng("destroy", self.name, check_rc=False)
            self.live = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Event:
    __slots__ = ("name", "ts", "vpid", "vtid", "ip", "f")

    def __repr__(self):
        return "%s(vtid=%d %s)" % (self.name, self.vtid, self.f)


def field_value(v):
    if isinstance(v, bt2._StringFieldConst):
        return str(v)
    if isinstance(v, bt2._ArrayFieldConst):
        return [int(x) for x in v]
    try:
        return int(v)
    except TypeError:
        return str(v)


def read_trace(path, vpids=None):
    """Events (of the given vpids, if any) and the tracer's discarded count."""
    events = []
    discarded = 0
    if not any("metadata" in files for _, _, files in os.walk(path)):
        return events, discarded  # nothing was recorded at all
    for msg in bt2.TraceCollectionMessageIterator(path):
        if type(msg) is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 0
            continue
        if type(msg) is not bt2._EventMessageConst:
            continue
        ev = msg.event
        if not ev.name.startswith("weft:"):
            continue
        ctx = ev.common_context_field
        vpid = int(ctx["vpid"])
        if vpids is not None and vpid not in vpids:
            continue
        e = Event()
        e.name = ev.name[5:]
        # the raw value: CLOCK_MONOTONIC ns, the clock of the *_ts fields
        e.ts = msg.default_clock_snapshot.value
        e.vpid = vpid
        e.vtid = int(ctx["vtid"])
        e.ip = int(ctx["ip"])
        e.f = {k: field_value(v) for k, v in ev.payload_field.items()}
        events.append(e)
    return events, discarded


def run(args, env_extra=None, preload=True, timeout=120, check_rc=True, stdin=None,
        input_data=None):
    env = dict(os.environ)
    if preload:
        env["LD_PRELOAD"] = PRELOAD
    env.update(env_extra or {})
    if input_data is not None:
        stdin = subprocess.PIPE
    p = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=stdin)
    try:
        out, err = p.communicate(input=input_data, timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        raise Failure("%s timed out after %ds (deadlock?)" % (args, timeout))
    if check_rc and p.returncode != 0:
        raise Failure("%s exited %d: %s" % (args, p.returncode, err.decode(errors="replace")))
    return p.pid, out, err


def keyvals(out):
    kv = {}
    for line in out.decode().splitlines():
        for m in re.finditer(r"(\w+)=(\S+)", line):
            kv[m.group(1)] = m.group(2)
    return kv


def addr(s):
    return int(s, 16)


def named(events, event_name, **fields):
    return [e for e in events if e.name == event_name
            and all(e.f.get(k) == v for k, v in fields.items())]


def scenario(test, name, env_extra=None, session_args=None, timeout=120, extra_args=()):
    with Session(test, **(session_args or {})) as s:
        pid, out, _ = run([SCENARIOS, name] + list(extra_args), env_extra, timeout=timeout)
        s.stop()
        events, discarded = read_trace(s.path, {pid})
    return pid, keyvals(out), events, discarded


# ---- tests ----

def test_contended():
    pid, kv, ev, _ = scenario("contended", "contended")
    check(ev, "no weft event from the program (pid %d)" % pid)
    configs = named(ev, "runtime_config")
    check(configs and configs == named(ev, "runtime_config", locks="contended", alloc="sampled"),
          "runtime_config(contended, sampled) missing: %r" % configs)
    m = addr(kv["mutex"])
    waits = named(ev, "lock_wait", lock=m, kind=LOCK_KINDS["mutex"])
    check(len(waits) == 1, "expected one lock_wait on the mutex, got %r" % waits)
    waiter = waits[0].vtid
    rel = named(ev, "lock_released", lock=m, waited=1)
    check(len(rel) == 1 and rel[0].vtid == waiter, "waiter's lock_released(waited=1) missing")
    r = rel[0].f
    check(waits[0].ts <= r["acquire_ts"] <= r["release_ts"] <= rel[0].ts,
          "times out of order: wait %d acquire %d release %d event %d"
          % (waits[0].ts, r["acquire_ts"], r["release_ts"], rel[0].ts))
    hand = [e for e in named(ev, "lock_released", lock=m, waited=0) if e.vtid != waiter]
    check(len(hand) == 1 and hand[0].f["waiters"] >= 1,
          "holder's hand-off lock_released(waiters>=1) missing: %r" % hand)
    # the holder took the lock without waiting: its hold is still known
    h = hand[0].f
    check(0 < h["acquire_ts"] <= h["release_ts"] <= hand[0].ts,
          "holder's uncontended hold has no acquire time: %r" % h)
    check(h["acquire_ip"] != 0 and h["stack"] > 0,
          "holder's release lacks acquire_ip or stack: %r" % h)
    # the wait names its holder, read from the mutex itself (what finds deadlocks)
    check(waits[0].f["holder"] == hand[0].vtid,
          "lock_wait's holder %r is not the holder's tid %d" % (waits[0].f, hand[0].vtid))
    check(hand[0].f["release_ts"] <= r["acquire_ts"], "hand-off after the waiter's acquire")
    check(waits[0].f is not None and waits[0].ip != 0, "lock_wait without a call site")

    t = addr(kv["timed"])
    check(kv.get("timedlock_ret") == "110", "timedlock did not time out")
    end = named(ev, "lock_wait_end", lock=t, ret=110)
    check(len(named(ev, "lock_wait", lock=t)) == 1 and len(end) == 1,
          "timed-out wait must be lock_wait + lock_wait_end(ret=ETIMEDOUT)")

    rw = addr(kv["rwlock"])
    check(len(named(ev, "lock_wait", lock=rw, kind=LOCK_KINDS["rwlock_read"])) == 1,
          "reader's lock_wait(rwlock_read) missing")
    check(len(named(ev, "lock_released", lock=rw, kind=LOCK_KINDS["rwlock_read"],
                    waited=1)) == 1, "reader's lock_released missing")
    check(len(named(ev, "lock_released", lock=rw, kind=LOCK_KINDS["rwlock_write"],
                    waited=0)) == 1, "writer's hand-off lock_released(rwlock_write) missing")

    sp = addr(kv["spin"])
    check(len(named(ev, "lock_wait", lock=sp, kind=LOCK_KINDS["spin"])) == 1,
          "spin lock_wait missing")

    c = addr(kv["cond"])
    check(len(named(ev, "cond_wait_begin", cond=c)) >= 1 and
          len(named(ev, "cond_wait_end", cond=c, ret=0)) >= 1, "cond wait begin/end missing")
    check(len(named(ev, "cond_signal", obj=c, waiters=1)) == 1, "cond_signal(waiters=1) missing")

    se = addr(kv["sem"])
    check(len(named(ev, "sem_wait_begin", obj=se)) == 1 and
          len(named(ev, "sem_wait_end", obj=se, ret=0)) == 1, "sem wait begin/end missing")
    check(len(named(ev, "sem_post", obj=se, waiters=1)) == 1, "sem_post(waiters=1) missing")

    b = addr(kv["barrier"])
    check(len(named(ev, "barrier_wait_begin", obj=b)) == 2 and
          len(named(ev, "barrier_wait_end", obj=b)) == 2, "barrier begin/end missing")

    q = addr(kv["quiet"])
    check(not [e for e in ev if e.f.get("lock") == q],
          "uncontended lock/unlock recorded in contended mode")


def test_all_mode():
    env = {"WEFT_LOCKS": "all", "WEFT_ALLOC": "full"}
    pid, kv, ev, discarded = scenario("allmode", "contended", env)
    check(named(ev, "runtime_config", locks="all", alloc="full"),
          "runtime_config(all, full) missing")
    q = addr(kv["quiet"])
    rel = named(ev, "lock_released", lock=q)
    check(len(rel) + discarded >= 1000 and len(rel) <= 1000,
          "all mode: %d lock_released for 1000 pairs (discarded %d)" % (len(rel), discarded))
    check(all(0 < e.f["acquire_ts"] <= e.f["release_ts"] <= e.ts for e in rel),
          "all mode: acquire/release times out of order")
    check(not named(ev, "lock_wait", lock=q), "lock_wait for an uncontended lock")
    check(len(named(ev, "alloc")) > 0, "full mode recorded no alloc")


def test_deadlock():
    pid, kv, ev, _ = scenario("deadlock", "deadlock")
    a, b = addr(kv["a"]), addr(kv["b"])
    for lock, name in ((a, "a"), (b, "b")):
        waits = named(ev, "lock_wait", lock=lock)
        check(len(waits) == 1, "deadlocked wait on %s not recorded: %r" % (name, waits))
        w = waits[0]
        later = [e for e in ev if e.vtid == w.vtid and e.ts > w.ts and
                 e.name in ("lock_released", "lock_wait_end")]
        check(not later, "deadlocked thread shows as no longer waiting: %r" % later)


def test_threads():
    pid, kv, ev, _ = scenario("threads", "threads")
    creates = named(ev, "thread_create")
    starts = named(ev, "thread_start")
    check(len(creates) == 3 and len(starts) == 3,
          "expected 3 thread_create and 3 thread_start, got %d/%d" % (len(creates), len(starts)))
    ids = sorted(e.f["create_id"] for e in creates)
    check(ids == sorted(e.f["create_id"] for e in starts) and len(set(ids)) == 3,
          "create ids do not link parents to children")
    routines = {addr(kv[k]) for k in ("routine_returns", "routine_exits", "routine_detached")}
    check({e.f["start_routine"] for e in starts} == routines, "start routines do not match")
    check(all(e.vtid == pid for e in creates), "thread_create not in the parent")
    child_tids = {e.vtid for e in starts}
    check(len(child_tids) == 3 and pid not in child_tids, "thread_start not in the children")
    exits = named(ev, "thread_exit")
    check({e.vtid for e in exits} == child_tids, "thread_exit missing for some thread")
    names = named(ev, "thread_name", name="weft-worker")
    check(len(names) == 1, "thread_name(weft-worker) missing")
    check(len(named(ev, "thread_join_begin")) == 2 and
          len(named(ev, "thread_join_end", ret=0)) == 2, "join begin/end missing")
    check(len(named(ev, "thread_detach")) == 1, "thread_detach missing")


def test_fork():
    with Session("fork") as s:
        pid, out, _ = run([SCENARIOS, "fork"])
        kv = keyvals(out)
        child = int(kv["child"])
        s.stop()
        ev, _ = read_trace(s.path, {pid, child})
    parent = [e for e in ev if e.vpid == pid]
    kid = [e for e in ev if e.vpid == child]
    check(len(named(parent, "process_fork", child_pid=child)) == 1,
          "process_fork(child) missing in the parent")
    check(kid, "the forked child recorded nothing: it does not trace as its own process")
    check(named(kid, "runtime_config"), "child's runtime_config missing")
    m = addr(kv["mutex"])
    check(len(named(kid, "lock_wait", lock=m)) == 1 and
          len(named(kid, "lock_released", lock=m, waited=1)) == 1,
          "the child's contended wait is missing")
    check(len(named(kid, "thread_start")) == 1, "the child's thread_start missing")


def test_exec():
    for how, path in (("v", "/bin/true"), ("l", "/bin/true"), ("lp", "true"),
                      ("le", "/bin/true")):
        with Session("exec") as s:
            pid, out, _ = run([SCENARIOS, "exec", how])
            s.stop()
            ev, _ = read_trace(s.path, {pid})
        check(len(named(ev, "process_exec", path=path)) == 1,
              "exec%s: process_exec(%s) missing" % (how, path))


def test_syscalls():
    pid, kv, ev, _ = scenario("syscalls", "syscalls")
    pr, pw, f = int(kv["pipe_read"]), int(kv["pipe_write"]), int(kv["file"])
    expect = [("write", pw, 3), ("read", pr, 3), ("poll", pr, 0), ("usleep", -1, 0),
              ("nanosleep", -1, 0), ("fsync", f, 0), ("waitpid", int(kv["child"]),
                                                       int(kv["child"]))]
    for kind, fd, ret in expect:
        k = SYSCALL_KINDS[kind]
        b = named(ev, "syscall_begin", kind=k, fd=fd)
        e = named(ev, "syscall_end", kind=k, ret=ret)
        check(b and e, "%s: syscall_begin(fd=%d)/end(ret=%d) missing" % (kind, fd, ret))
        check(b[0].ts <= e[0].ts and b[0].vtid == e[0].vtid, "%s: end before begin" % kind)
        check(b[0].ip == e[0].ip and b[0].ip != 0, "%s: call site differs" % kind)
    with Session("syscalls-off") as s:
        pid, out, _ = run([SCENARIOS, "syscalls"], {"WEFT_SYSCALLS": "off"})
        s.stop()
        ev, _ = read_trace(s.path, {pid})
    check(ev and not named(ev, "syscall_begin"), "WEFT_SYSCALLS=off still records syscalls")


def test_eintr():
    pid, kv, ev, _ = scenario("eintr", "eintr")
    check(kv.get("errno") == "EINTR", "an interrupted call did not return EINTR")
    pr = int(kv["pipe_read"])
    check(named(ev, "syscall_end", kind=SYSCALL_KINDS["read"], ret=-4) and
          named(ev, "syscall_begin", kind=SYSCALL_KINDS["read"], fd=pr),
          "interrupted read not recorded with ret=-EINTR")
    check(named(ev, "sem_wait_end", obj=addr(kv["sem"]), ret=-4),
          "interrupted sem_wait not recorded with ret=-EINTR")
    check(named(ev, "syscall_end", kind=SYSCALL_KINDS["nanosleep"], ret=-4),
          "interrupted nanosleep not recorded")


def test_signals():
    for env in ({}, {"WEFT_LOCKS": "all", "WEFT_ALLOC": "full"}):
        pid, kv, ev, discarded = scenario("signals", "signals", env, timeout=120)
        calls = int(kv["handler_calls"])
        check(calls > 20, "signal handler ran %d times" % calls)
        fd = int(kv["handler_fd"])
        writes = named(ev, "syscall_begin", kind=SYSCALL_KINDS["write"], fd=fd)
        ends = named(ev, "syscall_end", kind=SYSCALL_KINDS["write"], ret=1)
        # A signal that lands while weft itself is emitting an event runs its
        # handler's calls unrecorded (the nesting guard): most are recorded.
        check(len(writes) <= calls and len(writes) + discarded >= calls // 4,
              "%d of %d handler writes recorded (discarded %d)" % (len(writes), calls, discarded))
        check(len(ends) >= len(writes), "handler write without its end")
        if env:
            hl = addr(kv["handler_lock"])
            rel = named(ev, "lock_released", lock=hl)
            check(rel and len(rel) <= calls, "handler lock pairs not recorded in all mode")
        print("signals %s: %d handler calls, %d recorded writes"
              % (env.get("WEFT_LOCKS", "contended"), calls, len(writes)))


def count_lock_events(path, vpid, locks):
    """(lock_released, lock_released waited=1, lock_wait, discarded): a lean
    pass, for traces of a million events."""
    released = waited = waits = discarded = 0
    for msg in bt2.TraceCollectionMessageIterator(path):
        t = type(msg)
        if t is bt2._DiscardedEventsMessageConst:
            discarded += msg.count or 0
            continue
        if t is not bt2._EventMessageConst:
            continue
        ev = msg.event
        name = ev.name
        if name != "weft:lock_released" and name != "weft:lock_wait":
            continue
        if int(ev.common_context_field["vpid"]) != vpid:
            continue
        payload = ev.payload_field
        if int(payload["lock"]) not in locks:
            continue
        if name == "weft:lock_wait":
            waits += 1
        else:
            released += 1
            waited += int(payload["waited"])
    return released, waited, waits, discarded


def test_stress():
    pairs = 1000000
    for mode in ("all", "contended"):
        with Session("stress", subbuf="4M", nsubbuf=8) as s:
            pid, out, _ = run([SCENARIOS, "stress"], {"WEFT_LOCKS": mode}, timeout=300)
            s.stop()
            kv = keyvals(out)
            check(kv.get("pairs") == str(pairs), "stress program lost increments")
            locks = {addr(kv["lock%d" % i]) for i in range(4)}
            rel, ended, waits, discarded = count_lock_events(s.path, pid, locks)
        if mode == "all":
            check(rel <= pairs and rel + discarded >= pairs,
                  "all mode: %d lock_released + %d discarded for %d pairs"
                  % (rel, discarded, pairs))
        else:
            check(rel < pairs // 2, "contended mode recorded %d releases" % rel)
        # every wait ends with the waiter's lock_released(waited=1), unless discarded
        check(ended <= waits + discarded and waits <= ended + discarded,
              "%s mode: %d waits but %d waited releases (discarded %d)"
              % (mode, waits, ended, discarded))
        print("stress %s: %d lock_released, %d lock_wait, %d discarded"
              % (mode, rel, waits, discarded))


def test_exit_threads():
    pid, kv, ev, discarded = scenario("exitthreads", "exit-threads")
    n = int(kv["threads"])
    starts = {e.vtid for e in named(ev, "thread_start")}
    exits = {e.vtid for e in named(ev, "thread_exit")}
    check(discarded > 0 or len(named(ev, "thread_start")) == n,
          "%d thread_start for %d threads" % (len(named(ev, "thread_start")), n))
    check(discarded > 0 or len(named(ev, "thread_exit")) == n,
          "%d thread_exit for %d threads" % (len(named(ev, "thread_exit")), n))
    check(exits <= starts | {pid}, "thread_exit from a thread never started")


def test_dlsym():
    for env in ({}, {"WEFT_ALLOC": "full"}):
        pid, kv, ev, _ = scenario("dlsym", "dlsym", env)
        check(kv.get("missing") == "200", "dlsym/dlerror misbehaved under the preload")
        check(named(ev, "runtime_config"), "runtime inactive")
        if env:
            check(len(named(ev, "alloc")) >= 1, "allocations during dlsym not recorded")


def test_tracer_owned():
    ranges = []
    with Session("tracerowned") as s:
        pid, out, _ = run([SCENARIOS, "tracer-owned"],
                          {"WEFT_LOCKS": "all", "WEFT_ALLOC": "full"})
        s.stop()
        ev, _ = read_trace(s.path, {pid})
    check(ev, "no events")
    for line in out.decode().splitlines():
        if line.startswith("tracer_range="):
            lo, hi = line.split("=")[1].split("-")
            ranges.append((int(lo, 16), int(hi, 16)))
    check(ranges, "no LTTng-UST mapping found")
    inside = [e for e in ev if any(lo <= e.ip < hi for lo, hi in ranges)]
    check(not inside, "events with call sites inside LTTng-UST: %r" % inside[:5])
    known = {pid} | {e.vtid for e in named(ev, "thread_start")}
    foreign = [e for e in ev if e.vtid not in known]
    check(not foreign, "events from threads the program did not start (LTTng's own?): %r"
          % foreign[:5])


def test_session_window():
    env = dict(os.environ, LD_PRELOAD=PRELOAD)
    p = subprocess.Popen([SCENARIOS, "session-window", "30"], env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    sessions = []
    try:
        line = p.stdout.readline().decode()
        check(line.startswith("ready"), "scenario did not start: %r" % line)
        lock = addr(p.stdout.readline().decode().split("=")[1])
        time.sleep(0.5)  # threads exist before any session
        for i in range(2):
            s = Session("window%d" % i)
            sessions.append(s)
            time.sleep(1.0)
            s.stop()
            time.sleep(0.5)
        p.stdin.write(b"stop\n")
        p.stdin.flush()
        check(p.wait(timeout=30) == 0, "scenario failed")
        for i, s in enumerate(sessions):
            ev, _ = read_trace(s.path, {p.pid})
            check(named(ev, "runtime_config"),
                  "session %d: runtime_config not re-emitted for a session started later" % i)
            check(not named(ev, "thread_start"), "session %d: unexpected thread_start" % i)
            waiters = {e.vtid for e in named(ev, "lock_wait", lock=lock)}
            check(len(waiters) >= 1 and p.pid not in waiters,
                  "session %d: threads created before the session recorded no waits" % i)
            check(named(ev, "heap"), "session %d: no heap counter" % i)
            check(named(ev, "alloc"), "session %d: no sampled 1 MiB allocation" % i)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        for s in sessions:
            s.close()


def test_errno():
    """Return values and errno identical with and without the runtime."""
    prog = [os.path.join(TESTDIR, "preload-errno")]
    with Session("errno") as s:
        _, plain, _ = run(prog, preload=False)
        pid1, default, _ = run(prog)
        pid2, full, _ = run(prog, {"WEFT_LOCKS": "all", "WEFT_ALLOC": "full"})
        s.stop()
        ev, _ = read_trace(s.path, {pid1, pid2})
    check(plain.count(b"\n") > 90, "errno program printed too little")
    for label, out in (("default", default), ("all+full", full)):
        if out != plain:
            diff = [(a, b) for a, b in zip(plain.decode().splitlines(),
                                           out.decode().splitlines()) if a != b]
            raise Failure("%s modes change results: %r" % (label, diff[:5]))
    for pid in (pid1, pid2):
        mine = [e for e in ev if e.vpid == pid]
        check(named(mine, "syscall_end") and named(mine, "lock_wait_end"),
              "the runtime recorded nothing for pid %d: not exercised" % pid)
    check(named(ev, "alloc"), "all+full run recorded no allocation")


def make_input(path, size):
    """Deterministic, compressible text."""
    import random
    rnd = random.Random(1234)
    words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9)))
             for _ in range(4000)]
    with open(path, "w") as f:
        n = 0
        while n < size:
            line = " ".join(rnd.choice(words) for _ in range(12)) + "\n"
            f.write(line)
            n += len(line)


SQL = b"""
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000)
INSERT INTO t SELECT i, i % 97, printf('row-%08d', i * 7919 % 100003) FROM c;
CREATE INDEX tk ON t(k);
SELECT k, count(*), min(v), max(v) FROM t GROUP BY k ORDER BY k LIMIT 20;
SELECT sum(length(v)), count(DISTINCT k) FROM t;
"""


def test_real_programs():
    work = tempfile.mkdtemp(prefix="weft-preload-real-")
    try:
        data = os.path.join(work, "input.txt")
        make_input(data, 8 << 20)
        tools = [
            ("xz", ["xz", "-T2", "-1", "-c", data], None, True),
            ("zstd", ["zstd", "-T2", "-3", "-c", "-q", data], None, True),
            ("lbzip2", ["lbzip2", "-n2", "-c", data], None, True),
            ("sqlite3", ["sqlite3", os.path.join(work, "db")], SQL, False),
        ]
        for name, cmd, stdin_data, threaded in tools:
            if shutil.which(cmd[0]) is None:
                raise Failure("%s is not installed (apt-get install %s)" % (cmd[0], cmd[0]))
            outputs = []
            for preload in (False, True):
                db = os.path.join(work, "db")
                if os.path.exists(db):
                    os.unlink(db)
                with Session("real-" + name) as s:
                    pid, out, _ = run(cmd, preload=preload, input_data=stdin_data, timeout=300)
                    outputs.append(out)
                    s.stop()
                    if preload:
                        ev, _ = read_trace(s.path, {pid})
            check(outputs[0] == outputs[1], "%s output differs under the preload" % name)
            check(len(outputs[0]) > 0, "%s produced nothing" % name)
            check(ev, "%s: no events recorded" % name)
            threads = {e.vtid for e in named(ev, "thread_start")}
            waits = [e for e in ev if e.name in ("cond_wait_begin", "lock_wait", "sem_wait_begin",
                                                 "thread_join_begin", "syscall_begin")]
            allocs = named(ev, "alloc")
            check(not threaded or len(threads) >= 2,
                  "%s: %d threads in the trace" % (name, len(threads)))
            check(waits, "%s: no waits in the trace" % name)
            check(allocs and named(ev, "heap"), "%s: no allocations in the trace" % name)
            print("%s: identical output (%d bytes); %d threads, %d waits, %d allocs, %d events"
                  % (name, len(outputs[0]), len(threads), len(waits), len(allocs), len(ev)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_secure():
    """setuid: the runtime stays inert (the process is still traced)."""
    prog = os.path.join(TESTDIR, "preload-secure")
    work = tempfile.mkdtemp(prefix="weft-preload-secure-")
    try:
        os.chmod(work, 0o755)
        suid = os.path.join(work, "preload-secure")
        shutil.copy(prog, suid)
        os.chown(suid, 0, 0)
        os.chmod(suid, 0o4755)
        with Session("secure") as s:
            pid1, out1, _ = run([prog], preload=False)
            pid2, out2, _ = run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                 suid], preload=False)
            s.stop()
            ev, _ = read_trace(s.path)
        k1, k2 = keyvals(out1), keyvals(out2)
        check(k1["at_secure"] == "0" and k2["at_secure"] == "1",
              "AT_SECURE not as expected: %s / %s" % (k1["at_secure"], k2["at_secure"]))
        normal = [e for e in ev if e.vpid == int(k1["pid"])]
        secure = [e for e in ev if e.vpid == int(k2["pid"])]
        check(named(normal, "lock_wait") and named(normal, "thread_start") and
              named(normal, "alloc"), "the runtime is not active in the normal run")
        check(named(secure, "mark", name="secure-probe"),
              "the setuid process was not traced at all: cannot tell inert from absent")
        extra = [e.name for e in secure if e.name != "mark"]
        check(not extra, "the runtime emitted in a setuid process: %s" % sorted(set(extra)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_static():
    """A static binary: LD_PRELOAD has no effect, it runs unchanged."""
    prog = [os.path.join(TESTDIR, "preload-static")]
    out = subprocess.run(["file", "-L", prog[0]], stdout=subprocess.PIPE, text=True).stdout
    check("statically linked" in out, "preload-static is not static: %s" % out)
    with Session("static") as s:
        _, plain, _ = run(prog, preload=False)
        pid, pre, _ = run(prog)
        s.stop()
        ev, _ = read_trace(s.path, {pid})
    check(plain == pre == b"static count=40000\n", "static program output changed")
    check(not ev, "events from a static binary: %r" % ev[:3])


STACKS = os.path.join(TESTDIR, "preload-stacks")


def check_stack_refs(events):
    """Every weft:stack id is defined once per process, and every event
    referring to a stack comes after its definition; the first reference is
    by the thread that defined it, and frames[0] is the event's call site.
    Returns {(vpid, id): stack fields}."""
    defs = {}
    seen = set()
    for e in sorted(events, key=lambda e: e.ts):
        if e.name == "stack":
            key = (e.vpid, e.f["id"])
            check(e.f["id"] > 0, "stack id 0 defined: %r" % e)
            check(key not in defs, "stack %r defined twice" % (key,))
            check(len(e.f["frames"]) > 0, "empty stack defined: %r" % e)
            defs[key] = dict(e.f, vtid=e.vtid)
            continue
        sid = e.f.get("stack", 0)
        if not sid:
            continue
        key = (e.vpid, sid)
        check(key in defs, "%s refers to stack %d before (or without) its definition"
              % (e.name, sid))
        if key not in seen:
            check(defs[key]["vtid"] == e.vtid, "stack %d defined by another thread" % sid)
            seen.add(key)
        check(defs[key]["frames"][0] == e.ip,
              "%s: stack %d starts at %#x, its call site is %#x"
              % (e.name, sid, defs[key]["frames"][0], e.ip))
    return defs


def func_ranges(binary, kv, names):
    """name -> (lo, hi) at run time, from the printed address and nm's size."""
    out = subprocess.run(["nm", "-S", "--defined-only", binary], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            sizes[parts[3]] = int(parts[1], 16)
    return {n: (addr(kv[n]), addr(kv[n]) + sizes[n]) for n in names}


def in_func(ranges, name, pc):
    lo, hi = ranges[name]
    return lo < pc <= hi  # a return address may follow the function's last call


def stack_run(test, scenario, env_extra=None, subbuf="1M"):
    with Session(test, subbuf=subbuf) as s:
        pid, out, _ = run([STACKS, scenario], env_extra=env_extra)
        s.stop()
        ev, discarded = read_trace(s.path)
    check(discarded == 0, "%d events discarded" % discarded)
    return pid, keyvals(out), ev


def syscall_stacks(ev, defs, pid):
    return [defs[(pid, e.f["stack"])] for e in named(ev, "syscall_end")
            if e.vpid == pid and e.f["stack"]]


def test_stacks_signal():
    """Waits in signal handlers (one on an alternate stack) unwind through
    the signal frame: handler, then the interrupted code; no trampoline."""
    for unwind in ("dwarf", "fp"):
        pid, kv, ev = stack_run("stacks-signal", "signal", {"WEFT_STACK_UNWIND": unwind})
        ev = [e for e in ev if e.vpid == pid]
        defs = check_stack_refs(ev)
        r = func_ranges(STACKS, kv, ["sig_wait", "sig_handler", "sig_victim"])
        stacks = [st for st in syscall_stacks(ev, defs, pid)
                  if in_func(r, "sig_wait", st["frames"][0])]
        check(len(stacks) >= 1, "%s: no stack for the waits in the handlers" % unwind)
        for st in stacks:
            fr = st["frames"]
            check(in_func(r, "sig_handler", fr[1]), "%s: frame 1 not in the handler: %r"
                  % (unwind, [hex(x) for x in fr]))
            check(addr(kv["restorer"]) not in fr, "%s: the signal trampoline is a frame" % unwind)
            # the frame-pointer walk loses the interrupted leaf (a PC in a register)
            check(unwind == "fp" or any(in_func(r, "sig_victim", x) for x in fr[2:]),
                  "%s: the interrupted code (sig_victim) is missing: %r"
                  % (unwind, [hex(x) for x in fr]))
        # the same code on the normal and on the alternate stack: one stack id
        # (SIGUSR1 interrupts raise(SIGUSR1), SIGUSR2 raise(SIGUSR2): different)
        check(len(named(ev, "syscall_end")) >= 2, "%s: handler waits missing" % unwind)
        print("%s: %d handler stacks, depth %s" % (unwind, len(stacks),
                                                 [len(s["frames"]) for s in stacks]))


def test_stacks_deep():
    """WEFT_STACK_DEPTH bounds the walk; a truncated stack is marked."""
    for depth, unwind in ((None, "dwarf"), (10, "dwarf"), (30, "fp")):
        env = {"WEFT_STACK_UNWIND": unwind}
        if depth:
            env["WEFT_STACK_DEPTH"] = str(depth)
        pid, kv, ev = stack_run("stacks-deep", "deep", env)
        ev = [e for e in ev if e.vpid == pid]
        defs = check_stack_refs(ev)
        r = func_ranges(STACKS, kv, ["recurse", "shallow", "main"])
        want = depth or 64
        deep = [st for st in syscall_stacks(ev, defs, pid) if in_func(r, "recurse", st["frames"][0])]
        check(len(deep) == 1, "%s/%s: expected one deep stack, got %d" % (unwind, depth, len(deep)))
        check(deep[0]["truncated"] == 1 and len(deep[0]["frames"]) == want,
              "%s/%s: deep stack: truncated=%d depth=%d" % (unwind, depth, deep[0]["truncated"],
                                                           len(deep[0]["frames"])))
        check(all(in_func(r, "recurse", x) for x in deep[0]["frames"]),
              "%s/%s: a frame of the deep stack is not in recurse" % (unwind, depth))
        ends = [e for e in named(ev, "syscall_end") if e.f["stack"] and
                in_func(r, "shallow", defs[(pid, e.f["stack"])]["frames"][0])]
        check(len(ends) == 5 and len({e.f["stack"] for e in ends}) == 1,
              "%s/%s: five waits at one site must share one stack id: %r" % (unwind, depth, ends))
        sh = defs[(pid, ends[0].f["stack"])]
        check(sh["truncated"] == 0 and any(in_func(r, "main", x) for x in sh["frames"]),
              "%s/%s: the shallow stack is truncated or lacks main" % (unwind, depth))
        print("%s depth=%s: deep truncated at %d, shallow %d frames"
              % (unwind, depth, len(deep[0]["frames"]), len(sh["frames"])))


def test_stacks_corrupt():
    """A scribbled frame chain and a stack without CFI end the walk: the
    program runs to the end and the leaf frames are right."""
    for unwind in ("dwarf", "fp"):
        pid, kv, ev = stack_run("stacks-corrupt", "corrupt", {"WEFT_STACK_UNWIND": unwind})
        check(kv.get("survived") == "1", "%s: the program did not finish" % unwind)
        ev = [e for e in ev if e.vpid == pid]
        defs = check_stack_refs(ev)
        r = func_ranges(STACKS, kv, ["scribble", "on_bogus_stack"])
        sts = syscall_stacks(ev, defs, pid)
        for name in ("scribble", "on_bogus_stack"):
            mine = [st for st in sts if in_func(r, name, st["frames"][0])]
            check(len(mine) == 1, "%s: no stack for the wait in %s" % (unwind, name))
            check(len(mine[0]["frames"]) <= 64, "%s: %s: the walk ran on" % (unwind, name))
            print("%s %s: %s" % (unwind, name, [hex(x) for x in mine[0]["frames"]]))


def test_stacks_fork():
    """The child of fork starts its own table: ids from 1, defined in the child."""
    pid, kv, ev = stack_run("stacks-fork", "fork")
    child = int(kv["child"])
    pev = [e for e in ev if e.vpid == pid]
    cev = [e for e in ev if e.vpid == child]
    check(pev and cev, "parent or child events missing")
    check_stack_refs(pev + cev)
    r = func_ranges(STACKS, kv, ["parent_site", "child_site"])
    cdefs = sorted(named(cev, "stack"), key=lambda e: e.ts)
    check(cdefs and cdefs[0].f["id"] == 1, "the child's first stack id is not 1: %r" % cdefs[:1])
    check(any(in_func(r, "parent_site", e.f["frames"][0]) for e in cdefs),
          "the child did not define its own stack for parent_site")
    check(any(in_func(r, "child_site", e.f["frames"][0]) for e in cdefs),
          "the child's child_site stack missing")
    check(sum(1 for e in named(cev, "syscall_end") if e.f["stack"]) == 3,
          "the child's three waits must each carry a stack")
    print("parent %d stacks, child %d stacks" % (len(named(pev, "stack")), len(cdefs)))


def test_stacks_many():
    """More distinct stacks than the table holds: each still defined before use."""
    env = {"WEFT_STACK_SYSCALL_MIN": "0", "WEFT_STACK_DEPTH": "128"}
    pid, kv, ev = stack_run("stacks-many", "many", env, subbuf="4M")
    ev = [e for e in ev if e.vpid == pid]
    defs = check_stack_refs(ev)
    distinct = int(kv["distinct"])
    frames = {tuple(d["frames"]) for d in defs.values()}
    ends = [e for e in named(ev, "syscall_end") if e.f["stack"]]
    check(len(ends) == 2 * distinct, "%d writes with stacks, expected %d" % (len(ends), 2 * distinct))
    check(len(frames) == distinct, "%d distinct stacks, expected %d" % (len(frames), distinct))
    uncached = int(kv["uncached"])
    check(uncached > 0, "the table never filled (uncached=0)")
    check(len(defs) == distinct + uncached - (uncached - (len(defs) - distinct)) and
          len(defs) < 2 * distinct, "definitions: %d for %d stacks" % (len(defs), distinct))
    print("%d distinct stacks, %d definitions, %d uncached" % (distinct, len(defs), uncached))


def test_stacks_off():
    """WEFT_STACKS=off: no stack events, stack fields 0; holds still known."""
    with Session("stacks-off") as s:
        pid, out, _ = run([SCENARIOS, "contended"], env_extra={"WEFT_STACKS": "off"})
        s.stop()
        ev, _ = read_trace(s.path, {pid})
    check(not named(ev, "stack"), "weft:stack events with WEFT_STACKS=off")
    check(all(e.f.get("stack", 0) == 0 for e in ev), "a stack field is set with stacks off")
    check(named(ev, "lock_wait") and any(e.f["acquire_ip"] for e in named(ev, "lock_released")),
          "locks not recorded with stacks off")


def main():
    if len(sys.argv) != 2 or "test_" + sys.argv[1].replace("-", "_") not in globals():
        print("usage: preload_check.py TEST", file=sys.stderr)
        return 2
    for f in (PRELOAD, SCENARIOS):
        if not os.path.exists(f):
            print("preload_check: missing %s (build first)" % f, file=sys.stderr)
            return 1
    try:
        require_sessiond()
        needed = subprocess.run(["readelf", "-d", PRELOAD], stdout=subprocess.PIPE,
                                text=True).stdout
        if "libasan" in needed:
            raise Failure("libweft-preload.so is built with AddressSanitizer, which must come "
                          "first in a program's libraries and cannot be preloaded into the "
                          "test programs: check the runtime with -Db_sanitize=undefined "
                          "or valgrind")
        globals()["test_" + sys.argv[1].replace("-", "_")]()
    except Failure as e:
        print("FAIL %s: %s" % (sys.argv[1], e), file=sys.stderr)
        return 1
    print("ok %s" % sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
