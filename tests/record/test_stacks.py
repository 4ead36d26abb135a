"""weft record's call-stack options reach the preload runtime: --stacks,
--stack-depth, --stack-unwind and --stack-syscall-min each change the
weft:stack events of a recorded program (tests/record/stacks.c: a contended
mutex wait, 2 ms sleeps at the bottom of a 6-deep recursion, writes to
/dev/null; built without frame pointers); the environment PROGRAM sees; bad
values are refused with one line and exit status 2, before anything exists.
usage: test_stacks.py WEFT STACKS_PROGRAM"""

import os
import re
import subprocess
import sys

from weftcheck import check, main, parse_summary, read_events, weft_record

weft, prog = map(os.path.abspath, sys.argv[1:3])
RECURSION = 6  # STACKS_DEPTH in stacks.c


def record(tmp, name, args):
    """Records the program with --preload ARGS; returns (events of its pid,
    {id: weft:stack fields}, the address range of its recurse())."""
    out_dir = os.path.join(tmp, name)
    rc, out, err = weft_record(weft, ["-o", out_dir, "--preload"] + args + ["--", prog])
    check(rc == 0, "%s: weft record exited %d: %s" % (name, rc, err))
    s = parse_summary(err)
    check(s.get("discarded") == 0, "%s: events were discarded: %s" % (name, err))
    events = read_events(out_dir, s["pid"])
    stacks = {e["fields"]["id"]: e["fields"] for e in events if e["name"] == "weft:stack"}
    return events, stacks, recurse_range(out)


def recurse_range(out):
    m = re.search(r"^recurse=0x([0-9a-f]+)$", out, re.M)
    check(m is not None, "the program did not print recurse's address: %r" % out)
    nm = subprocess.run(["nm", "-S", "--defined-only", prog], capture_output=True, text=True,
                        check=True).stdout
    size = next(int(l.split()[1], 16) for l in nm.splitlines()
                if l.split()[-1] == "recurse" and len(l.split()) == 4)
    lo = int(m.group(1), 16)
    return lo, lo + size


def refs(events, name, stacks, kind=None):
    """The stacks that events NAME (of syscall kind KIND) refer to; 0 for none."""
    out = []
    for e in events:
        if e["name"] != "weft:" + name or (kind and e["fields"].get("kind") != kind):
            continue
        sid = e["fields"]["stack"]
        check(sid == 0 or sid in stacks, "%s refers to undefined stack %d" % (name, sid))
        out.append(stacks.get(sid))
    check(out, "no weft:%s event%s recorded" % (name, " of kind " + kind if kind else ""))
    return out


def in_recurse(frames, rng):
    return sum(1 for pc in frames if rng[0] < pc <= rng[1])


def check_default_and_depth(tmp):
    events, stacks, rng = record(tmp, "default", [])
    sleeps = refs(events, "syscall_end", stacks, "usleep")
    deep = [s for s in sleeps if s and in_recurse(s["frames"], rng)]
    check(deep, "default: the 2 ms sleeps in recurse() carry no stack: %r" % sleeps)
    for s in deep:
        check(in_recurse(s["frames"], rng) == RECURSION + 1 and not s["truncated"],
              "default: the sleep's stack should hold %d frames in recurse(), untruncated: %r"
              % (RECURSION + 1, s))
    check(all(refs(events, "lock_wait", stacks)), "default: a lock wait without a stack")

    events, stacks, rng = record(tmp, "depth3", ["--stack-depth=3"])
    check(stacks, "--stack-depth=3: no weft:stack event")
    for s in stacks.values():
        check(1 <= len(s["frames"]) <= 3, "--stack-depth=3: a stack of %d frames: %r"
              % (len(s["frames"]), s))
    sleeps = [s for s in refs(events, "syscall_end", stacks, "usleep") if s]
    deep = [s for s in sleeps if in_recurse(s["frames"], rng) == 3]
    check(deep and all(s["truncated"] == 1 for s in deep),
          "--stack-depth=3: the recursion's sleeps are not cut at 3 frames and marked "
          "truncated: %r" % sleeps)


def check_unwind(tmp):
    events, stacks, rng = record(tmp, "fp", ["--stack-unwind", "fp"])
    sleeps = [s for s in refs(events, "syscall_end", stacks, "usleep") if s]
    check(sleeps, "--stack-unwind fp: no stack for the sleeps")
    check(all(in_recurse(s["frames"], rng) < RECURSION for s in sleeps),
          "--stack-unwind fp: the frame-pointer walk saw the recursion of a program built "
          "without frame pointers (DWARF unwinding was used?): %r" % sleeps)


def check_off_and_syscall_min(tmp):
    events, stacks, _ = record(tmp, "off", ["--stacks=off"])
    check(not stacks, "--stacks=off: %d weft:stack events" % len(stacks))
    check(not any(refs(events, "syscall_end", stacks)), "--stacks=off: a syscall with a stack")
    check(not any(refs(events, "lock_wait", stacks)), "--stacks=off: a lock wait with a stack")

    events, stacks, _ = record(tmp, "min1s", ["--stack-syscall-min=1s"])
    check(not any(refs(events, "syscall_end", stacks)),
          "--stack-syscall-min=1s: a system call shorter than 1 s has a stack")
    check(all(refs(events, "lock_wait", stacks)), "--stack-syscall-min=1s: lock wait stackless")

    events, stacks, _ = record(tmp, "min0", ["--stack-syscall-min", "0"])
    check(all(refs(events, "syscall_end", stacks, "write")),
          "--stack-syscall-min 0: a write to /dev/null without a stack")


def check_environment(tmp):
    out_file = os.path.join(tmp, "env.out")
    script = ('printf "%s|%s|%s|%s" "$WEFT_STACKS" "$WEFT_STACK_DEPTH" "$WEFT_STACK_UNWIND" '
              '"$WEFT_STACK_SYSCALL_MIN" > ' + out_file)
    args = ["--stacks", "off", "--stack-depth=7", "--stack-unwind=fp",
            "--stack-syscall-min=1.5ms"]
    rc, _, err = weft_record(weft, ["-o", os.path.join(tmp, "env"), "--preload"] + args +
                             ["--", "sh", "-c", script])
    check(rc == 0, "environment: weft record exited %d: %s" % (rc, err))
    with open(out_file) as f:
        text = f.read()
    check(text == "off|7|fp|1500", "the program saw WEFT_STACK* = %r" % text)


BAD = [
    (["--preload", "--stacks=yes"], "--stacks"),
    (["--preload", "--stack-depth=0"], "--stack-depth"),
    (["--preload", "--stack-depth=257"], "--stack-depth"),
    (["--preload", "--stack-depth", "-3"], "--stack-depth"),
    (["--preload", "--stack-unwind=frame"], "--stack-unwind"),
    (["--preload", "--stack-syscall-min=10"], "--stack-syscall-min"),
    (["--preload", "--stack-syscall-min=1.5us"], "--stack-syscall-min"),
    (["--preload", "--stack-syscall-min=-1ms"], "--stack-syscall-min"),
    (["--preload", "--stack-syscall-min=3h"], "--stack-syscall-min"),
    (["--stack-depth=8"], "--preload"),
    (["--preload", "--stack-depth"], "--stack-depth"),
]


def check_bad_values(tmp):
    out_dir = os.path.join(tmp, "bad")
    marker = os.path.join(tmp, "marker")
    for args, word in BAD:
        rc, _, err = weft_record(weft, ["-o", out_dir] + args +
                                 ["--", "sh", "-c", "touch " + marker])
        what = "weft record %s" % " ".join(args)
        check(rc == 2, "%s exited %d, expected 2: %s" % (what, rc, err))
        check(len(err.splitlines()) == 1 and err.startswith("weft record: ") and word in err,
              "%s: expected one line naming %s, got %r" % (what, word, err))
        check(not os.path.exists(marker) and not os.path.exists(out_dir),
              "%s: the program ran or the output folder was made" % what)


def test(tmp):
    check_bad_values(tmp)
    check_environment(tmp)
    check_default_and_depth(tmp)
    check_unwind(tmp)
    check_off_and_syscall_min(tmp)


main(test)
