#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install the packages, build, and run the default
# conformance run on LibTorch CPU (all six ops; float32, float64, bfloat16). Extra arguments go
# to `convcheck run` (e.g. --seed 7 --report night.json).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
exec ./build/bin/convcheck run "$@"
