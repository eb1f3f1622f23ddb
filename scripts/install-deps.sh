#!/usr/bin/env bash
# Installs the Debian 12 packages convcheck builds and tests with (scripts/debian-packages.txt).
# Nothing else is downloaded: LibTorch, RapidCheck, GoogleTest, libFuzzer, JSON, CLI11, fmt and
# Google Benchmark all come from Debian. Chromium is only used by the HTML report's screenshot
# test (which skips, with a message, when it is absent).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
xargs -a scripts/debian-packages.txt $SUDO apt-get install -y --no-install-recommends
