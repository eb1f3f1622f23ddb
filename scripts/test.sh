#!/usr/bin/env bash
# The whole test suite, as CI runs it: the torch-free build (oracle, generators, reports) and
# the full build, each with ctest. Assumes scripts/install-deps.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
./scripts/build.sh --no-torch
ctest --test-dir build-notorch --output-on-failure -j "$jobs"
# The README's fuzz build with clang-14, both targets: they must compile and link against the
# fuzzer-instrumented code (the differential one against LibTorch too), and each must run. WITH_TORCH is given explicitly: an older build-fuzz cache has it OFF.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCONVCHECK_FUZZ=ON -DCONVCHECK_WITH_TORCH=ON \
  -DCONVCHECK_BUILD_TESTS=OFF -DCONVCHECK_BUILD_BENCH=OFF
ninja -C build-fuzz -j "$jobs" case_parser_fuzzer conv_diff_fuzzer
build-notorch/bin/convcheck fuzz case_parser_fuzzer --seconds 10 --binary build-fuzz/bin/case_parser_fuzzer \
  --out build-fuzz/out
# The differential target runs its seed corpus once (deterministic: it must start, load the
# instrumented plugin and judge every seed). An open-ended campaign is not a per-push check: a
# 30 s campaign found new LibTorch empty-tensor corners each time it was tried (2026-12-02), so
# it belongs to a nightly job: `convcheck fuzz conv_diff_fuzzer --seconds 600 ...`, whose
# findings are replayed against the known deviations.
build-fuzz/bin/conv_diff_fuzzer -runs=0 corpus/fuzz/conv_diff_fuzzer
./scripts/build.sh
ctest --test-dir build --output-on-failure -j "$jobs"
