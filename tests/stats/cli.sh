#!/usr/bin/env bash
# The `weft stats` command on a trace recorded here (diag-sleep under the
# preload runtime): text width, JSON, --section, --top, --pid, --folded,
# --output, and its errors.
#
# usage: cli.sh WEFT PRELOAD PROGRAM
set -euo pipefail

weft=$1 preload=$2 program=$3
session="weft-stats-cli-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-stats-cli.XXXXXX")
# shellcheck source=tests/check.sh
. "$(dirname "$0")/../check.sh"

cleanup() {
	lttng destroy "$session" >/dev/null 2>&1 || true
	weft_check_finish "$work"
}
trap cleanup EXIT

if ! lttng list >/dev/null 2>&1; then
	echo "FAIL: no lttng-sessiond is reachable (tests/run.sh starts one)" >&2
	exit 1
fi
lttng create "$session" --output="$work/trace" >/dev/null
lttng enable-event -u -s "$session" 'weft:*' >/dev/null
lttng enable-event -u -s "$session" 'lttng_ust_statedump:*' >/dev/null
lttng add-context -u -s "$session" -t vpid -t vtid -t procname -t ip >/dev/null
lttng start "$session" >/dev/null
LD_PRELOAD="$preload" "$program" >/dev/null &
pid=$!
wait "$pid"
lttng stop "$session" >/dev/null
lttng destroy "$session" >/dev/null
trace="$work/trace"

"$weft" stats --pid "$pid" "$trace" >"$work/all.txt"
check "text report fits 100 columns" \
	awk 'length($0) > 100 { print "too wide: " $0; bad = 1 } END { exit bad }' "$work/all.txt"
check "text report has every section" \
	test "$(grep -c '^[A-Z].* ([a-z-]*)$' "$work/all.txt")" = \
	"$((18 + $(grep -c '^CPU time by function (cpu)$' "$work/all.txt")))"
check "--width 80 shrinks names (sleep section)" bash -c "'$weft' stats --width 80 \
	--section sleep --pid $pid '$trace' | awk 'length(\$0) > 80 { bad = 1 } END { exit bad }'"

"$weft" stats --json --pid "$pid" "$trace" >"$work/all.json"
"$weft" stats --json --top 1 --section sleep,threads --section sync --pid "$pid" "$trace" \
	>"$work/some.json"
check "JSON: every section, schema, first sleep row" python3 - "$work/all.json" \
	"$work/some.json" <<'PY'
import json, sys
full, some = (json.load(open(p)) for p in sys.argv[1:3])
assert full["format"] == "weft-stats" and full["version"] == 1
# cpu: only when the recorded program had CPU samples
assert len(full["sections"]) == 18 + ("cpu" in full["sections"]), list(full["sections"])
for name, sec in full["sections"].items():
    keys = [c["key"] for c in sec["columns"]]
    assert sec["name"] == name and sec["total_rows"] == len(sec["rows"])
    for row in sec["rows"]:
        assert set(keys) <= set(row), (name, keys, list(row))
sleep = full["sections"]["sleep"]["rows"][0]
assert sleep["function"] == "lookup_backend" and sleep["count"] == 100, sleep
assert sleep["total"] >= 100 * 1000000, sleep
assert list(some["sections"]) == ["threads", "sync", "sleep"], list(some["sections"])
assert all(len(s["rows"]) <= 1 for s in some["sections"].values())
PY

check "--pid not in the trace: exit 1, one clear line" bash -c "! '$weft' stats \
	--section threads --pid 1 '$trace' >/dev/null 2>'$work/nopid.err' && \
	[ \$(wc -l <'$work/nopid.err') = 1 ] && grep -q 'no process with pid 1' '$work/nopid.err'"
check "--pid: the header says which process is shown" bash -c "'$weft' stats \
	--section threads --pid '$pid' '$trace' | grep -q 'showing process $pid only'"

for kind in sync syscall sleep blocked running alloc leak regions; do
	"$weft" stats --folded "$kind" --pid "$pid" "$trace" >"$work/$kind.folded"
	check "folded $kind: frames;frames value lines" \
		awk '!/^[^ ;][^;]*(;[^;]+)* [0-9]+$/ { print "bad line: " $0; bad = 1 } END { exit bad }' \
		"$work/$kind.folded"
done
check "folded sleep names the request path, caller by caller" \
	grep -q '^diag-sleep;server;handle_request;lookup_backend [0-9]*$' "$work/sleep.folded"

"$weft" stats --section sleep --pid "$pid" -o "$work/out.txt" "$trace"
check "--output writes the file" grep -q lookup_backend "$work/out.txt"

# A Chrome JSON trace (weft convert's output) reads like the CTF trace it came from.
"$weft" convert --pid "$pid" -o "$work/trace.json.gz" "$trace" 2>/dev/null
"$weft" stats --json --section thread-list "$work/trace.json.gz" >"$work/json.json"
"$weft" stats --json --section thread-list --pid "$pid" "$trace" >"$work/ctf.json"
check "Chrome JSON input: the same threads as the CTF trace" python3 -c '
import json, sys
rows = lambda p: sorted(r["thread"] for r in json.load(open(p))["sections"]["thread-list"]["rows"])
sys.exit(rows(sys.argv[1]) != rows(sys.argv[2]) or not rows(sys.argv[1]))' \
	"$work/json.json" "$work/ctf.json"
check "Chrome JSON input: folded stacks name the request path" bash -c "
	'$weft' stats --folded=sleep '$work/trace.json.gz' | grep -q ';handle_request;lookup_backend '"
"$weft" stats "$work/trace.json.gz" "$trace" >/dev/null 2>"$work/err5" && rc5=0 || rc5=$?
check "Chrome JSON with another trace: exit 1, one line" bash -c "[ $rc5 = 1 ] &&
	grep -q 'read alone' '$work/err5' && [ \$(wc -l <'$work/err5') = 1 ]"

set +e
"$weft" stats "$work/no-such-trace" 2>"$work/err1"
rc1=$?
"$weft" stats --section bogus "$trace" 2>"$work/err2"
rc2=$?
"$weft" stats --folded bogus "$trace" 2>"$work/err3"
rc3=$?
"$weft" stats 2>"$work/err4"
rc4=$?
set -e
check "missing trace: exit 1, one clear line" bash -c "[ $rc1 = 1 ] &&
	grep -q '^weft stats: cannot read trace: .*path=' '$work/err1' && [ \$(wc -l <'$work/err1') = 1 ]"
check "unknown section: exit 2" bash -c "[ $rc2 = 2 ] && grep -q \"unknown section 'bogus'\" '$work/err2'"
check "unknown folded kind: exit 2" bash -c "[ $rc3 = 2 ] && grep -q 'unknown folded kind' '$work/err3'"
check "no trace: exit 2" bash -c "[ $rc4 = 2 ] && grep -q 'no trace given' '$work/err4'"

exit $((failures > 0))
