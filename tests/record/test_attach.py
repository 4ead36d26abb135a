"""weft record --pid: a program already running under the preload runtime
(four threads contending for a mutex) is recorded for --seconds 2, and only
it: a second instrumented copy running at the same time leaves no event in
the trace; the statedump names the call sites (weft stats --json). Ctrl-C
(SIGINT to weft) stops the recording and keeps a readable trace. A pid with
no process, and a process without the preload runtime, are refused in one
line; a TRACE_* program without it is recorded with a warning.
usage: test_attach.py WEFT LOCKER SLEEPER PRELOAD_LIB"""

import json
import os
import signal
import subprocess
import sys
import time

from weftcheck import check, main, parse_summary, read_events, weft_record

weft, locker, sleeper, preload = map(os.path.abspath, sys.argv[1:5])


def start(prog, with_preload):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    if with_preload:
        env["LD_PRELOAD"] = preload
    p = subprocess.Popen([prog], stdout=subprocess.PIPE, text=True, env=env)
    check(p.stdout.readline().strip() == "ready", "%s did not start" % prog)
    return p


def stop(*procs):
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


def lttng_list(session):
    return subprocess.run(["lttng", "list", session], capture_output=True, text=True).stdout


def check_only(out, err, pid, other):
    s = parse_summary(err)
    check(s.get("pid") == pid, "no summary for pid %d: %s" % (pid, err))
    check(s["events"] == s["own"] > 0, "the trace holds other processes' events: %s" % err)
    events = read_events(out)
    pids = {e["ctx"].get("vpid") for e in events}
    check(pids == {pid}, "events of pids %s, expected only %d (not %d)" % (pids, pid, other))
    names = {e["name"] for e in events}
    for n in ("weft:lock_wait", "weft:lock_released", "lttng_ust_statedump:bin_info"):
        check(n in names, "no %s event from the attached process: %s" % (n, sorted(names)))
    return events


def check_attach(tmp):
    a, b = start(locker, True), start(locker, True)
    try:
        out = os.path.join(tmp, "attached")
        session = "weft-test-attach-%d" % os.getpid()
        p = subprocess.Popen([weft, "record", "--pid", str(a.pid), "--seconds", "2",
                              "--name", session, "-o", out],
                             stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        listing = lttng_list(session)
        err = p.communicate(timeout=30)[1]
        check(p.returncode == 0, "weft record --pid exited %d: %s" % (p.returncode, err))
        check(a.poll() is None and b.poll() is None, "the recorded programs stopped")
    finally:
        stop(a, b)
    check("Virtual process IDs:  %d" % a.pid in listing,
          "the session does not track pid %d only:\n%s" % (a.pid, listing))
    check_only(out, err, a.pid, b.pid)
    stats = subprocess.run([weft, "stats", "--json", out], capture_output=True, text=True)
    check(stats.returncode == 0, "weft stats: %s" % stats.stderr)
    locks = json.loads(stats.stdout)["sections"]["locks"]["rows"]
    funcs = {r.get("wait_function") for r in locks}
    check("contend" in funcs, "the lock waits are not named after contend(): %s" % funcs)


def check_interrupt(tmp):
    a = start(locker, True)
    try:
        out = os.path.join(tmp, "interrupted")
        p = subprocess.Popen([weft, "record", "--pid", str(a.pid), "-o", out],
                             stderr=subprocess.PIPE, text=True)
        line = p.stderr.readline()
        check("until Ctrl-C" in line, "weft record --pid did not start: %r" % line)
        time.sleep(1)
        p.send_signal(signal.SIGINT)
        err = line + p.communicate(timeout=30)[1]
        check(p.returncode == 0, "SIGINT: weft record exited %d: %s" % (p.returncode, err))
        check(a.poll() is None, "SIGINT reached the recorded program")
    finally:
        stop(a)
    check_only(out, err, a.pid, 0)


def check_refused(tmp):
    gone = subprocess.Popen(["true"])
    gone.wait()
    rc, _, err = weft_record(weft, ["--pid", str(gone.pid), "-o", os.path.join(tmp, "gone")])
    check(rc == 1 and err.count("\n") == 1 and "no process with pid %d" % gone.pid in err,
          "a pid without a process: exit %d: %r" % (rc, err))
    rc, _, err = weft_record(weft, ["--pid", "1", "--", "true"])
    check(rc == 2 and err.count("\n") == 1, "--pid with a PROGRAM: exit %d: %r" % (rc, err))
    plain = start(locker, False)
    try:
        rc, _, err = weft_record(weft, ["--pid", str(plain.pid), "-o",
                                        os.path.join(tmp, "plain")])
    finally:
        stop(plain)
    check(rc == 1 and err.count("\n") == 1 and "without the preload runtime" in err
          and "nothing can be recorded" in err and "LD_PRELOAD=" in err,
          "a process without the preload runtime: exit %d: %r" % (rc, err))
    check(not os.path.exists(os.path.join(tmp, "plain")), "a folder was left behind")
    macros = start(sleeper, False)
    try:
        rc, _, err = weft_record(weft, ["--pid", str(macros.pid), "--seconds", "1", "-o",
                                        os.path.join(tmp, "macros")])
    finally:
        stop(macros)
    check(rc == 0 and "only its own TRACE_* events can be recorded" in err,
          "a TRACE_* program without the preload runtime: exit %d: %r" % (rc, err))


def test(tmp):
    check_refused(tmp)
    check_attach(tmp)
    check_interrupt(tmp)
    print("attached, only the pid recorded, call sites named, Ctrl-C keeps the trace")


main(test)
