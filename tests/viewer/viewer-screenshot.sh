#!/bin/sh
# viewer-screenshot.sh MODE: `weft-view --screenshot` (and `weft view`)
# on a Chrome JSON file written here (MODE json) or on bad input (MODE
# errors): a picture that is not blank, or a non-zero exit with a clear
# message and no crash.
set -u
mode=$1
build=$WEFT_BUILD_ROOT
view=$build/viewer/weft-view
weft=$build/tracer/cli/weft
check=$build/tests/viewer/viewer-check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GTK_A11Y=none
fail() { echo "viewer-screenshot: $*" >&2; exit 1; }
# A screen larger than Xvfb's default 1280x1024, so sizes up to 1920x1200
# fit on it.
screen="-screen 0 1920x1200x24"

# expect_failure DESCRIPTION TEXT ARGS...: weft-view exits 1..125 (not a
# signal) and its stderr holds TEXT.
expect_failure() {
	what=$1 text=$2
	shift 2
	timeout 60 xvfb-run -a -s "$screen" "$view" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	cat "$tmp/err"
	[ $status -ne 0 ] || fail "$what: exit status 0"
	[ $status -lt 126 ] || fail "$what: crashed or timed out (status $status)"
	grep -q "$text" "$tmp/err" || fail "$what: no message containing '$text'"
	[ ! -e "$tmp/never.png" ] || fail "$what: wrote a screenshot"
}

case $mode in
json)
	python3 "$WEFT_SOURCE_ROOT/tests/viewer/make-json.py" "$tmp/t.json" || exit 1
	timeout 60 xvfb-run -a -s "$screen" "$view" --screenshot "$tmp/a.png" --size 1100x650 "$tmp/t.json" ||
		fail "weft-view --screenshot failed"
	"$check" png "$tmp/a.png" 1100x650 || exit 1
	timeout 60 xvfb-run -a -s "$screen" "$weft" view --screenshot "$tmp/b.png" --range 2ms:3ms \
		"$tmp/t.json" || fail "weft view --screenshot --range failed"
	"$check" png "$tmp/b.png" 1280x800 || exit 1
	cmp -s "$tmp/a.png" "$tmp/b.png" && fail "--range did not change the picture"
	# A bare number is seconds, as for weft convert --from/--to.
	timeout 60 xvfb-run -a -s "$screen" "$view" --screenshot "$tmp/s.png" --range 0.002:0.003 "$tmp/t.json" ||
		fail "weft-view --screenshot --range in seconds failed"
	cmp -s "$tmp/b.png" "$tmp/s.png" || fail "--range 0.002:0.003 differs from 2ms:3ms"
	# The picture is exactly --size, also larger than the screen (1920x1200)
	# and small.
	for size in 1920x1080 2400x1500 800x500; do
		timeout 60 xvfb-run -a -s "$screen" "$view" --screenshot "$tmp/$size.png" --size "$size" "$tmp/t.json" ||
			fail "weft-view --screenshot --size $size failed"
		"$check" png "$tmp/$size.png" "$size" || exit 1
	done
	cp "$tmp/800x500.png" "$build/tests/viewer/screenshot-json-small.png"
	gzip -c "$tmp/t.json" >"$tmp/t.json.gz"
	timeout 60 xvfb-run -a -s "$screen" "$view" --screenshot "$tmp/c.png" --size 1100x650 "$tmp/t.json.gz" ||
		fail "weft-view --screenshot failed on gzip JSON"
	"$check" png "$tmp/c.png" || exit 1
	cp "$tmp/a.png" "$build/tests/viewer/screenshot-json.png"
	cp "$tmp/b.png" "$build/tests/viewer/screenshot-json-range.png"
	;;
errors)
	printf '{"traceEvents": [{"ph": "X", "ts": ' >"$tmp/bad.json"
	expect_failure "malformed JSON" "malformed JSON" --screenshot "$tmp/never.png" "$tmp/bad.json"
	printf '{"hello": 1}' >"$tmp/other.json"
	expect_failure "JSON that is not a trace" "not a Chrome trace" --screenshot "$tmp/never.png" \
		"$tmp/other.json"
	printf 'not gzip' >"$tmp/bad.json.gz"
	expect_failure "corrupt gzip" "Invalid compressed data" --screenshot "$tmp/never.png" \
		"$tmp/bad.json.gz"
	mkdir "$tmp/folder" && echo notes >"$tmp/folder/notes.txt"
	expect_failure "folder that is not a trace" "no CTF trace" --screenshot "$tmp/never.png" \
		"$tmp/folder"
	expect_failure "missing path" "no such file" --screenshot "$tmp/never.png" "$tmp/missing"
	python3 "$WEFT_SOURCE_ROOT/tests/viewer/make-json.py" "$tmp/t.json" || exit 1
	expect_failure "bad --range" "invalid --range" --screenshot "$tmp/never.png" \
		--range 5ms:1ms "$tmp/t.json"
	expect_failure "bad --size" "invalid --size" --screenshot "$tmp/never.png" --size 0x0 \
		"$tmp/t.json"
	expect_failure "no trace" "needs a TRACE" --screenshot "$tmp/never.png"
	# No display: one weft error line, exit 1.
	env -u DISPLAY -u WAYLAND_DISPLAY "$weft" view "$tmp/t.json" >"$tmp/out" 2>"$tmp/err"
	status=$?
	cat "$tmp/err"
	[ $status -eq 1 ] || fail "no display: exit status $status, expected 1"
	grep -q "^weft view: cannot open a display (set DISPLAY, or use weft convert for Perfetto)$" \
		"$tmp/err" || fail "no display: not the weft error line"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "no display: more than one line on stderr"
	;;
*)
	fail "unknown mode $mode"
	;;
esac
echo "viewer-screenshot $mode: ok"
