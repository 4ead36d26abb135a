#!/usr/bin/env bash
# The quick start: set up, build, record the demo service under the preload
# runtime and show its timeline.
#
# With a display the viewer opens on the trace; without one, the trace is
# converted to Chrome JSON for Perfetto and summarized on the terminal.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build"

bash "$root/tests/setup.sh"

# shellcheck source=tests/sessiond.sh
. "$root/tests/sessiond.sh"
weft_sessiond_start
trap weft_sessiond_stop EXIT
weft_sessiond_check

weft="$build/tracer/cli/weft"
trace="$root/weft-trace-demo-$(date +%Y%m%d-%H%M%S)"

"$weft" record --preload -o "$trace" -- "$build/docs/weft-demo"
weft_sessiond_stop

echo
"$weft" stats --top 5 "$trace"

json="$trace.json.gz"
"$weft" convert "$trace" -o "$json"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
	echo "weft: opening the timeline (close the window to finish)"
	exec "$weft" view "$trace"
fi
cat <<MSG

No display: the timeline is in $json
Open it in Perfetto (https://ui.perfetto.dev, "Open trace file"), or on a
machine with a display run:  $weft view $trace
MSG
