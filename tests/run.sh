#!/usr/bin/env bash
# The test command: set up, build with warnings as errors, start an
# lttng-sessiond if none runs, run the whole suite, stop what it started.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

WEFT_WERROR=1 bash "$root/tests/setup.sh"

# shellcheck source=tests/sessiond.sh
. "$root/tests/sessiond.sh"
weft_sessiond_start
trap weft_sessiond_stop EXIT
weft_sessiond_check

meson test -C "$root/build" --print-errorlogs "$@"
