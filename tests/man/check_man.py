"""The man pages against what they describe.

pages: for `weft` and every command `weft --help` lists, the page exists, its
OPTIONS name every long option of `weft COMMAND --help`, and it names no long
option that --help does not have (in a line that runs another `weft COMMAND`,
that command's options count); weft(1) lists every command; weft-trace(3)
names every TRACE_* macro and every WEFT_* switch of <weft/trace.h>; every
WEFT_* variable the preload runtime or the CLI reads is under an ENVIRONMENT;
every page renders with `man --warnings` and no word on stderr.

install: `meson install --destdir` puts every page under PREFIX/MANDIR/manN.

usage: check_man.py pages WEFT MAN_DIR HEADER SOURCE_ROOT
       check_man.py install BUILD_DIR MAN_DIR PREFIX MANDIR"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    print("%s: %s" % ("ok" if cond else "FAIL", what), file=sys.stdout if cond else sys.stderr)
    if not cond:
        failures.append(what)


# A long option in --help text or in a page: not inside a word, not `--` alone.
LONG_OPTION = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]*)")


def long_options(text):
    return set(LONG_OPTION.findall(text))


def run(argv):
    r = subprocess.run(argv, capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def commands_of(weft):
    """The commands `weft --help` lists, in its order."""
    rc, out, _ = run([weft, "--help"])
    check(rc == 0, "weft --help exits 0")
    listing = out.split("commands:", 1)[-1]
    return re.findall(r"^  ([a-z][a-z0-9-]*)\s{2,}\S", listing, re.M)


def help_options(weft, command):
    """Long options of `weft [COMMAND] --help`, and those shown to work by
    running them (--help itself; weft's --version)."""
    argv = [weft] + ([command] if command else []) + ["--help"]
    rc, out, err = run(argv)
    name = " ".join(["weft"] + ([command] if command else []))
    check(rc == 0 and out.strip(), "%s --help exits 0 and prints the usage" % name)
    verified = {"help"}
    if not command:
        rc, vout, _ = run([weft, "--version"])
        check(rc == 0 and re.fullmatch(r"weft \S+\n", vout) is not None,
              "weft --version prints the version")
        verified.add("version")
    return long_options(out), verified


def page_text(path):
    """The page with troff's escaped minus and font changes undone, as lines
    of (section, in .EX block, is a .TP tag, text); comments dropped."""
    lines = []
    section, example, tag_next = "", False, False
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith('.\\"'):
                continue
            text = re.sub(r"\\f[BIRP]", "", line.replace("\\-", "-"))
            if line.startswith(".SH"):
                section = text[3:].strip().strip('"')
            elif line.startswith(".EX"):
                example = True
            elif line.startswith(".EE"):
                example = False
            is_tag, tag_next = tag_next, line.startswith(".TP")
            lines.append((section, example, is_tag, text))
    return lines


def check_options(page, command, commands_help, cmd_re):
    name = " ".join(["weft"] + ([command] if command else []))
    options, verified = commands_help[command]
    lines = page_text(page)
    tags = set()
    for section, _, is_tag, text in lines:
        if section == "OPTIONS" and is_tag:
            tags |= long_options(text)
    for opt in sorted(options):
        check(opt in tags, "%s: --%s of --help is an OPTIONS entry" % (os.path.basename(page), opt))
    for opt in sorted(tags - options - verified):
        check(False, "%s: OPTIONS entry --%s is not in `%s --help`" %
              (os.path.basename(page), opt, name))

    # Every mention: a line that runs `weft OTHER` is checked against OTHER.
    before = len(failures)
    for section, example, _, text in lines:
        m = cmd_re.search(text)
        if m:
            other = m.group(1)
            known = commands_help[other][0] | commands_help[other][1]
            mentioned = long_options(text[m.end():])
            where = "weft " + other
        elif example:
            continue  # other programs' command lines (go tool pprof, cc, ...)
        else:
            known = options | verified
            mentioned = long_options(text)
            where = name
        for opt in sorted(mentioned - known):
            check(False, "%s (%s): --%s is not an option of `%s`: %s" %
                  (os.path.basename(page), section, opt, where, text.strip()))
    if len(failures) == before:
        check(True, "%s names no long option that --help lacks" % os.path.basename(page))


def check_render(page):
    rc, _, err = run(["man", "--warnings", "-l", "-Tutf8", page])
    check(rc == 0 and not err.strip(),
          "%s renders without warnings%s" % (os.path.basename(page),
                                             "" if not err.strip() else ": " + err.strip()))


def check_trace_page(page, header):
    with open(header, encoding="utf-8") as f:
        src = f.read()
    macros = sorted(set(re.findall(r"^#define (TRACE_[A-Z0-9_]+)\(", src, re.M)))
    switches = sorted(set(re.findall(r"^#ifn?def (WEFT_[A-Z0-9_]+)", src, re.M)) -
                      {"WEFT_TRACE_H"})
    check(len(macros) >= 10, "<weft/trace.h> defines TRACE_* macros (%d found)" % len(macros))
    check(switches, "<weft/trace.h> has WEFT_* switches (%s)" % ", ".join(switches))
    text = "\n".join(t for _, _, _, t in page_text(page))
    for name in macros + switches:
        in_synopsis = any(s == "SYNOPSIS" and re.search(r"\b%s\(" % name, t)
                          for s, _, _, t in page_text(page))
        described = re.search(r"^\.(?:B|BI|BR) %s\b" % name, text, re.M)
        if name.startswith("TRACE_"):
            check(in_synopsis and described, "weft-trace.3: %s in SYNOPSIS and described" % name)
        else:
            check(described, "weft-trace.3: switch %s described" % name)


def check_environment(man_dir, source_root):
    """WEFT_* variables that weft reads (a literal "WEFT_X" passed to getenv or
    the runtime's parsers) are described under some page's ENVIRONMENT."""
    read = set()
    for d in ("instrument/preload", "tracer/cli"):
        for n in sorted(os.listdir(os.path.join(source_root, d))):
            if n.endswith(".c"):
                with open(os.path.join(source_root, d, n), encoding="utf-8") as f:
                    read |= set(re.findall(r"\"(WEFT_[A-Z0-9_]+)\"", f.read()))
    check(len(read) >= 5, "WEFT_* variables found in the sources: %s" % ", ".join(sorted(read)))
    described = set()
    for n in os.listdir(man_dir):
        if re.fullmatch(r".+\.[1-8]", n):
            for section, _, is_tag, text in page_text(os.path.join(man_dir, n)):
                if section == "ENVIRONMENT" and is_tag:
                    described |= set(re.findall(r"WEFT_[A-Z0-9_]+", text))
    for var in sorted(read):
        check(var in described, "%s is an ENVIRONMENT entry" % var)


def pages(weft, man_dir, header, source_root):
    commands = commands_of(weft)
    check(len(commands) >= 4, "weft --help lists commands: %s" % " ".join(commands))
    commands_help = {None: help_options(weft, None)}
    for c in commands:
        commands_help[c] = help_options(weft, c)
    cmd_re = re.compile(r"\bweft (%s)\b" % "|".join(map(re.escape, commands)))

    expected = ["weft.1"] + ["weft-%s.1" % c for c in commands] + ["weft-trace.3"]
    present = sorted(n for n in os.listdir(man_dir) if re.fullmatch(r".+\.[1-8]", n))
    for n in expected:
        check(n in present, "docs/man/%s exists" % n)
    for n in sorted(set(present) - set(expected)):
        check(False, "docs/man/%s describes no command of weft --help" % n)

    with open(os.path.join(man_dir, "weft.1"), encoding="utf-8") as f:
        top = f.read()
    for c in commands:
        check(re.search(r"^\.B %s$" % re.escape(c), top, re.M) and
              ".BR weft-%s (1)" % c in top, "weft.1 lists %s and weft-%s(1)" % (c, c))
    check_options(os.path.join(man_dir, "weft.1"), None, commands_help, cmd_re)
    for c in commands:
        check_options(os.path.join(man_dir, "weft-%s.1" % c), c, commands_help, cmd_re)
    check_trace_page(os.path.join(man_dir, "weft-trace.3"), header)
    check_environment(man_dir, source_root)
    for n in present:
        check_render(os.path.join(man_dir, n))


def install(build, man_dir, prefix, mandir):
    tmp = tempfile.mkdtemp(prefix="weft-man-")
    try:
        rc, out, err = run(["meson", "install", "-C", build, "--destdir", tmp, "--no-rebuild",
                            "--quiet"])
        check(rc == 0, "meson install --destdir succeeds%s" % ("" if rc == 0 else ": " + out + err))
        full = mandir if os.path.isabs(mandir) else os.path.join(prefix, mandir)
        root = os.path.join(tmp, full.lstrip("/"))
        for n in sorted(os.listdir(man_dir)):
            m = re.fullmatch(r".+\.([1-8])", n)
            if not m:
                continue
            dest = os.path.join(root, "man" + m.group(1), n)
            with open(os.path.join(man_dir, n), "rb") as f:
                want = f.read()
            got = None
            if os.path.exists(dest):
                with open(dest, "rb") as f:
                    got = f.read()
            check(got == want, "%s is installed as %s" % (n, os.path.relpath(dest, tmp)))
        check(os.path.exists(os.path.join(root, "man3", "weft-trace.3")),
              "weft-trace.3 goes to man3")
    finally:
        if failures:
            print("kept %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp)


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("pages", "install"):
        print(__doc__, file=sys.stderr)
        return 2
    if sys.argv[1] == "pages" and not shutil.which("man"):
        print("FAIL: man (package man-db) is not installed: tests/setup.sh installs it",
              file=sys.stderr)
        return 1
    (pages if sys.argv[1] == "pages" else install)(*sys.argv[2:])
    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
