// The GUI's view model without a window: status colours, urgency order, Buddhist-Era dates, number
// formats, the entry checks and a snapshot read from a real (in-memory) store.
#include <catch2/catch.hpp>

#include "lwc/client/view_model.h"
#include "lwc/entries.h"

using namespace lwc;
using namespace lwc::client;

namespace {
constexpr int64_t kDay = 86'400'000;

lwc::WarningItem item(const std::string& subject, Stage stage, const std::string& due,
                      bool acknowledged = false) {
  lwc::WarningItem i;
  i.warning.rule = kRuleTaskDeadline;
  i.warning.subject = subject;
  i.warning.district = "5202";
  i.warning.stage = stage;
  i.warning.due = due;
  i.warning.id = warning_id(i.warning.rule, subject, "5202", stage);
  i.raised_locally = true;
  i.ack.acknowledged = acknowledged;
  i.acked_by_me = acknowledged;
  return i;
}

void put(Store& s, const Result<RowWrite>& w) {
  REQUIRE(w.ok());
  REQUIRE(s.write_local(w->table, w->id, w->scope, w->fields, Store::Queue::kNone).ok());
}
}  // namespace

TEST_CASE("view model: a status has one colour and an indicator is judged against its curve",
          "[view_model]") {
  CHECK(tile_colour(TileStatus::kGood) == 0x2E7D32);
  CHECK(tile_colour(TileStatus::kBehind) == 0xC62828);
  CHECK(tile_colour(TileStatus::kWatch) != tile_colour(TileStatus::kNoData));
  CHECK(indicator_status(20.0, 18.5, 5) == TileStatus::kGood);
  CHECK(indicator_status(18.5, 18.5, 5) == TileStatus::kGood);
  CHECK(indicator_status(14.0, 18.5, 5) == TileStatus::kWatch);
  CHECK(indicator_status(13.4, 18.5, 5) == TileStatus::kBehind);
  CHECK(indicator_status(std::nullopt, 18.5, 5) == TileStatus::kNoData);
  CHECK(tasks_status(1, 0) == TileStatus::kBehind);
  CHECK(tasks_status(0, 2) == TileStatus::kWatch);
  CHECK(tasks_status(0, 0) == TileStatus::kGood);
  CHECK(warnings_status(std::nullopt) == TileStatus::kGood);
  CHECK(warnings_status(Stage::kFollow) == TileStatus::kWatch);
  CHECK(warnings_status(Stage::kEscalated) == TileStatus::kBehind);
  CHECK(std::string(tr(tile_status_key(TileStatus::kBehind), Lang::kTh)) == "ล่าช้า");
}

TEST_CASE("view model: the cumulative target curve of the fiscal year", "[view_model]") {
  const CurveRule budget = RulesConfig{}.budget;  // 30 % by 31 Dec, … 100 % by 30 Sep
  CHECK(curve_target_pct(budget, {2026, 10, 1}) == Approx(0));
  CHECK(curve_target_pct(budget, {2026, 12, 31}) == Approx(30));
  CHECK(curve_target_pct(budget, {2026, 11, 15}) == Approx(30.0 * 45 / 91));
  CHECK(curve_target_pct(budget, {2027, 9, 30}) == Approx(100));
  CHECK(curve_target_pct(budget, {2027, 3, 31}) == Approx(budget.checkpoints[1].second));
}

TEST_CASE("view model: task stages and urgency order", "[view_model]") {
  const TaskRule rule;  // warn 3 days before, demand 1 day after
  const Date today{2026, 11, 26};
  CHECK_FALSE(task_stage({2026, 12, 1}, today, false, rule).has_value());
  CHECK(task_stage({2026, 11, 29}, today, false, rule) == Stage::kWarn);
  CHECK(task_stage({2026, 11, 26}, today, false, rule) == Stage::kFollow);
  CHECK(task_stage({2026, 11, 25}, today, false, rule) == Stage::kDemand);
  CHECK_FALSE(task_stage({2026, 11, 25}, today, true, rule).has_value());

  std::vector<TaskItem> tasks(5);
  tasks[0] = {"a", "directive", "", "later", "2026-12-10"};
  tasks[1] = {"b", "directive", "", "done", "2026-11-01", true};
  tasks[2] = {"c", "directive", "", "warn", "2026-11-28"};
  tasks[2].stage = Stage::kWarn;
  tasks[3] = {"d", "directive", "", "overdue", "2026-11-20"};
  tasks[3].stage = Stage::kDemand;
  tasks[4] = {"e", "directive", "", "returned", "2026-11-10", true, true};
  tasks[4].stage = Stage::kDemand;
  std::sort(tasks.begin(), tasks.end(), task_more_urgent);
  std::vector<std::string> order;
  for (const TaskItem& t : tasks) order.push_back(t.title);
  // Demand first (earlier deadline first, a returned submission counts as open), then warn, then
  // not yet due, and what is done last.
  CHECK(order == std::vector<std::string>{"returned", "overdue", "warn", "later", "done"});
}

TEST_CASE("view model: Buddhist-Era dates in Thai, Common Era in English, grouped numbers",
          "[view_model]") {
  const int64_t t = thai_midnight_ms({2026, 11, 25}) + (14 * 60 + 5) * 60'000;
  CHECK(format_as_of(t, Lang::kTh) == "ข้อมูล ณ 25 พ.ย. 2569");
  CHECK(format_as_of(t, Lang::kEn) == "as of 25 Nov 2026");
  CHECK(format_as_of(0, Lang::kTh) == "ยังไม่มีข้อมูล");
  CHECK(format_last_sync(t, Lang::kTh) == "25 พ.ย. 2569 14:05");
  CHECK(format_last_sync(0, Lang::kEn) == "never");
  CHECK(format_fiscal({2026, 11, 25}, Lang::kTh) == "ปีงบประมาณ 2570 · สัปดาห์ที่ 9");
  CHECK(format_fiscal({2026, 9, 30}, Lang::kEn) == "FY 2569 · week 53");
  CHECK(format_days_left(3, Lang::kTh) == "อีก 3 วัน");
  CHECK(format_days_left(0, Lang::kEn) == "today");
  CHECK(format_days_left(-4, Lang::kEn) == "4 days late");
  CHECK(format_baht(1234567.4, Lang::kTh) == "1,234,567 บาท");
  CHECK(format_baht(412500, Lang::kEn) == "THB 412,500");
  CHECK(format_pct(18.54) == "18.5%");
  CHECK(format_count(10500) == "10,500");
}

TEST_CASE("view model: entry checks refuse with a reason and confirm a jump", "[view_model]") {
  CHECK(check_budget_form(-1, std::nullopt, 0, Lang::kEn).error == "The amount cannot be negative");
  CHECK(check_budget_form(-1, std::nullopt, 0, Lang::kTh).error == "จำนวนเงินต้องไม่ติดลบ");
  FormCheck ok = check_budget_form(150'000, 100'000.0, 1'000'000, Lang::kEn);
  CHECK(ok.ok());
  CHECK(ok.confirm.empty());
  FormCheck jump = check_budget_form(250'000, 100'000.0, 1'000'000, Lang::kEn);
  CHECK(jump.ok());
  CHECK(jump.confirm.find("more than twice the last figure (100,000.00)") != std::string::npos);
  CHECK_FALSE(check_budget_form(90'000, 100'000.0, 0, Lang::kEn).confirm.empty());  // went down
  CHECK_FALSE(check_budget_form(1'200'000, std::nullopt, 1'000'000, Lang::kEn).confirm.empty());
  CHECK(far_above(201, 100));
  CHECK_FALSE(far_above(200, 100));
  CHECK_FALSE(far_above(5, 0));

  CHECK(check_bmn_form(100, 120, 0, std::nullopt, 0, Lang::kEn).error ==
        "Households entered (120) cannot exceed households collected (100)");
  CHECK(check_bmn_form(100, 90, 95, std::nullopt, 0, Lang::kTh).error ==
        "ปรับปรุงแล้ว (95) ต้องไม่มากกว่าบันทึกแล้ว (90) ครัวเรือน");
  CHECK_FALSE(check_bmn_form(-1, 0, 0, std::nullopt, 0, Lang::kEn).ok());
  CHECK_FALSE(check_bmn_form(5000, 10, 0, 2000, 0, Lang::kEn).confirm.empty());
  CHECK(check_bmn_form(3000, 2000, 1000, 2000, 10000, Lang::kEn).confirm.empty());
}

TEST_CASE("view model: warnings grouped per subject, highest stage, unanswered first",
          "[view_model]") {
  std::vector<lwc::WarningItem> items = {
      item("t1", Stage::kWarn, "2026-11-20"),
      item("t1", Stage::kFollow, "2026-11-20"),
      item("t1", Stage::kDemand, "2026-11-20"),
      item("t2", Stage::kWarn, "2026-11-28"),
      item("t3", Stage::kEscalated, "2026-11-01", true),
  };
  auto inbox = group_by_subject(items);
  REQUIRE(inbox.size() == 3);
  CHECK(inbox[0].top.warning.subject == "t1");
  CHECK(inbox[0].top.warning.stage == Stage::kDemand);
  CHECK(inbox[0].stage_ids.size() == 3);
  CHECK(inbox[0].needs_answer());
  CHECK(inbox[1].top.warning.subject == "t2");
  CHECK(inbox[2].top.warning.subject == "t3");  // acknowledged: after the open ones
  CHECK_FALSE(inbox[2].needs_answer());
  CHECK_FALSE(inbox[2].unanswered());
}

TEST_CASE("view model: a snapshot of the store for a district and for the province",
          "[view_model]") {
  FakeClock clock(thai_midnight_ms({2026, 11, 26}) + 10 * 3'600'000);
  auto opened = Store::open({":memory:"}, clock);
  REQUIRE(opened.ok());
  Store& s = **opened;
  for (const char* code : {"5201", "5202"}) {
    REQUIRE(s.write_local(
                 "district", district_row_id(code), kProvinceScope,
                 {{"code", std::string("\"") + code + "\""},
                  {"name_th", code == std::string("5201") ? "\"เมืองลำปาง\"" : "\"แม่เมาะ\""},
                  {"name_en", code == std::string("5201") ? "\"Mueang Lampang\"" : "\"Mae Mo\""}},
                 Store::Queue::kNone)
                .ok());
    put(s, target_entry({kBudgetIndicator, code, "", "2570", 1'000'000}));
    put(s, target_entry({kBmnIndicator, code, "", "2570", 4000}));
  }
  for (const char* key : {"strategy", "economy"}) {
    REQUIRE(s.write_local("work_group", work_group_row_id(key), kProvinceScope,
                          {{"key", std::string("\"") + key + "\""},
                           {"name_th", "\"กลุ่ม\""},
                           {"name_en", "\"Group\""}},
                          Store::Queue::kNone)
                .ok());
  }
  put(s, budget_entry({"5201", "strategy", 150'000, "2026-11-20", "u"}));
  put(s, budget_entry({"5201", "economy", 50'000, "2026-11-20", "u"}));
  put(s, budget_entry({"5202", "strategy", 20'000, "2026-11-01", "u"}));
  put(s, budget_entry({"5202", "strategy", 60'000, "2026-11-20", "u"}));
  put(s, bmn_entry({"5202", 900, 800, 700, "2026-11-20", "u"}));
  TaskEntry t{"directive", "ลป 1", "Report", "2026-11-01", "2026-11-27", {"5201", "5202"}, ""};
  put(s, task_entry(t));

  const int64_t now = clock.now_ms();
  auto district = load_snapshot(s, {Role::kDistrict, "5202", "maemo"}, now);
  REQUIRE(district.ok());
  CHECK(district->fiscal_year == 2570);
  REQUIRE(district->districts.size() == 1);
  const DistrictFigures& d = district->districts[0];
  CHECK(d.code == "5202");
  CHECK(d.budget_disbursed == 60'000);  // the latest figure, not the sum of both days
  CHECK(*d.budget_pct() == Approx(6.0));
  CHECK(d.budget_as_of == thai_midnight_ms({2026, 11, 20}));
  CHECK(*d.bmn_pct() == Approx(20.0));
  REQUIRE(district->tasks.size() == 1);
  CHECK(district->tasks[0].stage == Stage::kWarn);
  CHECK(district->tasks[0].days_left == 1);
  CHECK(district->review_queue.empty());  // districts do not verify
  auto tiles = district_tiles(*district, d, Lang::kTh);
  REQUIRE(tiles.size() == 4);
  CHECK(tiles[0].status == TileStatus::kBehind);  // 6 % against ~18 %
  CHECK(tiles[0].value == "6.0%");
  CHECK(tiles[0].as_of.find("ข้อมูล ณ 20 พ.ย. 2569") == 0);
  CHECK(tiles[2].status == TileStatus::kWatch);  // due tomorrow

  auto province = load_snapshot(s, {Role::kProvince, "", "province"}, now);
  REQUIRE(province.ok());
  REQUIRE(province->districts.size() == 2);
  CHECK(province->districts[0].code == "5201");
  CHECK(province->districts[0].budget_disbursed == 200'000);  // two work groups
  CHECK(province->districts[0].budget_by_group.at("strategy") == 150'000);
  CHECK(province->tasks.empty());
  // The latest figures wait for verification: two budget groups of 5201, one of 5202, the BMN.
  CHECK(province->review_queue.size() == 4);
}
