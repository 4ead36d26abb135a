#!/usr/bin/env python3
"""`weft convert` on synthetic CTF traces written with babeltrace2 (a
python3-bt2 source, tests/convert/chrome-synth/) for what a live run cannot
produce on demand: discarded events, and a trace with no event weft
understands.

    chrome-synthetic-test.py WEFT CHECKER SYNTH_PLUGIN_DIR
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

WEFT, CHECKER, SYNTH = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("checker", CHECKER)
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def synth(tmp, cls, params):
    out = os.path.join(tmp, cls)
    p = subprocess.run(["babeltrace2", f"--plugin-path={SYNTH}", "-c", f"source.chrome_synth.{cls}",
                        "-p", params, "-c", "sink.ctf.fs", "-p", f'path="{out}"'],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"cannot write the synthetic trace {cls}: {p.stderr[-800:]}")
    return out


def convert(trace, out):
    p = subprocess.run([WEFT, "convert", trace, "-o", out], capture_output=True, text=True)
    expect(p.returncode == 0, f"convert {trace}: {p.stderr}")
    text = checker.load_text(out)
    problems = checker.check_document(text)
    expect(not problems, f"{out}: {problems[:5]}")
    return p.stdout, json.loads(text)


def main():
    with tempfile.TemporaryDirectory(prefix="weft-chrome-synth-") as tmp:
        summary, doc = convert(synth(tmp, "Lossy", "lost=123"), os.path.join(tmp, "lossy.json"))
        expect("123 discarded by the tracer" in summary, f"summary prints discarded: {summary}")
        md = doc["metadata"]
        expect(md["discarded-events"] == 123 and len(md["data-lost"]) == 1
               and md["data-lost"][0]["discarded"] == 123, f"metadata: {md}")
        ev = doc["traceEvents"]
        gap = [e for e in ev if e["ph"] == "i" and e["name"] == "data lost"]
        expect(len(gap) == 1 and gap[0]["args"]["discarded"] == 123 and gap[0]["ts"] == 100,
               f"data-lost instant at the gap: {gap}")
        lost = [e for e in ev if e["ph"] == "X" and e["name"] == "data lost"]
        expect(lost and min(e["ts"] for e in lost) == 100, "data-lost slices on the thread")
        work = [e for e in ev if e["ph"] == "X" and e["name"] == "work"]
        expect(len(work) == 20 and all(e["dur"] == 1 for e in work), "regions around the gap")
        labels = [e for e in ev if e["ph"] == "M" and e["name"] == "process_labels"]
        expect(labels and "123" in labels[0]["args"]["labels"], "data-lost process label")

        summary, doc = convert(synth(tmp, "Unknown", "count=50"), os.path.join(tmp, "unknown.json"))
        expect("50 skipped" in summary and "no event weft understands" in summary,
               f"says nothing was understood: {summary}")
        expect(doc["metadata"]["skipped-events"] == 50 and not doc["traceEvents"],
               "nothing drawn, skipped counted")
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
