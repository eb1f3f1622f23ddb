#!/usr/bin/env bash
# Configures and builds convcheck into build/ (LibTorch on) and, with --no-torch, into
# build-notorch/ (the oracle, generators and reports alone, as other frameworks' backends use them).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
if [ "${1:-}" = "--no-torch" ]; then
  cmake -S . -B build-notorch -G Ninja -DCONVCHECK_WITH_TORCH=OFF -DCONVCHECK_BUILD_BENCH=OFF
  ninja -C build-notorch -j "$jobs"
else
  cmake -S . -B build -G Ninja
  ninja -C build -j "$jobs"
fi
