#!/usr/bin/env bash
# The README's commands on a fresh Debian 12, as root, with nothing preinstalled.
#
# Builds a `debootstrap --variant=minbase bookworm` root once (cached under
# WEFT_FRESH_CACHE, default /var/cache/weft-fresh), lays a new overlay over it
# for every run so each run starts from the same untouched root, clones the
# committed HEAD of this repository into it, and runs there, exactly as the
# README writes them, the test command and then the quick-start command.
#
# The commands run in their own mount, IPC and PID namespaces, chrooted, with
# /proc, /sys, /dev, /dev/pts, a private /dev/shm and /run mounted inside: every
# process they start (lttng-sessiond, Xvfb, the traced programs) ends when the
# namespace's first process does, and every mount goes with the namespace.
# Only the apt download cache is kept between runs (WEFT_FRESH_CACHE/archives),
# so a warm run downloads nothing but still installs every package.
#
# usage: tests/fresh/run-fresh.sh [--test-only]
set -euo pipefail

me="tests/fresh/run-fresh.sh"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${WEFT_FRESH_CACHE:-/var/cache/weft-fresh}
suite=bookworm
demo=1

case "${1:-}" in
"") ;;
--test-only) demo=0 ;;
*)
	echo "usage: $me [--test-only]" >&2
	exit 2
	;;
esac

die() {
	echo "$me: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mounts); run it with sudo"

# The README's commands, each the code block after a <!-- weft:NAME-command -->
# marker: what runs here is what a reader copies.
readme_command() {
	local cmd
	cmd=$(awk -v m="<!-- weft:$1-command -->" '
		$0 == m { armed = 1; next }
		armed && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$root/README.md")
	[ -n "$cmd" ] || die "README.md has no code block after <!-- weft:$1-command -->"
	printf '%s\n' "$cmd"
}
test_cmd=$(readme_command test)
demo_cmd=$(readme_command demo)

# The same mirror (and apt Acquire settings such as a proxy) as this machine,
# so the fresh root reaches the archive the way the host does.
mirror=${WEFT_FRESH_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(sed -n 's/^URIs: *\([^ ]*debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi

host_tools=()
command -v debootstrap >/dev/null || host_tools+=(debootstrap)
command -v git >/dev/null || host_tools+=(git)
command -v unshare >/dev/null || host_tools+=(util-linux)
if ((${#host_tools[@]})); then
	echo "$me: installing on the host: ${host_tools[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${host_tools[@]}"
fi

t0=$SECONDS
base="$cache/$suite-minbase"
mkdir -p "$cache"
if [ ! -f "$base/.weft-complete" ]; then
	echo "$me: debootstrap --variant=minbase $suite from $mirror (once; kept in $base)"
	rm -rf "$base.new"
	if ! debootstrap --variant=minbase "$suite" "$base.new" "$mirror" >"$cache/debootstrap.log" 2>&1; then
		# One line: debootstrap's own error (an unreachable mirror says
		# "Failed getting release file"); no fallback to anything else.
		why=$(grep -E '^(E|W): ' "$cache/debootstrap.log" | tail -n 1 || true)
		rm -rf "$base.new"
		die "debootstrap from $mirror failed: ${why:-see the log}; the whole log is $cache/debootstrap.log"
	fi
	touch "$base.new/.weft-complete"
	rm -rf "$base"
	mv "$base.new" "$base"
fi
t_base=$((SECONDS - t0))

run=$(mktemp -d /var/tmp/weft-fresh.XXXXXX)
fs="$run/root"
ns_pid=""
cleanup() {
	local rc=$?
	# Interrupted: stop the namespace by its unshare's pid. unshare blocks
	# SIGTERM and SIGINT while it waits, so SIGKILL; --kill-child passes it
	# to the namespace's first process, whose end kills every process inside.
	if [ -n "$ns_pid" ] && kill -0 "$ns_pid" 2>/dev/null; then
		kill -KILL "$ns_pid" 2>/dev/null || true
		wait "$ns_pid" 2>/dev/null || true
	fi
	# The chroot's own mounts went with its namespace; only the overlay is ours.
	if mountpoint -q "$fs"; then
		umount "$fs" || umount -l "$fs"
	fi
	rm -rf "$run"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$run/upper" "$run/work" "$fs"
if ! mount -t overlay overlay -o "lowerdir=$base,upperdir=$run/upper,workdir=$run/work" "$fs" 2>/dev/null; then
	echo "$me: no overlayfs here; copying the base root instead"
	cp -a "$base/." "$fs/"
fi

# Network and archive settings of this machine: not software, so not part of
# what a fresh machine lacks.
cp -L /etc/resolv.conf "$fs/etc/resolv.conf"
rm -f "$fs/etc/apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && cp "$f" "$fs$f"
done
for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
	if [ -f "$f" ] && grep -Eq 'Acquire::(.*::)?(Proxy|Check-Valid-Until|Check-Date)' "$f"; then
		cp "$f" "$fs/etc/apt/apt.conf.d/00host-$(basename "$f")"
	fi
done
mkdir -p "$cache/archives/partial"

git -C "$root" diff --quiet HEAD 2>/dev/null ||
	echo "$me: the working tree has changes; only the committed HEAD is tested"
git clone -q --no-hardlinks "$root" "$fs/root/weft"
git -C "$fs/root/weft" checkout -q --detach "$(git -C "$root" rev-parse HEAD)"
echo "$me: $(git -C "$fs/root/weft" log -1 --format='%h %s')"

# Inside the new namespaces: the mounts, then the README's commands, each
# timed, in a login-like environment with nothing of the host's.
inner=$(
	cat <<'INNER'
set -eu
fs=$1 archives=$2 demo=$3
mount --bind "$archives" "$fs/var/cache/apt/archives"
mount -t proc proc "$fs/proc"
mount -t sysfs sysfs "$fs/sys"
mount --rbind /dev "$fs/dev"
mount -t tmpfs -o mode=1777 tmpfs "$fs/dev/shm"
mount -t tmpfs -o mode=755 tmpfs "$fs/run"
step() {
	name=$1 cmd=$2
	echo "== fresh root, as root, in /root/weft: $cmd"
	t=$(date +%s)
	rc=0
	chroot "$fs" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /root/weft && $cmd" </dev/null || rc=$?
	echo "== $name command: exit $rc after $(($(date +%s) - t)) s"
	return "$rc"
}
step test "$WEFT_TEST_CMD"
if [ "$demo" = 1 ]; then
	step demo "$WEFT_DEMO_CMD"
fi
INNER
)

rc=0
t1=$SECONDS
# In the background and waited for, so that a signal reaches the trap at
# once; with the default SIGINT and SIGQUIT that a background job lacks.
WEFT_TEST_CMD=$test_cmd WEFT_DEMO_CMD=$demo_cmd env --default-signal=INT,QUIT \
	unshare --mount --ipc --pid --fork --kill-child --propagation private \
	bash -c "$inner" inner "$fs" "$cache/archives" "$demo" </dev/null &
ns_pid=$!
wait "$ns_pid" || rc=$?
ns_pid=""
t_run=$((SECONDS - t1))

if [ "$rc" -ne 0 ]; then
	log="$fs/root/weft/build/meson-logs/testlog.txt"
	if [ -f "$log" ]; then
		cp "$log" "$root/fresh-testlog.txt"
		echo "$me: the suite's log is in fresh-testlog.txt" >&2
	fi
	echo "$me: failed (exit $rc) on the fresh root" >&2
fi
echo "$me: base root ${t_base} s$([ "$t_base" -lt 5 ] && echo ' (cached)'), commands ${t_run} s"
exit "$rc"
