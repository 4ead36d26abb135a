# Sourced by the preload benchmarks (preload-bench.sh, stack-bench.sh,
# memcached-stacks.sh): an LTTng session that records only the processes
# started through `tracked`, and the median of a column of numbers.
# The caller sets $session and $out (a temporary folder) first, and may set
# $bench_contexts (default: the contexts weft record adds) and $trace_dir
# (default: $out/trace).

# shellcheck disable=SC2154 # $session and $out: set by the caller

# bench_prepare NAME FILE... : every FILE exists and a session daemon
# answers, else one line and exit 1; on exit, the session (if any) and $out
# are removed.
bench_prepare() {
	bench_name=$1
	shift
	for f in "$@"; do
		[ -e "$f" ] || { echo "$bench_name: missing $f (build first)" >&2; exit 1; }
	done
	lttng list >/dev/null 2>&1 || { echo "$bench_name: no lttng-sessiond reachable" >&2; exit 1; }
	trap bench_cleanup EXIT INT TERM
}

bench_cleanup() {
	[ -z "${session:-}" ] || lttng destroy "$session" >/dev/null 2>&1 || true
	rm -rf "$out"
}

# bench_session_start "CHANNEL OPTIONS" EVENT... : create, enable, start.
# Other instrumented programs may run on this machine: the session
# tracks no process until `tracked` adds one.
bench_session_start() {
	bench_chan_opts=$1
	shift
	lttng create "$session" --output="${trace_dir:-$out/trace}" >/dev/null
	# shellcheck disable=SC2086 # the options are words
	lttng enable-channel -u -s "$session" $bench_chan_opts benchchan >/dev/null
	for ev in "$@"; do
		lttng enable-event -u -s "$session" -c benchchan "$ev" >/dev/null
	done
	# shellcheck disable=SC2086
	lttng add-context -u -s "$session" -c benchchan \
		${bench_contexts:--t vpid -t vtid -t procname -t ip} >/dev/null
	lttng untrack -u -s "$session" --vpid --all >/dev/null
	lttng start "$session" >/dev/null
}

# tracked_start COMMAND... : start it stopped, track its pid ($pid),
# continue it; its output goes to $out/one. tracked_finish waits for it.
tracked_start() {
	sh -c 'kill -STOP $$; exec "$@"' sh "$@" >"$out/one" 2>&1 &
	pid=$!
	until [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = T ]; do sleep 0.01; done
	lttng track -u -s "$session" --vpid="$pid" >/dev/null
	kill -CONT "$pid"
}

tracked_finish() {
	wait "$pid"
	lttng untrack -u -s "$session" --vpid="$pid" >/dev/null
}

tracked() {
	tracked_start "$@"
	tracked_finish
}

# The value of NAME=VALUE in $out/one.
field() {
	sed -n "s/.*\\b$1=\\([0-9.e+-]*\\).*/\\1/p" "$out/one"
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# Discarded events and lost packets of the session (both must be 0).
bench_session_losses() {
	lttng list "$session" | grep -E 'Discarded events|Lost packets' | tr -s ' ' | tr '\n' ' '
}
