#include <catch2/catch.hpp>

#include <algorithm>

#include "lwc/i18n.h"
#include "lwc/summary.h"
#include "rules_world.h"

using namespace lwc;
using namespace lwc::test;

namespace {

std::vector<std::string> stages(const std::vector<Warning>& ws, const std::string& rule) {
  std::vector<Warning> sorted;
  for (const Warning& w : ws) {
    if (w.rule == rule) sorted.push_back(w);
  }
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.stage < b.stage; });
  std::vector<std::string> out;
  for (const Warning& w : sorted) out.push_back(stage_name(w.stage));
  return out;
}

const Warning* find(const std::vector<Warning>& ws, const std::string& rule, Stage stage) {
  for (const Warning& w : ws) {
    if (w.rule == rule && w.stage == stage) return &w;
  }
  return nullptr;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("calendar: ISO weekdays, Monday weeks and fiscal weeks", "[warnings]") {
  CHECK(iso_weekday(*parse_date("2026-11-26")) == 4);  // Thursday
  CHECK(iso_weekday(*parse_date("2026-11-29")) == 7);
  CHECK(format_date(week_monday(*parse_date("2026-11-29"))) == "2026-11-23");
  CHECK(format_date(week_monday(*parse_date("2026-11-23"))) == "2026-11-23");
  CHECK(format_date(fiscal_year_start(2570)) == "2026-10-01");
  // 1 Oct 2026 is a Thursday: its Monday-week is week 1; Monday 5 Oct starts week 2.
  CHECK(fiscal_week(*parse_date("2026-10-01")) == 1);
  CHECK(fiscal_week(*parse_date("2026-10-04")) == 1);
  CHECK(fiscal_week(*parse_date("2026-10-05")) == 2);
  CHECK(fiscal_week(*parse_date("2026-11-26")) == 9);
}

TEST_CASE("calendar: a deadline on a non-working day follows the configured policy", "[warnings]") {
  OfficeCalendar cal;
  cal.holidays = {"2026-12-21"};
  const Date saturday = *parse_date("2026-12-19");
  CHECK_FALSE(cal.is_working_day(saturday));
  CHECK(format_date(cal.effective_deadline(saturday)) == "2026-12-22");  // Sun, holiday Monday
  cal.deadline_policy = HolidayPolicy::kPreviousWorkingDay;
  CHECK(format_date(cal.effective_deadline(saturday)) == "2026-12-18");
  cal.deadline_policy = HolidayPolicy::kKeep;
  CHECK(format_date(cal.effective_deadline(saturday)) == "2026-12-19");
  CHECK(format_date(cal.effective_deadline(*parse_date("2026-12-16"))) == "2026-12-16");
}

TEST_CASE("task rule: warn -> follow -> demand -> escalated with a fake clock", "[warnings]") {
  World w;
  Row task = w.task("2026-12-18");  // a Friday; warn 3 days before = Tuesday 15th
  CHECK(w.eval(at("2026-12-14", 23)).empty());
  CHECK(stages(w.eval(at("2026-12-15")), kRuleTaskDeadline) == V{"warn"});
  CHECK(stages(w.eval(at("2026-12-17", 23)), kRuleTaskDeadline) == V{"warn"});
  CHECK(stages(w.eval(at("2026-12-18", 8)), kRuleTaskDeadline) == V{"warn", "follow"});
  CHECK(stages(w.eval(at("2026-12-19", 1)), kRuleTaskDeadline) == V{"warn", "follow", "demand"});
  // Escalation 48 hours after the demand began (19th 00:00).
  CHECK(stages(w.eval(at("2026-12-20", 23)), kRuleTaskDeadline) == V{"warn", "follow", "demand"});
  auto ws = w.eval(at("2026-12-21", 0));
  CHECK(stages(ws, kRuleTaskDeadline) == V{"warn", "follow", "demand", "escalated"});

  const Warning* demand = find(ws, kRuleTaskDeadline, Stage::kDemand);
  REQUIRE(demand);
  CHECK(demand->district == "5202");
  CHECK(demand->subject == task.id);
  CHECK(demand->due == "2026-12-18");
  CHECK(demand->raised_at == at("2026-12-19"));
  CHECK(demand->id == warning_id(kRuleTaskDeadline, task.id, "5202", Stage::kDemand));
  CHECK(demand->message_th.find("18 ธ.ค. 2569") != std::string::npos);  // BE date in Thai
  CHECK(demand->message_en.find("18 Dec 2026") != std::string::npos);
  const Warning* esc = find(ws, kRuleTaskDeadline, Stage::kEscalated);
  REQUIRE(esc);
  CHECK(esc->raised_at == at("2026-12-21"));
  CHECK(stage_colour(Stage::kWarn) != stage_colour(Stage::kDemand));
}

TEST_CASE("task rule: per-kind configuration moves the stages", "[warnings]") {
  World w;
  w.config.task_rules["directive"] = TaskRule{7, 2, 24};
  w.task("2026-12-18");
  CHECK(stages(w.eval(at("2026-12-11")), kRuleTaskDeadline) == V{"warn"});
  CHECK(stages(w.eval(at("2026-12-19", 12)), kRuleTaskDeadline) == V{"warn", "follow"});
  CHECK(stages(w.eval(at("2026-12-20")), kRuleTaskDeadline) == V{"warn", "follow", "demand"});
  CHECK(stages(w.eval(at("2026-12-21")), kRuleTaskDeadline).size() == 4);
}

TEST_CASE("task rule: acknowledging the demand stops escalation", "[warnings]") {
  World w;
  Row task = w.task("2026-12-18");
  const std::string demand = warning_id(kRuleTaskDeadline, task.id, "5202", Stage::kDemand);
  // Acknowledging an earlier stage does not count for the demand.
  w.put(ack_entry(warning_id(kRuleTaskDeadline, task.id, "5202", Stage::kWarn), "5202", "maemo",
                  at("2026-12-16"), false, ""));
  CHECK(stages(w.eval(at("2026-12-22")), kRuleTaskDeadline).size() == 4);
  w.put(ack_entry(demand, "5202", "maemo", at("2026-12-19", 9), false, ""));
  CHECK(stages(w.eval(at("2026-12-30")), kRuleTaskDeadline) == V{"warn", "follow", "demand"});
}

TEST_CASE("task rule: another district's ack or dispute of a warning neither clears nor pauses it",
          "[warnings]") {
  World w;
  Row task = w.task("2026-12-18");
  const std::string demand = warning_id(kRuleTaskDeadline, task.id, "5202", Stage::kDemand);
  const std::string follow = warning_id(kRuleTaskDeadline, task.id, "5202", Stage::kFollow);
  // Thoen (5203) writes rows in its own scope naming Mae Mo's warnings (ids are predictable).
  w.put(ack_entry(demand, "5203", "thoen", at("2026-12-19", 9), false, ""));
  w.put(ack_entry(follow, "5203", "thoen", at("2026-12-18", 9), true, "not theirs to dispute"));
  CHECK(stages(w.eval(at("2026-12-30")), kRuleTaskDeadline).size() == 4);  // still escalated
  // Mae Mo's own acknowledgement counts.
  w.put(ack_entry(demand, "5202", "maemo", at("2026-12-19", 9), false, ""));
  CHECK(stages(w.eval(at("2026-12-30")), kRuleTaskDeadline) == V{"warn", "follow", "demand"});
}

TEST_CASE("task rule: a dispute pauses escalation until it is resolved", "[warnings]") {
  World w;
  Row task = w.task("2026-12-18");
  const std::string follow = warning_id(kRuleTaskDeadline, task.id, "5202", Stage::kFollow);
  Row dispute = w.put(ack_entry(follow, "5202", "maemo", at("2026-12-18", 9), true,
                                "ส่งแล้วทางสารบรรณ / sent on paper already"));
  CHECK(stages(w.eval(at("2026-12-28")), kRuleTaskDeadline) == V{"warn", "follow", "demand"});
  // Resolved on the 28th at 10:00: escalation runs its full 48 hours again from then.
  w.put(resolve_entry(dispute, "province", at("2026-12-28", 10), "no paper copy received"));
  CHECK(stages(w.eval(at("2026-12-30", 9)), kRuleTaskDeadline).size() == 3);
  auto ws = w.eval(at("2026-12-30", 10));
  CHECK(stages(ws, kRuleTaskDeadline).size() == 4);
  CHECK(find(ws, kRuleTaskDeadline, Stage::kEscalated)->raised_at == at("2026-12-30", 10));
  CHECK(ack_entry(follow, "5202", "maemo", 1, true, "").status().code() == Code::kInvalidArgument);
  CHECK(resolve_entry(dispute, "province", 1, "").status().code() == Code::kInvalidArgument);
}

TEST_CASE("task rule: a submission clears it, one returned for quality raises it again",
          "[warnings]") {
  World w;
  Row task = w.task("2026-12-18", {"5202", "5203"});
  CHECK(w.eval(at("2026-12-19")).size() == 6);  // two districts × warn, follow, demand
  Row sub = w.put(submission_entry(task, "5202", "maemo", at("2026-12-19", 9), "ลป 0020.1/123"));
  auto ws = w.eval(at("2026-12-19", 10));
  CHECK(ws.size() == 3);
  CHECK(std::all_of(ws.begin(), ws.end(), [](auto& x) { return x.district == "5203"; }));
  w.put(review_entry(sub, false, "province", at("2026-12-19", 11),
                     "ขาดเอกสารแนบ / attachment missing"));
  ws = w.eval(at("2026-12-19", 12));
  CHECK(ws.size() == 6);
  const Warning* again = nullptr;
  for (auto& x : ws) {
    if (x.district == "5202" && x.stage == Stage::kDemand) again = &x;
  }
  REQUIRE(again);
  CHECK(again->message_en.find("returned for correction") != std::string::npos);
  // A task issued after the would-be warn day warns from its issue date.
  World late;
  late.task("2026-12-18", {"5202"}, "2026-12-17");
  CHECK(late.eval(at("2026-12-16")).empty());
  CHECK(stages(late.eval(at("2026-12-17")), kRuleTaskDeadline) == V{"warn"});
}

TEST_CASE("budget rule: behind the curve warns, follow and demand need verified data",
          "[warnings]") {
  World w;
  w.put(target_entry({kBudgetIndicator, "5202", "", "2570", 1'000'000}));
  // 26 Nov (week of Mon 23 Nov): expected 30 % × 53/91 days = 17.5 %; 10 % is behind by > 5 points.
  w.put_at(at("2026-11-20", 16),
           budget_entry({"5202", "strategy", 100'000, "2026-11-20", "maemo", "GFMIS"}));
  auto ws = w.eval(at("2026-11-26", 9));
  REQUIRE(stages(ws, kRuleBudgetCurve) == V{"warn"});
  const Warning& warn = *find(ws, kRuleBudgetCurve, Stage::kWarn);
  CHECK(warn.subject == "budget_disbursement/2570/W09");
  CHECK(warn.data_as_of == at("2026-11-20"));
  CHECK(warn.data_source == "GFMIS");
  CHECK_FALSE(warn.unverified);
  CHECK(warn.message_en.find("10.0% is below the cumulative target 17.5% (week 9)") !=
        std::string::npos);
  // 13 % is within the 5-point tolerance: no warning.
  w.put_at(at("2026-11-25", 16),
           budget_entry({"5202", "strategy", 130'000, "2026-11-25", "maemo", "GFMIS"}));
  CHECK(stages(w.eval(at("2026-11-26", 9)), kRuleBudgetCurve).empty());

  // 24 Dec, a week before the Q1 checkpoint (30 % by 31 Dec): follow — but only on verified data.
  Row dec = w.put_at(at("2026-12-20", 16),
                     budget_entry({"5202", "strategy", 150'000, "2026-12-20", "maemo", "GFMIS"}));
  CHECK(stages(w.eval(at("2026-12-24", 9)), kRuleBudgetCurve) == V{"warn"});
  w.put_at(at("2026-12-21", 10), review_entry(dec, true, "province", at("2026-12-21", 10), ""));
  ws = w.eval(at("2026-12-24", 9));
  CHECK(stages(ws, kRuleBudgetCurve) == V{"warn", "follow"});
  CHECK(find(ws, kRuleBudgetCurve, Stage::kFollow)->verified_by == "province");
  CHECK(find(ws, kRuleBudgetCurve, Stage::kFollow)->due == "2026-12-31");

  // After the checkpoint: demand for the missed Q1 target, raised the day after it.
  ws = w.eval(at("2027-01-05", 9));
  const Warning* demand = find(ws, kRuleBudgetCurve, Stage::kDemand);
  REQUIRE(demand);
  CHECK(demand->subject == "budget_disbursement/2570/2026-12-31");
  CHECK(demand->raised_at == at("2027-01-01"));
  CHECK_FALSE(demand->unverified);
  // Editing the figure after the review makes it unverified again: back to the warn stage.
  w.put_at(at("2027-01-04", 15),
           budget_entry({"5202", "strategy", 160'000, "2026-12-20", "maemo", "GFMIS"}));
  ws = w.eval(at("2027-01-05", 9));
  CHECK_FALSE(find(ws, kRuleBudgetCurve, Stage::kDemand));
  CHECK(find(ws, kRuleBudgetCurve, Stage::kWarn));
  CHECK_FALSE(find(w.eval(at("2027-01-11", 14)), kRuleBudgetCurve, Stage::kDemand));
  // …until the figure has waited more than 7 days for verification: the demand is raised and says
  // so.
  ws = w.eval(at("2027-01-11", 16));
  demand = find(ws, kRuleBudgetCurve, Stage::kDemand);
  REQUIRE(demand);
  CHECK(demand->unverified);
  CHECK(demand->message_en.find("data not verified, as of 20 Dec 2026") != std::string::npos);
  CHECK(demand->message_th.find("ยังไม่ได้รับการตรวจสอบ") != std::string::npos);
}

TEST_CASE("budget rule: work groups add up, no figure at all is stale data", "[warnings]") {
  World w;
  w.put(target_entry({kBudgetIndicator, "5203", "", "2570", 1'000'000}));
  // No figure entered: warn (and, past the verification age, follow near the checkpoint).
  auto ws = w.eval(at("2026-12-24", 9));
  CHECK(stages(ws, kRuleBudgetCurve) == V{"warn", "follow"});
  CHECK(find(ws, kRuleBudgetCurve, Stage::kFollow)->unverified);
  CHECK(find(ws, kRuleBudgetCurve, Stage::kWarn)->message_en.find("no figure entered") !=
        std::string::npos);
  // Two work groups: 150k + 130k = 28 % against 26.7 % expected on Monday 21 Dec: on track.
  w.put_at(at("2026-12-20", 9), budget_entry({"5203", "strategy", 150'000, "2026-12-20", "kokha"}));
  w.put_at(at("2026-12-20", 9), budget_entry({"5203", "planning", 130'000, "2026-12-18", "kokha"}));
  CHECK(stages(w.eval(at("2026-12-24", 9)), kRuleBudgetCurve).empty());
  // A draft or a future-dated figure does not count.
  w.put_at(at("2026-12-20", 10), budget_entry({"5203", "admin", 900'000, "2026-12-30", "kokha"}));
  CHECK(w.eval(at("2026-12-24", 9)).empty());
}

TEST_CASE("curves: expected % per fiscal year, also in week 1 whose Monday is in September",
          "[warnings]") {
  const CurveRule budget = RulesConfig{}.budget;
  CHECK(curve_expected_pct(budget, 2570, *parse_date("2026-09-28")) == 0.0);
  CHECK(curve_expected_pct(budget, 2570, *parse_date("2026-12-31")) == Approx(30.0));
  CHECK(curve_expected_pct(budget, 2570, *parse_date("2027-02-14")) ==
        Approx(30.0 + 22.0 * 45 / 90));
  CHECK(curve_expected_pct(budget, 2570, *parse_date("2027-09-30")) == Approx(100.0));
  // Friday 2 Oct 2026 is in week 1 (Monday 28 Sep): nobody is behind yet.
  World w;
  w.put(target_entry({kBudgetIndicator, "5202", "", "2570", 1'000'000}));
  CHECK(w.eval(at("2026-10-02", 9)).empty());
  auto in = load_rule_inputs(*w.store, ScopeFilter::everything());
  IndicatorFigure f = indicator_figure(*in, kBudgetIndicator, "5202", 2570, at("2026-10-02"));
  CHECK(f.target == 1'000'000);
  CHECK_FALSE(f.any);
  CHECK_FALSE(f.verified);
}

TEST_CASE("BMN rule: households entered against the weekly expectation", "[warnings]") {
  World w;
  w.config.bmn = CurveRule{{{"04-30", 100}}, "02-01", 5.0, 2, 72};
  w.put(target_entry({kBmnIndicator, "5208", "", "2570", 4'000}));
  CHECK(w.eval(at("2027-01-20")).empty());  // the survey window has not started
  w.put(bmn_entry({"5208", 1'000, 800, 0, "2027-03-01", "thoen"}));
  // Monday 1 Mar: 28 of 88 days → 31.8 % expected; 800 / 4000 = 20 %.
  auto ws = w.eval(at("2027-03-03"));
  REQUIRE(stages(ws, kRuleBmnCurve) == V{"warn"});
  CHECK(find(ws, kRuleBmnCurve, Stage::kWarn)->message_en.find("20.0%") != std::string::npos);
}

TEST_CASE("silence: needs a reason and an end time, and covers only its rule and subject",
          "[warnings]") {
  World w;
  Row task = w.task("2026-12-18", {"5202", "5203"});
  CHECK(silence_entry({"5202", "", "", at("2026-12-31"), "", "province"}, at("2026-12-10"))
            .status()
            .code() == Code::kInvalidArgument);
  CHECK(silence_entry({"5202", "", "", at("2026-12-01"), "extension", "province"}, at("2026-12-10"))
            .status()
            .code() == Code::kInvalidArgument);
  w.clock.set_ms(at("2026-12-10"));
  w.put(silence_entry({"5202", kRuleTaskDeadline, task.id, at("2026-12-24"),
                       "ขยายเวลาตามหนังสือ ลป 0020/ว 1200 / approved extension", "province"},
                      at("2026-12-10")));
  auto ws = w.eval(at("2026-12-19"));
  REQUIRE(ws.size() == 6);
  for (const Warning& x : ws) CHECK(x.silenced_by.empty() == (x.district == "5203"));
  // After its end time the silence no longer applies.
  ws = w.eval(at("2026-12-24", 1));
  CHECK(std::none_of(ws.begin(), ws.end(), [](auto& x) { return !x.silenced_by.empty(); }));
}

TEST_CASE("rules: one verdict, one id — a district's own view raises the same warnings",
          "[warnings]") {
  World w;
  w.task("2026-12-18", {"5202", "5203"});
  w.put(target_entry({kBudgetIndicator, "5202", "", "2570", 1'000'000}));
  w.put(target_entry({kBudgetIndicator, "5203", "", "2570", 1'000'000}));
  auto all = w.eval(at("2026-12-21"));
  auto mine = w.eval(at("2026-12-21"), ScopeFilter::only({"5202", kProvinceScope}), "5202");
  std::vector<std::string> all_5202, mine_ids;
  for (auto& x : all) {
    if (x.district == "5202") all_5202.push_back(x.id + x.message_th + x.message_en);
  }
  for (auto& x : mine) mine_ids.push_back(x.id + x.message_th + x.message_en);
  CHECK(!mine_ids.empty());
  CHECK(mine_ids == all_5202);
  // Ids differ per stage, subject and district.
  CHECK(warning_id("r", "s", "5202", Stage::kWarn) != warning_id("r", "s", "5202", Stage::kFollow));
  CHECK(warning_id("r", "s", "5202", Stage::kWarn) != warning_id("r", "s", "5203", Stage::kWarn));
  // A warning written as a row reads back the same.
  const Warning& x = mine.front();
  REQUIRE(w.store->write_local("warning", x.id, x.district, warning_fields(x), Store::Queue::kNone)
              .ok());
  auto back = warning_from_row(w.row("warning", x.id));
  REQUIRE(back.ok());
  CHECK(warning_json(*back) == warning_json(x));
}

TEST_CASE("rules: most urgent first", "[warnings]") {
  Warning a, b, c;
  a.stage = Stage::kWarn, a.due = "2026-12-01";
  b.stage = Stage::kDemand, b.due = "2026-12-20";
  c.stage = Stage::kDemand, c.due = "2026-12-10";
  std::vector<Warning> v = {a, b, c};
  std::sort(v.begin(), v.end(), more_urgent);
  CHECK(v[0].due == "2026-12-10");
  CHECK(v[1].due == "2026-12-20");
  CHECK(v[2].stage == Stage::kWarn);
}

TEST_CASE("rules configuration: JSON round trip and typed refusals", "[warnings]") {
  RulesConfig c;
  c.calendar.holidays = {"2026-12-07"};
  c.task_rules["monthly_report"].warn_days_before = 5;
  auto back = parse_rules_config(rules_config_json(c));
  REQUIRE(back.ok());
  CHECK(rules_config_json(*back) == rules_config_json(c));
  CHECK(parse_rules_config(nlohmann::json::parse(R"({"budgett": {}})")).status().message() ==
        "unknown member 'budgett' in rules");
  CHECK(parse_rules_config(nlohmann::json::parse(R"({"calendar": {"holidays": ["2026-13-01"]}})"))
            .status()
            .code() == Code::kInvalidArgument);
  CHECK(parse_rules_config(
            nlohmann::json::parse(R"({"budget": {"checkpoints": {"12-31": 50, "03-31": 40}}})"))
            .status()
            .code() == Code::kInvalidArgument);
  CHECK(parse_rules_config(
            nlohmann::json::parse(R"({"task_rules": {"directive": {"warn_days_before": "3"}}})"))
            .status()
            .code() == Code::kInvalidArgument);
  auto ok = parse_rules_config(nlohmann::json::parse(
      R"({"calendar": {"deadline_policy": "previous_working_day"}, "budget": {"tolerance_pct": 2}})"));
  REQUIRE(ok.ok());
  CHECK(ok->calendar.deadline_policy == HolidayPolicy::kPreviousWorkingDay);
  CHECK(ok->budget.tolerance_pct == 2);
  CHECK(ok->budget.checkpoints.size() == 4);
}

TEST_CASE("client inbox: local verdicts and hub rows are one list, nothing vanishes",
          "[warnings]") {
  World w;  // plays the district client's replica of 5202
  Row task = w.task("2026-12-18", {"5202", "5203"});
  const Principal maemo{Role::kDistrict, "5202", "maemo"};
  // Offline, before the hub said anything: the local rules raise the warning for 5202 only.
  auto items = current_warnings(*w.store, maemo, at("2026-12-16"));
  REQUIRE(items.ok());
  REQUIRE(items->size() == 1);
  CHECK((*items)[0].raised_locally);
  CHECK_FALSE((*items)[0].from_hub);
  CHECK((*items)[0].needs_attention());
  const std::string id = (*items)[0].warning.id;
  // The hub's row for the same verdict arrives: still one item, now from the hub too.
  auto evaluated = w.eval(at("2026-12-16"));
  for (const Warning& x : evaluated) {
    REQUIRE(
        w.store->write_local("warning", x.id, x.district, warning_fields(x), Store::Queue::kNone)
            .ok());
  }
  items = current_warnings(*w.store, maemo, at("2026-12-16"));
  REQUIRE(items->size() == 1);
  CHECK((*items)[0].from_hub);
  CHECK((*items)[0].warning.id == id);
  // Acknowledged here: listed, but no longer needs attention.
  w.put(ack_entry(id, "5202", "maemo", at("2026-12-16", 9), false, ""));
  items = current_warnings(*w.store, maemo, at("2026-12-16", 10));
  CHECK((*items)[0].ack.acknowledged);
  CHECK((*items)[0].acked_by_me);
  CHECK_FALSE((*items)[0].needs_attention());
  // Submitted offline: the local rules clear it; the hub's open row stays listed until synced.
  w.put(submission_entry(task, "5202", "maemo", at("2026-12-16", 11), ""));
  items = current_warnings(*w.store, maemo, at("2026-12-16", 12));
  REQUIRE(items->size() == 1);
  CHECK((*items)[0].from_hub);
  CHECK_FALSE((*items)[0].raised_locally);
  CHECK_FALSE((*items)[0].needs_attention());
  // The province sees both districts.
  items =
      current_warnings(*w.store, Principal{Role::kProvince, "", "province"}, at("2026-12-16", 12));
  CHECK(items->size() == 2);
}

TEST_CASE("rules configuration travels in the setting row", "[warnings]") {
  World w;
  CHECK(rules_config_json(rules_from_store(*w.store)) == rules_config_json(RulesConfig{}));
  RulesConfig c;
  c.task_rules["directive"].warn_days_before = 9;
  RowWrite s = setting_entry("rules", rules_config_json(c).dump());
  REQUIRE(w.store->write_local(s.table, s.id, s.scope, s.fields, Store::Queue::kNone).ok());
  CHECK(rules_from_store(*w.store).task_rule("directive").warn_days_before == 9);
}

TEST_CASE("time override: LWC_NOW-style Thai times parse strictly", "[warnings]") {
  CHECK(*parse_thai_time("2026-12-18") == at("2026-12-18"));
  CHECK(*parse_thai_time("2026-12-18T09:30") == at("2026-12-18", 9) + 30 * 60'000);
  CHECK(parse_thai_time("2026-12-18 09:30").status().code() == Code::kInvalidArgument);
  CHECK(parse_thai_time("2026-12-18T24:00").status().code() == Code::kInvalidArgument);
}

TEST_CASE("summary: submission record, figures against the curve, open warnings", "[summary]") {
  World w;
  w.put_at(at("2026-10-01"),
           Result<RowWrite>(RowWrite{
               "district",
               district_row_id("5202"),
               kProvinceScope,
               {{"code", "\"5202\""}, {"name_th", "\"แม่เมาะ\""}, {"name_en", "\"Mae Mo\""}}}));
  w.put_at(at("2026-10-01"),
           Result<RowWrite>(RowWrite{
               "district",
               district_row_id("5203"),
               kProvinceScope,
               {{"code", "\"5203\""}, {"name_th", "\"เกาะคา\""}, {"name_en", "\"Ko Kha\""}}}));
  Row on_time = w.task("2026-11-06");  // Friday
  Row late = w.task("2026-11-13");
  Row returned = w.task("2026-11-20");
  w.task("2026-11-25");                          // missing
  w.task("2026-12-04");                          // pending
  w.task("2026-09-25", {"5202"}, "2026-09-01");  // previous fiscal year: not counted
  w.put(submission_entry(on_time, "5202", "maemo", at("2026-11-06", 23), ""));
  w.put(submission_entry(late, "5202", "maemo", at("2026-11-14", 1), ""));
  Row sub = w.put(submission_entry(returned, "5202", "maemo", at("2026-11-19"), ""));
  w.put(review_entry(sub, false, "province", at("2026-11-21"), "ขาดเอกสาร"));
  auto in = load_rule_inputs(*w.store, ScopeFilter::everything());
  SubmissionRecord r = submission_record(*in, w.config, "5202", at("2026-11-26", 9));
  CHECK(r.on_time == 1);
  CHECK(r.late == 1);
  CHECK(r.returned == 1);
  CHECK(r.missing == 1);
  CHECK(r.pending == 1);
  CHECK(r.due() == 4);

  w.put(target_entry({kBudgetIndicator, "5202", "", "2570", 1'000'000}));
  w.put_at(at("2026-11-20", 9),
           budget_entry({"5202", "strategy", 100'000, "2026-11-20", "maemo", "GFMIS"}));
  in = load_rule_inputs(*w.store, ScopeFilter::everything());
  const int64_t now = at("2026-11-26", 9);
  auto warnings = evaluate_rules(*in, w.config, now);
  ProvinceStatus p = province_status(*in, w.config, warnings, now);
  REQUIRE(p.districts.size() == 2);
  const DistrictStatus& maemo = p.districts[0];
  CHECK(maemo.code == "5202");
  CHECK(p.week == 9);
  CHECK(p.fiscal_year == 2570);
  CHECK(maemo.budget.pct == Approx(10.0));
  CHECK(maemo.budget_expected_pct == Approx(30.0 * 53 / 91));
  CHECK(maemo.bmn.target == 0);
  // Open: the missing task (warn, follow, demand, escalated), the returned one (same) and the
  // pending one not yet (due 4 Dec: warn from Tue 1 Dec), plus the budget warn; BMN expects
  // 53 of 364 days of its whole-year window = 14.6 %.
  CHECK(maemo.worst_stage == int(Stage::kEscalated));
  // Counted once per subject at its highest stage: the returned task and last year's missing one
  // escalated, this week's missing one (due the 25th) at demand, the budget's week at warn.
  CHECK(maemo.open_by_stage[int(Stage::kEscalated)] == 2);
  CHECK(maemo.open_by_stage[int(Stage::kDemand)] == 1);
  CHECK(maemo.open_by_stage[int(Stage::kWarn)] == 1);
  CHECK(maemo.open_warnings() == 4);
  CHECK(p.districts[1].open_warnings() == 0);

  const std::string th = weekly_summary_text(p, warnings, "province", Lang::kTh);
  CHECK(th.find("สัปดาห์ที่ 9 ปีงบประมาณ 2570") != std::string::npos);
  CHECK(th.find("แม่เมาะ: เบิกจ่าย 10.0% (เป้า 17.5%)") != std::string::npos);
  CHECK(th.find("เกาะคา") != std::string::npos);
  const std::string en = weekly_summary_text(p, warnings, "5202", Lang::kEn);
  CHECK(en.find("week 9 of fiscal year 2027") != std::string::npos);
  CHECK(en.find("Mae Mo: budget 10.0% (curve 17.5%) · BMN — (curve 14.6%) · on time 1, late 1, "
                "missing 1, returned 1") != std::string::npos);
  CHECK(en.find("Ko Kha") == std::string::npos);
  CHECK(en.find("• [Escalated]") != std::string::npos);
}
