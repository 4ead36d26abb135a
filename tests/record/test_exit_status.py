"""weft record exits with the program's status, or 128+N when a signal N
killed it, and keeps the trace either way.
usage: test_exit_status.py WEFT EVERY_MACRO"""

import os
import resource
import signal
import sys

from weftcheck import check, main, parse_summary, read_events, weft_record

weft, prog = map(os.path.abspath, sys.argv[1:3])


def no_core():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def test(tmp):
    cases = [
        ("exit0", [prog], 0),
        ("exit3", [prog, "3"], 3),
        ("exit255", [prog, "255"], 255),
        # the instrumented program runs first, so there is a trace to keep
        ("kill", ["sh", "-c", "'%s'; kill -KILL $$" % prog], 128 + signal.SIGKILL),
        ("abort", ["sh", "-c", "'%s'; kill -ABRT $$" % prog], 128 + signal.SIGABRT),
        ("term", ["sh", "-c", "'%s'; kill -TERM $$" % prog], 128 + signal.SIGTERM),
    ]
    for name, cmd, expected in cases:
        out = os.path.join(tmp, name)
        rc, _, err = weft_record(weft, ["-o", out, "--"] + cmd, preexec_fn=no_core)
        check(rc == expected, "%s: weft record exited %d, expected %d: %s"
              % (" ".join(cmd), rc, expected, err))
        s = parse_summary(err)
        check(s.get("trace") == out and os.path.isdir(out),
              "%s: trace not kept: %s" % (name, err))
    # The trace of a failing instrumented program is complete.
    s = parse_summary(weft_record(weft, ["-o", os.path.join(tmp, "x"), prog, "3"])[2])
    names = [e["name"] for e in read_events(os.path.join(tmp, "x"), s["pid"])]
    check("weft:free" in names, "the last event of an exit-3 run is missing: %s" % names)
    print("exit statuses propagated: %s" % ", ".join("%s=%d" % (c[0], c[2]) for c in cases))


main(test)
