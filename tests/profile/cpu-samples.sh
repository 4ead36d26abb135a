#!/usr/bin/env bash
# CPU sampling, end to end: cpu-app (cpu-app.c) recorded here under
# libweft-preload.so and a real LTTng session, read back with weft stats,
# weft pprof and `go tool pprof -top`.
#
#  - accuracy: burn_three and burn_one use CPU 3:1 and come out 3:1, per
#    thread and over all threads, within 10% or three standard errors of
#    the number of samples the kernel delivered (it checks CPU-time timers
#    at its tick only, fewer times when the machine is loaded);
#  - a sleeping thread is in the wall profile, not in the cpu profile;
#  - --from/--to/--thread narrow the cpu profile; `stats` has a cpu section;
#  - blocking pipe reads see no EINTR; the program's SIGPROF and setitimer
#    keep working; a handler the program installs for weft's signal gets no
#    timer signal; WEFT_CPU_HZ=0 creates no timer and records no sample;
#    threads' timers are deleted when they exit;
#  - a forked child and the image it execs are sampled and end normally;
#  - a stress of many threads, malloc/free and dlopen while sampled at a
#    high rate ends (libunwind in the handler does not hang).
#
# usage: cpu-samples.sh WEFT PRELOAD CPU-APP
set -euo pipefail

weft=$1 preload=$2 app=$3
# shellcheck source=tests/check.sh
. "$(dirname "$0")/../check.sh"
weft_check_start cpu
export WEFT_PRELOAD_LIB="$preload"

record() { # NAME MODE [ENV...]: records cpu-app MODE into $work/NAME
	local name=$1 mode=$2
	shift 2
	env "$@" timeout 120 "$weft" record --preload -o "$work/$name" "$app" "$mode" \
		>"$work/$name.out" 2>"$work/$name.err"
}

# Total of folded lines (value is the last field), for OPTIONS on a trace.
folded_sum() {
	"$weft" stats "$@" | awk '{ s += $NF } END { printf "%.0f\n", s }'
}

# Sampled events of the recorded cpu-app, by thread name glob or all.
events() { # TRACE
	babeltrace2 "$1" 2>/dev/null | grep -c 'weft:cpu_sample: .*procname = "cpu-app"' || true
}

# ---- accuracy ----
check "ratio: records" record ratio ratio WEFT_CPU_HZ=999
trace="$work/ratio"
# THREADS-OPTIONS...: three and one sums, and the sample events behind them
# Effective number of samples of cpu-app's threads whose name matches GLOB:
# (sum of weights)^2 / sum of squared weights, a sample weighing 1 + lost.
effective() { # TRACE GLOB
	babeltrace2 "$1" 2>/dev/null | python3 -c '
import fnmatch, re, sys
names, w = {}, {}
for line in sys.stdin:
    if "procname = \"cpu-app\"" not in line:
        continue
    tid = re.search(r"vtid = (\d+)", line).group(1)
    if "weft:thread_name:" in line:
        names[tid] = re.search(r"[{,] name = \"([^\"]*)\"", line).group(1)
    elif "weft:cpu_sample:" in line:
        w.setdefault(tid, []).append(1 + int(re.search(r"lost = (\d+)", line).group(1)))
ws = [x for t, l in w.items() if fnmatch.fnmatch(names.get(t, ""), sys.argv[1]) for x in l]
print(sum(ws) ** 2 / sum(x * x for x in ws) if ws else 0)
' "$2"
}

ratio_ok() { # GLOB: burn_three / burn_one of these threads is 3, within the tolerance
	local three one n
	three=$("$weft" stats --folded=cpu --thread="$1" "$trace" | awk '/burn_three/ { s += $NF } END { printf "%.0f\n", s }')
	one=$("$weft" stats --folded=cpu --thread="$1" "$trace" | awk '/burn_one/ { s += $NF } END { printf "%.0f\n", s }')
	n=$(effective "$trace" "$1")
	python3 - "$three" "$one" "$n" "$1" <<-'EOF'
		import math, sys
		three, one, n, what = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
		if one <= 0 or three <= 0 or n <= 0:
		    sys.exit("no samples in burn_three or burn_one (%s)" % what)
		ratio = three / one
		p = three / (three + one)
		# the standard error of p over n effective samples, carried to p / (1 - p) / 3
		se = math.sqrt(p * (1 - p) / n) / (1 - p) ** 2 / 3
		tol = max(0.10, 3 * se)
		print("%s: burn_three/burn_one = %.3f over %.0f effective samples (tolerance %.0f%%)"
		      % (what, ratio, n, 100 * tol))
		sys.exit(0 if abs(ratio / 3 - 1) <= tol else 1)
	EOF
}
check "ratio: 3:1 over all threads" ratio_ok 'burner-*'
for t in 0 1 2 3; do
	check "ratio: 3:1 in burner-$t" ratio_ok "burner-$t"
done
all=$(folded_sum --folded=cpu --thread='burner-*' "$trace")
early=$(folded_sum --folded=cpu --thread='burner-*' --to=0.4s "$trace")
late=$(folded_sum --folded=cpu --thread='burner-*' --from=0.4s "$trace")
check "ratio: --to narrows the cpu profile ($early < $all)" test "$early" -gt 0 -a "$early" -lt "$all"
check "ratio: --from narrows the cpu profile ($late < $all)" test "$late" -gt 0 -a "$late" -lt "$all"
one=$(folded_sum --folded=cpu --thread=burner-0 "$trace")
check "ratio: --thread narrows the cpu profile ($one < $all)" test "$one" -gt 0 -a "$one" -lt "$all"
"$weft" stats --section=cpu "$trace" >"$work/ratio.stats" 2>&1 || true
check "ratio: stats has a cpu section naming burn_three" grep -q 'burn_three' "$work/ratio.stats"
check "ratio: the cpu section puts spin first" \
	sh -c "grep -A1 'flat%' '$work/ratio.stats' | tail -1 | grep -q ' spin\$'"
cum=$(awk '$NF == "burn_three" { sub("%", "", $(NF - 1)); print int($(NF - 1)) }' "$work/ratio.stats")
check "ratio: burn_three's cum is about 75% ($cum%)" test "${cum:-0}" -ge 65 -a "${cum:-0}" -le 85
if command -v go >/dev/null; then
	export HOME="$work/home" GOCACHE="$work/home/cache" GOTOOLCHAIN=local GOPROXY=off
	export PPROF_TMPDIR="$work/home/pprof"
	mkdir -p "$PPROF_TMPDIR"
	"$weft" pprof --profile=cpu -o "$work/cpu.pb.gz" "$trace" 2>"$work/pprof.err"
	go tool pprof -top "$work/cpu.pb.gz" >"$work/cpu.top" 2>/dev/null
	check "pprof: go tool pprof -top names burn_three" grep -q burn_three "$work/cpu.top"
	"$weft" pprof --profile=wall -o "$work/wall.pb.gz" "$trace" 2>>"$work/pprof.err"
	go tool pprof -top "$work/wall.pb.gz" >"$work/wall.top" 2>/dev/null
	check "pprof: the wall profile names burn_one" grep -q burn_one "$work/wall.top"
else
	check "go is installed for go tool pprof (golang-go)" false
fi

# ---- cpu and wall ----
check "sleepy: records" record sleepy sleepy WEFT_CPU_HZ=999
trace="$work/sleepy"
sleep_cpu=$(folded_sum --folded=cpu --thread=sleeper "$trace")
sleep_wall=$(folded_sum --folded=wall --thread=sleeper "$trace")
nap_wall=$("$weft" stats --folded=wall --thread=sleeper "$trace" | awk '/nap/ { s += $NF } END { printf "%.0f\n", s }')
spin_cpu=$(folded_sum --folded=cpu --thread=spinner "$trace")
check "sleepy: the sleeper's naps are >= 0.5 s of wall ($nap_wall ns)" test "$nap_wall" -ge 500000000
check "sleepy: the sleeper's cpu is < 10% of its wall ($sleep_cpu / $sleep_wall)" \
	test $((sleep_cpu * 10)) -lt "$sleep_wall"
check "sleepy: the spinner has >= 0.3 s of cpu ($spin_cpu ns)" test "$spin_cpu" -ge 300000000

# ---- the program is not disturbed ----
check "eintr: no blocking read fails" record eintr eintr WEFT_CPU_HZ=4999
check "eintr: the run was sampled" test "$(events "$work/eintr")" -gt 0
check "sigprof: the program's SIGPROF handler runs" record sigprof sigprof WEFT_CPU_HZ=999
check "sigprof: the run was sampled" test "$(events "$work/sigprof")" -gt 0
check "ownsig: the program's handler gets no timer signal" record ownsig ownsig WEFT_CPU_HZ=999
check "ownsig: samples before the handler" test "$(events "$work/ownsig")" -gt 0
check "timers off: records" record timers-off timers WEFT_CPU_HZ=0
check "timers off: no timer" grep -qx 'timers 0' "$work/timers-off.out"
check "timers off: no sample" test "$(events "$work/timers-off")" -eq 0
check "timers on: records" record timers-on timers
check "timers on: main and 2 threads have timers" grep -qx 'timers 3' "$work/timers-on.out"
check "timers on: exited threads have none" grep -qx 'timers-after-exit 1' "$work/timers-on.out"

# ---- fork and exec ----
check "fork: the child and its exec'd image end normally" record fork fork WEFT_CPU_HZ=999
check "fork: the forked child is sampled" \
	sh -c "'$weft' stats --folded=cpu '$work/fork' | grep -q ';child_burn'"
check "fork: the exec'd image is sampled" \
	sh -c "'$weft' stats --folded=cpu '$work/fork' | grep -q ';execd_burn'"

# ---- stress ----
check "stress: ends, no thread failed" record stress stress WEFT_CPU_HZ=4999
check "stress: the run was sampled" test "$(events "$work/stress")" -gt 0
exit $((failures > 0))
