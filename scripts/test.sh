#!/usr/bin/env bash
# Builds LWC and runs the whole test suite through ctest. Installs missing Debian packages first.
#   scripts/test.sh            set-up (if needed), configure, build, test
#   BUILD_DIR=... scripts/test.sh   build elsewhere (default: build/)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 900
