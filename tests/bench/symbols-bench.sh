#!/usr/bin/env bash
# Symbolizer benchmark: records symbols-bench-prog (4096 functions in one
# compilation unit, about EVENTS weft events, 1 million by default) under
# the preload runtime with every write's stack captured
# (WEFT_STACK_SYSCALL_MIN=0), then measures the CPU time (user + system,
# GNU time) of
#   weft stats --section threads TRACE --no-symbols   (the baseline)
#   weft stats --section threads TRACE
# REPS interleaved runs each (5), and prints the medians and their
# difference: the time the converter spends naming call sites and stack
# frames. Before timing it checks that the trace names the 4096 functions
# (weft stats --folded=syscall), so a recording without the program's
# lttng_ust_statedump events cannot pass for a fast symbolizer.
#
#   tests/bench/symbols-bench.sh [BUILD_DIR] [EVENTS] [REPS]
#
# Needs a running lttng-sessiond (tests/sessiond.sh) and GNU time.
# docs/performance.md ("Symbolization") holds the figures.
set -euo pipefail

build=$(cd "${1:-build}" && pwd)
events=${2:-1000000}
reps=${3:-5}
weft="$build/tracer/cli/weft"
prog="$build/tests/bench/symbols-bench-prog"
preload="$build/instrument/preload/libweft-preload.so"

for f in "$weft" "$prog" "$preload" /usr/bin/time; do
	[ -e "$f" ] || { echo "symbols-bench: missing $f (build first; apt-get install time)" >&2; exit 1; }
done
lttng list >/dev/null 2>&1 || { echo "symbols-bench: no lttng-sessiond reachable" >&2; exit 1; }
work=$(mktemp -d /tmp/weft-bench-symbols.XXXXXX)
session="weft-bench-symbols-$$"
trap 'lttng destroy "$session" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# The program's weft events only (other instrumented processes would change
# the mix); its statedump and dl events unfiltered: lttng-ust emits them
# from its listener thread, whose procname is not the program's.
trace="$work/trace"
lttng create "$session" --output="$trace" >/dev/null
lttng enable-channel -u -s "$session" ch --subbuf-size=4M --num-subbuf=16 \
	--blocking-timeout=inf >/dev/null
lttng add-context -u -s "$session" -c ch -t vpid -t vtid -t procname -t ip >/dev/null
lttng enable-event -u -s "$session" -c ch 'weft:*' \
	--filter "\$ctx.procname == \"$(basename "$prog" | cut -c1-15)*\"" >/dev/null
lttng enable-event -u -s "$session" -c ch \
	'lttng_ust_statedump:*,lttng_ust_dl:*,lttng_ust_lib:*' >/dev/null
lttng start "$session" >/dev/null
LTTNG_UST_ALLOW_BLOCKING=1 WEFT_STACK_SYSCALL_MIN=0 LD_PRELOAD="$preload" \
	"$prog" "$events" >/dev/null
lttng destroy "$session" >/dev/null
echo "trace: $(du -sh "$trace" | cut -f1) of CTF"

"$weft" stats --folded=syscall "$trace" >"$work/folded"
named=$(grep -o 'f_[0-9a-f]\{3\}' "$work/folded" | sort -u | wc -l)
echo "stacks: $(wc -l <"$work/folded") distinct, naming $named of the 4096 functions"
if [ "$named" -lt 4096 ]; then
	echo "symbols-bench: the trace does not name the 4096 functions" >&2
	head -3 "$work/folded" >&2
	exit 1
fi

# One run: appends its CPU seconds (user + system) to $work/NAME.runs.
run_once() {
	local name=$1
	shift
	/usr/bin/time -f '%U %S' -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
		cat "$work/err" >&2
		exit 1
	}
	awk '{print $1 + $2}' "$work/time" >>"$work/$name.runs"
}

median() { sort -n "$work/$1.runs" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# Interleaved, so that load from other processes spreads over both.
for _ in $(seq "$reps"); do
	run_once plain "$weft" stats --section threads --no-symbols "$trace"
	run_once symbols "$weft" stats --section threads "$trace"
done
plain=$(median plain) symbols=$(median symbols)
echo "CPU s, median of $reps: --no-symbols $plain; symbols $symbols (runs: $(tr '\n' ' ' <"$work/symbols.runs"))"
awk -v p="$plain" -v s="$symbols" 'BEGIN { printf "symbolization: %.2f s of CPU\n", s - p }'
