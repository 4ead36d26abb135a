#!/usr/bin/env bash
# `weft pprof` and `weft stats --folded=KIND` on prof-app recorded here
# under libweft-preload.so, read by the real `go tool pprof` (Debian's
# golang-go, offline): every profile names its planted function in -top
# and -traces, -raw parses without a warning, labels work with -tagfocus,
# -base of two windows shows the leak growing, an empty profile is valid
# and warned about in one line, an unknown name lists the valid ones.
# The cpu and wall profiles here come from the CPU-sample model fixture
# (test-profile --write), whose values are exact; cpu-samples.sh reads the
# cpu and wall profiles of a recorded program with `go tool pprof -top`.
#
# usage: pprof.sh WEFT PRELOAD PROF-APP TEST-PROFILE
set -euo pipefail

weft=$1 preload=$2 program=$3 fixture=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-pprof.XXXXXX")
# shellcheck source=tests/check.sh
. "$(dirname "$0")/../check.sh"

cleanup() { weft_check_finish "$work"; }
trap cleanup EXIT

if ! command -v go >/dev/null; then
	echo "FAIL: go is not installed (golang-go; tests/setup.sh installs it)" >&2
	exit 1
fi
if ! lttng list >/dev/null 2>&1; then
	echo "FAIL: no lttng-sessiond is reachable (tests/run.sh starts one)" >&2
	exit 1
fi
# go tool pprof, offline, with its caches here
export HOME="$work/home" GOCACHE="$work/home/cache" GOTOOLCHAIN=local GOPROXY=off
export PPROF_TMPDIR="$work/home/pprof"
mkdir -p "$PPROF_TMPDIR"
pprof() { go tool pprof "$@"; }

# Default lock mode: the mutex profile names the releaser from the stack
# its contended release recorded.
# No CPU sampling: the checks of a trace without CPU samples read this one.
WEFT_PRELOAD_LIB="$preload" "$weft" record --preload --alloc full --cpu-hz 0 \
	-o "$work/trace" "$program" 2>"$work/record.err"
trace="$work/trace"
mkdir "$work/fixture"
"$fixture" --write "$work/fixture"

profile() { # NAME [OPTIONS...]: writes $work/NAME.pb.gz
	local name=$1
	shift
	"$weft" pprof --profile="$name" -o "$work/$name.pb.gz" "$@" "$trace" \
		2>"$work/$name.err"
}

# NAME TYPE FUNCTIONS...: -top shows the default type and every function;
# -traces shows the first one; -raw parses silently.
expect() {
	local file=$1 type=$2
	shift 2
	pprof -top "$file" >"$file.top" 2>"$file.top.err"
	pprof -traces "$file" >"$file.traces" 2>/dev/null
	pprof -raw "$file" >"$file.raw" 2>"$file.raw.err"
	check "$(basename "$file"): -top says Type: $type" grep -q "^Type: $type\$" "$file.top"
	for fn in "$@"; do
		check "$(basename "$file"): -top names $fn" grep -Eq " $fn( \(inline\))?\$" "$file.top"
	done
	check "$(basename "$file"): -traces names $1" \
		grep -Eq "^ +([0-9.]+[a-zA-Z]* +)?$1( \(inline\))?\$" \
		"$file.traces"
	check "$(basename "$file"): -raw parses, no warning" \
		bash -c "[ ! -s '$file.raw.err' ] && grep -q '^Samples:' '$file.raw'"
}

for p in block mutex threadcreate syscall sleep alloc_space alloc_objects inuse_space \
	inuse_objects wall cpu; do
	profile "$p"
done
expect "$work/block.pb.gz" delay wait_for_lock lock_waiter
expect "$work/mutex.pb.gz" delay hold_lock_long lock_holder
expect "$work/threadcreate.pb.gz" threadcreate spawn_workers spawner
expect "$work/syscall.pb.gz" delay read_request pipe_reader
expect "$work/sleep.pb.gz" delay take_a_nap leak_worker
expect "$work/alloc_space.pb.gz" alloc_space remember_session leak_worker
expect "$work/alloc_objects.pb.gz" alloc_objects remember_session
expect "$work/inuse_space.pb.gz" inuse_space remember_session
expect "$work/inuse_objects.pb.gz" inuse_objects remember_session
expect "$work/wall.pb.gz" wall take_a_nap wait_for_lock read_request
# the CPU-sample fixture: mix_bits is inlined into compute_hash
expect "$work/fixture/cpu.pb.gz" cpu mix_bits compute_hash main_loop hash_worker
expect "$work/fixture/wall.pb.gz" wall mix_bits throttle
check "fixture cpu: the inline frame is a line of its caller's location, innermost first" \
	grep -A1 -Eq '^ +[0-9]+: 0x401234 M=[0-9]+ mix_bits hash.c:12 s=0$' \
	"$work/fixture/cpu.pb.gz.raw"
check "fixture cpu: ... and its caller is the next line of that location" bash -c "
	grep -A1 -E '^ +[0-9]+: 0x401234 M=' '$work/fixture/cpu.pb.gz.raw' |
	tail -1 | grep -Eq '^ +compute_hash hash.c:30 s=0\$'"
check "fixture cpu: a caller's address is its call instruction (ip - 1)" \
	grep -Eq '^ +[0-9]+: 0x4013ff M=[0-9]+ main_loop hash.c:50 s=0$' "$work/fixture/cpu.pb.gz.raw"

check "inuse_objects: the 1000 leaked blocks" \
	grep -Eq '^ +1000 +[0-9.]+% .* remember_session$' "$work/inuse_objects.pb.gz.top"
check "mapping: the program's path and its build id" bash -c "
	id=\$(readelf -n '$program' | awk '/Build ID/ { print \$3 }')
	[ -n \"\$id\" ] && grep -q \"$program \$id \[FN\]\[FL\]\[LN\]\[IN\]\" '$work/block.pb.gz.raw'"
check "labels: thread, tid and pid on every sample" bash -c "
	grep -q 'thread:\[waiter\]' '$work/block.pb.gz.raw' &&
	grep -Eq 'pid:\[[0-9]+\] tid:\[[0-9]+\]' '$work/block.pb.gz.raw'"

waiter=$(awk -F'[][]' '/thread:\[waiter\]/ { getline; print $4; exit }' "$work/block.pb.gz.raw")
pprof -top -tagfocus=thread=waiter "$work/wall.pb.gz" >"$work/focus-name.top" 2>/dev/null
pprof -top -tagfocus="tid=$waiter" "$work/wall.pb.gz" >"$work/focus-tid.top" 2>/dev/null
check "-tagfocus=thread=waiter keeps the waiter only" bash -c "
	grep -q ' wait_for_lock\$' '$work/focus-name.top' && ! grep -q take_a_nap '$work/focus-name.top'"
check "-tagfocus=tid=$waiter keeps the waiter only" bash -c "
	grep -q ' wait_for_lock\$' '$work/focus-tid.top' && ! grep -q take_a_nap '$work/focus-tid.top'"

# The leak grows over the whole run: in use at the middle, then at the end.
duration=$("$weft" stats --json --section threads "$trace" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["trace"]["duration"])')
profile inuse_space --to="$((duration / 2))ns"
mv "$work/inuse_space.pb.gz" "$work/half.pb.gz"
profile inuse_space
pprof -top -base "$work/half.pb.gz" "$work/inuse_space.pb.gz" >"$work/base.top" 2>/dev/null
check "-base: the leak grew between the two windows" \
	grep -Eq '^ +[1-9][0-9.]*kB +[0-9.]+% .* remember_session$' "$work/base.top"
profile inuse_space --at=0
pprof -top "$work/inuse_space.pb.gz" >"$work/at0.top" 2>/dev/null
check "--at=0: nothing in use at the trace start" bash -c "
	grep -q '^Type: inuse_space' '$work/at0.top' && ! grep -q remember_session '$work/at0.top'"

check "cpu without samples: exit 0, one warning line" bash -c "
	[ \$(wc -l <'$work/cpu.err') = 1 ] &&
	grep -q 'weft pprof: warning: the cpu profile is empty: no CPU samples' '$work/cpu.err'"
pprof -raw "$work/cpu.pb.gz" >"$work/empty.raw" 2>"$work/empty.err"
check "the empty profile parses: sample types, no samples, no warning" bash -c "
	[ ! -s '$work/empty.err' ] && grep -q '^samples/count cpu/nanoseconds' '$work/empty.raw'"

set +e
"$weft" pprof --profile=heap -o "$work/x.pb.gz" "$trace" 2>"$work/unknown.err"
rc_unknown=$?
"$weft" pprof --profile=block --thread=nobody -o "$work/x.pb.gz" "$trace" 2>"$work/thread.err"
rc_thread=$?
"$weft" pprof --profile=block --at=1s -o "$work/x.pb.gz" "$trace" 2>/dev/null
rc_at=$?
"$weft" pprof --profile=block -o "$work/x.pb.gz" "$work/no-such-trace" 2>"$work/trace.err"
rc_trace=$?
set -e
check "unknown profile: exit 2, lists the valid names" bash -c "[ $rc_unknown = 2 ] &&
	grep -q \"unknown profile 'heap' (cpu, wall, block, mutex, threadcreate, syscall, sleep, \
alloc_space, alloc_objects, inuse_space, inuse_objects)\" '$work/unknown.err'"
check "unknown thread: exit 2, one clear line" bash -c "[ $rc_thread = 2 ] &&
	grep -q 'Failed to select threads: thread=\"nobody\"' '$work/thread.err'"
check "--at is for in-use profiles: exit 2" test "$rc_at" = 2
check "missing trace: exit 1" bash -c "[ $rc_trace = 1 ] &&
	grep -q '^weft pprof: cannot read trace: ' '$work/trace.err'"
check "--list: every profile" test "$("$weft" pprof --list | wc -l)" = 11

# The folded stacks of weft stats come from the same profiles.
check "folded mutex: charged to the releasing function" bash -c "
	'$weft' stats --folded=mutex '$trace' | grep -Eq '^prof-app;lock_holder;hold_lock_long [0-9]+\$'"
check "folded without KIND: blocked (no CPU samples), wait kind as leaf" bash -c "
	'$weft' stats --folded '$trace' | grep -Eq '^prof-app;lock_waiter;wait_for_lock;mutex [0-9]+\$'"
check "folded threadcreate: 4 threads from spawner" bash -c "
	'$weft' stats --folded threadcreate '$trace' | grep -qx 'prof-app;spawner;spawn_workers 4'"
check "folded alloc --thread=leaker: the leak only" bash -c "
	'$weft' stats --folded=alloc --thread=leaker '$trace' |
	grep -qx 'prof-app;leak_worker;remember_session 1000000'"
check "folded sleep --from/--to: a window keeps part of the sleeps" bash -c "
	all=\$('$weft' stats --folded=sleep '$trace' | awk '{ s += \$NF } END { print s }')
	part=\$('$weft' stats --folded=sleep --from=0 --to=$((duration / 2))ns '$trace' |
		awk '{ s += \$NF } END { print s }')
	[ \"\$part\" -gt 0 ] && [ \"\$part\" -lt \"\$all\" ]"
for kind in sync syscall sleep blocked mutex threadcreate alloc leak cpu wall running regions; do
	"$weft" stats --folded="$kind" "$trace" >"$work/$kind.folded"
	check "folded $kind: frames;frames value lines" \
		awk '!/^[^ ;][^;]*(;[^;]+)* [0-9]+$/ { print "bad line: " $0; bad = 1 } END { exit bad }' \
		"$work/$kind.folded"
done
set +e
"$weft" stats --thread=1 "$trace" >/dev/null 2>"$work/nofold.err"
rc_nofold=$?
set -e
check "--thread without --folded: exit 2" bash -c "[ $rc_nofold = 2 ] &&
	grep -q 'add --folded' '$work/nofold.err'"

exit $((failures > 0))
