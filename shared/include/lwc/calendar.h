// Dates as the offices count them: civil dates in Thailand (UTC+7, no daylight saving), the
// Buddhist Era (BE = CE + 543) and the Thai fiscal year (1 October – 30 September, named by the BE
// year it ends in: 1 Oct 2026 starts FY 2570).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lwc/status.h"

namespace lwc {

struct Date {
  int year = 1970;  // CE
  int month = 1;    // 1..12
  int day = 1;      // 1..31
  friend auto operator<=>(const Date&, const Date&) = default;
};

inline constexpr int64_t kThaiUtcOffsetMs = 7 * 3600 * 1000;

// "YYYY-MM-DD" (CE); kInvalidArgument for anything else, including 2026-02-30.
Result<Date> parse_date(std::string_view text);
std::string format_date(const Date& d);  // "YYYY-MM-DD"
int64_t days_from_civil(const Date& d);  // days since 1970-01-01
Date civil_from_days(int64_t days);
// Midnight at the start of the date in Thailand, as ms since the epoch.
int64_t thai_midnight_ms(const Date& d);
// The date in Thailand at a moment.
Date thai_date(int64_t ms);
// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", Thai time, as ms since the epoch.
Result<int64_t> parse_thai_time(std::string_view text);
int be_year(int ce_year);
// The BE fiscal year a date belongs to: 2026-10-01 → 2570, 2026-09-30 → 2569.
int fiscal_year_be(const Date& d);

}  // namespace lwc
