#!/bin/sh
# Trace growth from call stacks on a real server (docs/performance.md, "Call
# stacks"): Debian's memcached (4 worker threads, 127.0.0.1 only) under the
# preload runtime, default modes, with WEFT_STACKS=off and =on, serving the
# same bounded load from memcached-load.py (CONNECTIONS connections,
# REQUESTS get/set requests in all) on loopback; memcached is stopped with
# SIGTERM after the load. Each run gets a fresh session set up as
# `weft record --preload` sets up its own (events weft:*,
# lttng_ust_statedump:*, lttng_ust_dl:*, lttng_ust_lib:*; contexts vpid,
# vtid, procname, ip; per-UID discard channel of 4 MiB x 16 sub-buffers),
# except that it records memcached's pid only (weft record's session would
# also take in other instrumented programs running on the machine). Prints,
# per run, the trace's bytes, its events and its weft:stack events (and their
# frames), then the medians and the growth on / off. REPS alternating runs of
# each. The stack field of the other events is there in both configurations
# (0 when off): what stacks add is the weft:stack definitions, estimated from
# their frames as 44 + 8 x frames bytes each (header, contexts, id, flags,
# length).
#
# Needs: memcached (apt-get install memcached), python3, babeltrace2, a
# running lttng-sessiond.
#
# usage: tests/bench/memcached-stacks.sh BUILD_DIR [REPS=3] [CONNECTIONS=8] [REQUESTS=200000]
set -eu

build=${1:?usage: memcached-stacks.sh BUILD_DIR [REPS] [CONNECTIONS] [REQUESTS]}
reps=${2:-3}
conns=${3:-8}
requests=${4:-200000}
preload=$build/instrument/preload/libweft-preload.so
load=$(dirname "$0")/memcached-load.py
memcached=$(command -v memcached || true)
port=$((20000 + $$ % 10000))
[ -n "$memcached" ] || { echo "memcached-stacks: no memcached (apt-get install memcached)" >&2; exit 1; }
out=$(mktemp -d /tmp/weft-memcached-stacks.XXXXXX)

# shellcheck source=tests/bench/bench-session.sh
. "$(dirname "$0")/bench-session.sh"
session=
bench_prepare memcached-stacks "$preload"

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $($memcached -V), $conns connections, $requests requests per run"

# once CONFIG N : one recorded run; appends "bytes events stacks frames" to $out/CONFIG
once() {
	session=weft-memcached-stacks-$$-$2
	trace_dir=$out/trace-$1-$2
	bench_session_start "--buffers-uid --subbuf-size=4M --num-subbuf=16" 'weft:*' \
		'lttng_ust_statedump:*' 'lttng_ust_dl:*' 'lttng_ust_lib:*'
	tracked_start env WEFT_STACKS="$1" LD_PRELOAD="$preload" \
		"$memcached" -u "$(id -un)" -l 127.0.0.1 -p "$port" -U 0 -t 4 -m 64
	python3 "$load" "$port" "$conns" "$requests" >"$out/load"
	kill -TERM "$pid"
	tracked_finish || true
	lttng stop "$session" >/dev/null
	losses=$(bench_session_losses)
	lttng destroy "$session" >/dev/null
	session=
	bytes=$(du -sb "$trace_dir" | cut -f1)
	# shellcheck disable=SC2046 # three numbers
	set -- "$1" "$2" $(babeltrace2 "$trace_dir" | awk '{n++}
		/ weft:stack: / {s++; match($0, /_frames_length = [0-9]+/); f += substr($0, RSTART + 17, RLENGTH - 17)}
		END {print n, s + 0, f + 0}')
	echo "$bytes $3 $4 $5" >>"$out/$1"
	printf "  stacks %-3s run %d: %9d bytes %8d events %5d weft:stack (%d frames) %s; %s\n" \
		"$1" "$2" "$bytes" "$3" "$4" "$5" "$(cat "$out/load")" "$losses"
	rm -rf "$trace_dir"
}

: >"$out/off"
: >"$out/on"
for r in $(seq "$reps"); do
	once off "$r"
	once on "$r"
done
awk -v off="$(cut -d' ' -f1 "$out/off" | median)" -v on="$(cut -d' ' -f1 "$out/on" | median)" \
	-v eoff="$(cut -d' ' -f2 "$out/off" | median)" -v eon="$(cut -d' ' -f2 "$out/on" | median)" \
	-v son="$(cut -d' ' -f3 "$out/on" | median)" -v fon="$(cut -d' ' -f4 "$out/on" | median)" \
	'BEGIN {
	printf "median bytes: stacks off %d, on %d: on / off = %.3f (growth %.1f %%, target <= 20 %%)\n",
		off, on, on / off, (on - off) * 100 / off
	printf "median events: stacks off %d, on %d; weft:stack events %d with %d frames, about %d bytes = %.2f %% of the trace\n",
		eoff, eon, son, fon, 44 * son + 8 * fon, (44 * son + 8 * fon) * 100 / on
}'
