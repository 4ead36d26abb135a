#!/bin/sh
# fuzz-run.sh FUZZER CORPUS SECONDS: a short libFuzzer run seeded with the
# corpus (new inputs go to a scratch copy, never into the source tree). A
# crash exits 1: libFuzzer's own 77 would read as a skip to meson.
set -u
fuzzer=$1 corpus=$2 seconds=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/weft-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$corpus"/* "$work"/ 2>/dev/null
exec "$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 -error_exitcode=1 \
	-artifact_prefix="${WEFT_FUZZ_ARTIFACTS:-$work/}" "$work"
