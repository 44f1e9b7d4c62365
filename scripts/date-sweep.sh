#!/usr/bin/env bash
# The date sweep (issue 19): runs the date-sensitive tests and the demo smoke with the real clock
# moved by faketime (libfaketime, FAKETIME="+N" seconds, monotonic clocks untouched) to the dates
# that break calendars, and once at today's real date. Every process — test, hub, client, curl,
# OpenSSL — sees the moved clock, so code that reads the wall clock behind the Clock interface is
# caught too. The tests read the real clock here (LWC_TEST_NOW=wall) instead of the suite's fixed
# instant.
#   scripts/date-sweep.sh [BUILD_DIR]        (default build/; scripts/test.sh builds it)
# Called by .ci/run after scripts/test.sh. Exit 1 when any date fails; each date's log is kept in
# BUILD_DIR/date-sweep/.
set -uo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
logs=$build/date-sweep
mkdir -p "$logs"
lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -e "$lib" ] || { echo "date-sweep: libfaketime missing (scripts/setup.sh installs faketime)"; exit 1; }

# Thai time (UTC+7): the day changes at 17:00 UTC.
dates=(
  2027-09-30T16:00  # the fiscal year's last day (FY 2570)
  2027-10-01T09:00  # the first day of FY 2571
  2026-12-31T10:00  # the calendar year's last day, the end of fiscal Q1
  2027-01-01T10:00  # New Year's Day
  2028-02-28T10:00
  2028-02-29T10:00  # a leap day
  2026-12-07T09:00  # a Monday that is a holiday (the substitute for 5 December)
  2027-04-13T10:00  # Songkran
  2027-03-31T15:00  # the last day of a quarter (fiscal Q2)
  2027-06-30T23:59  # one minute before Thai midnight, the end of fiscal Q3
  2027-07-01T00:00  # Thai midnight (17:00 UTC the day before)
  today
)

# The tests that depend on the date: every unit test of the core and the hub (calendar, award,
# KPI, warnings, summaries, web, demo), the client's view model, and the end-to-end award and demo
# smoke with real processes.
run_suite() {  # log
  local log=$1 rc=0
  {
    "$build/tests/lwc_core_tests" || rc=1
    "$build/tests/lwc_hub_tests" || rc=1
    "$build/tests/lwc_client_tests" "[view_model]" || rc=1
    "$build/tests/lwc_e2e_hub_tests" "[date]" || rc=1
    "$build/tests/lwc_e2e_client_tests" "[date]" || rc=1
  } >"$log" 2>&1
  return $rc
}

failed=()
start=$(date +%s)
for when in "${dates[@]}"; do
  log=$logs/$when.log
  t0=$(date +%s)
  if [ "$when" = today ]; then
    LWC_TEST_NOW=wall run_suite "$log"
  else
    offset=$(($(date -d "${when}:00+07:00" +%s) - $(date +%s)))
    LD_PRELOAD=$lib FAKETIME="+$offset" FAKETIME_DONT_FAKE_MONOTONIC=1 LWC_TEST_NOW=wall \
      run_suite "$log"
  fi
  rc=$?
  summary=$(grep -hE "^(All tests passed|test cases:)" "$log" | tr '\n' ' ')
  if [ $rc -eq 0 ]; then
    echo "date-sweep: $when passed in $(($(date +%s) - t0)) s: $summary"
  else
    echo "date-sweep: $when FAILED ($log):"
    grep -hE -B3 -A12 "FAILED:" "$log" | head -60
    failed+=("$when")
  fi
done
echo "date-sweep: ${#dates[@]} dates in $(($(date +%s) - start)) s, ${#failed[@]} failed${failed:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
