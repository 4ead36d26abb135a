#!/bin/sh
# reader-errors.sh: bad input gets one clear error, never a crash.
# Each case runs model-dump (weft_reader_load) and checks the exit status
# and the wording of the error.
set -u
src=$(cd "$(dirname "$0")" && pwd)
build=${WEFT_BUILD_ROOT:?run through meson test}
dump=$build/tests/convert/model-dump
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-errors-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

synth() {
	babeltrace2 --plugin-path="$src" -c source.weftsynth.Synth -p "scenario=\"$1\"" \
		-c sink.ctf.fs -p "path=\"$2\"" >/dev/null 2>&1 ||
		{ echo "cannot write synthetic trace $1" >&2; exit 1; }
}

# expect NAME PATTERN PATH...: model-dump fails (status 1, no crash) with PATTERN
expect() {
	name=$1 pattern=$2
	shift 2
	"$dump" "$@" >"$tmp/out" 2>&1
	status=$?
	if [ $status -ne 1 ]; then
		echo "FAIL $name: exit status $status, expected 1"
		failures=$((failures + 1))
	elif ! grep -q -- "$pattern" "$tmp/out"; then
		echo "FAIL $name: error does not match '$pattern':"
		cat "$tmp/out"
		failures=$((failures + 1))
	else
		echo "ok $name: $(cat "$tmp/out")"
	fi
}

mkdir -p "$tmp/notrace/sub"
echo "not a trace" >"$tmp/notrace/sub/readme.txt"
expect not-a-trace 'Failed to open trace: path=".*notrace", reason="no CTF trace' "$tmp/notrace"
expect missing 'reason="no such file or directory"' "$tmp/does-not-exist"

mkdir -p "$tmp/badmeta"
printf 'this is { not TSDL };\n' >"$tmp/badmeta/metadata"
expect bad-metadata 'reason="cannot parse the CTF metadata' "$tmp/badmeta"

# LTTng's packetized metadata cut inside a packet (babeltrace2 2.0 would spin)
mkdir -p "$tmp/cutmeta"
"${PYTHON_BT2:-python3}" -c '
import struct, sys
header = struct.pack("<I16sIIIBBBBB", 0x75D11D57, b"u" * 16, 0, 4096 * 8, 4096 * 8, 0, 0, 0, 1, 8)
sys.stdout.buffer.write(header + b"/* CTF 1.8 */\ntrace { major = 1; minor = 8; };\n")
' >"$tmp/cutmeta/metadata"
expect cut-metadata 'metadata file .* is truncated or corrupt' "$tmp/cutmeta"
echo 'some text' >"$tmp/file.txt"
expect a-file 'reason="not a CTF trace' "$tmp/file.txt"
# a .json file is a Chrome JSON trace: read as one, and an empty one says so
echo '{"traceEvents": []}' >"$tmp/file.json"
expect empty-json 'reason="the trace holds no timed events"' "$tmp/file.json"

synth empty "$tmp/empty"
expect empty 'reason="the trace holds no events"' "$tmp/empty"

synth unmatched "$tmp/truncated"
stream=$(ls "$tmp"/truncated/*/stream)
head -c 700 "$stream" >"$stream.cut" && mv "$stream.cut" "$stream"
expect truncated 'truncated or corrupt' "$tmp/truncated"

# one bad trace among good ones fails the whole load, naming the bad one
synth kernel "$tmp/good"
expect mixed "path=\"$tmp/notrace\"" "$tmp/good" "$tmp/notrace"

# a trace of events weft does not understand converts what it understands
synth unknown "$tmp/unknown"
if "$dump" "$tmp/unknown" | grep -q "skipped=2"; then
	echo "ok unknown-events: skipped ones counted"
else
	echo "FAIL unknown-events: skipped events not counted"
	failures=$((failures + 1))
fi

# several traces merge into one timeline
synth tidreuse "$tmp/merge-a"
if "$dump" "$tmp/good" "$tmp/merge-a" | grep -q "^process pid=100 " &&
	"$dump" "$tmp/good" "$tmp/merge-a" | grep -q "^process pid=200 "; then
	echo "ok merge: two traces in one model"
else
	echo "FAIL merge: processes of both traces expected"
	failures=$((failures + 1))
fi
# one folder holding traces of different UUIDs (an LTTng session with
# per-process buffers: ust/pid/APP-PID-DATE/ each): one timeline
mkdir -p "$tmp/session/ust/pid"
synth tidreuse "$tmp/session/ust/pid/app-100"
synth ust-wrappers "$tmp/session/ust/pid/app-500"
if "$dump" "$tmp/session" | grep -q "^process pid=100 " &&
	"$dump" "$tmp/session" | grep -q "^process pid=500 "; then
	echo "ok session-folder: traces of two UUIDs under one folder"
else
	echo "FAIL session-folder: processes of both traces expected"
	"$dump" "$tmp/session"
	failures=$((failures + 1))
fi
exit $((failures != 0))
