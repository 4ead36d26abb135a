# Sourced by tests/run.sh and the demo: make sure an lttng-sessiond runs.
#
# weft_sessiond_start starts one (daemonized) only when none is running and
# remembers its pid; weft_sessiond_stop stops that one and nothing else.

weft_sessiond_pid=""

weft_sessiond_start() {
	if pgrep -x lttng-sessiond >/dev/null; then
		return 0
	fi
	lttng-sessiond --daemonize --quiet
	for _ in $(seq 50); do
		weft_sessiond_pid=$(pgrep -n -x lttng-sessiond || true)
		if [ -n "$weft_sessiond_pid" ] && lttng list >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	echo "weft: lttng-sessiond did not start" >&2
	return 1
}

weft_sessiond_stop() {
	if [ -n "$weft_sessiond_pid" ]; then
		kill "$weft_sessiond_pid" 2>/dev/null || true
		# Give it time to tear down its consumers before the next run.
		for _ in $(seq 50); do
			kill -0 "$weft_sessiond_pid" 2>/dev/null || break
			sleep 0.1
		done
		weft_sessiond_pid=""
	fi
}
