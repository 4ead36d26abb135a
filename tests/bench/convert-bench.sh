#!/usr/bin/env bash
# Converter benchmark: records convert-bench-prog (>= 5 million events) in a
# fresh LTTng session, then measures wall time and peak memory (GNU time) of
#   babeltrace2 TRACE -c sink.utils.dummy          (the baseline: decoding only)
#   babeltrace2 --debug-info … -c sink.utils.dummy  (decoding + symbolizing call sites)
#   weft convert TRACE -o OUT.json                 (model + JSON)
#   babeltrace2 --plugin-path=… TRACE -c sink.weft.chrome  (= weft convert --no-symbols)
# on the same trace in the same run, best of REPS runs each, and prints the
# ratios, bytes of peak memory per event and bytes of JSON per event.
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
lttng list >/dev/null 2>&1 || { echo "convert-bench: no lttng-sessiond reachable" >&2; exit 1; }

work=$(mktemp -d /tmp/weft-bench-convert.XXXXXX)
session="weft-bench-chrome-$$"
cleanup() {
	lttng destroy "$session" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

lttng create "$session" --output="$work/trace" >/dev/null
# Blocking channel: the program waits for the consumer rather than losing events.
lttng enable-channel -u -s "$session" ch --subbuf-size=4M --num-subbuf=16 \
	--blocking-timeout=inf >/dev/null
lttng enable-event -u -s "$session" -c ch 'weft:*' >/dev/null
lttng enable-event -u -s "$session" -c ch 'lttng_ust_statedump:*' >/dev/null
lttng add-context -u -s "$session" -c ch -t vpid -t vtid -t procname -t ip >/dev/null
lttng start "$session" >/dev/null
LTTNG_UST_ALLOW_BLOCKING=1 "$prog" "$events" >/dev/null
lttng stop "$session" >/dev/null
lttng destroy "$session" >/dev/null

trace="$work/trace"
echo "trace: $(du -sh "$trace" | cut -f1) of CTF"

# best wall time (s) and the peak RSS (KiB) of that run, over $reps runs
measure() {
	local best_t="" best_m=""
	for _ in $(seq "$reps"); do
		rm -f "$work/out.json"
		/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
			cat "$work/err" >&2
			exit 1
		}
		read -r t m <"$work/time"
		if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then
			best_t=$t
			best_m=$m
		fi
	done
	echo "$best_t $best_m"
}

summary=$("$weft" convert "$trace" -o "$work/out.json" --force)
echo "$summary"
n=$(echo "$summary" | sed -n 's/.* from \([0-9]*\) trace events.*/\1/p')
json_bytes=$(stat -c %s "$work/out.json")

read -r dt dm < <(measure babeltrace2 "$trace" -c sink.utils.dummy)
read -r it im < <(measure babeltrace2 --debug-info --debug-info-full-path "$trace" -c sink.utils.dummy)
read -r ct cm < <(measure "$weft" convert "$trace" -o "$work/out.json" --force --quiet)
read -r nt nm < <(measure "$weft" convert "$trace" -o "$work/out.json" --force --quiet --no-symbols)
read -r pt pm < <(measure babeltrace2 --plugin-path="$plugin_dir" "$trace" -c sink.weft.chrome \
	-p "path=\"$work/out.json\",no-symbols=yes")

awk -v n="$n" -v jb="$json_bytes" -v dt="$dt" -v dm="$dm" -v ct="$ct" -v cm="$cm" \
	-v nt="$nt" -v nm="$nm" -v pt="$pt" -v pm="$pm" -v it="$it" -v im="$im" 'BEGIN {
	printf "events: %d, JSON: %.1f MB = %.1f bytes/event\n", n, jb / 1e6, jb / n
	printf "%-44s %8s %8s %10s %12s\n", "command", "wall s", "x dummy", "peak MB", "peak B/event"
	printf "%-44s %8.2f %8.2f %10.1f %12.1f\n", "babeltrace2 -c sink.utils.dummy", dt, 1, dm / 1024, dm * 1024 / n
	printf "%-44s %8.2f %8.2f %10.1f %12.1f\n", "babeltrace2 --debug-info -c sink.utils.dummy", it, it / dt, im / 1024, im * 1024 / n
	printf "%-44s %8.2f %8.2f %10.1f %12.1f\n", "weft convert", ct, ct / dt, cm / 1024, cm * 1024 / n
	printf "%-44s %8.2f %8.2f %10.1f %12.1f\n", "weft convert --no-symbols", nt, nt / dt, nm / 1024, nm * 1024 / n
	printf "%-44s %8.2f %8.2f %10.1f %12.1f\n", "babeltrace2 -c sink.weft.chrome no-symbols=yes", pt, pt / dt, pm / 1024, pm * 1024 / n
}'
