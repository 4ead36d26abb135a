# Sourced by the shell tests: `check DESCRIPTION COMMAND...` runs COMMAND and
# prints ok/FAIL; weft_check_finish keeps the work folder when anything failed
# and removes it otherwise (call it from the test's EXIT trap).

failures=0

check() { # DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "FAIL: $what" >&2
		failures=$((failures + 1))
	fi
}

weft_check_finish() { # WORK_FOLDER
	if [ "$failures" = 0 ]; then
		rm -rf "$1"
	else
		echo "kept $1" >&2
	fi
}

weft_check_start() { # NAME: $work, a folder kept only when a check failed; needs a sessiond
	work=$(mktemp -d "${TMPDIR:-/tmp}/weft-$1.XXXXXX")
	# shellcheck disable=SC2064
	trap "weft_check_finish '$work'" EXIT
	if ! lttng list >/dev/null 2>&1; then
		echo "FAIL: no lttng-sessiond is reachable (tests/run.sh starts one)" >&2
		exit 1
	fi
}

# WEFT PRELOAD PROGRAM [ARGS...]: `weft record --preload` into $work/trace;
# sets $trace and $pid (the program's, from weft record's summary) and
# returns the program's exit status.
weft_record_preload() {
	local weft=$1 preload=$2 rc=0
	shift 2
	trace="$work/trace"
	WEFT_PRELOAD_LIB="$preload" "$weft" record --preload -o "$trace" "$@" \
		>"$work/program.out" 2>"$work/record.err" || rc=$?
	pid=$(sed -n 's/.* from [^,]*, pid \([0-9]*\)).*/\1/p' "$work/record.err")
	check "weft record names the program's pid" test -n "$pid"
	return "$rc"
}
