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

# Creates and destroys a session without output: says in one line why
# recording cannot work (no daemon, no permission) before anything records.
weft_sessiond_check() {
	local name="weft-check-$$" out
	if ! out=$(lttng create "$name" --no-output 2>&1); then
		echo "weft: cannot create an LTTng session (lttng create: $(echo "$out" | tr '\n' ' '))" \
			"- run as root, or add this user to the 'tracing' group and start" \
			"lttng-sessiond as that user" >&2
		return 1
	fi
	lttng destroy "$name" >/dev/null 2>&1 || true
}
