#include <catch2/catch.hpp>

#include "lwc/calendar.h"

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
