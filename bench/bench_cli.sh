#!/bin/sh
# Command-level figures of issue #11, measured on the built binary (never in a test):
#   1. start-up of the framework-free commands (shape, solve, invert, stack, convert): ms per call;
#   2. the default run (10,000 cases) with --jobs 1 and --jobs 2: cases/s and the ratio;
#   3. a shape-properties-only sweep (--properties none) with the JSON report written.
# Usage: bench/bench_cli.sh [BUILD_DIR=build] [CASES=10000] [SWEEP_CASES=100000]
# Prints the load (uptime) next to each figure: the machine is shared.
set -eu
build=${1:-build}
cases=${2:-10000}
sweep=${3:-100000}
cli="$build/bin/convcheck"
root=$(cd "$(dirname "$0")/.." && pwd)
case_json='{"op":"conv2d","input":[1,128,24,24],"out_channels":256,"kernel":3,"stride":2,"padding":1}'

# Milliseconds per call of "$@" over N calls (exit codes 0/1 are answers, not failures).
per_call_ms() {
  n=$1; shift
  start=$(date +%s%N)
  i=0
  while [ "$i" -lt "$n" ]; do "$@" >/dev/null 2>&1 || true; i=$((i + 1)); done
  end=$(date +%s%N)
  echo $(( (end - start) / n / 1000 )) | awk '{printf "%.1f", $1 / 1000}'
}

echo "== start-up (ms per call, 20 calls each) [load:$(uptime | sed 's/.*average://')]"
echo "shape    $(per_call_ms 20 "$cli" shape "$case_json")"
echo "solve    $(per_call_ms 20 "$cli" solve --in 768 --out 128 --max-kernel 8)"
echo "invert   $(per_call_ms 20 "$cli" invert "$case_json")"
echo "stack    $(per_call_ms 20 "$cli" stack "$root/examples/autoencoder_stack.json" --input 1,128,24,24)"
echo "convert  $(per_call_ms 20 "$cli" convert --from tf --padding SAME --input 24,24 --kernel 3 --stride 2)"

# cases/s from the summary line "seed 1, 10000 cases in 3.21 s (3115 cases/s), ..."
rate() { sed -n 's/.* cases in \([0-9.]*\) s (\([0-9]*\) cases\/s).*/\2/p' | tail -1; }
# The summary's "cpu: this process ..., worker processes ... (... s of CPU in ... s)" line.
cpu_of() { grep '^cpu:' | tail -1; }
# "CPU WALL" from that line's "(1.66 s of CPU in 1.02 s)".
cpu_in() { cpu_of | sed -n 's/.*(\([0-9.]*\) s of CPU in \([0-9.]*\) s).*/\1 \2/p'; }

echo "== default run, $cases cases [load:$(uptime | sed 's/.*average://')]"
out1=$("$cli" run --cases "$cases" --no-save --progress off --jobs 1 2>&1 || true)
j1=$(echo "$out1" | rate)
echo "--jobs 1: $j1 cases/s; $(echo "$out1" | cpu_of) [load:$(uptime | sed 's/.*average://')]"
out=$("$cli" run --cases "$cases" --no-save --progress off --jobs 2 2>&1 || true)
j2=$(echo "$out" | rate)
echo "--jobs 2: $j2 cases/s; $(echo "$out" | cpu_of) [load:$(uptime | sed 's/.*average://')]"
echo "jobs 2 / jobs 1: $(echo "$j2 $j1" | awk '{printf "%.2f", $1 / $2}')"
# The engine judges batch k while the workers run batch k+1, and the numeric worker runs beside
# the shape workers, so --jobs 1 already keeps more than one core busy ("cores busy"). On N
# cores a run cannot finish before its CPU seconds spread over them, so --jobs 2 over --jobs 1
# is at most N * wall(--jobs 1) / CPU(--jobs 2): the ceiling printed here, from the same two runs.
cores=$(nproc 2>/dev/null || echo 2)
wall1=$(echo "$out1" | cpu_in | cut -d' ' -f2)
cpu1=$(echo "$out1" | cpu_in | cut -d' ' -f1)
wall2=$(echo "$out" | cpu_in | cut -d' ' -f2)
cpu2=$(echo "$out" | cpu_in | cut -d' ' -f1)
echo "cores busy: --jobs 1 $(echo "$cpu1 $wall1" | awk '{printf "%.2f", $1 / $2}'), --jobs 2 $(echo "$cpu2 $wall2" | awk '{printf "%.2f", $1 / $2}') of $cores; ceiling of jobs 2 / jobs 1 here: $(echo "$cores $wall1 $cpu2" | awk '{printf "%.2f", $1 * $2 / $3}')"
# Scaling with cores, the same work: the --jobs 1 run pinned to one CPU against --jobs 2 on all.
if command -v taskset >/dev/null 2>&1; then
  c1=$(taskset -c 0 "$cli" run --cases "$cases" --no-save --progress off --jobs 1 2>&1 | rate)
  echo "--jobs 1 on one core (taskset -c 0): $c1 cases/s [load:$(uptime | sed 's/.*average://')]"
  echo "jobs 2 on two cores / jobs 1 on one core: $(echo "$j2 $c1" | awk '{printf "%.2f", $1 / $2}')"
fi

echo "== shape sweep, $sweep cases, --properties none, with --report [load:$(uptime | sed 's/.*average://')]"
report=$(mktemp /tmp/convcheck-sweep-XXXXXX.json)
start=$(date +%s%N)
"$cli" run --cases "$sweep" --properties none --no-save --progress off --report "$report" >/dev/null 2>&1 || true
end=$(date +%s%N)
echo "wall $(( (end - start) / 1000000 )) ms, report $(wc -c < "$report") bytes [load:$(uptime | sed 's/.*average://')]"
rm -f "$report"
