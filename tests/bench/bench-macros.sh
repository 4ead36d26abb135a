#!/bin/sh
# Runs bench-macros: first with no session (the disabled cost), then under
# a session of its own that records weft:region_* and the bench-only raw
# provider weft_bench:* with the weft contexts (vpid, vtid, procname, ip).
# The channel is in overwrite mode so that no event is ever discarded (a
# discarded event is cheaper and would flatter one side). Both variants run
# in the same process, alternating, so the ratio is measured in one run.
#
# usage: tests/bench/bench-macros.sh [BUILD_DIR]     (default: ./build)
set -eu
build=${1:-build}
bench="$build/tests/bench/bench-macros"
[ -x "$bench" ] || { echo "bench-macros.sh: $bench is not built (ninja -C $build)"; exit 1; }
if ! lttng list >/dev/null 2>&1; then
	echo "bench-macros.sh: no lttng-sessiond is reachable: start one with 'lttng-sessiond --daemonize'"
	exit 1
fi

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(lttng --version | head -n1)"
"$bench" disabled

session="weft-bench-macros-$$"
tmp=$(mktemp -d)
trap 'lttng destroy "$session" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
lttng create "$session" --output="$tmp/trace" >/dev/null
lttng enable-channel --session="$session" -u --buffers-uid --overwrite \
	--subbuf-size=4M --num-subbuf=4 bench >/dev/null
lttng enable-event --session="$session" -u -c bench \
	'weft:region_begin,weft:region_end,weft_bench:region_begin,weft_bench:region_end' >/dev/null
lttng add-context --session="$session" -u -c bench \
	-t vpid -t vtid -t procname -t ip >/dev/null
lttng start "$session" >/dev/null
"$bench" enabled
lttng stop "$session" >/dev/null
