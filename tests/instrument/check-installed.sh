#!/bin/sh
# The installed header and weft.pc are enough to build a program:
#   cc app.c $(pkg-config --cflags --libs weft)
# Installs the build into a temporary DESTDIR, builds every-macro.c there
# (C, C++, and -DWEFT_DISABLE with --cflags only) and runs the results.
# usage: check-installed.sh every-macro.c  (env: WEFT_BUILD_ROOT, WEFT_CC, WEFT_CXX)
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

if ! meson install -C "$WEFT_BUILD_ROOT" --destdir "$tmp/root" --no-rebuild >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"
	echo "FAIL: meson install --destdir failed"
	exit 1
fi
pc=$(find "$tmp/root" -name weft.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no weft.pc installed"; exit 1; }
header=$(find "$tmp/root" -path '*/include/weft/trace.h' | head -n 1)
[ -n "$header" ] || fail "weft/trace.h is not installed"
weft=$(find "$tmp/root" -path '*/bin/weft' | head -n 1)
[ -n "$weft" ] || fail "the weft command is not installed"

export PKG_CONFIG_PATH="$(dirname "$pc")"
export PKG_CONFIG_SYSROOT_DIR="$tmp/root"
cflags=$(pkg-config --cflags weft) || fail "pkg-config --cflags weft failed"
libs=$(pkg-config --libs weft) || fail "pkg-config --libs weft failed"
echo "pkg-config: $cflags $libs"
case "$cflags $libs" in
*"$tmp/root"*) ;;
*) fail "pkg-config flags do not point into the installed tree" ;;
esac
libdir=$(dirname "$(find "$tmp/root" -name 'libweft.so' | head -n 1)")

# The header must come from the installed tree: nothing else is on -I.
$WEFT_CC -std=c11 -Wall -Wextra -Werror "$src" -o "$tmp/app" $cflags $libs ||
	fail "cc app.c \$(pkg-config --cflags --libs weft) failed"
$WEFT_CXX -x c++ -std=c++11 -Wall -Wextra -Werror "$src" -o "$tmp/app-cpp" $cflags $libs ||
	fail "c++ with pkg-config flags failed"
$WEFT_CC -std=c11 -Wall -Wextra -Werror -DWEFT_DISABLE "$src" -o "$tmp/app-off" $cflags ||
	fail "a -DWEFT_DISABLE build with only --cflags failed"

for app in app app-cpp; do
	[ -x "$tmp/$app" ] || continue
	LD_LIBRARY_PATH="$libdir" "$tmp/$app" 4
	rc=$?
	[ "$rc" -eq 4 ] || fail "$app built against the installed files exited $rc, expected 4"
	readelf -d "$tmp/$app" | grep -q 'NEEDED.*libweft\.so\.0' || fail "$app does not link libweft"
done
if [ -x "$tmp/app-off" ]; then
	"$tmp/app-off" 6
	rc=$?
	[ "$rc" -eq 6 ] || fail "app-off exited $rc, expected 6"
fi
if [ -n "$weft" ]; then
	LD_LIBRARY_PATH="$libdir" "$weft" record --help | grep -q 'usage: weft record' ||
		fail "the installed weft command does not run"
fi
[ "$status" -eq 0 ] && echo "ok: the installed header and weft.pc build and link programs"
exit "$status"
