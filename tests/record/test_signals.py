"""SIGINT/SIGTERM/SIGHUP sent to weft record reach the program; weft then
stops the session and keeps the trace, which holds the program's events,
including those it emits after the signal.
usage: test_signals.py WEFT SLEEPER"""

import os
import pty
import signal
import subprocess
import sys

from weftcheck import check, main, parse_summary, read_events

weft, prog = map(os.path.abspath, sys.argv[1:3])


def run(out, sig, *args):
    p = subprocess.Popen([weft, "record", "-o", out, prog] + list(args),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        check(line.strip() == "ready", "the program did not start: %r" % line)
        os.kill(p.pid, sig)
        out_, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode, err


def run_in_terminal(out):
    """weft record in a pseudo-terminal; Ctrl-C typed there reaches the
    whole foreground process group, so weft must not forward it again."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(weft, [weft, "record", "-o", out, prog, "handle"])
    text = b""
    try:
        while b"ready" not in text:
            text += os.read(fd, 1024)
        os.write(fd, b"\x03")
        while True:
            text += os.read(fd, 1024)
    except OSError:
        pass  # EIO: the terminal's last process exited
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), text.decode(errors="replace")


def marks(out, err):
    s = parse_summary(err)
    check("pid" in s, "no summary after the signal: %s" % err)
    check(os.path.isdir(out), "the trace folder is gone")
    return [e["fields"]["name"] for e in read_events(out, s["pid"]) if e["name"] == "weft:mark"]


def test(tmp):
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        out = os.path.join(tmp, "default-%d" % sig)
        rc, err = run(out, sig)
        check(rc == 128 + sig, "%s: weft exited %d, expected %d: %s"
              % (signal.Signals(sig).name, rc, 128 + sig, err))
        m = marks(out, err)
        check(m == ["ready"], "%s: marks %s, expected ['ready']" % (signal.Signals(sig).name, m))

    # The program handles the signal, records more, and exits 7.
    for sig in (signal.SIGINT, signal.SIGTERM):
        out = os.path.join(tmp, "handled-%d" % sig)
        rc, err = run(out, sig, "handle")
        check(rc == 7, "%s handled: weft exited %d, expected 7: %s"
              % (signal.Signals(sig).name, rc, err))
        m = marks(out, err)
        check(m == ["ready", "interrupted"], "%s handled: marks %s"
              % (signal.Signals(sig).name, m))

    # Ctrl-C in a terminal: delivered once, not twice.
    out = os.path.join(tmp, "terminal")
    rc, text = run_in_terminal(out)
    check(rc == 7, "Ctrl-C in a terminal: weft exited %d, expected 7: %s" % (rc, text))
    s = parse_summary(text.replace("\r\n", "\n"))
    check("pid" in s, "Ctrl-C in a terminal: no summary: %r" % text)
    counts = [e["fields"]["value"] for e in read_events(out, s["pid"])
              if e["name"] == "weft:counter"]
    check(counts == [1], "Ctrl-C in a terminal reached the program %s times" % counts)
    print("signals forwarded, traces kept")


main(test)
