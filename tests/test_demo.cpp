// The demo province tells the same story on any day (issue 19): `init --demo` builds its figures,
// tasks and deadlines around "now". Checked at the suite's instant (which the date sweep,
// scripts/date-sweep.sh, moves with faketime), through the real /v1/status handler, and in memory
// for every day of a fiscal year and the calendar's awkward moments.
#include <catch2/catch.hpp>

#include <set>

#include "hub_fixture.h"
#include "lwc/award.h"
#include "lwc/hub/demo.h"
#include "lwc/summary.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;

namespace {

constexpr int64_t kDay = 86'400'000;

// What a newcomer must see in a fresh demo at now_ms, whatever the day; a failure names the day.
void check_story(Store& store, const RulesConfig& rules, int64_t now_ms) {
  auto in = load_rule_inputs(store, ScopeFilter::everything());
  REQUIRE(in.ok());
  const Date today = thai_date(now_ms);
  INFO("demo at " << format_date(today) << " (" << now_ms << ")");
  const std::vector<Warning> warnings = evaluate_rules(*in, rules, now_ms);
  std::set<Stage> stages;
  for (const Warning& w : warnings) {
    INFO(w.message_en);
    CHECK(w.stage != Stage::kEscalated);  // none born escalated
    stages.insert(w.stage);
  }
  CHECK(stages.count(Stage::kWarn));    // a task due on the next working day
  CHECK(stages.count(Stage::kDemand));  // a task due on the previous working day
  if (rules.calendar.is_working_day(today)) CHECK(stages.count(Stage::kFollow));  // due today

  // Budget: some districts on the curve; some behind it once the curve is high enough for anyone
  // to be more than the tolerance behind (early October it is not).
  const ProvinceStatus ps = province_status(*in, rules, warnings, now_ms);
  REQUIRE(ps.districts.size() == 13);
  int on_track = 0, behind = 0;
  for (const DistrictStatus& d : ps.districts) {
    CHECK(d.budget.any);
    CHECK(d.budget.target > 0);
    const double gap = d.budget_expected_pct - d.budget.pct;
    if (gap <= 0) ++on_track;
    if (gap > rules.budget.tolerance_pct) ++behind;
  }
  CHECK(on_track >= 3);
  if (ps.districts.front().budget_expected_pct >= 15) CHECK(behind >= 2);

  // The award: last month's board is final, with a winner who earned it; this month's board never
  // ranks a missed report above nothing due, and no medal goes to a score of zero or less.
  const Date last_month =
      today.month == 1 ? Date{today.year - 1, 12, 1} : Date{today.year, today.month - 1, 1};
  for (const Date& month : {last_month, Date{today.year, today.month, 1}}) {
    const std::string key = format_date(month).substr(0, 7);
    const Leaderboard b = monthly_award(*in, rules, AwardConfig{}, key, now_ms);
    INFO("award " << key);
    REQUIRE(b.scores.size() == 13);
    bool unranked_seen = false;
    for (const AwardScore& s : b.scores) {
      INFO(s.district << " rank " << s.rank << " " << s.points << "/" << s.max_points);
      if (!s.ranked()) unranked_seen = true;
      CHECK(s.ranked() != unranked_seen);  // every ranked district before every unranked one
      CHECK((s.medal > 0) == (s.rank >= 1 && s.rank <= 3 && s.points > 0));
    }
    if (month == last_month) {
      CHECK(b.final);
      CHECK(b.scores.front().ranked());
      CHECK(b.scores.front().medal == 1);
    }
  }
}

}  // namespace

TEST_CASE("demo: a fresh demo at the suite's instant, and its /v1/status", "[demo][date]") {
  TempDir dir;
  FakeClock clock{process_clock().now_ms()};  // the suite's instant (faked in the date sweep)
  hub::HubConfig config;
  config.data_dir = dir.path().string();
  auto hub = hub::HubService::open(config, clock);
  REQUIRE(hub.ok());
  REQUIRE(
      (*hub)->with_store([&](Store& s) { return hub::seed_reference(s, LWC_ASSETS_DIR); }).ok());
  REQUIRE((*hub)
              ->with_store([&](Store& s) {
                return hub::seed_demo(s, (*hub)->accounts(), config.rules, clock.now_ms());
              })
              .ok());
  CHECK((*hub)
            ->with_store([&](Store& s) {
              check_story(s, config.rules, clock.now_ms());
              return Status{};
            })
            .ok());
  hub::Request r;
  r.method = "GET";
  r.target = "/v1/status?lang=en";
  r.remote_address = "127.0.0.1";
  const hub::Response resp = (*hub)->handle(r);
  REQUIRE(resp.status == 200);
  const json s = json::parse(resp.body);
  CHECK(s["districts"].size() == 13);
  CHECK(s["fiscal_year"] == fiscal_year_be(thai_date(clock.now_ms())) - 543);
  std::set<std::string> statuses;
  for (const json& d : s["districts"]) statuses.insert(d["status"].get<std::string>());
  CHECK_FALSE(statuses.count("escalated"));
  CHECK(statuses.count("demand"));
  REQUIRE(s["award"].is_object());
  for (const json& x : s["award"]["scores"]) {
    INFO(x.dump());
    CHECK(x["nothing_due"] == x["rank"].is_null());
    if (x["medal"].get<int>() > 0) CHECK(x["points"].get<int>() > 0);
  }
}

TEST_CASE("demo: the same story on every day of a fiscal year and at the calendar's edges",
          "[demo]") {
  const RulesConfig rules;
  std::vector<int64_t> moments;
  // Every day of FY 2570 at 09:00 and some at one minute to and past Thai midnight.
  for (int64_t t = thai_midnight_ms({2026, 10, 1}); t < thai_midnight_ms({2027, 10, 1});
       t += kDay) {
    moments.push_back(t + 9 * 3'600'000);
  }
  for (Date d : {Date{2026, 9, 30}, Date{2026, 10, 1}, Date{2026, 12, 31}, Date{2027, 1, 1},
                 Date{2028, 2, 28}, Date{2028, 2, 29}, Date{2028, 3, 1}, Date{2027, 4, 13},
                 Date{2027, 3, 31}, Date{2027, 6, 30}}) {
    moments.push_back(thai_midnight_ms(d));
    moments.push_back(thai_midnight_ms(d) - 60'000);
  }
  for (int64_t now : moments) {
    FakeClock clock{now};
    auto store = Store::open({":memory:", "hub-device"}, clock);
    REQUIRE(store.ok());
    REQUIRE(hub::seed_reference(**store, LWC_ASSETS_DIR).ok());
    REQUIRE(hub::seed_demo_data(**store, rules, now).ok());
    check_story(**store, rules, now);
  }
}
