#!/usr/bin/env python3
"""Call stacks survive a round trip through the viewer's JSON importer:
chrome-model-gen writes a model with stacks, json-roundtrip reads it with
weft_json_import_file() and writes it again; every event keeps the same
frames (labels, binaries, files, inline marks) and an event without a
stack still has none. Events are matched by thread, absolute time and
length (the importer starts the model at its first event, and names
syscall waits "syscall": neither concerns stacks).

    json-roundtrip.py CHROME_MODEL_GEN JSON_ROUNDTRIP CHECKER
"""
import decimal
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

GEN, ROUNDTRIP, CHECKER = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("checker", CHECKER)
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)
failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def load(path):
    text = checker.load_text(path)
    problems = checker.check_document(text)
    expect(not problems, f"{path}: checker: {problems[:5]}")
    return json.loads(text, parse_float=decimal.Decimal)


def frames_of(doc):
    """(pid, tid, ns, dur, flow_out) -> the frames of its stack, leaf first."""
    table, out = doc.get("stackFrames", {}), {}
    start = doc["metadata"]["trace-start-ns"]
    for e in doc["traceEvents"]:
        if e["ph"] != "X":
            continue
        key = (e["pid"], e["tid"], start + int(e["ts"] * 1000), e["dur"], bool(e.get("flow_out")))
        chain, node = [], str(e["sf"]) if "sf" in e else None
        while node is not None:
            n = table[node]
            chain.append((n["name"], n.get("category"), n.get("file")))
            node = n.get("parent")
        expect(key not in out, f"two events read the same: {key}")
        out[key] = chain
    return out


def roundtrip(tmp, model):
    first, second = os.path.join(tmp, model + ".json"), os.path.join(tmp, model + ".2.json")
    subprocess.run([GEN, model.replace("-", ":"), first], check=True, capture_output=True)
    p = subprocess.run([ROUNDTRIP, first, second], capture_output=True, text=True)
    expect(p.returncode == 0, f"json-roundtrip {model}: {p.stderr}")
    a, b = frames_of(load(first)), frames_of(load(second))
    stacked = [k for k, v in a.items() if v]
    expect(len(stacked) >= 6, f"{model}: only {len(stacked)} events with stacks")
    expect(set(a) == set(b), f"{model}: events differ: {sorted(set(a) ^ set(b))[:5]}")
    for key, chain in a.items():
        expect(b.get(key) == chain, f"{model}: {key} had {chain}, now {b.get(key)}")
    return stacked


def main():
    with tempfile.TemporaryDirectory(prefix="weft-roundtrip-") as tmp:
        basic = roundtrip(tmp, "basic")
        expect(len(basic) == 9, f"basic: 9 stacked events, not {len(basic)}")
        roundtrip(tmp, "server-400")
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
