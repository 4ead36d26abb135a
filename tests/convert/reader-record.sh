#!/bin/sh
# reader-record.sh OUTDIR EVENTS PRELOAD PROGRAM [ARGS...]
#
# Records PROGRAM under a new LTTng session (a unique name) into OUTDIR:
# user-space events EVENTS (comma-separated patterns) with the vpid, vtid,
# procname and ip contexts, PROGRAM run with LD_PRELOAD=PRELOAD (may be
# empty). Prints the traced program's pid on stdout. Fails with a clear
# message when no lttng-sessiond is reachable.
set -u
out=$1 events=$2 preload=$3
shift 3
session="weft-convert-$(basename "$1")-$$"

if ! lttng list >/dev/null 2>&1; then
	echo "reader-record: no lttng-sessiond is reachable (start one: lttng-sessiond --daemonize)" >&2
	exit 1
fi
cleanup() { lttng destroy "$session" >/dev/null 2>&1; }
trap cleanup EXIT
lttng create "$session" --output="$out" >/dev/null || exit 1
lttng enable-event -u -s "$session" "$events" >/dev/null || exit 1
lttng add-context -u -s "$session" -t vpid -t vtid -t procname -t ip >/dev/null || exit 1
lttng start "$session" >/dev/null || exit 1
if [ -n "$preload" ]; then
	env LD_PRELOAD="$preload" "$@" &
else
	"$@" &
fi
pid=$!
wait $pid
status=$?
lttng stop "$session" >/dev/null || exit 1
lttng destroy "$session" >/dev/null || exit 1
trap - EXIT
if [ $status -ne 0 ]; then
	echo "reader-record: $1 exited with status $status" >&2
	exit 1
fi
echo $pid
