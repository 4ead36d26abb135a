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

# Stream files babeltrace2 alone cannot read at all: the reader reads their
# complete packets (the index says where each starts) and says in one line
# what it dropped, from which offset, and why; nothing is left behind.
# index_of FILE PACKET_SIZE...: an LTTng index of consecutive packets
index_of() {
	"$py" - "$@" <<'PY'
import struct, sys
out, off = struct.pack('>IIII', 0xC1F1DCC1, 1, 1, 56), 0
for size in map(int, sys.argv[2:]):
    out += struct.pack('>QQQQQQQ', off, size * 8, size * 8, 0, 0, 0, 0)
    off += size
open(sys.argv[1], 'wb').write(out)
PY
}
# damaged NAME WHY: reads the damaged copy $tmp/NAME, checks the warning and the events
damaged() {
	rm -f "$tmp/$1.out"
	timeout 60 "$weft" stats --section threads "$tmp/$1" >"$tmp/$1.out" 2>&1
	status=$?
	[ $status -eq 0 ] || fail "$1: exit status $status, expected 0 (the complete packet is readable)"
	check "$1-warning" "^weft stats: warning: stream .*/weft_0: [0-9]* bytes from offset $size dropped ($2); its 1 complete packets are read" "$tmp/$1.out"
	check "$1-events" "^trace: .* [1-9][0-9]* events" "$tmp/$1.out"
	if grep -q "Aborting\|precondition" "$tmp/$1.out"; then
		fail "$1: babeltrace2 aborted"
	fi
}
fresh() { # NAME: a copy of the intact trace with an index for weft_0 and no weft_3
	rm -rf "${tmp:?}/$1"
	cp -r "$tmp/t" "$tmp/$1"
	rm -f "$(dirname "$(ls "$tmp/$1"/*/metadata)")/weft_3"
	dirname "$(ls "$tmp/$1"/*/metadata)"
}
d=$(fresh garbage)
index_of "$d/index/weft_0.idx" "$size"
head -c 3000 /dev/urandom >>"$d/weft_0"
damaged garbage "bytes after the last packet"

d=$(fresh badmagic)
index_of "$d/index/weft_0.idx" "$size" 4096
head -c 4096 /dev/zero >>"$d/weft_0"
damaged badmagic "not a CTF packet (bad magic number)"

d=$(fresh cutshort)
index_of "$d/index/weft_0.idx" "$size" 4096
head -c 1000 "$d/weft_0" >"$tmp/head" && cat "$tmp/head" >>"$d/weft_0"
damaged cutshort "a packet cut short by the end of the file"

left=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'weft-read-*' -newer "$tmp/head" 2>/dev/null | head -n1)
if [ -n "$left" ]; then
	fail "a repaired mirror was left behind: $left"
else
	echo "ok repaired mirrors removed"
fi

exit $((failures != 0))
