"""The every-macro program recorded with plain `lttng` commands gives the
same weft events (names, fields, call sites) as with `weft record`.
usage: test_plain_lttng.py WEFT EVERY_MACRO"""

import os
import subprocess
import sys

from weftcheck import (check, check_every_macro, main, parse_summary, read_events,
                       symbolize, weft_record)

weft, prog = map(os.path.abspath, sys.argv[1:3])


def lttng(*args):
    r = subprocess.run(["lttng"] + list(args), capture_output=True, text=True)
    check(r.returncode == 0, "lttng %s failed: %s" % (" ".join(args), r.stderr + r.stdout))


def record_plain(out):
    """The commands docs/record.md gives as the equivalent of weft record."""
    name = "weft-test-plain-%d" % os.getpid()
    lttng("create", name, "--output=" + out)
    try:
        lttng("enable-channel", "--session=" + name, "-u", "--buffers-uid",
              "--subbuf-size=4M", "--num-subbuf=4", "weft")
        lttng("enable-event", "--session=" + name, "-u", "-c", "weft",
              "weft:*,lttng_ust_statedump:*,lttng_ust_dl:*,lttng_ust_lib:*")
        lttng("add-context", "--session=" + name, "-u", "-c", "weft",
              "-t", "vpid", "-t", "vtid", "-t", "procname", "-t", "ip")
        lttng("start", name)
        child = subprocess.Popen([prog])
        rc = child.wait()
        check(rc == 0, "%s exited %d" % (prog, rc))
        lttng("stop", name)
    finally:
        subprocess.run(["lttng", "destroy", name], capture_output=True)
    return child.pid


def test(tmp):
    plain = os.path.join(tmp, "plain")
    pid = record_plain(plain)
    plain_events = read_events(plain, pid)
    check_every_macro(plain_events, prog, pid)

    out = os.path.join(tmp, "weft")
    rc, _, err = weft_record(weft, ["-o", out, prog])
    check(rc == 0, "weft record exited %d: %s" % (rc, err))
    s = parse_summary(err)
    weft_events = read_events(out, s["pid"])

    a, b = symbolize(plain_events, prog), symbolize(weft_events, prog)
    check(a == b, "the sequences differ:\nlttng: %s\nweft:  %s" % (a, b))
    print("%d weft events, identical with lttng and weft record" % len(a))


main(test)
