#!/usr/bin/env bash
# Configures and builds convcheck into build/ (LibTorch on) and, with --no-torch, into
# build-notorch/ (the oracle, generators and reports alone, as other frameworks' backends use them),
# and with --asan the torch-free targets into build-asan/ under AddressSanitizer and
# UndefinedBehaviorSanitizer (clang-14, float-cast-overflow included; LibTorch, ONNX and OpenCV
# from Debian are not instrumented, so the sanitized build leaves their plugins out: their
# -Wl,--no-undefined links would also refuse the sanitizer runtime the executable provides).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# ccache, when installed (scripts/debian-packages.txt lists it): the framework-free libraries
# compile to the same objects in build-notorch/ and build/, so the second build reuses them
# (CI builds both on a fresh machine). BASEDIR and NOHASHDIR make the two build folders, and
# other clones, share entries.
launcher=()
if command -v ccache > /dev/null; then
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
if [ "${1:-}" = "--asan" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-asan -G Ninja "${launcher[@]}" -DCONVCHECK_WITH_TORCH=OFF \
    -DCONVCHECK_WITH_ONNX=OFF -DCONVCHECK_WITH_OPENCV=OFF \
    -DCONVCHECK_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_CXX_FLAGS=-O1 -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer" \
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
  ninja -C build-asan -j "$jobs"
elif [ "${1:-}" = "--no-torch" ]; then
  cmake -S . -B build-notorch -G Ninja "${launcher[@]}" -DCONVCHECK_WITH_TORCH=OFF -DCONVCHECK_BUILD_BENCH=OFF
  ninja -C build-notorch -j "$jobs"
else
  cmake -S . -B build -G Ninja "${launcher[@]}"
  ninja -C build -j "$jobs"
fi
