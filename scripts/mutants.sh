#!/usr/bin/env bash
# Mutation score of the oracle: applies each hand-written mutant of scripts/mutants.tsv to a
# scratch copy of the source, rebuilds convcheck and the LibTorch plugin there (incremental:
# only the mutated oracle file recompiles; with ccache, the first build of the copy is mostly
# cache hits when the copy lies under CCACHE_BASEDIR), runs a default run of --cases cases
# against LibTorch with the mutated oracle, and prints which property kills each mutant (its
# unexpected divergences), or SURVIVED, and the kill ratio.
#
#   scripts/mutants.sh [--cases 1000] [--seed 1] [--only name,name] [--work DIR] [--jobs N] [--rev REV]
#
# --rev: mutate that commit's source (git archive) instead of the working tree as it is.
#
# Exit: 0 every mutant killed, 1 a mutant survived, 2 the setup failed (no LibTorch, the
# unmutated run does not exit 0, a mutant's text is not found once).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cases=1000 seed=1 only="" work="$root/build-mutants" jobs=$(nproc) rev=
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) cases=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --rev) rev=$2; shift 2 ;;
    *) echo "mutants.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
list="$root/scripts/mutants.tsv"
src="$work/src"
build="$src/build"   # ../<file> from the build dir, as in the main tree, so ccache hits
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}" CCACHE_NOHASHDIR=1
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# pristine/: the unmutated source each mutant starts from; src/: the copy that is built.
rm -rf "$work/pristine"
mkdir -p "$work/pristine" "$src"
if [ -n "$rev" ]; then
  git -C "$root" archive "$rev" | tar -xf - -C "$work/pristine"
else
  # The working tree as it is (tracked and untracked, not ignored files), not the last commit.
  (cd "$root" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$work/pristine"
fi
cp -a "$work/pristine/." "$src/"
cmake -S "$src" -B "$build" -G Ninja -DCONVCHECK_BUILD_BENCH=OFF -DCONVCHECK_BUILD_TESTS=OFF \
  "${launcher[@]}" >"$work/cmake.log" 2>&1 || { echo "mutants.sh: cmake failed, see $work/cmake.log" >&2; exit 2; }
targets=(convcheck convcheck_libtorch)

# Runs the default run against the current oracle; prints the killing properties ("" if none).
run_once() {
  local name=$1 report="$work/$1.json" rc=0
  rm -f "$report"
  nice ninja -C "$build" -j "$jobs" "${targets[@]}" >"$work/$name.build.log" 2>&1 || return 3
  "$build/bin/convcheck" run --seed "$seed" --cases "$cases" --no-save --no-shrink --quiet \
    --progress off --corpus "$src/corpus" --report "$report" >"$work/$name.log" 2>&1 || rc=$?
  if [ "$rc" -eq 1 ] && [ -f "$report" ]; then
    local killers
    killers=$(jq -r '[.failures[].property] | unique | join(",")' "$report")
    [ -z "$killers" ] && killers="XPASS"
    echo "$killers"
  elif [ "$rc" -ge 128 ]; then
    # The mutated oracle crashed convcheck itself (groups 0 reaching a % by groups): detected.
    echo "harness crash (signal $((rc - 128)))"
  elif [ "$rc" -ne 0 ]; then
    echo "ERROR(exit $rc)"
  fi
}

if [ ! -f "$build/CMakeCache.txt" ] || ! grep -q "CONVCHECK_WITH_TORCH:BOOL=ON" "$build/CMakeCache.txt"; then
  echo "mutants.sh: needs the LibTorch build (the properties run against a backend)" >&2; exit 2
fi
baseline=$(run_once baseline) || { echo "mutants.sh: the unmutated build failed, see $work/baseline.build.log" >&2; exit 2; }
if [ -n "$baseline" ]; then
  echo "mutants.sh: the unmutated oracle already fails ($baseline); see $work/baseline.log" >&2; exit 2
fi

printf '%-40s %-55s %s\n' mutant "killed by" "what it breaks"
total=0 killed=0
while IFS=$'\t' read -r name file from to what; do
  case "$name" in ''|'#'*) continue ;; esac
  if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then continue; fi
  cp "$work/pristine/$file" "$src/$file"
  if ! python3 - "$src/$file" "$from" "$to" <<'PY'
import sys
path, old, new = sys.argv[1], sys.argv[2], sys.argv[3].replace("\\n", "\n")
text = open(path).read()
if text.count(old) != 1:
    sys.exit(1)
open(path, "w").write(text.replace(old, new))
PY
  then
    echo "mutants.sh: $name: its text does not occur exactly once in $file" >&2; cp "$work/pristine/$file" "$src/$file"; exit 2
  fi
  total=$((total + 1))
  result=$(run_once "$name") || result="ERROR(build, see $work/$name.build.log)"
  cp "$work/pristine/$file" "$src/$file"
  if [ -n "$result" ] && [[ "$result" != ERROR* ]]; then killed=$((killed + 1)); else result=${result:-SURVIVED}; fi
  printf '%-40s %-55s %s\n' "$name" "$result" "$what"
done <"$list"
nice ninja -C "$build" -j "$jobs" "${targets[@]}" >/dev/null 2>&1 || true  # leave the copy unmutated
echo "kill ratio: $killed/$total (seed $seed, $cases cases per mutant)"
[ "$killed" -eq "$total" ]
