"""weft record's errors: one clear line, a non-zero status, the program not
run and nothing left behind (no folder, no session).
usage: test_errors.py WEFT EVERY_MACRO STATIC_PROGRAM"""

import hashlib
import os
import shutil
import subprocess
import sys

from weftcheck import check, main, weft_record

weft, prog, static_prog = map(os.path.abspath, sys.argv[1:4])
SESSION = "weft-test-errors-%d" % os.getpid()


def sessions():
    return subprocess.run(["lttng", "list"], capture_output=True, text=True).stdout


def expect_error(tmp, args, status, words, env=None, cwd=None):
    """Runs weft record ARGS with a program that leaves a marker file when
    it runs; checks the status, the message and that the program did not run."""
    marker = os.path.join(tmp, "marker")
    cmd = ["--name", SESSION] + args + ["--", "sh", "-c", "touch " + marker]
    rc, out, err = weft_record(weft, cmd, env=env, cwd=cwd)
    what = "weft record %s" % " ".join(args)
    check(rc == status, "%s exited %d, expected %d: %s" % (what, rc, status, err))
    lines = [l for l in err.splitlines() if l]
    check(len(lines) == 1 and lines[0].startswith("weft record: "),
          "%s: expected one error line, got %r" % (what, err))
    for w in words:
        check(w in err, "%s: %r not in the message %r" % (what, w, err))
    check(not os.path.exists(marker), "%s: the program ran" % what)
    check(SESSION not in sessions(), "%s: session %s left behind" % (what, SESSION))
    return err


def snapshot(root):
    files = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                files[p] = (os.stat(p).st_mtime_ns, hashlib.sha256(f.read()).hexdigest())
    return files


def check_program_errors(tmp):
    cwd = os.path.join(tmp, "cwd")
    os.mkdir(cwd)
    rc, _, err = weft_record(weft, ["--name", SESSION, "no-such-program-weft"], cwd=cwd)
    check(rc == 127 and "program not found" in err, "missing program: %d %s" % (rc, err))
    check(os.listdir(cwd) == [], "missing program: %s was created" % os.listdir(cwd))
    rc, _, err = weft_record(weft, ["-o", os.path.join(tmp, "m"), "./nope"], cwd=cwd)
    check(rc == 127 and not os.path.exists(os.path.join(tmp, "m")), "missing ./nope: %s" % err)
    noexec = os.path.join(tmp, "noexec")
    with open(noexec, "w") as f:
        f.write("#!/bin/sh\n")
    rc, _, err = weft_record(weft, ["-o", os.path.join(tmp, "n"), noexec], cwd=cwd)
    check(rc == 126 and "cannot run the program" in err, "not executable: %d %s" % (rc, err))
    check(SESSION not in sessions() and os.listdir(cwd) == [], "left behind after 126")


def check_unwritable(tmp):
    afile = os.path.join(tmp, "afile")
    open(afile, "w").close()
    expect_error(tmp, ["-o", os.path.join(afile, "sub")], 125, ["Not a directory", afile])
    expect_error(tmp, ["-o", afile], 125, ["not a folder"])
    expect_error(tmp, ["-o", "/proc/weft-test/t"], 125, ["cannot create the output folder"])
    ro = os.path.join(tmp, "ro")
    os.mkdir(ro)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", ro],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("note: cannot mount a read-only tmpfs here (%s); the read-only folder case "
              "was not exercised, the others were" % r.stderr.strip())
        return
    try:
        expect_error(tmp, ["-o", ro], 125, ["Read-only file system", ro])
        expect_error(tmp, ["-o", os.path.join(ro, "sub")], 125, ["Read-only file system"])
    finally:
        subprocess.run(["umount", ro])


def check_existing(tmp):
    trace = os.path.join(tmp, "trace")
    rc, _, err = weft_record(weft, ["-o", trace, prog])
    check(rc == 0, "first recording failed: %s" % err)
    before = snapshot(trace)
    check(len(before) > 0, "the first recording wrote no file")
    expect_error(tmp, ["-o", trace], 125, ["already holds a trace", trace])
    expect_error(tmp, ["-o", os.path.join(trace, "ust", "uid", "0", "64-bit")], 125,
                 ["already holds a trace"])
    check(snapshot(trace) == before, "the existing trace was modified")
    full = os.path.join(tmp, "full")
    os.mkdir(full)
    with open(os.path.join(full, "notes.txt"), "w") as f:
        f.write("keep me\n")
    expect_error(tmp, ["-o", full], 125, ["not empty"])
    check(os.listdir(full) == ["notes.txt"], "a non-empty folder was modified")


def check_flags(tmp):
    o = ["-o", os.path.join(tmp, "flags")]
    cases = [
        (["--preload", "--locks", "sometimes"], "--locks"),
        (["--preload", "--alloc", "most"], "--alloc"),
        (["--preload", "--alloc-sample", "0"], "--alloc-sample"),
        (["--preload", "--alloc-sample", "-4"], "--alloc-sample"),
        (["--preload", "--alloc-sample", "12kb"], "--alloc-sample"),
        (["--locks", "all"], "need --preload"),
        (["--bogus"], "unknown option"),
        (["--name", "a/b"], "invalid session name"),
        (["-o"], "needs a value"),
    ]
    for args, word in cases:
        a = args if args == ["-o"] else o + args
        rc, _, err = weft_record(weft, a + ([] if args == ["-o"] else ["--", "true"]))
        check(rc == 2 and word in err, "%s: exited %d, message %r" % (args, rc, err))
        check(not os.path.exists(o[1]), "%s: the output folder was created" % args)
    rc, _, err = weft_record(weft, o)
    check(rc == 2 and "no program" in err, "no program: %d %s" % (rc, err))
    rc, out, _ = weft_record(weft, ["--help"])
    check(rc == 0 and out.startswith("usage: weft record"), "--help: %d %r" % (rc, out))


def check_preload_errors(tmp):
    rc, _, err = weft_record(weft, ["--name", SESSION, "--preload", "-o",
                                    os.path.join(tmp, "s"), static_prog])
    check(rc == 125 and "cannot trace a static binary with --preload" in err,
          "static binary: %d %s" % (rc, err))
    check(not os.path.exists(os.path.join(tmp, "s")), "static binary: folder created")
    env = dict(os.environ, WEFT_PRELOAD_LIB=os.path.join(tmp, "missing.so"))
    expect_error(tmp, ["--preload", "-o", os.path.join(tmp, "s")], 125,
                 ["WEFT_PRELOAD_LIB", "missing.so"], env=env)


def check_no_sessiond(tmp):
    """As a user with no session daemon of its own (root's is not theirs)."""
    home = os.path.join(tmp, "nobody")
    os.makedirs(home)
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    shutil.copy(weft, bindir)
    for d in (tmp, home, bindir):
        os.chmod(d, 0o777)
    cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
           "env", "HOME=" + home, "LTTNG_HOME=" + home,
           os.path.join(bindir, "weft"), "record", "-o", os.path.join(home, "t"), "true"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=home)
    check(r.returncode == 125, "no sessiond: exited %d: %s" % (r.returncode, r.stderr))
    check("no LTTng session daemon" in r.stderr and "lttng-sessiond --daemonize" in r.stderr,
          "no sessiond: message %r" % r.stderr)
    check(not os.path.exists(os.path.join(home, "t")), "no sessiond: folder created")


def check_session_exists(tmp):
    r = subprocess.run(["lttng", "create", SESSION, "--output=" + os.path.join(tmp, "other")],
                       capture_output=True, text=True)
    check(r.returncode == 0, "cannot create a session: %s" % r.stderr)
    try:
        out = os.path.join(tmp, "dup")
        rc, _, err = weft_record(weft, ["--name", SESSION, "-o", out, "--", "true"])
        check(rc == 125 and "already exists" in err, "duplicate session: %d %s" % (rc, err))
        check(not os.path.exists(out), "duplicate session: the folder was left behind")
    finally:
        subprocess.run(["lttng", "destroy", SESSION], capture_output=True)


def test(tmp):
    os.chmod(tmp, 0o755)
    check_program_errors(tmp)
    check_unwritable(tmp)
    check_existing(tmp)
    check_flags(tmp)
    check_preload_errors(tmp)
    check_session_exists(tmp)
    check_no_sessiond(tmp)


main(test)
