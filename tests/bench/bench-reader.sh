#!/usr/bin/env bash
# Reader benchmark: records convert-bench-prog (>= 5 million weft events, with
# the statedump so call sites can be named) in a fresh LTTng session, then
# times on that same trace, best of REPS runs each:
#   babeltrace2 TRACE -c sink.utils.dummy        the baseline: decoding only
#   bench-reader --no-symbols TRACE              weft_reader_load(): model build
#   bench-reader TRACE                           + call sites named (elfutils)
#   bench-reader --debug-info-filter TRACE       + babeltrace2's debug-info filter
# and prints wall and CPU time, their ratios to the baseline, peak RSS and
# peak bytes per event.
#
#   tests/bench/bench-reader.sh [BUILD_DIR] [EVENTS] [REPS] [TRACE]
#
# With TRACE, that existing trace is used instead of recording one.
# Needs a running lttng-sessiond (tests/sessiond.sh) and GNU time.
# docs/performance.md ("Reader") holds the figures.
set -euo pipefail

build=$(cd "${1:-build}" && pwd)
events=${2:-5200000}
reps=${3:-3}
trace=${4:-}
prog="$build/tests/bench/convert-bench-prog"
reader="$build/tests/bench/bench-reader"

for f in "$prog" "$reader" /usr/bin/time; do
	[ -x "$f" ] || { echo "bench-reader: missing $f (build first; apt-get install time)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/weft-bench-reader.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ -z "$trace" ]; then
	trace="$work/trace"
	"$(dirname "$0")/record-bench-trace.sh" "$prog" "$events" "$trace"
fi
echo "trace: $(du -sh "$trace" | cut -f1) of CTF, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# best wall time (s), the peak RSS (KiB) of that run and the best CPU time
# (user + system s: steadier than wall time on a shared machine), over $reps runs
measure() {
	local best_t="" best_m="" best_c="" t m u s c
	for _ in $(seq "$reps"); do
		/usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
			cat "$work/err" >&2
			exit 1
		}
		read -r t m u s <"$work/time"
		c=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
		if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then
			best_t=$t best_m=$m
		fi
		if [ -z "$best_c" ] || awk -v a="$c" -v b="$best_c" 'BEGIN { exit !(a < b) }'; then
			best_c=$c
		fi
	done
	echo "$best_t $best_m $best_c"
}

read -r dummy_t dummy_m dummy_c < <(measure babeltrace2 "$trace" -c sink.utils.dummy)
"$reader" --no-symbols "$trace" >"$work/count"
n=$(sed -n 's/.*events=\([0-9]*\).*/\1/p' "$work/count")
printf '%-40s %8s %8s %8s %8s %10s %10s\n' "run" "wall s" "ratio" "cpu s" "ratio" "peak MiB" "B/event"
row() {
	local name=$1 t=$2 m=$3 c=$4
	printf '%-40s %8.2f %8.2f %8.2f %8.2f %10.1f %10.1f\n' "$name" "$t" \
		"$(awk -v a="$t" -v b="$dummy_t" 'BEGIN { print a / b }')" "$c" \
		"$(awk -v a="$c" -v b="$dummy_c" 'BEGIN { print a / b }')" \
		"$(awk -v m="$m" 'BEGIN { print m / 1024 }')" \
		"$(awk -v m="$m" -v n="$n" 'BEGIN { print m * 1024 / n }')"
}
echo "events: $n"
row "babeltrace2 -c sink.utils.dummy" "$dummy_t" "$dummy_m" "$dummy_c"
read -r t m c < <(measure "$reader" --no-symbols "$trace")
row "weft_reader_load, no symbols" "$t" "$m" "$c"
read -r t m c < <(measure "$reader" "$trace")
row "weft_reader_load (elfutils symbols)" "$t" "$m" "$c"
read -r t m c < <(measure "$reader" --debug-info-filter "$trace")
row "weft_reader_load + debug-info filter" "$t" "$m" "$c"
