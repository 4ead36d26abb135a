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
