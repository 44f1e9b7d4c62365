// A rules test world: a real in-memory store written through the same builders the apps use,
// with a fake clock (the entry time of a figure counts for the verification age).
#pragma once

#include <catch2/catch.hpp>

#include "lwc/clock.h"
#include "lwc/entries.h"
#include "lwc/warnings.h"

namespace lwc::test {

inline constexpr int64_t kHour = 3'600'000;

// Thai time: at("2026-12-18", 9) is 09:00 on 18 December 2026 in Lampang.
inline int64_t at(const char* date, int hour = 0) {
  return thai_midnight_ms(*parse_date(date)) + hour * kHour;
}

// A real in-memory store the rules read from, written through the same builders the apps use.
struct World {
  FakeClock clock{at("2026-10-01")};
  std::unique_ptr<Store> store = std::move(*Store::open({":memory:", "hub-device"}, clock));
  RulesConfig config;

  Row put(Result<RowWrite> w) {
    REQUIRE(w.ok());
    REQUIRE(store->write_local(w->table, w->id, w->scope, w->fields, Store::Queue::kNone).ok());
    clock.advance_ms(1);
    return row(w->table, w->id);
  }
  Row row(const std::string& table, const std::string& id) {
    auto r = store->get_row(table, id);
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    return **r;
  }
  Row task(const char* due, std::vector<std::string> districts = {"5202"},
           const char* issued = "2026-11-01") {
    return put(task_entry({"directive", "ลป 0020/ว 1", "รายงานกองทุน", issued, due, districts, ""}));
  }
  // Writes as if entered at `when` (the entry time counts for the verification age).
  Row put_at(int64_t when, Result<RowWrite> w) {
    clock.set_ms(when);
    return put(std::move(w));
  }
  std::vector<Warning> eval(int64_t now, const ScopeFilter& filter = ScopeFilter::everything(),
                            const std::string& district = "") {
    auto in = load_rule_inputs(*store, filter);
    REQUIRE(in.ok());
    return evaluate_rules(*in, config, now, district);
  }
};


}  // namespace lwc::test
