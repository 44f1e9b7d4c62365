# Sourced by the shell tests (gui-screenshots.sh, tests/web/run.sh, scripts/date-smoke.sh): the
# suite's clock as tests/test_clock.h describes it. Exports LWC_TIME_OFFSET_MS so that every hub and
# client started afterwards reads "now" as LWC_TEST_NOW (Thai time, "YYYY-MM-DDTHH:MM"), by default
# the suite's fixed instant below; LWC_TEST_NOW=wall keeps the real clock (the date sweep moves the
# real clock with faketime). A caller's LWC_TIME_OFFSET_MS is kept; a caller's LWC_NOW becomes the
# one offset.
lwc_default_test_now=2026-11-26T10:00  # = kDefaultTestNow in tests/test_clock.h
lwc_install_test_clock() {
  local when
  if [ -z "${LWC_NOW:-}" ] && [ -n "${LWC_TIME_OFFSET_MS:-}" ]; then return 0; fi
  when=${LWC_NOW:-${LWC_TEST_NOW:-$lwc_default_test_now}}
  unset LWC_NOW
  [ "$when" = wall ] && return 0
  case $when in
    ????-??-??) when="${when}T00:00" ;;
    ????-??-??T??:??) ;;
    *) echo "LWC_TEST_NOW / LWC_NOW: '$when' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM" >&2; return 2 ;;
  esac
  local target real
  target=$(date -d "${when}:00+07:00" +%s%3N) || return 2
  real=$(date +%s%3N)
  export LWC_TIME_OFFSET_MS=$((target - real))
}
lwc_install_test_clock
