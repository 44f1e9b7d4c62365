#!/usr/bin/env bash
# Proves the convergence test can fail: builds the core with a deliberately order-dependent merge
# and expects the convergence test to catch it.
#   1 = the version that arrives last wins
#   2 = equal HLCs go to the arrival instead of the greater device id
#   3 = the conflict rule before issue 13: a winner whose base is later than the loser's clock
#       "saw" it (a concurrent value vanished without a conflict record)
# Usage: scripts/mutation-check.sh [BUILD_ROOT]   (default build/mutants); exit 0 when every mutant
# was caught.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/mutants}
status=0
for m in 1 2 3; do
  dir="$out/m$m"
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLWC_MUTATE_MERGE=$m \
    -DBUILD_TESTING=ON >/dev/null || exit 2
  cmake --build "$dir" --target lwc_convergence_tests >/dev/null || exit 2
  if "$dir/tests/lwc_convergence_tests" >"$dir/convergence.log" 2>&1; then
    echo "mutant $m SURVIVED: the convergence test did not notice the broken merge"
    status=1
  else
    failed=$(grep -m1 -o 'seed [0-9]*' "$dir/convergence.log" || echo "a seed")
    echo "mutant $m caught (first failure at $failed)"
  fi
done
exit $status
