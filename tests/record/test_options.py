"""weft record's options reach the program and the session: --preload
(LD_PRELOAD appended, WEFT_* settings), --lttng-wrappers (wrapper libraries
preloaded and their events recorded), --name, the default session name and
the default output folder.
usage: test_options.py WEFT EVERY_MACRO PRELOAD_A PRELOAD_B"""

import os
import re
import subprocess
import sys

from weftcheck import check, main, parse_summary, read_events, weft_record

weft, prog, lib_a, lib_b = map(os.path.abspath, sys.argv[1:5])
WRAPPERS = ["/usr/lib/x86_64-linux-gnu/liblttng-ust-libc-wrapper.so",
            "/usr/lib/x86_64-linux-gnu/liblttng-ust-pthread-wrapper.so"]
SHOW_ENV = 'printf "%s|%s|%s|%s" "$LD_PRELOAD" "$WEFT_LOCKS" "$WEFT_ALLOC" "$WEFT_ALLOC_SAMPLE"'


def run_sh(tmp, name, args, script, env=None):
    """weft record ARGS -- sh -c SCRIPT > file; returns (summary, file text)."""
    out_file = os.path.join(tmp, name + ".out")
    rc, _, err = weft_record(weft, ["-o", os.path.join(tmp, name)] + args +
                             ["--", "sh", "-c", "{ %s; } > %s" % (script, out_file)], env=env)
    check(rc == 0, "%s: weft record exited %d: %s" % (name, rc, err))
    with open(out_file) as f:
        return parse_summary(err), f.read()


def check_preload(tmp):
    env = dict(os.environ, WEFT_PRELOAD_LIB=lib_b, LD_PRELOAD=lib_a)
    _, text = run_sh(tmp, "preload", ["--preload", "--locks", "all", "--alloc", "full",
                                      "--alloc-sample", "4096"], SHOW_ENV, env)
    expected = "%s:%s|all|full|4096" % (lib_a, os.path.realpath(lib_b))
    check(text == expected, "--preload: the program saw %r, expected %r" % (text, expected))
    env = dict(os.environ, WEFT_PRELOAD_LIB=lib_b)
    env.pop("LD_PRELOAD", None)
    _, text = run_sh(tmp, "preload2", ["--preload"], SHOW_ENV, env)
    check(text == os.path.realpath(lib_b) + "|||", "--preload alone: %r" % text)
    # Without --preload nothing is added.
    env = dict(os.environ, WEFT_PRELOAD_LIB=lib_b)
    env.pop("LD_PRELOAD", None)
    _, text = run_sh(tmp, "nopreload", [], SHOW_ENV, env)
    check(text == "|||", "without --preload: %r" % text)
    # The build tree's runtime, when it is built.
    built = os.path.join(os.environ["WEFT_BUILD_ROOT"], "instrument", "preload",
                         "libweft-preload.so")
    if os.path.exists(built):
        env = dict(os.environ)
        env.pop("WEFT_PRELOAD_LIB", None)
        env.pop("LD_PRELOAD", None)
        _, text = run_sh(tmp, "preload3", ["--preload"], SHOW_ENV, env)
        check(text.split("|")[0] == os.path.realpath(built),
              "--preload did not find the build tree's runtime: %r" % text)
    else:
        print("note: %s is not built; the build-tree lookup was not exercised" % built)


def check_wrappers(tmp):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    s, text = run_sh(tmp, "wrappers", ["--lttng-wrappers"], 'echo "$LD_PRELOAD"', env)
    check(text.strip() == ":".join(WRAPPERS), "--lttng-wrappers: LD_PRELOAD=%r" % text)
    names = {e["name"] for e in read_events(os.path.join(tmp, "wrappers"), s["pid"])}
    check(any(n.startswith("lttng_ust_libc:") for n in names),
          "--lttng-wrappers: no lttng_ust_libc event from the program: %s" % sorted(names))
    s, _ = run_sh(tmp, "nowrappers", [], "true", env)
    names = {e["name"] for e in read_events(os.path.join(tmp, "nowrappers"))}
    check(not any(n.startswith("lttng_ust_libc:") for n in names),
          "without --lttng-wrappers: lttng_ust_libc events were recorded")


def check_names(tmp):
    name = "weft-test-options-%d" % os.getpid()
    _, text = run_sh(tmp, "named", ["--name", name], "lttng list", None)
    check(name in text, "--name: session %s not listed while the program ran:\n%s"
          % (name, text))
    check(name not in subprocess.run(["lttng", "list"], capture_output=True,
                                     text=True).stdout, "--name: the session was not destroyed")
    _, text = run_sh(tmp, "default-name", [], 'echo "$PPID"; lttng list', None)
    weft_pid = text.split()[0]
    check("weft-sh-%s" % weft_pid in text, "default session name weft-sh-%s not listed:\n%s"
          % (weft_pid, text))


def check_default_folder(tmp):
    cwd = os.path.join(tmp, "cwd")
    os.mkdir(cwd)
    for _ in range(2):
        rc, _, err = weft_record(weft, [prog], cwd=cwd)
        check(rc == 0, "default folder: weft record exited %d: %s" % (rc, err))
    folders = sorted(os.listdir(cwd))
    check(len(folders) == 2, "two runs made %s" % folders)
    for f in folders:
        check(re.fullmatch(r"weft-trace-every-macro-\d{8}-\d{6}(-\d+)?", f),
              "unexpected default folder name %s" % f)
        check(len(read_events(os.path.join(cwd, f))) > 0, "%s holds no events" % f)


def test(tmp):
    check_preload(tmp)
    check_wrappers(tmp)
    check_names(tmp)
    check_default_folder(tmp)


main(test)
