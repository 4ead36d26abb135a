#!/bin/sh
# Call-stack benchmark of the preload runtime (docs/performance.md, "Call
# stacks"). Every run is recorded by one session of this script's own
# (overwrite channel: no event is ever discarded, so no configuration is
# flattered by losing events; contexts as weft record adds them), and the
# configurations alternate run by run so that drift hits them alike;
# figures are medians over REPS runs.
#
# 1. Cost per captured stack: stack-bench alloc (a malloc/free at the bottom
#    of a recursion DEPTH calls deep, WEFT_ALLOC=full so every malloc
#    captures a stack), DEPTH 10 and 30, the same stack every time and a new
#    stack every time, with WEFT_STACKS=off (baseline), DWARF and frame
#    pointers. Each run's figure is the median over ROUNDS rounds of the
#    thread's CPU time per iteration; added = configuration - off.
# 2. The uncontended loop (preload-bench, 1 thread: malloc, lock, increment,
#    unlock, free), default modes: untraced, stacks on, stacks off; the loop
#    thread's CPU time per iteration.
# 3. A contended lock (stack-bench lock: 4 threads, one mutex, a critical
#    section of one increment, at the bottom of a 10-deep recursion), default
#    modes: untraced, stacks off, DWARF, frame pointers; wall time per
#    iteration (threads block, so CPU time would miss the waits).
#
# usage: tests/bench/stack-bench.sh BUILD_DIR [REPS=11] [ITER=20000] [ROUNDS=11]
#                                   [ITER1=2000000] [ITER_LOCK=200000]
# STACK_BENCH_PARTS="1 2 3" (the default) selects the parts to run.
set -eu

build=${1:?usage: stack-bench.sh BUILD_DIR [REPS] [ITER] [ROUNDS] [ITER1] [ITER_LOCK]}
reps=${2:-11}
iter=${3:-20000}
rounds=${4:-11}
iter1=${5:-2000000}
iter_lock=${6:-200000}
sbench=$build/tests/bench/stack-bench
pbench=$build/tests/bench/preload-bench
preload=$build/instrument/preload/libweft-preload.so
parts=" ${STACK_BENCH_PARTS:-1 2 3} "
session=weft-stack-bench-$$
out=$(mktemp -d /tmp/weft-stack-bench.XXXXXX)

# shellcheck source=tests/bench/bench-session.sh
. "$(dirname "$0")/bench-session.sh"
bench_prepare stack-bench "$sbench" "$pbench" "$preload"

bench_session_start "--overwrite --subbuf-size=8M --num-subbuf=4" 'weft:*'
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# run CONFIG COMMAND... -> $metric of one tracked run
metric=ns_per_iter
run() {
	c=$1
	shift
	case $c in
	untraced) tracked "$@" ;;
	on) tracked env LD_PRELOAD="$preload" "$@" ;;
	off) tracked env WEFT_STACKS=off LD_PRELOAD="$preload" "$@" ;;
	dwarf) tracked env WEFT_STACK_UNWIND=dwarf LD_PRELOAD="$preload" "$@" ;;
	fp) tracked env WEFT_STACK_UNWIND=fp LD_PRELOAD="$preload" "$@" ;;
	esac
	field "$metric"
}

# alternate "CONFIGS" COMMAND... : REPS rounds over the configurations; the
# median of each in $out/med.CONFIG
alternate() {
	configs=$1
	shift
	for c in $configs; do : >"$out/runs.$c"; done
	for _ in $(seq "$reps"); do
		for c in $configs; do
			run "$c" "$@" >>"$out/runs.$c"
		done
	done
	for c in $configs; do median <"$out/runs.$c" >"$out/med.$c"; done
}

med() { cat "$out/med.$1"; }

part() { case $parts in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

if part 1; then
	echo "1. cost per captured stack: stack-bench alloc, WEFT_ALLOC=full (one capture per"
	echo "   iteration), thread CPU ns/iteration, medians of $reps runs x median of $rounds rounds of $iter"
	printf "   %-10s %6s %9s %9s %9s %12s %12s\n" stacks depth off dwarf fp "dwarf added" "fp added"
	for kind in same distinct; do
		for depth in 10 30; do
			alternate "off dwarf fp" env WEFT_ALLOC=full "$sbench" alloc "$kind" "$depth" \
				"$iter" "$rounds"
			awk -v k="$kind" -v d="$depth" -v o="$(med off)" -v w="$(med dwarf)" -v f="$(med fp)" \
				'BEGIN { printf "   %-10s %6d %9.1f %9.1f %9.1f %12.1f %12.1f\n", k, d, o, w, f, w - o, f - o }'
		done
	done
fi

if part 2; then
	echo "2. uncontended loop: preload-bench 1 thread, default modes, loop thread CPU ns/iteration,"
	echo "   medians of $reps runs of $iter1"
	metric=cpu_ns_per_iter
	alternate "untraced on off" "$pbench" 1 "$iter1"
	metric=ns_per_iter
	awk -v u="$(med untraced)" -v n="$(med on)" -v f="$(med off)" 'BEGIN {
		printf "   untraced %7.1f   stacks on %7.1f   stacks off %7.1f\n", u, n, f
		printf "   on - off = %+.1f ns (%+.1f %%)\n", n - f, (n - f) * 100 / f
	}'
	printf "   runs, on:  %s\n   runs, off: %s\n" "$(sort -n "$out/runs.on" | tr '\n' ' ')" \
		"$(sort -n "$out/runs.off" | tr '\n' ' ')"
fi

if part 3; then
	echo "3. contended lock: stack-bench lock, 4 threads, depth 10, default modes, wall ns/iteration,"
	echo "   medians of $reps runs of $iter_lock"
	alternate "untraced off dwarf fp" "$sbench" lock 4 10 "$iter_lock"
	awk -v u="$(med untraced)" -v o="$(med off)" -v w="$(med dwarf)" -v f="$(med fp)" 'BEGIN {
		printf "   untraced %7.1f   stacks off %7.1f   dwarf %7.1f   fp %7.1f\n", u, o, w, f
		printf "   dwarf / off = %.2f   fp / off = %.2f\n", w / o, f / o
	}'
fi

lttng stop "$session" >/dev/null
echo "session: $(bench_session_losses)"
