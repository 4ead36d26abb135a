#!/usr/bin/env bash
# Viewer benchmark: records convert-bench-prog (10 million events by
# default) in a fresh LTTng session, then on that trace, in the same run:
#   weft convert TRACE -o OUT.json      (the baseline: best of REPS)
#   viewer-bench open TRACE             (weft-view's loading: best of REPS)
#   viewer-bench draw TRACE 1920x1080   (frames offscreen, under Xvfb)
# and prints the open/convert ratio, memory per event and frame times.
#
#   tests/bench/viewer-bench.sh [BUILD_DIR] [EVENTS] [REPS]
#
# Needs a running lttng-sessiond, GNU time and xvfb-run. docs/performance.md
# ("Viewer") holds the figures.
set -euo pipefail

build=$(cd "${1:-build}" && pwd)
events=${2:-10000000}
reps=${3:-3}
weft="$build/tracer/cli/weft"
prog="$build/tests/bench/convert-bench-prog"
bench="$build/tests/bench/viewer-bench"

for f in "$weft" "$prog" "$bench" /usr/bin/time; do
	[ -x "$f" ] || { echo "viewer-bench: missing $f (build first; apt-get install time)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/weft-bench-viewer.XXXXXX)
trap 'rm -rf "$work"' EXIT

trace="$work/trace"
"$(dirname "$0")/record-bench-trace.sh" "$prog" "$events" "$trace"
echo "trace: $(du -sh "$trace" | cut -f1) of CTF"

# Best of $reps by wall time; CPU time (user + system) of the same run,
# which other processes on a busy machine do not inflate.
best_convert="" convert_cpu="" best_convert_mem=""
for _ in $(seq "$reps"); do
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$weft" convert "$trace" \
		-o "$work/out.json" --force --quiet
	read -r t u s m <"$work/time"
	if [ -z "$best_convert" ] || awk "BEGIN{exit !($t < $best_convert)}"; then
		best_convert=$t best_convert_mem=$m
		convert_cpu=$(awk "BEGIN{print $u + $s}")
	fi
done
best_open="" open_line=""
for _ in $(seq "$reps"); do
	line=$("$bench" open "$trace")
	t=$(echo "$line" | cut -d' ' -f2)
	if [ -z "$best_open" ] || awk "BEGIN{exit !($t < $best_open)}"; then
		best_open=$t open_line=$line
	fi
done
read -r _ _ n rss open_cpu <<<"$open_line"
awk -v n="$n" -v ct="$best_convert" -v cc="$convert_cpu" -v cm="$best_convert_mem" \
	-v ot="$best_open" -v oc="$open_cpu" -v rss="$rss" 'BEGIN {
	printf "events: %d\n", n
	printf "%-26s %9s %9s\n", "", "wall s", "CPU s"
	printf "%-26s %9.2f %9.2f   peak RSS %.1f MB\n", "weft convert (baseline)", ct, cc, cm / 1024
	printf "%-26s %9.2f %9.2f\n", "weft-view open", ot, oc
	printf "%-26s %8.2fx %8.2fx  (target <= 1.2x)\n", "open / convert", ot / ct, oc / cc
	printf "model memory              %7.1f MB  = %.1f bytes/event (target <= 64)\n", rss / 1e6, rss / n
}'
# The cairo renderer: Xvfb has no GPU, and GL through llvmpipe is 10-50x
# slower than cairo here (docs/performance.md).
GSK_RENDERER=${GSK_RENDERER:-cairo} timeout 600 xvfb-run -a "$bench" draw "$trace" 1920x1080 21
