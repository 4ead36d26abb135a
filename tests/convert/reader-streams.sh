#!/bin/sh
# reader-streams.sh: a lost stream file is reported, not silently dropped.
# An LTTng trace keeps one stream file per CPU (CHANNEL_CPU) and an index
# per file (index/CHANNEL_CPU.idx). libbabeltrace2 skips an empty stream
# file and reads a file cut at a packet boundary as whole; weft stats and
# weft convert must warn, and the CPU count must still count the lost CPU.
set -u
src=$(cd "$(dirname "$0")" && pwd)
build=${WEFT_BUILD_ROOT:?run through meson test}
weft=$build/tracer/cli/weft
py=${PYTHON_BT2:-/usr/bin/python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-streams-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL $*"
	failures=$((failures + 1))
}

# check NAME PATTERN FILE
check() {
	if grep -q -- "$2" "$3"; then
		echo "ok $1"
	else
		fail "$1: no line matches '$2' in:"
		cat "$3"
	fi
}

babeltrace2 --plugin-path="$src" -c source.weftsynth.Synth -p 'scenario="unmatched"' \
	-c sink.ctf.fs -p "path=\"$tmp/t\"" >/dev/null 2>&1 ||
	{ echo "cannot write synthetic trace" >&2; exit 1; }
dir=$(dirname "$(ls "$tmp"/t/*/metadata)")
mv "$dir/stream" "$dir/weft_0"
size=$(wc -c <"$dir/weft_0")

# the intact trace: no warning
timeout 60 "$weft" stats "$tmp/t" >"$tmp/good.out" 2>&1 || fail "intact: weft stats failed"
if grep -q "warning" "$tmp/good.out"; then
	fail "intact: unexpected warning: $(grep warning "$tmp/good.out")"
else
	echo "ok intact: no warning"
fi

# CPU 3's stream file emptied; CPU 0's index says it held a second packet
: >"$dir/weft_3"
mkdir -p "$dir/index"
"$py" - "$dir/index/weft_0.idx" "$size" <<'PY'
import struct, sys
size = int(sys.argv[2])
out = struct.pack('>IIII', 0xC1F1DCC1, 1, 1, 56)
out += struct.pack('>QQQQQQQ', 0, size * 8, size * 8, 0, 0, 0, 0)
out += struct.pack('>QQQQQQQ', size, 4096 * 8, 4096 * 8, 0, 0, 0, 0)
open(sys.argv[1], 'wb').write(out)
PY

timeout 60 "$weft" stats "$tmp/t" >"$tmp/stats.out" 2>&1
status=$?
[ $status -eq 0 ] || fail "stats: exit status $status, expected 0 (the rest is readable)"
check stats-empty "^weft stats: warning: stream .*/weft_3 is empty: its events are missing" "$tmp/stats.out"
check stats-truncated "^weft stats: warning: stream .*/weft_0 is truncated ($size of $((size + 4096)) bytes)" "$tmp/stats.out"
check stats-cpus "the 4 CPUs (seen in the trace" "$tmp/stats.out"

timeout 60 "$weft" convert -o "$tmp/out.json" "$tmp/t" >"$tmp/convert.out" 2>&1
status=$?
[ $status -eq 0 ] || fail "convert: exit status $status, expected 0"
check convert-empty "^weft convert: warning: stream .*/weft_3 is empty: its events are missing" "$tmp/convert.out"
check convert-truncated "^weft convert: warning: stream .*/weft_0 is truncated" "$tmp/convert.out"

exit $((failures != 0))
