#!/bin/sh
# CPU sampling benchmark: cpu-bench (cpu-bench.c, THREADS threads of a
# CPU-bound call tree) run REPS times in each configuration, the
# configurations interleaved so they share the machine's conditions:
#   untraced   no preload
#   weft       libweft-preload.so at WEFT_CPU_HZ=99 under an active session
#              recording weft:* (contexts vpid, vtid, ip) for this process
#   weft-off   libweft-preload.so, WEFT_CPU_HZ=0, same session (the rest of
#              the runtime, for reference)
#   gperftools libprofiler.so.0 with CPUPROFILE_FREQUENCY=99
# Prints the median CPU time (user + system of the process, which includes
# the signal handlers) and wall time per configuration, the added time
# against the untraced median, and the ratios the targets are stated in:
# weft's added time <= gperftools', and <= 2% of the untraced run.
# Installs libgoogle-perftools4 (Debian) when libprofiler.so.0 is missing.
#
# usage: tests/bench/cpu-bench.sh BUILD_DIR [REPS] [THREADS] [ITER]
set -eu

build=${1:?usage: cpu-bench.sh BUILD_DIR [REPS] [THREADS] [ITER]}
reps=${2:-7}
threads=${3:-4}
iter=${4:-4000000}
bench=$build/tests/bench/cpu-bench
preload=$build/instrument/preload/libweft-preload.so
profiler=/usr/lib/x86_64-linux-gnu/libprofiler.so.0
session=weft-cpu-bench-$$
out=$(mktemp -d /tmp/weft-cpu-bench.XXXXXX)

for f in "$bench" "$preload"; do
	[ -e "$f" ] || { echo "cpu-bench: missing $f (build first)" >&2; exit 1; }
done
if [ ! -e "$profiler" ]; then
	apt-get install -y libgoogle-perftools4 >/dev/null ||
		{ echo "cpu-bench: cannot install libgoogle-perftools4" >&2; exit 1; }
fi
lttng list >/dev/null 2>&1 || { echo "cpu-bench: no lttng-sessiond reachable" >&2; exit 1; }

cleanup() { lttng destroy "$session" >/dev/null 2>&1 || true; rm -rf "$out"; }
trap cleanup EXIT INT TERM

# Only the benchmark's own processes are recorded: the session tracks no
# process, and each run is started stopped, tracked, then continued.
lttng create "$session" --output="$out/trace" >/dev/null
lttng enable-channel -u -s "$session" --subbuf-size=8M --num-subbuf=4 benchchan >/dev/null
lttng enable-event -u -s "$session" -c benchchan 'weft:*' >/dev/null
lttng add-context -u -s "$session" -c benchchan -t vpid -t vtid -t ip >/dev/null
lttng untrack -u -s "$session" --vpid --all >/dev/null
lttng start "$session" >/dev/null

# tracked COMMAND... : run it stopped, track its pid, continue it; output in $out/one
tracked() {
	sh -c 'kill -STOP $$; exec "$@"' sh "$@" >"$out/one" 2>&1 &
	pid=$!
	until [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = T ]; do sleep 0.01; done
	lttng track -u -s "$session" --vpid="$pid" >/dev/null
	kill -CONT "$pid"
	wait "$pid"
	lttng untrack -u -s "$session" --vpid="$pid" >/dev/null
}

# one CONFIG: appends "cpu wall" of one run to $out/CONFIG
one() {
	case $1 in
	untraced) set -- "$1" env ;;
	weft) set -- "$1" env WEFT_CPU_HZ=99 LD_PRELOAD="$preload" ;;
	weft-off) set -- "$1" env WEFT_CPU_HZ=0 LD_PRELOAD="$preload" ;;
	gperftools)
		set -- "$1" env CPUPROFILE="$out/gperf.prof" CPUPROFILE_FREQUENCY=99 \
			LD_PRELOAD="$profiler"
		;;
	esac
	config=$1
	shift
	tracked "$@" "$bench" "$threads" "$iter"
	sed -n 's/^cpu_s=\([0-9.]*\) wall_s=\([0-9.]*\)$/\1 \2/p' "$out/one" >>"$out/$config"
}

median() { # FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}

configs="untraced weft weft-off gperftools"
for r in $(seq "$reps"); do
	for c in $configs; do
		one "$c"
	done
done
samples=$(babeltrace2 "$out/trace" 2>/dev/null | grep -c 'weft:cpu_sample' || true)

base_cpu=$(median "$out/untraced" 1)
base_wall=$(median "$out/untraced" 2)
echo "cpu-bench: $threads threads x $iter rounds, $reps runs each, medians; nproc=$(nproc)"
printf '%-12s %9s %9s %12s %9s\n' config cpu_s wall_s added_cpu_s added%
for c in $configs; do
	cpu=$(median "$out/$c" 1)
	wall=$(median "$out/$c" 2)
	awk -v c="$c" -v cpu="$cpu" -v wall="$wall" -v b="$base_cpu" 'BEGIN {
		printf "%-12s %9.4f %9.4f %12.4f %8.2f%%\n", c, cpu, wall, cpu - b, 100 * (cpu - b) / b }'
done
weft_added=$(awk -v a="$(median "$out/weft" 1)" -v b="$base_cpu" 'BEGIN { print a - b }')
gperf_added=$(awk -v a="$(median "$out/gperftools" 1)" -v b="$base_cpu" 'BEGIN { print a - b }')
echo "weft:cpu_sample events recorded (all weft runs): $samples"
awk -v w="$weft_added" -v g="$gperf_added" -v b="$base_cpu" -v bw="$base_wall" 'BEGIN {
	printf "weft added / gperftools added: %s\n", (g > 0 ? sprintf("%.2f", w / g) : "n/a (gperftools added <= 0)")
	printf "weft added / untraced: %.2f%% (target <= 2%%)\n", 100 * w / b
	printf "untraced wall median: %.4f s\n", bw
}'
