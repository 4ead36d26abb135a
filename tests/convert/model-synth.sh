#!/bin/sh
# model-synth.sh SCENARIO [--run PROGRAM]
#
# Writes the synthetic CTF trace SCENARIO (bt_plugin_weftsynth.py, through
# babeltrace2's python plugin provider and sink.ctf.fs), dumps the model
# the reader builds from it, and compares with model-golden-SCENARIO.txt.
# WEFT_UPDATE_GOLDEN=1 rewrites the golden file instead.
set -u
scenario=$1
src=$(cd "$(dirname "$0")" && pwd)
build=${WEFT_BUILD_ROOT:?run through meson test}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-synth-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if ! babeltrace2 --plugin-path="$src" -c source.weftsynth.Synth \
	-p "scenario=\"$scenario\"" -c sink.ctf.fs -p "path=\"$tmp/trace\"" >"$tmp/log" 2>&1; then
	cat "$tmp/log"
	echo "model-synth: babeltrace2 could not write the synthetic trace (python3-bt2 plugin provider missing?)" >&2
	exit 1
fi
# --run PROGRAM: run tests/convert/PROGRAM on the trace instead of comparing dumps
if [ "${2:-}" = --run ]; then
	"$build/tests/convert/$3" "$tmp/trace"
	exit
fi
"$build/tests/convert/model-dump" "$tmp/trace" >"$tmp/dump" 2>&1 || { cat "$tmp/dump"; exit 1; }
golden=$src/model-golden-$scenario.txt
if [ "${WEFT_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$tmp/dump" "$golden"
	exit 0
fi
diff -u "$golden" "$tmp/dump"
