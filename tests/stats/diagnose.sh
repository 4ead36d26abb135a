#!/usr/bin/env bash
# Records one diagnosis program under the preload runtime and checks that
# `weft stats` names its planted problem in the first row of a section.
#
# usage: diagnose.sh WEFT PRELOAD PROGRAM SECTION CHECK...
#   CHECK: KEY=VALUE (the first row's KEY equals VALUE) or KEY>NUMBER,
#          KEY<NUMBER, or KEY/OTHER>NUMBER (the ratio of two keys).
# Environment: WEFT_LOCKS, WEFT_ALLOC... pass through to the runtime.
set -euo pipefail

weft=$1 preload=$2 program=$3 section=$4
shift 4
name=$(basename "$program")
session="weft-stats-$name-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-stats-$name.XXXXXX")

cleanup() {
	lttng destroy "$session" >/dev/null 2>&1 || true
	if [ "${keep:-0}" = 0 ]; then
		rm -rf "$work"
	fi
}
trap cleanup EXIT

fail() {
	keep=1
	echo "FAIL ($name): $*" >&2
	echo "trace and output kept in $work" >&2
	exit 1
}

if ! lttng list >/dev/null 2>&1; then
	fail "no lttng-sessiond is reachable (tests/run.sh starts one)"
fi

lttng create "$session" --output="$work/trace" >/dev/null
lttng enable-event -u -s "$session" 'weft:*' >/dev/null
lttng enable-event -u -s "$session" 'lttng_ust_statedump:*' >/dev/null
lttng enable-event -u -s "$session" 'lttng_ust_dl:*' >/dev/null
lttng add-context -u -s "$session" -t vpid -t vtid -t procname -t ip >/dev/null
lttng start "$session" >/dev/null

LD_PRELOAD="$preload" "$program" >"$work/program.out" &
pid=$!
wait "$pid" || fail "the program exited with status $?"

lttng stop "$session" >/dev/null
lttng destroy "$session" >/dev/null

"$weft" stats --json --pid "$pid" --section "$section" "$work/trace" >"$work/stats.json" ||
	fail "weft stats failed"
"$weft" stats --pid "$pid" --section "$section" "$work/trace" >"$work/stats.txt" ||
	fail "weft stats (text) failed"
cat "$work/stats.txt"

python3 - "$work/stats.json" "$section" "$@" <<'PY' || fail "the first row does not name the problem"
import json, re, sys

path, section, checks = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = json.load(open(path))["sections"][section]["rows"]
if not rows:
    sys.exit(f"section {section} is empty")
first = rows[0]
print("first row:", json.dumps({k: v for k, v in first.items() if k != "histogram"}))
for check in checks:
    m = re.fullmatch(r"(\w+)(?:/(\w+))?([=<>])(.*)", check)
    key, other, op, want = m.groups()
    have = first.get(key)
    if other:
        have = have / first[other] if first.get(other) else 0
    ok = (str(have) == want) if op == "=" else \
         (have is not None and (have > float(want) if op == ">" else have < float(want)))
    print(f"  {check}: {have} -> {'ok' if ok else 'WRONG'}")
    if not ok:
        sys.exit(1)
PY
