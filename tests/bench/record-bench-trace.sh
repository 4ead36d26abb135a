#!/usr/bin/env bash
# record-bench-trace.sh PROG EVENTS OUT: records `PROG EVENTS` into the CTF
# trace folder OUT, losing nothing, for the converter, reader and viewer
# benchmarks. Needs a running lttng-sessiond.
#
# The channel blocks (the program waits for the consumer rather than losing
# events) and only PROG's events are kept: other instrumented processes on
# the machine would change the event mix.
set -euo pipefail

prog=$1
events=$2
out=$3
session="weft-bench-$$"

lttng list >/dev/null 2>&1 || { echo "record-bench-trace: no lttng-sessiond reachable" >&2; exit 1; }
trap 'lttng destroy "$session" >/dev/null 2>&1 || true' EXIT

only="\$ctx.procname == \"$(basename "$prog" | cut -c1-15)*\""
lttng create "$session" --output="$out" >/dev/null
lttng enable-channel -u -s "$session" ch --subbuf-size=4M --num-subbuf=16 \
	--blocking-timeout=inf >/dev/null
lttng add-context -u -s "$session" -c ch -t vpid -t vtid -t procname -t ip >/dev/null
lttng enable-event -u -s "$session" -c ch 'weft:*' --filter "$only" >/dev/null
lttng enable-event -u -s "$session" -c ch 'lttng_ust_statedump:*' --filter "$only" >/dev/null
lttng start "$session" >/dev/null
LTTNG_UST_ALLOW_BLOCKING=1 "$prog" "$events" >/dev/null
lttng stop "$session" >/dev/null
