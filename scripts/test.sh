#!/usr/bin/env bash
# The whole test suite, as CI runs it: the torch-free build (oracle, generators, reports) and
# the full build, each with ctest. Assumes scripts/install-deps.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
./scripts/build.sh --no-torch
ctest --test-dir build-notorch --output-on-failure -j "$jobs"
# The README's fuzz build with clang-14, the torch-free target only (cheap): it must compile and
# link against the fuzzer-instrumented code, and `convcheck fuzz` must run it for its budget.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCONVCHECK_FUZZ=ON -DCONVCHECK_WITH_TORCH=OFF \
  -DCONVCHECK_BUILD_TESTS=OFF -DCONVCHECK_BUILD_BENCH=OFF
ninja -C build-fuzz -j "$jobs" case_parser_fuzzer
build-notorch/bin/convcheck fuzz case_parser_fuzzer --seconds 10 --binary build-fuzz/bin/case_parser_fuzzer \
  --out build-fuzz/out
./scripts/build.sh
ctest --test-dir build --output-on-failure -j "$jobs"
