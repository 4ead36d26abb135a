#!/usr/bin/env python3
"""Check a Chrome Trace Event JSON file against the rules weft's writer follows.

    check-chrome-json.py FILE.json[.gz]...

Exits 1 and prints the first problems when a rule is broken. The rules are
those of docs/convert.md, chosen so that Perfetto imports the file with no
warnings:

- an object {"displayTimeUnit": "ns", "traceEvents": [...], "metadata": {...}}
  with displayTimeUnit first (Perfetto reads it only at the start);
- every event is an object with a known "ph" and an integer pid; no top-level
  event value is an array (Perfetto's tokenizer rejects those);
- ts is in microseconds with at most three decimals (nanoseconds), >= 0;
- M: process_name/thread_name with args.name, *_sort_index with an integer;
- X: dur >= 0 with at most three decimals; per (pid, tid) all X events (and
  thread-scoped instants) are strictly nested: any two are disjoint or one
  contains the other, never partially overlapping;
- flow v2: bind_id only on X events, each bind_id has exactly one flow_out
  and one flow_in event, and the flow_in is not earlier than the flow_out;
- b/e: every b has its e on the same (pid, cat, id, name) track, not
  earlier, and spans on one async track nest;
- C: args is a non-empty object of numbers;
- i: scope s in t/p/g;
- metadata: discarded-events, skipped-events and data-lost are present;
- stacks: "stackFrames", when present, comes after "metadata" (old Perfetto
  tokenizers stop at the first top-level key they do not know) and maps
  decimal ids to {name, category?, file?, parent?} with every parent an
  existing id and no cycle; "sf" is an integer id of it, only on X events,
  and comes with args.stack, the names of the chain from that node to the
  root (leaf first); args.stack never comes without sf; two nodes with the
  same parent never read the same (the tree is shared); every node lies on
  the chain of some event (frames only of the events written).

Importable: check_document(text) returns a list of problems.
"""
import collections
import decimal
import gzip
import json
import sys

PHASES = {"M", "X", "b", "e", "C", "i"}
META_NAMES = {"process_name", "thread_name", "process_sort_index", "thread_sort_index",
              "process_labels"}


def to_ns(value, what, problems, where):
    """Microseconds (Decimal or int) to integer nanoseconds, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, decimal.Decimal)):
        problems.append(f"{where}: {what} is not a number: {value!r}")
        return None
    ns = decimal.Decimal(value) * 1000
    if ns != ns.to_integral_value():
        problems.append(f"{where}: {what}={value} has more than 3 decimals")
        return None
    if ns < 0:
        problems.append(f"{where}: {what}={value} is negative")
        return None
    return int(ns)


def load_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")


def check_nesting(slices, problems):
    """slices: {(pid, tid): [(start, end, index)]} -> partial overlaps."""
    for key, items in slices.items():
        items.sort(key=lambda s: (s[0], -s[1], s[2]))
        stack = []
        for start, end, index in items:
            while stack and stack[-1][1] <= start:
                stack.pop()
            if stack and end > stack[-1][1]:
                problems.append(
                    f"event {index}: [{start}, {end}] ns partially overlaps event "
                    f"{stack[-1][2]} [{stack[-1][0]}, {stack[-1][1]}] on pid/tid {key}")
            stack.append((start, end, index))


def check_async(asyncs, problems):
    for key, items in asyncs.items():
        items.sort(key=lambda a: (a[0], 0 if a[1] == "e" else 1, a[2]))
        depth = 0
        for ts, ph, index in items:
            if ph == "b":
                depth += 1
            else:
                depth -= 1
                if depth < 0:
                    problems.append(f"event {index}: 'e' without an open 'b' on {key}")
                    depth = 0
        if depth:
            problems.append(f"{depth} 'b' event(s) without 'e' on async track {key}")


def check_flows(flows, problems):
    for bind_id, ends in flows.items():
        outs = [e for e in ends if e[1] == "out"]
        ins = [e for e in ends if e[1] == "in"]
        if len(outs) != 1 or len(ins) != 1:
            problems.append(f"bind_id {bind_id}: {len(outs)} flow_out and {len(ins)} flow_in")
            continue
        if ins[0][0] < outs[0][0]:
            problems.append(f"bind_id {bind_id}: flow_in at {ins[0][0]} ns before flow_out "
                            f"at {outs[0][0]} ns")


def frame_chain(frames, node_id, problems, where):
    """Names from node_id to the root, or None when the chain is broken."""
    names, seen = [], set()
    while node_id is not None:
        if node_id in seen:
            problems.append(f"{where}: stackFrames cycle through {node_id}")
            return None
        seen.add(node_id)
        node = frames.get(node_id)
        if not isinstance(node, dict) or not isinstance(node.get("name"), str):
            problems.append(f"{where}: stack frame {node_id!r} missing or without a name")
            return None
        names.append(node["name"])
        node_id = node.get("parent")
    return names


def check_stack_frames(doc, problems):
    """The dictionary itself: ids, fields, sharing. Returns it ({} when absent)."""
    frames = doc.get("stackFrames", {})
    if not isinstance(frames, dict):
        problems.append("stackFrames is not an object")
        return {}
    keys = list(doc.keys())
    if frames and keys.index("stackFrames") < keys.index("metadata"):
        problems.append("stackFrames comes before metadata")
    siblings = set()
    for node_id, node in frames.items():
        if not node_id.isdigit() or not isinstance(node, dict):
            problems.append(f"stack frame {node_id!r}: not a decimal id with an object")
            continue
        for k, v in node.items():
            if k not in ("name", "category", "file", "parent") or not isinstance(v, str):
                problems.append(f"stack frame {node_id}: unexpected {k}={v!r}")
        if "parent" in node and node["parent"] not in frames:
            problems.append(f"stack frame {node_id}: parent {node['parent']!r} does not exist")
        key = (node.get("parent"), node.get("name"), node.get("category"), node.get("file"))
        if key in siblings:
            problems.append(f"stack frame {node_id}: a sibling reads the same {key}")
        siblings.add(key)
    return frames


def check_stacks(doc, problems):
    frames = check_stack_frames(doc, problems)
    used = set()
    for i, ev in enumerate(doc["traceEvents"]):
        if not isinstance(ev, dict):
            continue
        where = f"event {i}"
        args = ev.get("args") if isinstance(ev.get("args"), dict) else {}
        if "sf" not in ev:
            if "stack" in args:
                problems.append(f"{where}: args.stack without sf")
            continue
        if ev.get("ph") != "X" or not isinstance(ev["sf"], int) or isinstance(ev["sf"], bool):
            problems.append(f"{where}: sf must be an integer on an X event")
            continue
        names = frame_chain(frames, str(ev["sf"]), problems, where)
        if names is None:
            continue
        node_id = str(ev["sf"])
        while node_id is not None and node_id not in used:
            used.add(node_id)
            node_id = frames[node_id].get("parent")
        if args.get("stack") != names:
            problems.append(f"{where}: args.stack {args.get('stack')} is not the sf chain {names}")
    for node_id in frames:
        if node_id not in used:
            problems.append(f"stack frame {node_id}: on no event's chain")


def check_event(i, ev, problems, slices, asyncs, flows):
    where = f"event {i}"
    if not isinstance(ev, dict):
        problems.append(f"{where}: not an object")
        return
    ph = ev.get("ph")
    if ph not in PHASES:
        problems.append(f"{where}: unexpected ph {ph!r}")
        return
    for k, v in ev.items():
        if isinstance(v, list):
            problems.append(f"{where}: top-level key {k!r} holds an array")
    if not isinstance(ev.get("pid"), int):
        problems.append(f"{where}: pid missing or not an integer")
    if "tid" in ev and not isinstance(ev["tid"], int):
        problems.append(f"{where}: tid not an integer")
    if not isinstance(ev.get("name"), str):
        problems.append(f"{where}: name missing or not a string")
    if "args" in ev and not isinstance(ev["args"], dict):
        problems.append(f"{where}: args is not an object")
    if ph == "M":
        name, args = ev.get("name"), ev.get("args", {})
        if name not in META_NAMES:
            problems.append(f"{where}: unknown metadata {name!r}")
        elif name.endswith("_name") and not isinstance(args.get("name"), str):
            problems.append(f"{where}: {name} without args.name")
        elif name.endswith("sort_index") and not isinstance(args.get("sort_index"), int):
            problems.append(f"{where}: {name} without integer args.sort_index")
        if name and name.startswith("thread_") and "tid" not in ev:
            problems.append(f"{where}: {name} without tid")
        return
    ts = to_ns(ev.get("ts"), "ts", problems, where)
    if ts is None:
        return
    if ph == "X":
        dur = to_ns(ev.get("dur"), "dur", problems, where)
        if "tid" not in ev:
            problems.append(f"{where}: X without tid")
        if dur is None:
            return
        slices[(ev.get("pid"), ev.get("tid"))].append((ts, ts + dur, i))
        if "bind_id" in ev:
            fin, fout = ev.get("flow_in") is True, ev.get("flow_out") is True
            if fin == fout:
                problems.append(f"{where}: bind_id needs exactly one of flow_in/flow_out")
            else:
                flows[ev["bind_id"]].append((ts, "in" if fin else "out", i))
        elif "flow_in" in ev or "flow_out" in ev:
            problems.append(f"{where}: flow_in/flow_out without bind_id")
    elif "bind_id" in ev:
        problems.append(f"{where}: bind_id on a {ph} event (only X events carry flows)")
    if ph in ("b", "e"):
        for k in ("cat", "id"):
            if k not in ev:
                problems.append(f"{where}: async event without {k}")
        key = (ev.get("pid"), ev.get("cat"), str(ev.get("id")), ev.get("name"))
        asyncs[key].append((ts, ph, i))
    elif ph == "C":
        args = ev.get("args")
        if not isinstance(args, dict) or not args or not all(
                isinstance(v, (int, decimal.Decimal)) and not isinstance(v, bool)
                for v in args.values()):
            problems.append(f"{where}: counter args must be a non-empty object of numbers")
    elif ph == "i":
        s = ev.get("s", "t")
        if s not in ("t", "p", "g"):
            problems.append(f"{where}: instant scope {s!r}")
        if s == "t":
            if "tid" not in ev:
                problems.append(f"{where}: thread instant without tid")
            slices[(ev.get("pid"), ev.get("tid"))].append((ts, ts, i))


def check_document(text):
    problems = []
    stripped = text.lstrip()
    if not stripped.startswith('{"displayTimeUnit":"ns"'):
        problems.append('the document does not start with {"displayTimeUnit":"ns"')
    try:
        doc = json.loads(text, parse_float=decimal.Decimal)
    except ValueError as e:
        return problems + [f"not JSON: {e}"]
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        return problems + ["no traceEvents array"]
    slices = collections.defaultdict(list)
    asyncs = collections.defaultdict(list)
    flows = collections.defaultdict(list)
    for i, ev in enumerate(doc["traceEvents"]):
        check_event(i, ev, problems, slices, asyncs, flows)
    check_nesting(slices, problems)
    check_async(asyncs, problems)
    check_flows(flows, problems)
    check_stacks(doc, problems)
    meta = doc.get("metadata")
    if not isinstance(meta, dict):
        problems.append("no metadata object")
    else:
        for k in ("discarded-events", "skipped-events", "events"):
            if not isinstance(meta.get(k), int):
                problems.append(f"metadata.{k} missing")
        if not isinstance(meta.get("data-lost"), list):
            problems.append("metadata.data-lost missing")
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    bad = 0
    for path in argv[1:]:
        try:
            problems = check_document(load_text(path))
        except (OSError, UnicodeDecodeError, EOFError) as e:
            problems = [f"cannot read: {e}"]
        if problems:
            bad += 1
            print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
            for p in problems[:20]:
                print(f"  {p}", file=sys.stderr)
        else:
            print(f"{path}: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
