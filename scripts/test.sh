#!/usr/bin/env bash
# The whole test suite, as CI runs it: the torch-free build (oracle, generators, reports) and
# the full build, each with ctest. Assumes scripts/install-deps.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
./scripts/build.sh --no-torch
ctest --test-dir build-notorch --output-on-failure -j "$jobs"
./scripts/build.sh
ctest --test-dir build --output-on-failure -j "$jobs"
