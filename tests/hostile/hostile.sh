#!/usr/bin/env bash
# Hostile inputs against every command that reads input (issue #16). The inputs are generated
# here, at test time (nested JSON, huge lists, /dev/zero, FIFOs, symlink loops, long paths,
# overflowing flags, out-of-range reports, planted temp-file symlinks), so nothing large is
# committed. Each run happens under a memory limit (ulimit -v) and a timeout and must end with
# the expected exit code, without a signal or a hang; an exit 2 must say why in exactly one line
# on stderr; and nothing may appear or change outside the output folder the command was given.
#
# usage: hostile.sh CONVCHECK SOURCE_DIR [sanity]
#   HOSTILE_VMEM_KB  address-space limit per run (default 4 GiB; 0 = none, for ASan builds,
#                    which reserve terabytes of shadow memory)
#   HOSTILE_TIMEOUT  seconds per run (default 20)
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
with_sanity=${3:-}
vmem_kb=${HOSTILE_VMEM_KB:-4194304}
limit_s=${HOSTILE_TIMEOUT:-20}

work=$(mktemp -d)
logs=$(mktemp -d)  # the command's stdout/stderr, kept out of the snapshot
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work" "$logs"' EXIT
in="$work/in" out="$work/out" cwd="$work/cwd"
mkdir -p "$in" "$out" "$cwd" "$in/trend"

declare -A tried=() failed=()
failures=0

# --- generated inputs ------------------------------------------------------------------------
repeat() { printf "%${2}s" '' | tr ' ' "$1"; }
{ repeat '[' 100000; repeat ']' 100000; } >"$in/nested_arrays.json"
{ for _ in $(seq 1 20000); do printf '{"a":'; done; printf '1'; repeat '}' 20000; } >"$in/nested_objects.json"
{ printf '{"op": "conv2d", "input": [1,1,8,8], "out_channels": 1, "kernel": '; repeat '[' 5000; repeat ']' 5000; printf '}'; } \
  >"$in/nested_value.json"
{ printf '['; yes '1,' | head -c 60000000 | tr -d '\n'; printf '1]'; } >"$in/huge_list.json"
: >"$in/empty.json"
printf '\x00\xff\xfe{"op"\x01:\x80}' >"$in/binary.json"
printf '{"op": "conv2d\xff\xfe", "input": [1,1,8,8], "out_channels": 1, "kernel": 3}' >"$in/bad_utf8.json"
printf '{"op": "conv2d", "input": [1,1,8,8], "out_channels": 1, "kernel": 18446744073709551616}' >"$in/int_over_u64.json"
printf '{"op": "conv2d", "input": [1,1,8,8], "out_channels": 1, "kernel": 1e400}' >"$in/float_overflow.json"
printf '{"op": "conv2d", "input": [1,1,8,8], "out_channels": 1, "kernel": 1.5}' >"$in/fraction.json"
printf '{"op": "conv2d", "input": [1,1,8,8], "out_channels": 1, "kernel": 3, "padding": -9223372036854775808}' >"$in/int_min.json"
{ printf '{"op": "'; head -c 3000000 /dev/zero | tr '\0' 'a'; printf '"}'; } >"$in/long_string.json"
mkdir "$in/a_directory"
ln -s loop_b "$in/loop_a"; ln -s loop_a "$in/loop_b"
mkfifo "$in/fifo"
long="$in/$(repeat x 250)"; for _ in $(seq 1 19); do long="$long/$(repeat y 250)"; done  # ~5000 chars
generic=("$in/nested_arrays.json" "$in/nested_objects.json" "$in/nested_value.json" "$in/huge_list.json"
         /dev/zero "$in/empty.json" "$in/binary.json" "$in/bad_utf8.json" "$in/int_over_u64.json"
         "$in/float_overflow.json" "$in/fraction.json" "$in/long_string.json"
         "$in/a_directory" "$in/loop_a" "$in/fifo" "$long" "$in/missing.json")

# Reports: the golden report with one value made hostile at a time.
golden="$src/tests/reports/golden/report.json"
mutate() { sed "$2" "$golden" >"$in/report_$1.json"; reports+=("$in/report_$1.json"); }
reports=()
mutate schema_2p32 's/"context": {/"schema_version_": 0, "context": {/; 0,/"schema_version": [0-9]*/s//"schema_version": 4294967297/'
mutate schema_zero '0,/"schema_version": [0-9]*/s//"schema_version": 0/'
mutate shard_count_2p31 's/"shard_count": 1/"shard_count": 2147483647/'
mutate shard_out_of_range 's/"shard_count": 1,/"shard_count": 1, "shards_": 0,/; /"shards": \[/{n;s/0/7/}'
mutate fraction_count '0,/"agree": 595/s//"agree": 595.5/'
mutate count_2p64 '0,/"agree": 595/s//"agree": 18446744073709551616/'
mutate count_2p63 '0,/"agree": 595/s//"agree": 9223372036854775807/'
mutate negative_count '0,/"agree": 595/s//"agree": -5/'
mutate negative_cases 's/"cases": 1000,/"cases": -1000,/'
mutate string_count '0,/"agree": 595/s//"agree": "595"/'
mutate seed_negative 's/"seed": 7/"seed": -7/'
mutate host_cpus_huge 's/"host_cpus": 2/"host_cpus": 99999999999/'
reports+=("${generic[@]}")

# A valid stack for the flag tests.
printf '[{"op": "conv2d", "out_channels": 1, "kernel": 3, "stride": 2, "padding": 1},
 {"op": "conv_transpose2d", "out_channels": 1, "kernel": 3, "stride": 2, "padding": 1, "output_padding": 1}]' >"$in/stack.json"

# --- the check ---------------------------------------------------------------------------------
snapshot() {  # every path outside $out (where outputs are allowed), with type, size, mtime, inode
  (cd "$work" && find . -path ./out -prune -o -printf '%p %y %s %T@ %i\n' 2>/dev/null | LC_ALL=C sort)
}
base_snapshot=$(snapshot)

# expect LABEL CODES ARGS...: CODES is a comma list of allowed exit codes. With WARNINGS=1 an
# exit 2 may follow warning lines (trend skips unreadable reports, naming each), all prefixed.
expect() {
  local label=$1 codes=$2
  shift 2
  tried[$label]=$(( ${tried[$label]:-0} + 1 ))
  local rc
  (
    cd "$cwd" || exit 99
    [ "$vmem_kb" != 0 ] && ulimit -v "$vmem_kb"
    exec timeout -s KILL "$limit_s" "$bin" "$@"
  ) </dev/null >"$logs/stdout" 2>"$logs/stderr"
  rc=$?
  local why=""
  if [ "$rc" = 137 ] || [ "$rc" = 124 ]; then why="killed after ${limit_s}s (hang or runaway)"
  elif [ "$rc" -gt 128 ]; then why="died of signal $((rc - 128))"
  elif [[ ",$codes," != *",$rc,"* ]]; then why="exit $rc, expected one of $codes"
  elif [ "$rc" = 2 ] && [ "${WARNINGS:-0}" = 0 ] && [ "$(grep -c '' "$logs/stderr")" != 1 ]; then
    why="exit 2 with $(grep -c '' "$logs/stderr") stderr lines, expected 1"
  elif grep -q 'terminate called\|AddressSanitizer\|runtime error:' "$logs/stderr"; then why="crash text on stderr"
  fi
  local now
  now=$(snapshot)
  if [ -z "$why" ] && [ "$now" != "$base_snapshot" ]; then
    why="changed files outside the output folder: $(diff <(echo "$base_snapshot") <(echo "$now") | grep '^[<>]' | head -3 | tr '\n' ' ')"
  fi
  if [ -n "$why" ]; then
    failures=$((failures + 1))
    failed[$label]=$(( ${failed[$label]:-0} + 1 ))
    echo "FAIL $label: convcheck $*" | cut -c1-300
    echo "     $why; stderr: $(head -c 300 "$logs/stderr" | head -3 | tr '\n' '|')"
  fi
  rm -rf "${out:?}"/* "${out:?}"/.[!.]* 2>/dev/null
  chmod -R u+rwx "$cwd" 2>/dev/null; rm -rf "${cwd:?}"/* "${cwd:?}"/.[!.]* 2>/dev/null
}

# --- commands that read a case, a case file or a stack ------------------------------------------
for f in "${generic[@]}"; do
  expect shape 2 shape "$f"
  expect invert 2 invert "$f"
  expect check 2 check "$f" --no-save --corpus "$out/corpus"
  expect stack 2 stack "$f" --input 1,1,8,8
done

# A case the codec reads but the oracle rejects (negative padding): exit 1, "invalid case found".
expect shape 1 shape "$in/int_min.json"
expect invert 1 invert "$in/int_min.json"

# --- replay: a corpus whose entries, known records or folders are hostile ------------------------
for f in "${generic[@]}"; do
  [ -f "$f" ] || continue
  mkdir -p "$out/corpus/known" "$out/corpus/regressions"
  cp "$f" "$out/corpus/regressions/0000000000000001.json" 2>/dev/null
  expect replay 1,2,3 replay "$out/corpus" --no-save
  mkdir -p "$out/corpus/known"
  cp "$f" "$out/corpus/known/hostile.json" 2>/dev/null
  expect replay 1,2,3 replay "$out/corpus/known" --no-save
done
for p in "$in/loop_a" "$long" "$in/a_directory" /dev/zero "$in/fifo" "$in/missing"; do
  expect replay 2,3 replay "$p" --no-save
done

# --- reports: every reader, every hostile report --------------------------------------------------
for f in "${reports[@]}"; do
  expect report 2 report render "$f" --json "$out/r.json"
  expect report 2 report merge "$f" -o "$out/m.json"
  expect report 2 report diff "$golden" "$f"
  if [ -f "$f" ] && [ "$f" != /dev/zero ]; then
    rm -f "$in/trend"/*; cp "$f" "$in/trend/r.json"
    base_snapshot=$(snapshot)
    WARNINGS=1 expect report 0,2 report trend "$in/trend" -o "$out/t.html"
  fi
done
rm -f "$in/trend"/*; base_snapshot=$(snapshot)

# --- overflowing and runaway flags -----------------------------------------------------------------
max=9223372036854775807
expect solve 0,1,2 solve --in 100 --out 10 --max-kernel $max
expect solve 0,1,2 solve --in 100 --out 10 --allow-padding --max-padding $max
expect solve 0,1,2 solve --in 100 --out 10 --allow-dilation --max-dilation $max
expect solve 0,1,2 solve --in 100 --out 10 --max-stride $max
expect solve 0,1,2 solve --in 10 --out 100 --op conv_transpose --max-kernel $max --allow-padding --max-padding $max \
  --allow-dilation --max-dilation $max --max-stride $max
expect solve 0,1,2 solve --in $max --out 1 --allow-padding --allow-dilation
expect solve 0,1,2 solve --in $max --out $max --op conv_transpose --allow-padding --max-padding $max
expect solve 2 solve --in 99999999999999999999 --out 1
expect solve 2 solve --in -5 --out 1
expect stack 0,1 stack "$in/stack.json" --sweep 9223372036854775000..$max
expect stack 0,1 stack "$in/stack.json" --sweep 1..$max
expect stack 0,1 stack "$in/stack.json" --input 1,1,$max,$max
expect stack 2 stack "$in/stack.json" --input 1,1,99999999999999999999,1
expect stack 2 stack "$in/stack.json" --sweep 5..1
expect convert 1 convert --from tf --padding VALID --input $max --kernel $max --dilation 2
expect convert 1 convert --from keras --padding SAME --transpose --input $max --kernel 3 --stride 2
expect convert 1 convert --from tf --padding SAME --transpose --input $max --kernel $max --stride $max
expect convert 1 convert --from onnx --padding NOTSET --input $max --kernel 1 --pads $max,$max
expect convert 0,1 convert --from onnx --padding SAME_UPPER --input $max --kernel $max --stride $max --dilation $max
expect convert 2 convert --from tf --padding SAME --input 99999999999999999999 --kernel 3
expect check 2 check /dev/null --max-printed 99999999999999999999 --no-save --corpus "$out/corpus"

# --- writes: a planted symlink at every temp name a writer ever used must not be followed ---------
echo "precious" >"$in/victim"
base_snapshot=$(snapshot)
ln -s "$in/victim" "$out/r.json.tmp"
for pid in $(seq $(( $(sh -c 'echo $$') )) $(( $(sh -c 'echo $$') + 300 ))); do ln -sf "$in/victim" "$out/r.json.tmp.$pid"; done
ln -s "$in/victim" "$out/r.json"  # the target itself: replaced, never written through
expect report 0 report render "$golden" --json "$out/r.json" --junit "$out/r.xml" --markdown "$out/r.md"
if [ "$(cat "$in/victim")" != precious ]; then echo "FAIL writes: a planted symlink was followed"; failures=$((failures + 1)); fi

# --- sanity (LibTorch builds) ---------------------------------------------------------------------
if [ "$with_sanity" = sanity ]; then
  for f in "${generic[@]}"; do expect sanity 2 sanity --model "$f" --input-shape 1,1,8,8 --data synthetic:classes-raw; done
  layer() { printf '{"task": "classification", "layers": [%s]}' "$1" >"$in/model_$2.json"; echo "$in/model_$2.json"; }
  data=(--data synthetic:classes-raw)
  wide=$(layer '{"type": "conv", "out_channels": 1000000000, "kernel": 3}' wide)
  huge_init=$(layer '{"type": "conv", "out_channels": 4, "kernel": 3, "init": "constant(1e308)"}, {"type": "flatten"}, {"type": "linear", "out_features": 2}' huge_init)
  base_snapshot=$(snapshot)
  expect sanity 1,2 sanity --model "$wide" --input-shape 1,1,8,8 "${data[@]}"
  expect sanity 1,2 sanity --model "$src/examples/sanity/healthy_cnn_layers.json" --input-shape 1,1,100000,100000 "${data[@]}"
  expect sanity 1,2 sanity --model "$huge_init" --input-shape 1,1,8,8 "${data[@]}"
  expect sanity 2 sanity --model "$src/examples/sanity/healthy_cnn_layers.json" --input-shape 1,1,8,8 --data "$in/a_directory"
  expect sanity 2 sanity --model "$src/examples/sanity/healthy_cnn_layers.json" --input-shape 1,1,8,8 --data /dev/zero
fi

total=0
for label in $(printf '%s\n' "${!tried[@]}" | sort); do
  echo "hostile: $label: ${tried[$label]} inputs, ${failed[$label]:-0} failed"
  total=$((total + tried[$label]))
done
echo "hostile: $total inputs, $failures failed"
[ "$failures" = 0 ]
