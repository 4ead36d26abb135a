#!/bin/sh
# reader-routine.sh: a start routine in a library weft cannot name (stripped,
# or not on this machine) prints as library+offset, like call sites in that
# library, not as a raw address.
set -u
src=$(cd "$(dirname "$0")" && pwd)
build=${WEFT_BUILD_ROOT:?run through meson test}
weft=$build/tracer/cli/weft
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-routine-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

babeltrace2 --plugin-path="$src" -c source.weftsynth.Synth -p 'scenario="stripped-routine"' \
	-c sink.ctf.fs -p "path=\"$tmp/t\"" >/dev/null 2>&1 ||
	{ echo "cannot write synthetic trace" >&2; exit 1; }

for kind in threads thread-list folded; do
	case $kind in
	folded) args=--folded=running ;;
	*) args=--section=$kind ;;
	esac
	timeout 60 "$weft" stats $args "$tmp/t" >"$tmp/$kind.out" 2>&1 ||
		{ echo "FAIL $kind: weft stats failed: $(cat "$tmp/$kind.out")"; failures=$((failures + 1)); continue; }
	if grep -q "liblzma.so.5.4.1+0xcd00[ ;]" "$tmp/$kind.out" &&
		! grep -q "0x7f000000cd00" "$tmp/$kind.out"; then
		echo "ok $kind: start routine printed as liblzma.so.5.4.1+0xcd00"
	else
		echo "FAIL $kind: start routine not printed as library+offset:"
		cat "$tmp/$kind.out"
		failures=$((failures + 1))
	fi
done
exit $((failures != 0))
