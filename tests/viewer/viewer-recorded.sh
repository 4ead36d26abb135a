#!/bin/sh
# viewer-recorded.sh: records view-prog under a new LTTng session (the
# converter tests' recording script), opens the trace in the viewer and
# checks its lanes, names and picture (viewer-check), renders it with
# `weft view --screenshot`, and checks that `weft convert`'s JSON of it
# imports as the same model. Fails, with a message, when no lttng-sessiond
# is reachable.
set -u
build=$WEFT_BUILD_ROOT
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GTK_A11Y=none
fail() { echo "viewer-recorded: $*" >&2; exit 1; }

pid=$(sh "$WEFT_SOURCE_ROOT/tests/convert/reader-record.sh" "$tmp/trace" 'weft:*' '' \
	"$build/tests/viewer/view-prog" | tail -n 1) || exit 1
[ -n "$pid" ] || fail "no pid from the recording"
timeout 60 xvfb-run -a -s "-screen 0 1920x1200x24" "$build/tests/viewer/viewer-check" recorded "$tmp/trace" "$pid" \
	view-main view-worker-0 view-worker-1 view-worker-2 || exit 1
timeout 60 xvfb-run -a -s "-screen 0 1920x1200x24" "$build/tracer/cli/weft" view --screenshot "$tmp/shot.png" \
	--size 1200x700 "$tmp/trace" || fail "weft view --screenshot failed on the recorded trace"
"$build/tests/viewer/viewer-check" png "$tmp/shot.png" 1200x700 || exit 1
# The same trace through `weft convert`: the JSON import gives the same
# model, and weft-view renders it.
"$build/tracer/cli/weft" convert --quiet "$tmp/trace" -o "$tmp/trace.json" ||
	fail "weft convert failed on the recorded trace"
"$build/tests/viewer/viewer-check" compare "$tmp/trace" "$tmp/trace.json" "$pid" || exit 1
timeout 60 xvfb-run -a -s "-screen 0 1920x1200x24" "$build/viewer/weft-view" --screenshot "$tmp/json.png" "$tmp/trace.json" ||
	fail "weft-view --screenshot failed on weft convert's JSON"
"$build/tests/viewer/viewer-check" png "$tmp/json.png" 1280x800 || exit 1
cp "$tmp/shot.png" "$build/tests/viewer/screenshot-recorded.png"
echo "viewer-recorded: ok (pid $pid)"
