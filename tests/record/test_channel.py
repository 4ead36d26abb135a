"""The channel options of every recording: the defaults (4 MiB sub-buffers,
256 MiB split across the CPUs and kept within 16-64 MiB per CPU, per-UID
buffers) and --subbuf-size, --num-subbuf and --buffers reach the session
(`lttng list` while it records, and the trace's layout); a channel too small
for a burst makes the summary name the two size options with their values;
with per-PID buffers the summary counts every process's trace;
bad values are refused in one line with status 2, before anything exists.
usage: test_channel.py WEFT SLEEPER BURST"""

import os
import re
import signal
import subprocess
import sys

from weftcheck import check, main, parse_summary, weft_record

weft, sleeper, burst = map(os.path.abspath, sys.argv[1:4])


def default_num_subbuf():
    per_cpu = (256 << 20) // os.sysconf("SC_NPROCESSORS_CONF")
    per_cpu = min(max(per_cpu, 16 << 20), 64 << 20)
    n = 2
    while n * 2 * (4 << 20) <= per_cpu:
        n *= 2
    return n


def record_listing(tmp, name, args):
    """weft record ARGS SLEEPER; `lttng list` while it runs; stops it."""
    session = "weft-test-channel-%s-%d" % (name, os.getpid())
    out = os.path.join(tmp, name)
    p = subprocess.Popen([weft, "record", "--name", session, "-o", out] + args + [sleeper],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        check(p.stdout.readline().strip() == "ready", "%s: the program did not start" % name)
        listing = subprocess.run(["lttng", "list", session], capture_output=True,
                                 text=True).stdout
        p.send_signal(signal.SIGTERM)
        err = p.communicate(timeout=30)[1]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    check(p.returncode == 128 + signal.SIGTERM, "%s: weft exited %d: %s"
          % (name, p.returncode, err))
    check("pid" in parse_summary(err), "%s: no summary: %s" % (name, err))
    return listing, out


def attr(listing, key):
    m = re.search(r"^\s*%s:\s*(.*)$" % re.escape(key), listing, re.M)
    check(m is not None, "`lttng list` has no %r:\n%s" % (key, listing))
    return m.group(1).strip()


def check_sizes(tmp):
    listing, out = record_listing(tmp, "default", [])
    check(attr(listing, "Sub-buffer size") == "%d bytes" % (4 << 20), "default size: %s"
          % attr(listing, "Sub-buffer size"))
    check(attr(listing, "Sub-buffer count") == str(default_num_subbuf()),
          "default count: %s, expected %d" % (attr(listing, "Sub-buffer count"),
                                             default_num_subbuf()))
    check(attr(listing, "Buffering scheme") == "per-user", "default buffers: %s"
          % attr(listing, "Buffering scheme"))
    check(os.path.isdir(os.path.join(out, "ust", "uid")), "no ust/uid in the default trace")

    listing, out = record_listing(tmp, "sized", ["--subbuf-size", "64k", "--num-subbuf", "8",
                                                 "--buffers", "pid"])
    check(attr(listing, "Sub-buffer size") == "65536 bytes", "--subbuf-size 64k: %s"
          % attr(listing, "Sub-buffer size"))
    check(attr(listing, "Sub-buffer count") == "8", "--num-subbuf 8: %s"
          % attr(listing, "Sub-buffer count"))
    check(attr(listing, "Buffering scheme") == "per-process", "--buffers pid: %s"
          % attr(listing, "Buffering scheme"))
    check(os.path.isdir(os.path.join(out, "ust", "pid")), "no ust/pid with --buffers pid")


def check_discard_hint(tmp):
    """Two 4 KiB sub-buffers per CPU cannot hold 200000 events written at once."""
    out = os.path.join(tmp, "small")
    rc, _, err = weft_record(weft, ["-o", out, "--subbuf-size", "4k", "--num-subbuf", "2",
                                    burst, "100000"])
    check(rc == 0, "small channel: weft exited %d: %s" % (rc, err))
    check(parse_summary(err).get("discarded", 0) > 0, "nothing discarded: %s" % err)
    check("--num-subbuf, now 2, or --subbuf-size, now 4096" in err,
          "the discard warning does not name the options: %s" % err)


def check_per_pid_count(tmp):
    """--buffers pid: each process has a trace of its own; the summary counts them all."""
    out = os.path.join(tmp, "two")
    rc, _, err = weft_record(weft, ["-o", out, "--buffers", "pid", "--", "sh", "-c",
                                    "%s 1000 & %s 1000; wait" % (burst, burst)])
    check(rc == 0, "two processes, --buffers pid: weft exited %d: %s" % (rc, err))
    traces = os.listdir(os.path.join(out, "ust", "pid"))
    check(len(traces) >= 2, "--buffers pid: %d traces for two processes" % len(traces))
    s = parse_summary(err)
    check(s.get("events", 0) >= 4000 and "warning" not in err,
          "--buffers pid: the summary does not count both processes: %s" % err)


def check_bad_values(tmp):
    bad = [["--subbuf-size", "3M"], ["--subbuf-size", "1k"], ["--subbuf-size", "4MB"],
           ["--subbuf-size", "-4M"], ["--num-subbuf", "3"], ["--num-subbuf", "1"],
           ["--num-subbuf", "0x10"], ["--buffers", "global"], ["--pid", "12ab"],
           ["--seconds", "0"], ["--seconds", "2"]]
    for args in bad:
        out = os.path.join(tmp, "bad")
        rc, stdout, err = weft_record(weft, args + ["-o", out, "--", sleeper])
        check(rc == 2 and err.count("\n") == 1 and stdout == "",
              "%s: exit %d, expected 2 and one line: %r" % (args, rc, err))
        if args[0] in ("--subbuf-size", "--num-subbuf"):
            check("power of two" in err, "%s: the error does not say 'power of two': %r"
                  % (args, err))
        check(not os.path.exists(out), "%s: a folder was created" % args)


def test(tmp):
    check_bad_values(tmp)
    check_sizes(tmp)
    check_discard_hint(tmp)
    check_per_pid_count(tmp)
    print("channel defaults and options reach the session; bad values refused")


main(test)
