// Every user-visible string, in Thai and English, in one table (shared/src/strings.cpp).
//
// Strings are looked up by a stable key ("warn.task.message"); a template may hold numbered
// placeholders {0}, {1}, … filled by fmt(). Thai is the first language: the GUI starts in Thai and
// messages sent to offices (LINE, e-mail) are Thai first. Dates in Thai mode use the Buddhist Era.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "lwc/calendar.h"

namespace lwc {

enum class Lang { kTh, kEn };

struct Text {
  std::string_view key, th, en;
};

// The text of `key` in `lang`; the key itself (visible, so a missing entry is noticed) when unknown.
std::string_view tr(std::string_view key, Lang lang);
// tr() with {0}, {1}, … replaced by args (a placeholder without an argument stays as written).
std::string fmt(std::string_view key, Lang lang, std::initializer_list<std::string> args);
// The whole table (tests check every entry has both languages and keys are unique).
std::span<const Text> all_texts();

// "25 พ.ย. 2569" (Thai, BE) or "25 Nov 2026" (English, CE).
std::string format_date_long(const Date& d, Lang lang);
// A moment in Thai time: "25 พ.ย. 2569 14:05" / "25 Nov 2026 14:05".
std::string format_time_long(int64_t ms, Lang lang);
// 1234567.5 -> "1,234,567.50" (decimals digits after the point).
std::string format_number(double v, int decimals);

}  // namespace lwc
