#!/bin/sh
# reader-metadata.sh: a cut or corrupt metadata file gets one clear error
# and exit status 1, quickly. Without the integrity check libbabeltrace2
# loops forever on such files, so every load runs under a timeout.
set -u
src=$(cd "$(dirname "$0")" && pwd)
build=${WEFT_BUILD_ROOT:?run through meson test}
dump=$build/tests/convert/model-dump
weft=$build/tracer/cli/weft
py=${PYTHON_BT2:-/usr/bin/python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-metadata-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL $*"
	failures=$((failures + 1))
}

# expect NAME PATTERN CMD...: CMD exits 1 within 20 s, output matches PATTERN
expect() {
	name=$1 pattern=$2
	shift 2
	timeout 20 "$@" >"$tmp/out" 2>&1
	status=$?
	if [ $status -eq 124 ]; then
		fail "$name: still running after 20 s (hang)"
	elif [ $status -ne 1 ]; then
		fail "$name: exit status $status, expected 1: $(cat "$tmp/out")"
	elif ! grep -q -- "$pattern" "$tmp/out"; then
		fail "$name: error does not match '$pattern': $(cat "$tmp/out")"
	else
		echo "ok $name: $(cat "$tmp/out")"
	fi
}

# packetize IN OUT: LTTng's packetized CTF 1.8 metadata (37-byte headers,
# 1 KiB packets) holding the TSDL text of IN.
packetize() {
	"$py" - "$1" "$2" <<'PY'
import struct, sys, uuid
text = open(sys.argv[1], 'rb').read()
u = uuid.uuid4().bytes
out = bytearray()
room = 1024 - 37
for i in range(0, len(text), room):
    chunk = text[i:i + room]
    content = 37 + len(chunk)
    out += struct.pack('<I16sIIIBBBBB', 0x75D11D57, u, 0, content * 8, 1024 * 8,
                       0, 0, 0, 1, 8)
    out += chunk + b'\0' * (1024 - content)
open(sys.argv[2], 'wb').write(out)
PY
}

synth() {
	babeltrace2 --plugin-path="$src" -c source.weftsynth.Synth -p "scenario=\"$1\"" \
		-c sink.ctf.fs -p "path=\"$2\"" >/dev/null 2>&1 ||
		{ echo "cannot write synthetic trace $1" >&2; exit 1; }
}

synth unmatched "$tmp/text"
meta=$(ls "$tmp"/text/*/metadata)
size=$(wc -c <"$meta")
if [ "$size" -lt 2048 ]; then
	echo "synthetic metadata is only $size bytes: expected two packets or more" >&2
	exit 1
fi

# the packetized copy of a good trace still loads
cp -r "$tmp/text" "$tmp/packets"
pmeta=$(ls "$tmp"/packets/*/metadata)
packetize "$meta" "$pmeta"
if timeout 20 "$dump" "$tmp/packets" | grep -q "^process pid="; then
	echo "ok packetized: complete packetized metadata loads"
else
	fail "packetized: complete packetized metadata does not load"
fi

# packetized, cut inside the second packet (the reported case)
cp -r "$tmp/packets" "$tmp/cut-packet"
truncate -s 1500 "$(ls "$tmp"/cut-packet/*/metadata)"
expect cut-packet 'reason=".*truncated' "$dump" "$tmp/cut-packet"
expect cut-packet-stats 'weft stats: .*reason=".*truncated' "$weft" stats "$tmp/cut-packet"
expect cut-packet-convert 'weft convert: .*reason=".*truncated' \
	"$weft" convert -o "$tmp/out.json" "$tmp/cut-packet"

# packetized, cut at a packet boundary: whole packets, TSDL cut mid-way
cp -r "$tmp/packets" "$tmp/cut-boundary"
truncate -s 1024 "$(ls "$tmp"/cut-boundary/*/metadata)"
expect cut-boundary 'reason=".*truncated' "$dump" "$tmp/cut-boundary"

# packetized, garbage where the second packet header should be
cp -r "$tmp/packets" "$tmp/bad-magic"
printf 'XXXX' | dd of="$(ls "$tmp"/bad-magic/*/metadata)" bs=1 seek=1024 conv=notrunc 2>/dev/null
expect bad-magic 'reason=".*truncated' "$dump" "$tmp/bad-magic"

# plain-text metadata cut mid-way
cp -r "$tmp/text" "$tmp/cut-text"
truncate -s $((size / 2)) "$(ls "$tmp"/cut-text/*/metadata)"
expect cut-text 'reason=".*truncated' "$dump" "$tmp/cut-text"

exit $((failures != 0))
