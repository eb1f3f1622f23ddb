#!/usr/bin/env bash
# Configures and builds convcheck into build/ (LibTorch on) and, with --no-torch, into
# build-notorch/ (the oracle, generators and reports alone, as other frameworks' backends use them),
# and with --asan the torch-free targets into build-asan/ under AddressSanitizer and
# UndefinedBehaviorSanitizer (clang-14, float-cast-overflow included; LibTorch from Debian is not
# instrumented, so the sanitized build leaves it out).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
if [ "${1:-}" = "--asan" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-asan -G Ninja -DCONVCHECK_WITH_TORCH=OFF \
    -DCONVCHECK_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_CXX_FLAGS=-O1 -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer" \
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
  ninja -C build-asan -j "$jobs"
elif [ "${1:-}" = "--no-torch" ]; then
  cmake -S . -B build-notorch -G Ninja -DCONVCHECK_WITH_TORCH=OFF -DCONVCHECK_BUILD_BENCH=OFF
  ninja -C build-notorch -j "$jobs"
else
  cmake -S . -B build -G Ninja
  ninja -C build -j "$jobs"
fi
