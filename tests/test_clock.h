// The instant the test suite runs at (issue 19: no test's verdict may depend on the day it runs).
//
// Every test executable calls install_test_clock() first thing in main(). It shifts process_clock()
// — this process's and, through the inherited environment, every hub and client it starts — so that
// "now" is LWC_TEST_NOW ("YYYY-MM-DDTHH:MM", Thai time) at the moment of the call, and then runs on
// with real time. The shift is one LWC_TIME_OFFSET_MS for all processes, so their clocks agree to
// the millisecond, as real machines' clocks would.
//   LWC_TEST_NOW unset   the suite's fixed instant, kDefaultTestNow
//   LWC_TEST_NOW=wall    no shift: the real clock (the date sweep, scripts/date-sweep.sh, runs the
//                        suite under faketime to move the real clock itself)
// A caller that set LWC_TIME_OFFSET_MS keeps it; one that set LWC_NOW gets it as that one offset.
// Shell tests do the same with scripts/test-clock.sh.
#pragma once

#include <cstdint>
#include <string>

namespace lwc::test {

// Keep in step with scripts/test-clock.sh (a test in test_calendar.cpp checks that they agree).
inline constexpr const char* kDefaultTestNow = "2026-11-26T10:00";

// Sets LWC_TIME_OFFSET_MS in this process's environment as described above. Call before anything
// reads process_clock(). Exits with a message when LWC_TEST_NOW cannot be read.
void install_test_clock();

// LWC_TIME_OFFSET_MS as installed (0 under "wall" or when the caller chose the time).
int64_t test_clock_offset_ms();

// The environment entry for a child whose clock is delta_ms off the suite's clock (a device whose
// clock is wrong): "LWC_TIME_OFFSET_MS=<installed offset + delta_ms>".
std::string clock_off_by(int64_t delta_ms);

}  // namespace lwc::test
