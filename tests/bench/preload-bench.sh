#!/bin/sh
# Preload runtime benchmark: the malloc + lock + increment + unlock + free
# loop (preload-bench.c) on 4 threads and 1 thread, each configuration
# run under the same active session recording weft:*, lttng_ust_libc:* and
# lttng_ust_pthread:* (contexts vpid, vtid, ip):
#   untraced            no preload
#   weft                libweft-preload.so, default modes
#   lttng               liblttng-ust-libc-wrapper.so + liblttng-ust-pthread-wrapper.so
#   weft-all-full       libweft-preload.so, WEFT_LOCKS=all WEFT_ALLOC=full
# Prints the median ns/iteration of REPS runs and the ratios the targets
# are stated in (added time = configuration - untraced).
# Then an I/O-heavy program, `dd bs=512` copying 64 MiB from /dev/zero to
# /dev/null (two blocking calls per block): untraced, weft default, and
# weft with WEFT_SYSCALLS=off, in ns per block.
#
# usage: tests/bench/preload-bench.sh BUILD_DIR [REPS] [ITER4] [ITER1]
set -eu

build=${1:?usage: preload-bench.sh BUILD_DIR [REPS] [ITER4] [ITER1]}
reps=${2:-5}
iter4=${3:-1000000}
iter1=${4:-2000000}
bench=$build/tests/bench/preload-bench
preload=$build/instrument/preload/libweft-preload.so
lib=/usr/lib/x86_64-linux-gnu
lttng_wrappers=$lib/liblttng-ust-libc-wrapper.so:$lib/liblttng-ust-pthread-wrapper.so
session=weft-preload-bench-$$
out=$(mktemp -d /tmp/weft-preload-bench.XXXXXX)

# shellcheck source=tests/bench/bench-session.sh
. "$(dirname "$0")/bench-session.sh"
bench_prepare preload-bench "$bench" "$preload"

# Only the benchmark's own processes are recorded (others may run tracing
# programs on this machine): each run is started stopped, added to the vpid
# tracker, then continued.
bench_contexts="-t vpid -t vtid -t ip"
bench_session_start "--subbuf-size=8M --num-subbuf=4" 'weft:*' 'lttng_ust_libc:*' \
	'lttng_ust_pthread:*'

# one THREADS ITER CONFIG -> ns/iteration of one run
one() {
	case $3 in
	untraced) set -- "$1" "$2" env ;;
	weft) set -- "$1" "$2" env LD_PRELOAD="$preload" ;;
	lttng) set -- "$1" "$2" env LD_PRELOAD="$lttng_wrappers" ;;
	weft-all-full) set -- "$1" "$2" env WEFT_LOCKS=all WEFT_ALLOC=full LD_PRELOAD="$preload" ;;
	esac
	t=$1 i=$2
	shift 2
	tracked "$@" "$bench" "$t" "$i"
	field ns_per_iter
}

# io CONFIG -> ns per dd block
io() {
	case $1 in
	untraced) set -- env ;;
	weft) set -- env LD_PRELOAD="$preload" ;;
	weft-syscalls-off) set -- env WEFT_SYSCALLS=off LD_PRELOAD="$preload" ;;
	esac
	# dd reports its own copy time (from its start, after registration)
	LC_ALL=C tracked "$@" dd if=/dev/zero of=/dev/null bs=512 count=131072
	sed -n 's/.* copied, \([0-9.e-]*\) s,.*/\1/p' "$out/one" | awk '{printf "%.0f\n", $1 * 1e9 / 131072}'
}

for threads in 4 1; do
	if [ "$threads" = 4 ]; then iter=$iter4; else iter=$iter1; fi
	# round-robin over the configurations so that drift affects them alike
	: >"$out/untraced"; : >"$out/weft"; : >"$out/lttng"; : >"$out/weft-all-full"
	for r in $(seq "$reps"); do
		for c in untraced weft lttng weft-all-full; do
			one "$threads" "$iter" "$c" >>"$out/$c"
		done
	done
	u=$(median <"$out/untraced")
	w=$(median <"$out/weft")
	l=$(median <"$out/lttng")
	a=$(median <"$out/weft-all-full")
	awk -v t="$threads" -v u="$u" -v w="$w" -v l="$l" -v a="$a" 'BEGIN {
		printf "threads=%d  ns/iteration (median of runs)\n", t
		printf "  untraced           %8.1f\n", u
		printf "  weft default       %8.1f   added %7.1f\n", w, w - u
		printf "  lttng-ust wrappers %8.1f   added %7.1f\n", l, l - u
		printf "  weft all+full      %8.1f   added %7.1f\n", a, a - u
		printf "  weft added / lttng-ust added        = %.2f  (target <= 0.50)\n", (w - u) / (l - u)
		printf "  weft all+full / lttng-ust wrappers  = %.2f  (target <= 1.00)\n", a / l
	}'
done

: >"$out/io-untraced"; : >"$out/io-weft"; : >"$out/io-weft-syscalls-off"
for r in $(seq "$reps"); do
	for c in untraced weft weft-syscalls-off; do
		io "$c" >>"$out/io-$c"
	done
done
u=$(median <"$out/io-untraced")
w=$(median <"$out/io-weft")
o=$(median <"$out/io-weft-syscalls-off")
awk -v u="$u" -v w="$w" -v o="$o" 'BEGIN {
	printf "I/O-heavy: dd bs=512, 131072 blocks (ns/block, median, timed by dd itself)\n"
	printf "  untraced               %8.0f\n", u
	printf "  weft default           %8.0f   added %7.0f  (%.2fx)\n", w, w - u, w / u
	printf "  weft WEFT_SYSCALLS=off %8.0f   added %7.0f  (%.2fx)\n", o, o - u, o / u
}'

lttng stop "$session" >/dev/null
echo "session: $(bench_session_losses)"
