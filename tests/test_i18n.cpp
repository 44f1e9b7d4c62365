#include <catch2/catch.hpp>

#include <set>

#include "lwc/i18n.h"

using namespace lwc;

TEST_CASE("i18n: every string has Thai and English and a unique key", "[i18n]") {
  std::set<std::string_view> keys;
  for (const Text& t : all_texts()) {
    INFO(t.key);
    CHECK_FALSE(t.th.empty());
    CHECK_FALSE(t.en.empty());
    CHECK(keys.insert(t.key).second);
  }
  CHECK(keys.size() > 20);
}

TEST_CASE("i18n: lookup, placeholders and a visible missing key", "[i18n]") {
  CHECK(tr("stage.demand", Lang::kTh) == "ทวงถาม");
  CHECK(tr("stage.demand", Lang::kEn) == "Demand");
  CHECK(tr("no.such.key", Lang::kTh) == "no.such.key");
  CHECK(fmt("warn.task.warn", Lang::kEn, {"Report", "18 Dec 2026"}) ==
        "Report: due 18 Dec 2026, not yet submitted");
  // A placeholder without an argument stays as written.
  CHECK(fmt("warn.task.warn", Lang::kEn, {"Report"}) == "Report: due {1}, not yet submitted");
}

TEST_CASE("i18n: Buddhist-Era dates in Thai, numbers grouped", "[i18n]") {
  CHECK(format_date_long({2026, 11, 25}, Lang::kTh) == "25 พ.ย. 2569");
  CHECK(format_date_long({2026, 11, 25}, Lang::kEn) == "25 Nov 2026");
  // 2026-11-25 07:05 UTC is 14:05 in Thailand.
  CHECK(format_time_long(thai_midnight_ms({2026, 11, 25}) + (14 * 60 + 5) * 60'000, Lang::kTh) ==
        "25 พ.ย. 2569 14:05");
  CHECK(format_number(1234567.5, 2) == "1,234,567.50");
  CHECK(format_number(999, 0) == "999");
  CHECK(format_number(-1000.26, 1) == "-1,000.3");
  CHECK(format_number(-0.01, 1) == "0.0");
  CHECK(format_number(0, 0) == "0");
}
