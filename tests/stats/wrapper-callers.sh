#!/usr/bin/env bash
# One mutex taken through a wrapper pair (my_lock/my_unlock) from two
# callers (diag-wrapper, recorded here with `weft record --preload` in its
# default modes): the waits belong to quick_update and the delay they
# suffered to hog_work, which held the lock without ever waiting for it.
# The lock table, the block profile and the mutex profile must each name
# the right caller, never the wrappers; --group=leaf names the wrappers,
# --group=stack the whole stacks.
#
# usage: wrapper-callers.sh WEFT PRELOAD PROGRAM
set -euo pipefail

weft=$1 preload=$2 program=$3
# shellcheck source=tests/check.sh
. "$(dirname "$0")/../check.sh"
weft_check_start wrapper
weft_record_preload "$weft" "$preload" "$program"

first_row() { # SECTION KEY [OPTIONS...]: KEY of the section's first row (of kind $KIND)
	local section=$1 key=$2
	shift 2
	"$weft" stats --json --pid "$pid" --section "$section" "$@" "$trace" |
		python3 -c 'import json, os, sys
rows = json.load(sys.stdin)["sections"][sys.argv[1]]["rows"]
rows = [r for r in rows if r.get("kind") == os.environ.get("KIND", r.get("kind"))]
print(rows[0].get(sys.argv[2]) if rows else "")' "$section" "$key"
}
is() { # DESCRIPTION WANT SECTION KEY [OPTIONS...]
	local what=$1 want=$2
	shift 2
	local have
	have=$(first_row "$@")
	check "$what: '$have' is '$want'" test "$have" = "$want"
}

is "locks: every waiter waited" 20 locks contended
is "locks: waited most at the caller" quick_update locks wait_function
is "locks: contention caused at the releasing caller" hog_work locks cause_function
is "locks: held longest at the caller, acquired without waiting" hog_work locks hold_function
KIND=mutex is "sync: the mutex waits by caller" quick_update sync function --group caller
is "--group=leaf: the wrapper waited" my_lock locks wait_function --group=leaf
is "--group=leaf: the wrapper released" my_unlock locks cause_function --group=leaf
waited=$(first_row locks wait_site --group=stack)
caused=$(first_row locks cause_site --group=stack)
check "--group=stack: the whole waiting stack ($waited)" \
	bash -c "[[ '$waited' == 'my_lock (diag-wrapper.c:'*') <- quick_update <- waiter'* ]]"
check "--group=stack: the whole releasing stack ($caused)" \
	bash -c "[[ '$caused' == 'my_unlock (diag-wrapper.c:'*') <- hog_work <- hog'* ]]"

"$weft" stats --pid "$pid" --folded=mutex "$trace" >"$work/mutex.folded"
"$weft" stats --pid "$pid" --folded=sync "$trace" >"$work/sync.folded"
check "mutex profile: all the delay at hog_work's release" \
	grep -Eq '^diag-wrapper;hog;hog_work;my_unlock [0-9]+$' "$work/mutex.folded"
check "mutex profile: nothing charged to quick_update" \
	bash -c "! grep -q 'quick_update' '$work/mutex.folded'"
check "block profile: the waits at quick_update, through my_lock" \
	grep -Eq '^diag-wrapper;waiter;quick_update;my_lock [0-9]+$' "$work/sync.folded"
check "block profile: hog_work never waited" \
	bash -c "! grep -q 'hog_work' '$work/sync.folded'"

"$weft" stats --group=callers "$trace" >"$work/bad.out" 2>"$work/bad.err" && rc=0 || rc=$?
check "--group=callers: exit 2" test "$rc" = 2
check "--group=callers: one line naming the choices" \
	bash -c "[ \$(wc -l <'$work/bad.err') = 1 ] && grep -q 'caller, leaf or stack' '$work/bad.err'"

[ "$failures" = 0 ]
