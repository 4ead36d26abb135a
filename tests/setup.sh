#!/usr/bin/env bash
# Sets up a Debian 12 machine for weft and builds it into build/.
#
# Installs only the Debian packages that are missing (as root, or through
# sudo), each named here: nothing comes through recommends, so a minbase
# Debian 12 gets the same set as a full desktop. Then checks, one line each,
# that the pieces that fail only at run time work (babeltrace2 loads Python
# plugins), and configures and compiles. WEFT_WERROR=1 turns warnings into
# errors (the test command and CI do this), WEFT_WERROR=0 turns that off;
# unset, a configured build/ keeps its setting (so the quick start after the
# test command does not recompile everything) and a new one warns only.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
	# build
	gcc g++ pkg-config meson ninja-build
	# recording and reading traces (pgrep, from procps, finds a running sessiond)
	lttng-tools liblttng-ust-dev liblttng-ctl-dev libunwind-dev procps
	babeltrace2 libbabeltrace2-dev
	# tests: synthetic CTF traces from Python babeltrace2 sources (the plugin
	# provider is only a recommends of python3-bt2)
	python3 python3-bt2 libbabeltrace2-python-plugin-provider
	# converter and viewer (a font, or the viewer's text draws as boxes)
	libglib2.0-dev libjson-c-dev zlib1g-dev libgtk-4-dev libdw-dev fonts-dejavu-core
	# pprof profiles: protobuf-c code generated from Debian's profile.proto
	libprotobuf-c-dev protobuf-c-compiler golang-github-google-pprof-dev
	# the fuzz target (libFuzzer)
	clang libclang-rt-14-dev
	# tests: a display server for the viewer, memory checkers, GNU time
	xvfb xauth valgrind time binutils file
	# tests: real multithreaded programs under the preload runtime
	xz-utils zstd lbzip2 sqlite3
	# tests: the real pprof reader (go tool pprof)
	golang-go
	# tests: the man pages render without warnings (man --warnings)
	man-db groff-base
	# symbols from debuginfod: the client libdwfl loads (only a dlopen of
	# libdw1, never a dependency), and a local server for the tests
	libdebuginfod1 debuginfod
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if ((${#missing[@]})); then
	echo "weft: installing missing packages: ${missing[*]}"
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		sudo=(sudo)
	fi
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
		"${missing[@]}"
fi

# One line each for what a package list cannot promise.
if ! babeltrace2 --plugin-path="$root/tests/convert" list-plugins 2>/dev/null |
	grep -q weftsynth; then
	echo "weft: babeltrace2 cannot load Python plugins (tests/convert/bt_plugin_weftsynth.py):" \
		"install libbabeltrace2-python-plugin-provider and python3-bt2" >&2
	exit 1
fi

werror=()
case "${WEFT_WERROR:-}" in
1) werror=(-Dwerror=true) ;;
0) werror=(-Dwerror=false) ;;
"") ;;
*)
	echo "weft: WEFT_WERROR must be 0 or 1, not '$WEFT_WERROR'" >&2
	exit 1
	;;
esac

if [ ! -f "$root/build/build.ninja" ]; then
	meson setup "$root/build" "$root" "${werror[@]}" >/dev/null
elif ((${#werror[@]})); then
	meson configure "$root/build" "${werror[@]}" >/dev/null
fi
ninja -C "$root/build"
