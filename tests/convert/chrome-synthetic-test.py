#!/usr/bin/env python3
"""`weft convert` on synthetic CTF traces written with babeltrace2 (a
python3-bt2 source, tests/convert/chrome-synth/) for what a live run cannot
produce on demand: discarded events, and a trace with no event weft
understands; then every scenario of the model tests' source
(tests/convert/bt_plugin_weftsynth.py: kernel sched states, tid reuse,
unmatched begins and ends, lttng-ust wrappers only, ...) through
`weft convert` and the format checker.

    chrome-synthetic-test.py WEFT CHECKER SYNTH_PLUGIN_DIR MODEL_SYNTH_DIR
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

WEFT, CHECKER, SYNTH, MODEL_SYNTH = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("checker", CHECKER)
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def synth(tmp, cls, params, plugin_dir=SYNTH, source="chrome_synth"):
    out = os.path.join(tmp, cls + params.replace('"', "").replace("=", "-"))
    p = subprocess.run(["babeltrace2", f"--plugin-path={plugin_dir}", "-c", f"source.{source}.{cls}",
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


def names(doc, ph):
    return {e.get("name") for e in doc["traceEvents"] if e["ph"] == ph}


def test_model_scenarios(tmp):
    docs = {}
    for scenario in ("tidreuse", "kernel", "discarded", "unmatched", "ust-wrappers"):
        trace = synth(tmp, "Synth", f'scenario="{scenario}"', MODEL_SYNTH, "weftsynth")
        _, docs[scenario] = convert(trace, os.path.join(tmp, f"{scenario}.json"))
    expect(names(docs["kernel"], "X") & {"runnable", "blocked (kernel)"},
           f"kernel states as slices: {names(docs['kernel'], 'X')}")
    expect(docs["kernel"]["metadata"]["kernel-states"] is True, "kernel-states in metadata")
    expect(any(e.get("args", {}).get("unfinished") or e.get("args", {}).get("unstarted")
               for e in docs["unmatched"]["traceEvents"]), "unmatched begin/end flagged")
    ust = docs["ust-wrappers"]
    expect("mutex" in names(ust, "X") and names(ust, "C"),
           f"lttng-ust wrappers alone: lock waits and a heap curve: {names(ust, 'X')}")
    expect(docs["discarded"]["metadata"]["discarded-events"] > 0, "discarded scenario counted")


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
        test_model_scenarios(tmp)
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
