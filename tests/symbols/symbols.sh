#!/usr/bin/env bash
# The symbolizer on inline-app (built -O2 -g) and on stripped copies of it
# whose debug info lies only in one place each: a .build-id tree given by
# WEFT_DEBUGINFO_PATH, a .gnu_debuglink target in the binary's .debug/, a
# local debuginfod server (started here on a free port, stopped by its
# pid). Without any of them the names fall back to binary+offset, also when
# the debuginfod server is gone or never answers (DEBUGINFOD_TIMEOUT).
#
# usage: symbols.sh TEST-SYMBOLS INLINE-APP
set -euo pipefail

tester=$1 app=$2
src=$(dirname "$0")
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-symbols.XXXXXX")
# shellcheck source=tests/check.sh
. "$src/../check.sh"

pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	weft_check_finish "$work"
}
trap cleanup EXIT

for tool in objcopy strip readelf debuginfod python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL: $tool is not installed (tests/setup.sh installs it)" >&2
		exit 1
	fi
done
# only what each step sets
unset DEBUGINFOD_URLS WEFT_DEBUGINFO_PATH DEBUGINFOD_TIMEOUT
export DEBUGINFOD_CACHE_PATH="$work/cache-none"

site_line() { grep -n "SITE:$1 " "$src/inline-lock.h" "$src/inline-app.c" | cut -d: -f2; }
note=$(site_line note) bump=$(site_line bump) worker=$(site_line worker)
offset=$("$app" --print-site)
build_id=$(readelf -n "$app" | awk '/Build ID:/ {print $3}')
echo "inline-app: site $offset, build id $build_id, lines $note $bump $worker"

run() { # NAME [VAR=VALUE...] TEST-SYMBOLS-ARGS...: prints its output, fails when it fails
	local name=$1 envs=() rc=0
	shift
	while [[ $1 == *=* ]]; do
		envs+=("$1")
		shift
	done
	env "${envs[@]}" "$tester" "$@" >"$work/$name.out" 2>&1 || rc=$?
	sed "s/^/  $name: /" "$work/$name.out"
	return "$rc"
}

check "unstripped: the inline chain, lines, build id, cache" \
	run full chain "$app" "$offset" "$build_id" "$note" "$bump" "$worker"
check "builder: innermost call site, stacks expanded in place" \
	run builder builder "$app" "$offset" "$note" "$bump" "$worker"

# Stripped copies: symbols and DWARF only in the .debug file.
mkdir -p "$work/bin" "$work/ids/.build-id/${build_id:0:2}" "$work/link/.debug" "$work/srv"
debug="$work/ids/.build-id/${build_id:0:2}/${build_id:2}.debug"
objcopy --only-keep-debug "$app" "$debug"
cp "$app" "$work/bin/inline-app"
strip --strip-all "$work/bin/inline-app"
stripped="$work/bin/inline-app"

check "stripped, no debug info: binary+offset only" \
	run nodebug unnamed "$stripped" "$offset"
check "stripped, .build-id tree in WEFT_DEBUGINFO_PATH: the chain" \
	run buildid WEFT_DEBUGINFO_PATH="$work/none:$work/ids" \
	chain "$stripped" "$offset" "$build_id" "$note" "$bump" "$worker"

cp "$debug" "$work/link/.debug/inline-app.debug"
objcopy --strip-all --add-gnu-debuglink="$work/link/.debug/inline-app.debug" \
	"$app" "$work/link/inline-app"
check "stripped, .gnu_debuglink target in .debug/: the chain" \
	run debuglink chain "$work/link/inline-app" "$offset" "$build_id" "$note" "$bump" \
	"$worker"

# A local debuginfod serving the .debug file only.
cp "$debug" "$work/srv/inline-app.debug"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
debuginfod -p "$port" -d "$work/debuginfod.sqlite" -F "$work/srv" -t 0 -g 0 \
	>"$work/debuginfod.log" 2>&1 &
pids+=($!)
server=$!
url="http://127.0.0.1:$port"
indexed() {
	python3 - "$url/buildid/$build_id/debuginfo" <<-'EOF'
		import sys, urllib.request
		try:
		    urllib.request.urlopen(sys.argv[1], timeout=5).read(1)
		except Exception:
		    sys.exit(1)
	EOF
}
for _ in $(seq 1 100); do
	indexed && break
	sleep 0.2
done
check "debuginfod on port $port has indexed the .debug file" indexed

check "stripped, debuginfod: the chain" \
	run debuginfod DEBUGINFOD_URLS="$url" DEBUGINFOD_CACHE_PATH="$work/cache-served" \
	chain "$stripped" "$offset" "$build_id" "$note" "$bump" "$worker"

kill "$server"
wait "$server" 2>/dev/null || true
check "stripped, debuginfod stopped: binary+offset only" \
	run stopped DEBUGINFOD_URLS="$url" DEBUGINFOD_CACHE_PATH="$work/cache-stopped" \
	unnamed "$stripped" "$offset"

# A server that accepts connections and never answers.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
time.sleep(600)
' >"$work/silent.port" &
pids+=($!)
for _ in $(seq 1 50); do
	[ -s "$work/silent.port" ] && break
	sleep 0.1
done
silent="http://127.0.0.1:$(cat "$work/silent.port")"
start=$(date +%s)
check "stripped, debuginfod never answers: binary+offset only" \
	run silent DEBUGINFOD_URLS="$silent" DEBUGINFOD_CACHE_PATH="$work/cache-silent" \
	DEBUGINFOD_TIMEOUT=2 unnamed "$stripped" "$offset"
elapsed=$(($(date +%s) - start))
check "a silent server costs DEBUGINFOD_TIMEOUT, not a hang (${elapsed}s)" \
	test "$elapsed" -le 10

exit $((failures > 0))
