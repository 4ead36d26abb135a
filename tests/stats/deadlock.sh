#!/usr/bin/env bash
# A deadlock recorded as a user meets it (diag-deadlock: two threads lock
# two mutexes in opposite orders; alarm() kills the process after 2 s,
# under `weft record --preload`): the trace lasts until the recording
# ended, the two waits last as long, and `weft stats` reports the cycle
# first, with both threads, both locks, their holders and stacks.
#
# usage: deadlock.sh WEFT PRELOAD PROGRAM
set -euo pipefail

weft=$1 preload=$2 program=$3
# shellcheck source=tests/check.sh
. "$(dirname "$0")/../check.sh"
weft_check_start deadlock
rc=0
weft_record_preload "$weft" "$preload" "$program" || rc=$?
check "the program was killed by SIGALRM, as weft record says (exit $rc)" test "$rc" = 142

"$weft" stats --pid "$pid" "$trace" >"$work/all.txt"
check "text: the deadlocks section comes first" \
	bash -c "grep -m1 '^[A-Z].* ([a-z-]*)\$' '$work/all.txt' | grep -qx 'Deadlocks (deadlocks)'"
"$weft" stats --json --pid "$pid" "$trace" >"$work/all.json"
python3 - "$work/all.json" <<'PY' >"$work/checks.txt" || true
import json, sys
doc = json.load(open(sys.argv[1]))
secs = doc["sections"]
rows = secs["deadlocks"]["rows"]
ok = lambda what, cond: print(("ok: " if cond else "FAIL: ") + what)
ok("json: deadlocks is the first section", list(secs)[0] == "deadlocks")
ok("one deadlock", len(rows) == 1)
r = rows[0] if rows else {}
tids = [t["thread"].split()[0] for t in secs["thread-list"]["rows"] if t.get("routine") in ("transfer_in", "transfer_out")]
cycle = r.get("cycle", "")
ok("the cycle names both threads: " + cycle, len(tids) == 2 and all(str(t) in cycle for t in tids))
ok("each lock and its holder: " + r.get("locks", ""), r.get("locks", "").count("held by") == 2)
ok("both stacks reach the callers", "transfer_in" in r.get("stacks", "") and "transfer_out" in r.get("stacks", ""))
ok("stuck for more than 1.5 s (%s ns)" % r.get("stuck"), (r.get("stuck") or 0) > 1.5e9)
ok("the trace lasts until the recording ended (%s ns)" % doc["trace"]["duration"], doc["trace"]["duration"] > 1.9e9)
waits = [x for x in secs["sync"]["rows"] if x.get("kind") == "mutex"]
ok("the mutex waits keep their length", sum(x["total"] for x in waits) > 3.0e9)
PY
cat "$work/checks.txt"
tid=$(python3 -c 'import json, sys
rows = json.load(open(sys.argv[1]))["sections"]["thread-list"]["rows"]
print([r["thread"].split()[0] for r in rows if r["routine"] == "transfer_in"][0])' "$work/all.json")
"$weft" stats --json --pid "$pid" --critical-path-thread="$tid" "$trace" |
	python3 -c 'import json, sys
r = json.load(sys.stdin)["sections"]["critical-path"]["rows"][0]
print(r["state"], r["share"] > 0.9)' >"$work/path.txt"
check "the critical path of a deadlocked thread ends in the cycle, named ($(cat "$work/path.txt"))" \
	grep -qx 'mutex (deadlock) True' "$work/path.txt"
check "every deadlock check passed" bash -c "! grep -q '^FAIL' '$work/checks.txt' && grep -q '^ok' '$work/checks.txt'"

[ "$failures" = 0 ]
