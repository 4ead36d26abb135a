#!/usr/bin/env bash
# The critical path on a recorded program (diag-chain under `weft record
# --preload`): a request waits on a lock whose holder waits on a condvar
# that a third thread signals after a 30 ms backend call. The path must
# jump from the client to the lock's holder to the signaller and put the
# signaller's sleep in fetch_from_backend first; a region that waits for
# nothing stays on its own thread, running.
#
# usage: critical-recorded.sh WEFT PRELOAD PROGRAM
set -euo pipefail

weft=$1 preload=$2 program=$3
# shellcheck source=tests/check.sh
. "$(dirname "$0")/../check.sh"
weft_check_start critical
weft_record_preload "$weft" "$preload" "$program"

rows() { # REGION: the critical-path rows as "state|function|share|tid" lines
	"$weft" stats --json --pid "$pid" --critical-path="$1" "$trace" |
		python3 -c 'import json, sys
for r in json.load(sys.stdin)["sections"]["critical-path"]["rows"]:
    print("%s|%s|%.3f|%s" % (r["state"], r["function"], r["share"], r["tid"]))'
}
rows request >"$work/request.rows"
rows compute >"$work/compute.rows"
cat "$work/request.rows" "$work/compute.rows"

first=$(head -n1 "$work/request.rows")
check "request: the signaller's backend call comes first ($first)" \
	bash -c "[[ '$first' == 'sleep|fetch_from_backend|'* ]]"
check "request: it is most of the path" \
	python3 -c "import sys; sys.exit(float('$first'.split('|')[2]) < 0.6)"
check "request: the path visits the lock's holder, woken from its condvar" \
	grep -q '^condvar (woken)|refresh_cache|' "$work/request.rows"
client=$(grep '|serve_request|' "$work/request.rows" | head -n1 | cut -d'|' -f4)
check "request: the path starts on the client's wait" test -n "$client"
check "compute: one row, running on the client, the whole path" \
	bash -c "[ \$(wc -l <'$work/compute.rows') = 1 ] &&
		[[ \"\$(cat '$work/compute.rows')\" == 'running|'*'|1.000|$client' ]]"
"$weft" stats --pid "$pid" --critical-path=request --folded=critical-path "$trace" \
	>"$work/path.folded"
check "folded critical path: the backend call is a frame" \
	grep -q ';fetch_from_backend;' "$work/path.folded"

[ "$failures" = 0 ]
