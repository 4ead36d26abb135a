#!/usr/bin/env bash
# Converter benchmark: records convert-bench-prog (>= 5 million events) in a
# fresh LTTng session, then measures wall time, CPU time (user + system) and
# peak memory (GNU time) of
#   babeltrace2 TRACE -c sink.utils.dummy          (the baseline: decoding only)
#   weft convert TRACE -o OUT.json                 (model + JSON)
#   weft convert TRACE -o OUT.json --no-symbols
#   babeltrace2 --plugin-path=… TRACE -c sink.weft.chrome  (the same file as weft convert)
# on the same trace in the same run, REPS interleaved runs each (best time,
# highest peak), and prints the ratios to the dummy sink, bytes of peak
# memory per event and bytes of JSON per event. On a shared, loaded machine
# the CPU-time ratio is the stable figure; wall time follows the load.
#
#   tests/bench/convert-bench.sh [BUILD_DIR] [EVENTS] [REPS]
#
# Needs a running lttng-sessiond (tests/sessiond.sh) and GNU time.
# docs/performance.md ("Converter") holds the figures.
set -euo pipefail

build=$(cd "${1:-build}" && pwd)
events=${2:-5200000}
reps=${3:-3}
weft="$build/tracer/cli/weft"
prog="$build/tests/bench/convert-bench-prog"
plugin_dir="$build/tracer/plugin"

for f in "$weft" "$prog" /usr/bin/time; do
	[ -x "$f" ] || { echo "convert-bench: missing $f (build first; apt-get install time)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/weft-bench-convert.XXXXXX)
trap 'rm -rf "$work"' EXIT

trace="$work/trace"
"$(dirname "$0")/record-bench-trace.sh" "$prog" "$events" "$trace"
echo "trace: $(du -sh "$trace" | cut -f1) of CTF"

# One run of a command: appends "wall cpu rss_kib" to $work/NAME.runs.
run_once() {
	local name=$1
	shift
	rm -f "$work/out.json"
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
		cat "$work/err" >&2
		exit 1
	}
	read -r t u s m <"$work/time"
	echo "$t $(awk "BEGIN{print $u + $s}") $m" >>"$work/$name.runs"
}

# Best (lowest) wall and CPU time over the runs, and the highest peak RSS.
best() {
	sort -n "$work/$1.runs" | head -1 | cut -d' ' -f1 | tr '\n' ' '
	sort -n -k2 "$work/$1.runs" | head -1 | cut -d' ' -f2 | tr '\n' ' '
	sort -n -k3 "$work/$1.runs" | tail -1 | cut -d' ' -f3
}

summary=$("$weft" convert "$trace" -o "$work/out.json" --force)
echo "$summary"
n=$(echo "$summary" | sed -n 's/.* from \([0-9]*\) trace events.*/\1/p')
json_bytes=$(stat -c %s "$work/out.json")

# Interleaved, so that load from other processes spreads over all commands.
for _ in $(seq "$reps"); do
	run_once dummy babeltrace2 "$trace" -c sink.utils.dummy
	run_once convert "$weft" convert "$trace" -o "$work/out.json" --force --quiet
	run_once convert_ns "$weft" convert "$trace" -o "$work/out.json" --force --quiet --no-symbols
	run_once plugin babeltrace2 --plugin-path="$plugin_dir" "$trace" -c sink.weft.chrome \
		-p "path=\"$work/out.json\""
done

{
	echo "babeltrace2 -c sink.utils.dummy|$(best dummy)"
	echo "weft convert|$(best convert)"
	echo "weft convert --no-symbols|$(best convert_ns)"
	echo "babeltrace2 -c sink.weft.chrome|$(best plugin)"
} >"$work/table"

awk -F'|' -v n="$n" -v jb="$json_bytes" 'BEGIN {
	printf "events: %d, JSON: %.1f MB = %.1f bytes/event\n", n, jb / 1e6, jb / n
	printf "%-48s %7s %7s %7s %7s %8s %8s\n", "command", "wall s", "x", "cpu s", "x", "peak MB", "B/event"
}
{
	split($2, v, " ")
	if (NR == 1) { dw = v[1]; dc = v[2] }
	printf "%-48s %7.2f %7.2f %7.2f %7.2f %8.1f %8.1f\n", $1, v[1], v[1] / dw, v[2], v[2] / dc,
		v[3] / 1024, v[3] * 1024 / n
}' "$work/table"
