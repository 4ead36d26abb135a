#!/bin/sh
# A -DWEFT_DISABLE build references nothing of weft or LTTng: no symbol
# named weft, no dependency on libweft or liblttng-ust, no tracepoint
# section. The enabled build and libweft are the controls that show the
# same checks do find those things when they are there.
# usage: check-disabled.sh DISABLED_C DISABLED_CXX ENABLED_C LIBWEFT
set -u
status=0
fail() { echo "FAIL: $*"; status=1; }

weft_symbols() { { nm -a "$1" 2>/dev/null; nm -D "$1" 2>/dev/null; } | grep -ci weft; }
lttng_needed() { readelf -d "$1" | grep NEEDED | grep -ciE 'libweft|lttng'; }
tp_sections() { readelf -SW "$1" | grep -ciE 'tracepoint|lttng'; }

for prog in "$1" "$2"; do
	[ -x "$prog" ] || { fail "$prog was not built"; continue; }
	n=$(weft_symbols "$prog"); [ "$n" -eq 0 ] || fail "$prog has $n weft symbols"
	n=$(lttng_needed "$prog"); [ "$n" -eq 0 ] || fail "$prog needs libweft/liblttng-ust"
	n=$(tp_sections "$prog"); [ "$n" -eq 0 ] || fail "$prog has $n tracepoint sections"
	out=$("$prog" 5); rc=$?
	[ "$rc" -eq 5 ] || fail "$prog exited $rc, expected 5 (output: $out)"
done

# Controls.
[ "$(weft_symbols "$3")" -gt 0 ] || fail "control: no weft symbol found in the enabled build $3"
[ "$(lttng_needed "$3")" -gt 0 ] || fail "control: the enabled build $3 does not need libweft"
[ "$(tp_sections "$4")" -gt 0 ] || fail "control: no tracepoint section found in $4"

[ "$status" -eq 0 ] && echo "ok: the disabled builds reference nothing of weft or LTTng"
exit "$status"
