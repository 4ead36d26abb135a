#!/bin/sh
# reader-golden.sh SCENARIO VARIANT
#
# Records tests/convert/reader-prog-SCENARIO under LTTng and checks the
# model built from the trace (reader-check). VARIANT:
#   macros   weft:* events only (the TRACE_* macros)
#   ust      lttng-ust's own libc and pthread wrappers only (no weft event)
#   preload  weft's preload runtime plus the macros
set -u
scenario=$1 variant=$2
build=${WEFT_BUILD_ROOT:?run through meson test}
here=$build/tests/convert
# The recorded programs may come from another build (a sanitized reader
# checking programs that run under lttng-ust's libc wrapper, which cannot
# share malloc with an ASan runtime): WEFT_RECORD_BUILD_ROOT=build.
progs=${WEFT_RECORD_BUILD_ROOT:-$build}/tests/convert
libdir=/usr/lib/x86_64-linux-gnu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-convert-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

case $variant in
macros)
	events='weft:*,lttng_ust_statedump:*'
	preload=
	;;
ust)
	events='lttng_ust_pthread:*,lttng_ust_libc:*,lttng_ust_statedump:*'
	preload="$libdir/liblttng-ust-pthread-wrapper.so:$libdir/liblttng-ust-libc-wrapper.so"
	;;
preload)
	events='weft:*,lttng_ust_statedump:*'
	preload=$(ls "${WEFT_RECORD_BUILD_ROOT:-$build}"/instrument/preload/libweft-preload.so 2>/dev/null)
	if [ -z "$preload" ]; then
		echo "reader-golden: libweft-preload.so is not built" >&2
		exit 1
	fi
	;;
*)
	echo "reader-golden: unknown variant $variant" >&2
	exit 1
	;;
esac

if [ -n "${WEFT_RECORD_BUILD_ROOT:-}" ]; then
	export LD_LIBRARY_PATH=$WEFT_RECORD_BUILD_ROOT/instrument
fi
pid=$("$(dirname "$0")"/reader-record.sh "$tmp/trace" "$events" "$preload" \
	"$progs/reader-prog-$scenario") || exit 1
exec "$here/reader-check" "$scenario" "$variant" "$pid" "$tmp/trace"
