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

# shellcheck source=tests/bench/bench-session.sh
. "$(dirname "$0")/bench-session.sh"
if [ ! -e "$profiler" ]; then
	apt-get install -y libgoogle-perftools4 >/dev/null ||
		{ echo "cpu-bench: cannot install libgoogle-perftools4" >&2; exit 1; }
fi
bench_prepare cpu-bench "$bench" "$preload" "$profiler"
bench_contexts="-t vpid -t vtid -t ip"
bench_session_start "--subbuf-size=8M --num-subbuf=4" 'weft:*'

# one CONFIG: appends the run's CPU and wall seconds to $out/CONFIG.cpu and .wall
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
	field cpu_s >>"$out/$config.cpu"
	field wall_s >>"$out/$config.wall"
}

configs="untraced weft weft-off gperftools"
for r in $(seq "$reps"); do
	for c in $configs; do
		one "$c"
	done
done
lttng stop "$session" >/dev/null
samples=$(babeltrace2 "$out/trace" 2>/dev/null | grep -c 'weft:cpu_sample' || true)

base=$(median <"$out/untraced.cpu")
echo "cpu-bench: $threads threads x $iter rounds, $reps runs each, medians; nproc=$(nproc)"
printf '%-12s %9s %9s %12s %9s\n' config cpu_s wall_s added_cpu_s added%
for c in $configs; do
	awk -v c="$c" -v cpu="$(median <"$out/$c.cpu")" -v wall="$(median <"$out/$c.wall")" \
		-v b="$base" 'BEGIN {
		printf "%-12s %9.4f %9.4f %12.4f %8.2f%%\n", c, cpu, wall, cpu - b, 100 * (cpu - b) / b }'
done
echo "weft:cpu_sample events recorded (all weft runs): $samples; session: $(bench_session_losses)"
awk -v w="$(median <"$out/weft.cpu")" -v g="$(median <"$out/gperftools.cpu")" -v b="$base" 'BEGIN {
	w -= b; g -= b
	printf "weft added / gperftools added: %s\n", (g > 0 ? sprintf("%.2f", w / g) : "n/a (gperftools added <= 0)")
	printf "weft added / untraced: %.2f%% (target <= 2%%)\n", 100 * w / b
}'
