#!/usr/bin/env bash
# Installs the Debian 12 packages convcheck builds and tests with. Nothing else is downloaded:
# LibTorch, RapidCheck, GoogleTest, libFuzzer, JSON, CLI11, fmt and Google Benchmark all come
# from Debian. Chromium is only used by the HTML report's screenshot test.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
  cmake ninja-build g++ git ca-certificates \
  libtorch-dev librapidcheck-dev libgtest-dev libgmock-dev \
  libfuzzer-14-dev clang-14 \
  nlohmann-json3-dev libcli11-dev libfmt-dev libbenchmark-dev \
  ${CONVCHECK_EXTRA_PACKAGES:-chromium}
