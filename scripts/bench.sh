#!/usr/bin/env bash
# Runs LWC's benchmarks (Release build in build-bench/), writes JSON to bench/results/ and prints a
# summary. Goals are in each JSON ("goal", "goal_met"); they are measured, never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
build=build-bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
# Before each benchmark: write out what the previous one left in the page cache, so that its
# write-back does not land in the next one's fsyncs.
settle() { sync; sleep 1; }

settle
echo "== merge + store vs raw SQLite upsert (1,000,000 field changes)"
"$build/bench/lwc_bench_merge" "bench/results/merge-$stamp.json"
cp "bench/results/merge-$stamp.json" bench/results/merge-latest.json
settle
echo "== push and pull over HTTPS (200,000 field changes, batches of 1,000, pages of 10,000)"
"$build/bench/lwc_bench_sync" "bench/results/sync-$stamp.json"
cp "bench/results/sync-$stamp.json" bench/results/sync-latest.json
settle
echo "== desktop window: first frame, idle CPU, peak RSS (provincial view of the demo data, Xvfb)"
scripts/bench-gui.sh "$build" || echo "gui benchmark skipped (exit $?)"
settle
echo "== client sync end to end: 10,000 records A -> B (3 runs); a fresh client's initial sync of 1,000,000 changes"
"$build/bench/lwc_bench_e2e" "bench/results/e2e-$stamp.json" 10000 1000000 3
cp "bench/results/e2e-$stamp.json" bench/results/e2e-latest.json
settle
echo "== event fan-out: 1,000 event streams, 30 pushes"
"$build/bench/lwc_bench_fanout" "bench/results/fanout-$stamp.json" 1000 30
cp "bench/results/fanout-$stamp.json" bench/results/fanout-latest.json
echo "results: bench/results/*-$stamp.json"
