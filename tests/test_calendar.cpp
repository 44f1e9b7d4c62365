#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "lwc/calendar.h"
#include "lwc/clock.h"
#include "test_clock.h"

using namespace lwc;

TEST_CASE("calendar: dates parse strictly", "[calendar]") {
  CHECK(parse_date("2026-11-25").ok());
  CHECK(parse_date("2028-02-29").ok());
  CHECK_FALSE(parse_date("2026-02-29").ok());
  CHECK_FALSE(parse_date("2026-13-01").ok());
  CHECK_FALSE(parse_date("25/11/2569").ok());
  CHECK_FALSE(parse_date("2026-1-5").ok());
  CHECK(format_date(*parse_date("2026-01-05")) == "2026-01-05");
}

TEST_CASE("calendar: civil days round-trip", "[calendar]") {
  CHECK(days_from_civil({1970, 1, 1}) == 0);
  CHECK(days_from_civil({2000, 3, 1}) == 11017);
  for (int64_t d = -1000; d < 40000; d += 37) CHECK(days_from_civil(civil_from_days(d)) == d);
}

TEST_CASE("calendar: Thai dates are UTC+7", "[calendar]") {
  const int64_t midnight = thai_midnight_ms({2026, 11, 25});
  CHECK(midnight == 1'795'539'600'000);  // 2026-11-24T17:00:00Z
  CHECK(thai_date(midnight) == Date{2026, 11, 25});
  CHECK(thai_date(midnight - 1) == Date{2026, 11, 24});
  // 2026-11-24 17:00 UTC is already the 25th in Lampang.
  CHECK(thai_date(thai_midnight_ms({2026, 11, 25})) == Date{2026, 11, 25});
  CHECK(midnight % 86'400'000 == 17 * 3'600'000);
}

TEST_CASE("calendar: Buddhist Era and the October fiscal year", "[calendar]") {
  CHECK(be_year(2026) == 2569);
  CHECK(fiscal_year_be({2026, 9, 30}) == 2569);
  CHECK(fiscal_year_be({2026, 10, 1}) == 2570);
  CHECK(fiscal_year_be({2026, 11, 25}) == 2570);
  CHECK(fiscal_year_be({2027, 9, 30}) == 2570);
}

TEST_CASE("test clock: the suite runs at its fixed instant, and the shell tests at the same one",
          "[calendar][clock]") {
  // scripts/test-clock.sh names the same default instant as tests/test_clock.h.
  std::ifstream in(std::string(LWC_SOURCE_DIR) + "/scripts/test-clock.sh");
  const std::string script((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(script,
             Catch::Contains(std::string("lwc_default_test_now=") + test::kDefaultTestNow + " "));
  const char* wanted = std::getenv("LWC_TEST_NOW");
  if (wanted && std::string(wanted) == "wall") {
    CHECK(test::test_clock_offset_ms() == 0);
    return;
  }
  auto target = parse_thai_time(wanted && *wanted ? wanted : test::kDefaultTestNow);
  REQUIRE(target.ok());
  const int64_t now = process_clock().now_ms();
  CHECK(now >= *target);
  CHECK(now - *target < 15 * 60'000);  // the test executable started less than 15 minutes ago
  // A device whose clock is a day ahead of the suite's.
  CHECK(test::clock_off_by(86'400'000) ==
        "LWC_TIME_OFFSET_MS=" + std::to_string(test::test_clock_offset_ms() + 86'400'000));
}
