#!/usr/bin/env bash
# Installs the Debian 12 packages convcheck builds and tests with (scripts/debian-packages.txt).
# Nothing else is downloaded: LibTorch, RapidCheck, GoogleTest, libFuzzer, JSON, CLI11, fmt and
# Google Benchmark all come from Debian. Chromium is only used by the HTML report's screenshot
# test (which skips, with a message, when it is absent). libopenblas0-serial becomes the system's
# libblas.so.3 (update-alternatives), which LibTorch's CPU convolutions call where oneDNN does not
# run (float64, and the float32 cases oneDNN declines; perf showed dgemm_ and sgemm_ at 9% of a
# default run's CPU): Debian otherwise points it at the reference BLAS, and the default run takes
# about a tenth longer. The serial build
# starts no threads, so the process that forks the workers stays safe to fork.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
xargs -a scripts/debian-packages.txt $SUDO apt-get install -y --no-install-recommends
