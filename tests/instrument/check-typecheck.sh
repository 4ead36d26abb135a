#!/bin/sh
# With -DWEFT_DISABLE every macro still type-checks its arguments: each
# wrong case of bad-args.c must fail to compile with -Werror, in C and C++,
# while CASE=0 (correct code) compiles. Also checked enabled, for contrast.
# usage: check-typecheck.sh bad-args.c   (env: WEFT_CC, WEFT_CXX, WEFT_SOURCE_ROOT)
set -u
src=$1
inc="$WEFT_SOURCE_ROOT/instrument/include"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

compile() { # LANG MODE CASE
	if [ "$1" = c ]; then
		$WEFT_CC -std=c11 -Wall -Wextra -Werror -I"$inc" $2 -DCASE="$3" \
			-c "$src" -o "$tmp/out.o" >"$tmp/log" 2>&1
	else
		$WEFT_CXX -x c++ -std=c++11 -Wall -Wextra -Werror -I"$inc" $2 -DCASE="$3" \
			-c "$src" -o "$tmp/out.o" >"$tmp/log" 2>&1
	fi
}

for lang in c cxx; do
	for mode in -DWEFT_DISABLE -UWEFT_DISABLE; do
		compile "$lang" "$mode" 0 || { fail "$lang $mode: correct code does not compile"; cat "$tmp/log"; }
		for case in 1 2 3 4 5 6; do
			if compile "$lang" "$mode" "$case"; then
				fail "$lang $mode: CASE=$case compiled but has a wrong argument type"
			fi
		done
	done
done
[ "$status" -eq 0 ] && echo "ok: wrong argument types are errors, with and without WEFT_DISABLE"
exit "$status"
