// Report Award and KPIs on hand-computed cases (docs/award.md has the scheme).
#include <catch2/catch.hpp>

#include "lwc/award.h"
#include "lwc/summary.h"
#include "rules_world.h"

using namespace lwc;
using namespace lwc::test;

namespace {

struct AwardWorld : World {
  AwardWorld() {
    for (auto [code, th, en] :
         {std::tuple{"5202", "แม่เมาะ", "Mae Mo"}, std::tuple{"5203", "เกาะคา", "Ko Kha"},
          std::tuple{"5204", "เสริมงาม", "Soem Ngam"}, std::tuple{"5208", "เถิน", "Thoen"}}) {
      put(Result<RowWrite>(RowWrite{
          "district",
          district_row_id(code),
          kProvinceScope,
          {{"code", to_value(code)}, {"name_th", to_value(th)}, {"name_en", to_value(en)}}}));
    }
  }
  Row submit(const Row& task, const char* district, const char* user, int64_t when) {
    return put(submission_entry(task, district, user, when, ""));
  }
  Leaderboard board(const std::string& month, int64_t now, AwardConfig award = {}) {
    auto in = load_rule_inputs(*store, ScopeFilter::everything());
    REQUIRE(in.ok());
    return monthly_award(*in, config, award, month, now);
  }
};

const AwardScore& score_of(const Leaderboard& b, const std::string& district) {
  for (const AwardScore& s : b.scores) {
    if (s.district == district) return s;
  }
  FAIL("no score for " << district);
  throw;
}

}  // namespace

TEST_CASE("award: a hand-computed November", "[award]") {
  AwardWorld w;
  const std::vector<std::string> three = {"5202", "5203", "5208"};
  Row t1 = w.task("2026-11-06", three);  // Fridays
  Row t2 = w.task("2026-11-13", three);
  Row t3 = w.task("2026-11-20", three);
  w.task("2026-11-30", three);                // Monday: still ahead on the 26th
  w.task("2026-10-30", three, "2026-10-01");  // October: not in November's award
  // Mae Mo: on time, 2 days late, missing          3 + 1 - 1 = 3 of 9
  w.submit(t1, "5202", "maemo", at("2026-11-05", 10));
  w.submit(t2, "5202", "maemo", at("2026-11-15", 10));
  // Ko Kha: on time, on time (last minute), returned 3 + 3 + 0 = 6 of 9
  w.submit(t1, "5203", "kokha", at("2026-11-06", 16));
  w.submit(t2, "5203", "kokha", at("2026-11-13", 23));
  Row back = w.submit(t3, "5203", "kokha", at("2026-11-19", 9));
  w.put(review_entry(back, false, "province", at("2026-11-20", 9), "ตัวเลขไม่ครบ / incomplete"));
  // Thoen: on time, on time, 5 days late            3 + 3 + 0 = 6 of 9, nothing returned
  w.submit(t1, "5208", "thoen", at("2026-11-02", 9));
  w.submit(t2, "5208", "thoen", at("2026-11-12", 9));
  w.submit(t3, "5208", "thoen", at("2026-11-25", 9));

  Leaderboard b = w.board("2026-11", at("2026-11-26", 12));
  CHECK_FALSE(b.final);
  REQUIRE(b.scores.size() == 4);
  CHECK(b.scores[0].district == "5208");  // ties Ko Kha at 66.7 % and 2 on time; nothing returned
  CHECK(b.scores[1].district == "5203");
  CHECK(b.scores[2].district == "5202");
  CHECK(b.scores[3].district == "5204");  // nothing due: listed apart, after the ranked
  CHECK(b.scores[0].rank == 1);
  CHECK(b.scores[3].rank == 0);
  CHECK_FALSE(b.scores[3].ranked());
  CHECK(b.scores[0].medal == 1);
  CHECK(b.scores[2].medal == 3);
  const AwardScore& maemo = score_of(b, "5202");
  CHECK(maemo.points == 3);
  CHECK(maemo.max_points == 9);
  CHECK(maemo.percent == Approx(100.0 / 3));
  CHECK(maemo.on_time == 1);
  CHECK(maemo.late == 1);
  CHECK(maemo.missing == 1);
  CHECK(maemo.pending == 1);
  REQUIRE(maemo.breakdown.size() == 4);
  CHECK(maemo.breakdown[1].outcome == Outcome::kLate);
  CHECK(maemo.breakdown[1].days_late == 2);
  CHECK(maemo.breakdown[1].points == 1);
  CHECK(maemo.breakdown[1].submitted_by == "maemo");
  CHECK(maemo.breakdown[2].outcome == Outcome::kMissing);
  CHECK(maemo.breakdown[2].points == -1);
  CHECK(maemo.breakdown[3].outcome == Outcome::kPending);
  const AwardScore& thoen = score_of(b, "5208");
  CHECK(thoen.points == 6);
  CHECK(thoen.very_late == 1);
  CHECK(thoen.breakdown[2].days_late == 5);
  CHECK(score_of(b, "5203").returned == 1);
  CHECK(score_of(b, "5204").max_points == 0);

  // After the month: the 30 November deadline passed with nothing submitted.
  Leaderboard final = w.board("2026-11", at("2026-12-02"));
  CHECK(final.final);
  CHECK(score_of(final, "5208").points == 5);
  CHECK(score_of(final, "5208").max_points == 12);

  // Another scheme changes the points, not the outcomes.
  AwardConfig strict;
  strict.late = 0;
  strict.missing = -3;
  CHECK(score_of(w.board("2026-11", at("2026-11-26", 12), strict), "5202").points == 0);
}

TEST_CASE("award: a district that missed its only report never ranks above one with nothing due",
          "[award]") {
  // The December that turned CI red: one task, due 3 Dec, for Mae Mo and Thoen only; Thoen missed
  // it, Mae Mo sent it; Ko Kha and Soem Ngam had nothing due.
  AwardWorld w;
  Row t = w.task("2026-12-03", {"5202", "5208"}, "2026-11-20");
  w.submit(t, "5202", "maemo", at("2026-12-02", 9));
  Leaderboard b = w.board("2026-12", at("2026-12-07", 9));
  REQUIRE(b.scores.size() == 4);
  std::vector<std::string> order;
  for (const AwardScore& s : b.scores) order.push_back(s.district);
  CHECK(order == std::vector<std::string>{"5202", "5208", "5203", "5204"});
  const AwardScore& thoen = score_of(b, "5208");
  CHECK(thoen.rank == 2);
  CHECK(thoen.percent == Approx(-100.0 / 3));
  CHECK(thoen.medal == 0);  // second place, but no medal for a negative score
  CHECK(score_of(b, "5202").medal == 1);
  for (const char* code : {"5203", "5204"}) {
    CHECK(score_of(b, code).rank == 0);
    CHECK(score_of(b, code).medal == 0);
  }
  // A returned report (0 points) at rank 1 earns no medal either, nor a missed one at rank 2.
  AwardWorld z;
  Row u = z.task("2026-12-03", {"5203"}, "2026-11-20");
  z.put(review_entry(z.submit(u, "5203", "kokha", at("2026-12-01", 9)), false, "province",
                     at("2026-12-02", 9), "ไม่ครบ / incomplete"));
  z.task("2026-12-04", {"5208"}, "2026-11-20");
  Leaderboard zb = z.board("2026-12", at("2026-12-07", 9));
  CHECK(score_of(zb, "5203").rank == 1);
  CHECK(score_of(zb, "5203").points == 0);
  CHECK(score_of(zb, "5203").medal == 0);
  CHECK(score_of(zb, "5208").rank == 2);
  CHECK(score_of(zb, "5208").medal == 0);
  const nlohmann::json j = leaderboard_json(zb);
  CHECK(j["scores"][2]["rank"].is_null());
  CHECK(j["scores"][2]["nothing_due"] == true);
  CHECK(leaderboard_text(b, Lang::kEn).find("Ko Kha: no reports due") != std::string::npos);
}

TEST_CASE("award: equal scores break on the earlier mean submission, then the code", "[award]") {
  AwardWorld w;
  Row t = w.task("2026-11-13", {"5202", "5203", "5208"});
  w.submit(t, "5203", "kokha", at("2026-11-13", 15));  // later on the deadline day
  w.submit(t, "5202", "maemo", at("2026-11-10", 9));   // three days early
  w.submit(t, "5208", "thoen", at("2026-11-13", 15));  // same time as Ko Kha
  Leaderboard b = w.board("2026-11", at("2026-11-20"));
  CHECK(b.scores[0].district == "5202");
  CHECK(b.scores[0].mean_days_early == Approx(3.0 + 15.0 / 24));
  CHECK(b.scores[1].district == "5203");  // equal in everything: the lower code
  CHECK(b.scores[2].district == "5208");
  CHECK(b.scores[1].rank == 2);
  CHECK(b.scores[2].rank == 3);
}

TEST_CASE("award: the holiday policy moves a deadline into the next month", "[award]") {
  AwardWorld w;
  Row t = w.task("2026-10-31", {"5202"}, "2026-10-01");  // a Saturday -> Monday 2 November
  w.submit(t, "5202", "maemo", at("2026-11-02", 9));
  CHECK(score_of(w.board("2026-10", at("2026-11-20")), "5202").max_points == 0);
  const AwardScore& nov = score_of(w.board("2026-11", at("2026-11-20")), "5202");
  CHECK(nov.on_time == 1);
  CHECK(nov.breakdown[0].deadline == "2026-11-02");
  // The fiscal year's history runs from October to the current month.
  auto in = load_rule_inputs(*w.store, ScopeFilter::everything());
  auto history = award_history(*in, w.config, AwardConfig{}, 2570, at("2026-12-05"));
  REQUIRE(history.size() == 3);
  CHECK(history[0].month == "2026-10");
  CHECK(history[2].month == "2026-12");
  CHECK(history[0].final);
  CHECK_FALSE(history[2].final);
}

TEST_CASE("award configuration: refusals name the problem", "[award]") {
  CHECK(parse_award_config(nlohmann::json::parse(R"({"on_tme": 3})")).status().message() ==
        "unknown member 'on_tme' in award");
  CHECK(parse_award_config(nlohmann::json::parse(R"({"late": 5})")).status().code() ==
        Code::kInvalidArgument);  // late above on time
  CHECK(parse_award_config(nlohmann::json::parse(R"({"missing": "1"})")).status().code() ==
        Code::kInvalidArgument);
  auto c = parse_award_config(nlohmann::json::parse(R"({"on_time": 5, "late": 2, "missing": -2})"));
  REQUIRE(c.ok());
  CHECK(award_config_json(*c)["on_time"] == 5);
  CHECK(parse_award_config(award_config_json(*c))->missing == -2);
}

TEST_CASE("KPIs: on-time and returned rates, time to acknowledge, attainment, CSV", "[award]") {
  AwardWorld w;
  Row t1 = w.task("2026-11-06", {"5202", "5203"});
  Row t2 = w.put(task_entry({"directive",
                             "ลป 0020/ว 9",
                             "แผนงาน, งบ",
                             "2026-11-01",
                             "2026-11-13",
                             {"5202", "5203"},
                             "strategy"}));
  w.put(Result<RowWrite>(RowWrite{"work_group",
                                  work_group_row_id("strategy"),
                                  kProvinceScope,
                                  {{"key", to_value("strategy")},
                                   {"name_th", to_value("กลุ่มงานยุทธศาสตร์")},
                                   {"name_en", to_value("Strategy, planning")}}}));
  w.submit(t1, "5202", "maemo", at("2026-11-05"));
  Row r = w.submit(t2, "5202", "maemo", at("2026-11-12"));
  w.put(review_entry(r, false, "province", at("2026-11-13"), "แก้ไข"));
  w.submit(t1, "5203", "kokha", at("2026-11-09"));  // late
  w.put(target_entry({kBudgetIndicator, "5202", "", "2570", 1'000'000}));
  w.put_at(at("2026-11-20", 9), budget_entry({"5202", "strategy", 250'000, "2026-11-20", "maemo"}));
  // Two warnings raised for Mae Mo, acknowledged after 10 h and 4 h; one for Ko Kha never.
  std::vector<Row> warnings;
  for (auto [subject, district, raised, acked] :
       {std::tuple{"a", "5202", at("2026-11-17"), at("2026-11-17", 10)},
        std::tuple{"b", "5202", at("2026-11-18"), at("2026-11-18", 4)},
        std::tuple{"c", "5203", at("2026-11-18"), int64_t{0}}}) {
    Warning x;
    x.rule = kRuleTaskDeadline, x.subject = subject, x.district = district, x.raised_at = raised;
    x.id = warning_id(x.rule, x.subject, x.district, Stage::kWarn);
    REQUIRE(w.store->write_local("warning", x.id, district, warning_fields(x), Store::Queue::kNone)
                .ok());
    warnings.push_back(w.row("warning", x.id));
    if (acked)
      w.put(ack_entry(x.id, district, district == std::string("5202") ? "maemo" : "kokha", acked,
                      false, ""));
  }
  auto in = load_rule_inputs(*w.store, ScopeFilter::everything());
  auto kpis = compute_kpis(*in, warnings, w.config, "2026-11-01", "2026-11-30", at("2026-11-26"));
  auto find = [&](const std::string& kind, const std::string& key) -> const Kpi& {
    for (const Kpi& k : kpis) {
      if (k.kind == kind && k.key == key) return k;
    }
    FAIL("no KPI " << kind << " " << key);
    throw;
  };
  const Kpi& maemo = find("district", "5202");
  CHECK(maemo.tasks_due == 2);
  CHECK(maemo.on_time == 1);
  CHECK(maemo.returned == 1);
  CHECK(maemo.on_time_rate == Approx(0.5));
  CHECK(maemo.returned_rate == Approx(0.5));
  CHECK(maemo.acks == 2);
  CHECK(maemo.median_ack_hours == Approx(7.0));
  CHECK(maemo.budget_attainment == Approx(0.25));
  CHECK(maemo.bmn_attainment == -1);  // no BMN target
  const Kpi& kokha = find("district", "5203");
  CHECK(kokha.tasks_due == 2);
  CHECK(kokha.on_time == 0);
  CHECK(kokha.median_ack_hours == -1);
  const Kpi& group = find("work_group", "strategy");
  CHECK(group.name_en == "Strategy, planning");
  CHECK(group.tasks_due == 2);  // t2 for two districts
  const Kpi& person = find("person", "maemo");
  CHECK(person.tasks_due == 2);
  CHECK(person.acks == 2);
  CHECK(find("district", "5204").tasks_due == 0);

  const std::string csv = kpi_csv(kpis);
  CHECK(csv.rfind("\xEF\xBB\xBF"
                  "kind,key,name_th,name_en,",
                  0) == 0);  // BOM first
  CHECK(csv.find("district,5202,แม่เมาะ,Mae Mo,2,1,1,0.500,0.500,2,7.0,0.250,\r\n") !=
        std::string::npos);
  CHECK(csv.find("work_group,strategy,กลุ่มงานยุทธศาสตร์,\"Strategy, planning\",") !=
        std::string::npos);
  CHECK(csv.find("\n") == csv.find("\r\n") + 1);
}
