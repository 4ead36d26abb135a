"""weft installed into a temporary root records with --preload with no
LD_LIBRARY_PATH: the preload finds libweft.so.0 through its RUNPATH
($ORIGIN) and weft record finds the preload beside its own bindir. A
preload whose libweft.so.0 is missing is refused before the program runs,
with the loader's words.
usage: test_install.py WEFT_BUILD_DIR"""

import os
import shutil
import subprocess
import sys

import bt2

from weftcheck import check, main, parse_summary, weft_record

build = os.path.abspath(sys.argv[1])


def clean_env():
    env = dict(os.environ)
    for k in ("LD_LIBRARY_PATH", "LD_PRELOAD", "WEFT_PRELOAD_LIB"):
        env.pop(k, None)
    return env


def find(root, name):
    for d, _, names in os.walk(root):
        if name in names:
            return os.path.join(d, name)
    return None


def loaded_paths(trace):
    """Paths of the shared objects the traced processes loaded (statedump)."""
    paths = set()
    for msg in bt2.TraceCollectionMessageIterator(trace):
        if type(msg) is bt2._EventMessageConst and msg.event.name in (
                "lttng_ust_statedump:bin_info", "lttng_ust_dl:dlopen"):
            paths.add(str(msg.event.payload_field["path"]))
    return paths


def test(tmp):
    dest = os.path.join(tmp, "root")
    r = subprocess.run(["meson", "install", "-C", build, "--destdir", dest, "--no-rebuild",
                        "--quiet"], capture_output=True, text=True)
    check(r.returncode == 0, "meson install failed: %s%s" % (r.stdout, r.stderr))
    weft = find(dest, "weft")
    preload = find(dest, "libweft-preload.so")
    check(weft and preload, "install lacks weft or libweft-preload.so")
    check(os.path.exists(os.path.join(os.path.dirname(preload), "libweft.so.0")),
          "libweft.so.0 is not installed beside the preload")
    dyn = subprocess.run(["readelf", "-d", preload], capture_output=True, text=True).stdout
    check("RUNPATH" in dyn and "[$ORIGIN]" in dyn, "the installed preload's RUNPATH: %s" % dyn)

    # Moved elsewhere after installing, to prove nothing depends on the prefix.
    moved = os.path.join(tmp, "moved")
    shutil.move(dest, moved)
    weft = find(moved, "weft")
    preload = find(moved, "libweft-preload.so")
    out = os.path.join(tmp, "trace")
    rc, _, err = weft_record(weft, ["--preload", "-o", out, "--", "sleep", "0.1"],
                             env=clean_env())
    check(rc == 0, "installed weft record --preload exited %d: %s" % (rc, err))
    s = parse_summary(err)
    check(s.get("own", 0) > 0, "no events from the traced program: %s" % err)
    paths = loaded_paths(out)
    check(os.path.realpath(preload) in paths,
          "the traced program did not load the installed preload %s: %s" % (preload, paths))
    check(any(p.startswith(moved) and "libweft.so.0" in os.path.basename(p) for p in paths),
          "libweft.so.0 did not come from the install: %s" % paths)

    # A preload whose libweft.so.0 cannot be found.
    lonely = os.path.join(tmp, "lonely")
    os.mkdir(lonely)
    shutil.copy(preload, lonely)
    marker = os.path.join(tmp, "marker")
    env = clean_env()
    env["WEFT_PRELOAD_LIB"] = os.path.join(lonely, "libweft-preload.so")
    rc, _, err = weft_record(weft, ["--preload", "-o", os.path.join(tmp, "t2"), "--", "sh",
                                    "-c", "touch " + marker], env=env)
    lines = [l for l in err.splitlines() if l]
    check(rc == 125 and len(lines) == 1, "missing libweft.so.0: exit %d, %r" % (rc, err))
    check("libweft.so.0 => not found" in err and "LD_LIBRARY_PATH" in err,
          "missing libweft.so.0: the message does not say what the loader said: %r" % err)
    check(not os.path.exists(marker), "missing libweft.so.0: the program ran")
    check(not os.path.exists(os.path.join(tmp, "t2")), "missing libweft.so.0: folder left")


main(test)
