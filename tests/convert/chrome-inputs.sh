#!/bin/sh
# chrome-inputs.sh WEFT: `weft convert` checks its trace arguments before
# reading anything: a file (a JSON output, a trace's metadata file, a
# device) gets one line saying that it reads CTF trace folders, status 1,
# and no output is created.
set -u
weft=${1:?usage: chrome-inputs.sh WEFT}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-chrome-inputs-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect NAME PATTERN TRACE: weft convert TRACE fails with status 1, one
# line on stderr matching PATTERN, nothing on stdout, no output file.
expect() {
	name=$1 pattern=$2 trace=$3
	"$weft" convert "$trace" -o "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
	status=$?
	if [ $status -ne 1 ]; then
		echo "FAIL $name: exit status $status, expected 1"
		failures=$((failures + 1))
	elif [ "$(wc -l <"$tmp/stderr")" -ne 1 ] || ! grep -q -- "$pattern" "$tmp/stderr"; then
		echo "FAIL $name: expected one line matching '$pattern', got:"
		cat "$tmp/stderr"
		failures=$((failures + 1))
	elif [ -s "$tmp/stdout" ] || [ -e "$tmp/out.json" ]; then
		echo "FAIL $name: wrote output"
		failures=$((failures + 1))
	else
		echo "ok $name"
	fi
	rm -f "$tmp/out.json"
}

printf '{"traceEvents":[]}\n' >"$tmp/x.json"
expect json-file \
	"^weft convert: $tmp/x.json is a file; weft convert reads CTF trace folders (weft view opens weft's JSON files)\$" \
	"$tmp/x.json"
mkdir "$tmp/trace"
printf '/* CTF 1.8 */\n' >"$tmp/trace/metadata"
expect metadata-file \
	"^weft convert: $tmp/trace/metadata is a file; .*give its folder: weft convert $tmp/trace)\$" \
	"$tmp/trace/metadata"
expect device "^weft convert: /dev/null is not a folder; weft convert reads CTF trace folders\$" \
	/dev/null
# the check comes before the refusal to overwrite an existing output
printf 'old\n' >"$tmp/exists.json"
"$weft" convert "$tmp/x.json" -o "$tmp/exists.json" >/dev/null 2>"$tmp/stderr"
if [ $? -ne 1 ] || ! grep -q "is a file" "$tmp/stderr" || [ "$(cat "$tmp/exists.json")" != old ]; then
	echo "FAIL input-before-output: $(cat "$tmp/stderr")"
	failures=$((failures + 1))
else
	echo "ok input-before-output"
fi
# a missing path and an empty folder keep the reader's messages
expect missing 'cannot read trace: path=".*", reason="no such file or directory"' "$tmp/none"
mkdir "$tmp/empty"
expect empty-folder 'reason="no CTF trace' "$tmp/empty"

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
