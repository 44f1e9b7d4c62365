#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang + ASan + UBSan, in build-fuzz/) and runs each for
# SECONDS seconds (default 60; CI runs a short smoke), starting from the seeds in fuzz/corpus/<target>
# and keeping what it finds in build-fuzz/corpus/<target>. A crash leaves crash-* in build-fuzz/ and
# fails the script. Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build="${FUZZ_BUILD_DIR:-build-fuzz}"
need=()
command -v clang++ >/dev/null || need+=(clang)
dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || need+=(libclang-rt-14-dev)
if ((${#need[@]})); then
  apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DLWC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" --target lwc_fuzz_protocol lwc_fuzz_hub
status=0
for target in fuzz_protocol fuzz_hub; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  echo "== $target: $seconds s"
  if ! (cd "$build" && ASAN_OPTIONS=detect_leaks=0 "./fuzz/lwc_$target" -max_total_time="$seconds" \
        -max_len=65536 -timeout=10 -print_final_stats=1 "corpus/$target" "../fuzz/corpus/$target" \
        2>&1 | grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY|.*crash-)" ); then
    :
  fi
  if ls "$build"/crash-* "$build"/leak-* "$build"/timeout-* >/dev/null 2>&1; then
    echo "$target: found a failing input (see $build/crash-*)" >&2
    status=1
  fi
done
exit $status
