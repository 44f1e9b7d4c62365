#include "lwc/calendar.h"

#include <charconv>

namespace lwc {

namespace {
bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}
}  // namespace

Result<Date> parse_date(std::string_view t) {
  auto bad = [&] {
    return Status(Code::kInvalidArgument, "'" + std::string(t) + "' is not a date YYYY-MM-DD");
  };
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return bad();
  Date d;
  auto num = [&](size_t pos, size_t len, int* out) {
    auto [end, ec] = std::from_chars(t.data() + pos, t.data() + pos + len, *out);
    return ec == std::errc() && end == t.data() + pos + len;
  };
  if (!num(0, 4, &d.year) || !num(5, 2, &d.month) || !num(8, 2, &d.day)) return bad();
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > days_in_month(d.year, d.month)) {
    return bad();
  }
  return d;
}

std::string format_date(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

// Howard Hinnant's civil-from-days algorithms.
int64_t days_from_civil(const Date& d) {
  const int64_t y = d.month <= 2 ? d.year - 1 : d.year;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Date{static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0)), m, d};
}

int64_t thai_midnight_ms(const Date& d) {
  return days_from_civil(d) * 86'400'000 - kThaiUtcOffsetMs;
}

Date thai_date(int64_t ms) {
  const int64_t local = ms + kThaiUtcOffsetMs;
  int64_t days = local / 86'400'000;
  if (local < 0 && local % 86'400'000 != 0) --days;
  return civil_from_days(days);
}

Result<int64_t> parse_thai_time(std::string_view t) {
  auto date = parse_date(t.substr(0, 10));
  if (!date.ok()) return date.status();
  if (t.size() == 10) return thai_midnight_ms(*date);
  int h = 0, m = 0;
  if (t.size() != 16 || t[10] != 'T' || t[13] != ':' ||
      std::from_chars(t.data() + 11, t.data() + 13, h).ptr != t.data() + 13 ||
      std::from_chars(t.data() + 14, t.data() + 16, m).ptr != t.data() + 16 || h > 23 || m > 59) {
    return Status(Code::kInvalidArgument,
                  "'" + std::string(t) + "' is not a time YYYY-MM-DD or YYYY-MM-DDTHH:MM");
  }
  return thai_midnight_ms(*date) + (h * 60 + m) * 60'000LL;
}

int be_year(int ce_year) { return ce_year + 543; }

int fiscal_year_be(const Date& d) { return be_year(d.month >= 10 ? d.year + 1 : d.year); }

}  // namespace lwc
