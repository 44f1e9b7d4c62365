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

TEST_CASE("view model: this week's expected % is the rules' curve at the week's Monday",
          "[view_model]") {
  const CurveRule budget = RulesConfig{}.budget;  // 30 % by 31 Dec, … 100 % by 30 Sep
  // Thursday 26 Nov 2026: the week began on Monday 23 Nov.
  CHECK(expected_pct_this_week(budget, {2026, 11, 26}) ==
        Approx(curve_expected_pct(budget, 2570, {2026, 11, 23})));
  CHECK(expected_pct_this_week(budget, {2026, 11, 23}) ==
        Approx(curve_expected_pct(budget, 2570, {2026, 11, 23})));
  CHECK(expected_pct_this_week(budget, {2026, 11, 26}) < curve_expected_pct(budget, 2570, {2026, 11, 26}));
  // Friday 1 Jan 2027 still judges the week of Monday 28 Dec: short of the 31 Dec checkpoint.
  CHECK(expected_pct_this_week(budget, {2027, 1, 1}) == Approx(30.0 * 88 / 91));
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
  REQUIRE(tiles.size() == 5);  // budget, BMN, tasks, this month's award, warnings
  CHECK(tiles[3].status == TileStatus::kNoData);  // the month's only deadline is still ahead
  CHECK(tiles[3].value == "ไม่มีรายงานครบกำหนด");  // not ranked: no reports due, not "no data"
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
  // The province's KPI export is ready (fiscal year to date); a district has none to export.
  CHECK(province->kpi_from == "2026-10-01");
  CHECK(province->kpi_csv.rfind("\xEF\xBB\xBF" "kind,key,", 0) == 0);
  CHECK(province->kpi_csv.find("\r\ndistrict,5202,") != std::string::npos);
  CHECK(district->kpi_csv.empty());
}

namespace {
// Two districts, three tasks: one due and answered in every way, one ahead, one of last year.
struct ReportsFixture {
  FakeClock clock{thai_midnight_ms({2026, 11, 26}) + 10 * 3'600'000};  // Thursday 26 Nov 2026
  std::unique_ptr<Store> store;
  std::string old_task, due_task, ahead_task, last_year_task;
  ReportsFixture() {
    auto opened = Store::open({":memory:"}, clock);
    REQUIRE(opened.ok());
    store = std::move(opened).value();
    for (const char* code : {"5201", "5202", "5203", "5204"}) {
      REQUIRE(store->write_local("district", district_row_id(code), kProvinceScope,
                                 {{"code", std::string("\"") + code + "\""},
                                  {"name_th", "\"อำเภอ\""},
                                  {"name_en", "\"District\""}},
                                 Store::Queue::kNone)
                  .ok());
    }
    old_task = add({"directive", "ลป 1", "Old", "2026-11-01", "2026-11-20",
                    {"5201", "5202", "5203", "5204"}, ""});
    due_task = add({"monthly_report", "", "Monthly", "2026-11-01", "2026-11-25", {"5201", "5202"}, ""});
    ahead_task = add({"directive", "ลป 2", "Ahead", "2026-11-01", "2026-12-10", {"5201"}, ""});
    last_year_task = add({"directive", "ลป 0", "Last FY", "2026-09-01", "2026-09-15", {"5201"}, ""});
    const int64_t h = 3'600'000;
    submit(old_task, "5201", thai_midnight_ms({2026, 11, 20}) + 23 * h);  // on time (same day)
    submit(old_task, "5202", thai_midnight_ms({2026, 11, 21}) + 1 * h);   // late
    submit(old_task, "5203", thai_midnight_ms({2026, 11, 19}));           // returned below
    // 5204: missing.
    auto row = store->get_row("submission", submission_row_id(old_task, "5203"));
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    put(*store, review_entry(**row, false, "province", clock.now_ms(), "incomplete"));
    submit(due_task, "5202", thai_midnight_ms({2026, 11, 24}));  // on time
  }
  std::string add(const TaskEntry& e) {
    auto w = task_entry(e);
    REQUIRE(w.ok());
    put(*store, w);
    return w->id;
  }
  void submit(const std::string& task, const std::string& district, int64_t at) {
    auto row = store->get_row("task", task);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    put(*store, submission_entry(**row, district, "u", at, "doc"));
  }
};
}  // namespace

TEST_CASE("view model: the submission matrix counts as the weekly summary does", "[view_model]") {
  ReportsFixture f;
  const int64_t now = f.clock.now_ms();
  auto in = load_rule_inputs(*f.store, ScopeFilter::everything());
  REQUIRE(in.ok());
  const RulesConfig rules;
  const std::vector<std::string> codes = {"5201", "5202", "5203", "5204"};
  SubmissionMatrix m = submission_matrix(*in, rules, codes, now);
  // This fiscal year's tasks by deadline: Old (20 Nov), Monthly (25 Nov), Ahead (10 Dec).
  REQUIRE(m.columns.size() == 3);
  CHECK(m.columns[0].task_id == f.old_task);
  CHECK(m.columns[1].task_id == f.due_task);
  CHECK(m.columns[2].task_id == f.ahead_task);
  using C = ReportCell;
  CHECK(m.cells["5201"] == std::vector<C>{C::kOnTime, C::kMissing, C::kPending});
  CHECK(m.cells["5202"] == std::vector<C>{C::kLate, C::kOnTime, C::kNotAssigned});
  CHECK(m.cells["5203"] == std::vector<C>{C::kReturned, C::kNotAssigned, C::kNotAssigned});
  CHECK(m.cells["5204"] == std::vector<C>{C::kMissing, C::kNotAssigned, C::kNotAssigned});
  // Every row counts exactly as summary.h submission_record (the hub's weekly summary).
  for (const std::string& code : codes) {
    INFO(code);
    const SubmissionRecord a = count_row(m.cells[code]);
    const SubmissionRecord b = submission_record(*in, rules, code, now);
    CHECK(a.on_time == b.on_time);
    CHECK(a.late == b.late);
    CHECK(a.missing == b.missing);
    CHECK(a.returned == b.returned);
    CHECK(a.pending == b.pending);
  }
  CHECK(report_cell_colour(C::kOnTime) == tile_colour(TileStatus::kGood));
  CHECK(report_cell_colour(C::kMissing) == tile_colour(TileStatus::kBehind));
  CHECK(report_cell_colour(C::kReturned) != report_cell_colour(C::kLate));
  CHECK(std::string(tr(report_cell_key(C::kReturned), Lang::kTh)) == "ส่งคืนแก้ไข");
  CHECK(std::string(tr(report_cell_key(C::kLate), Lang::kEn)) == "Late");

  // The snapshot's figures come from the same computations: province_status.
  auto snap = load_snapshot(*f.store, {Role::kProvince, "", "province"}, now);
  REQUIRE(snap.ok());
  REQUIRE(snap->districts.size() == 4);
  const DistrictFigures& d = snap->districts[0];
  CHECK(d.tasks_on_time == 1);
  CHECK(d.tasks_missing == 1);
  CHECK(d.tasks_total == 3);  // the last fiscal year's task is not counted
  CHECK(snap->reports.columns.size() == 3);
  auto district = load_snapshot(*f.store, {Role::kDistrict, "5203", "u"}, now);
  REQUIRE(district.ok());
  CHECK(district->reports.cells.size() == 1);
  CHECK(district->districts[0].tasks_returned == 1);
}

TEST_CASE("view model: the snapshot's figures are the shared indicator figures", "[view_model]") {
  FakeClock clock(thai_midnight_ms({2026, 11, 26}) + 10 * 3'600'000);
  auto opened = Store::open({":memory:"}, clock);
  REQUIRE(opened.ok());
  Store& s = **opened;
  REQUIRE(s.write_local("district", district_row_id("5202"), kProvinceScope,
                        {{"code", "\"5202\""}, {"name_th", "\"แม่เมาะ\""}, {"name_en", "\"Mae Mo\""}},
                        Store::Queue::kNone)
              .ok());
  put(s, target_entry({kBudgetIndicator, "5202", "", "2570", 1'000'000}));
  put(s, budget_entry({"5202", "strategy", 100'000, "2026-11-18", "u"}));
  put(s, budget_entry({"5202", "economy", 50'000, "2026-11-20", "u"}));
  const int64_t now = clock.now_ms();
  auto snap = load_snapshot(s, {Role::kProvince, "", "province"}, now);
  REQUIRE(snap.ok());
  auto in = load_rule_inputs(s, ScopeFilter::everything());
  REQUIRE(in.ok());
  const IndicatorFigure f = indicator_figure(*in, kBudgetIndicator, "5202", 2570, now);
  const DistrictFigures& d = snap->districts[0];
  CHECK(d.budget_disbursed == f.value);
  CHECK(d.budget_allocation == f.target);
  CHECK(*d.budget_pct() == Approx(f.pct));
  CHECK(d.budget_as_of == f.as_of);  // the oldest contributing figure: 18 Nov
  CHECK(d.budget_as_of == thai_midnight_ms({2026, 11, 18}));
  CHECK_FALSE(d.budget_verified);
  const ProvinceStatus p = province_status(*in, snap->rules, {}, now);
  CHECK(snap->budget_expected_pct == Approx(p.districts[0].budget_expected_pct));
  CHECK(snap->bmn_expected_pct == Approx(p.districts[0].bmn_expected_pct));
}

TEST_CASE("view model: pending entries are counted per row, refused changes beside the value now",
          "[view_model]") {
  FakeClock clock(thai_midnight_ms({2026, 11, 26}) + 10 * 3'600'000);
  auto opened = Store::open({":memory:"}, clock);
  REQUIRE(opened.ok());
  Store& s = **opened;
  auto bmn = bmn_entry({"5202", 900, 800, 700, "2026-11-20", "u"});
  REQUIRE(bmn.ok());
  REQUIRE(s.write_local(bmn->table, bmn->id, bmn->scope, bmn->fields).ok());  // to the outbox
  auto budget = budget_entry({"5202", "strategy", 100'000, "2026-11-20", "u"});
  REQUIRE(budget.ok());
  REQUIRE(s.write_local(budget->table, budget->id, budget->scope, budget->fields).ok());
  auto snap = load_snapshot(s, {Role::kDistrict, "5202", "maemo"}, clock.now_ms());
  REQUIRE(snap.ok());
  CHECK(snap->pending_rows == 2);  // two entries, many field changes
  CHECK(*s.outbox_size() > 2);

  // The hub refuses the first change: it moves to `rejected` and shows with the value held now.
  auto outbox = s.outbox(1);
  REQUIRE(outbox.ok());
  REQUIRE(s.reject_outbox(outbox->front().counter,
                          Status(Code::kPermissionDenied, "outside your district"))
              .ok());
  snap = load_snapshot(s, {Role::kDistrict, "5202", "maemo"}, clock.now_ms());
  REQUIRE(snap.ok());
  REQUIRE(snap->rejected.size() == 1);
  const RejectedItem& r = snap->rejected[0];
  CHECK(r.code == "permission_denied");
  CHECK(r.message == "outside your district");
  CHECK(r.value == outbox->front().change.version.value);
  CHECK(r.current == r.value);  // this replica still holds what it wrote
}

TEST_CASE("view model: the hub's conflicts and fleet lists, parsed and formatted", "[view_model]") {
  const int64_t t = thai_midnight_ms({2026, 11, 26}) + 10 * 3'600'000;
  const std::string conflicts = R"({"conflicts":[
    {"id":1,"table":"measurement","row_id":"aa","scope":"5202","field":"value",
     "winner":{"value":412500,"hlc":)" + std::to_string(Hlc::from_parts(t, 1).packed) +
                                R"(,"device":"d1"},
     "loser":{"value":400000,"hlc":)" + std::to_string(Hlc::from_parts(t - 60'000, 0).packed) +
                                R"(,"device":"d2"},"detected_ms":100},
    {"id":2,"table":"task","row_id":"bb","scope":"province","field":"title",
     "winner":{"value":"A","hlc":1,"device":"d1"},"loser":{"value":"B","hlc":1,"device":"d3"},
     "detected_ms":200}]})";
  auto c = parse_conflicts(conflicts);
  REQUIRE(c.ok());
  REQUIRE(c->size() == 2);
  CHECK((*c)[0].id == 2);  // newest first
  const ConflictItem& m = (*c)[1];
  CHECK(m.winner_value == "412500");
  CHECK(m.loser_value == "400000");
  CHECK(m.winner_ms == t);
  CHECK(m.loser_ms == t - 60'000);
  CHECK(m.loser_device == "d2");
  CHECK_FALSE(parse_conflicts("[]").ok());
  CHECK_FALSE(parse_conflicts("not json").ok());

  const std::string fleet = R"({"devices":[
    {"device_id":"p1","user":"province","role":"province","district":"","last_seen_ms":5},
    {"device_id":"m1","user":"maemo","role":"district","district":"5202","name":"Mae Mo PC",
     "client_version":"0.1.0","last_seen_ms":)" + std::to_string(t - 2 * 3'600'000) +
                            R"(,"last_counter":42,"pending":3,"pending_at_ms":7,"revoked":false},
    {"device_id":"k1","user":"mueang","role":"district","district":"5201","revoked":true}],
    "hub_time_ms":1})";
  auto f = parse_fleet(fleet);
  REQUIRE(f.ok());
  REQUIRE(f->size() == 3);
  CHECK((*f)[0].district == "5201");  // district offices first, by code
  CHECK((*f)[0].revoked);
  CHECK((*f)[0].pending == -1);       // never reported
  CHECK((*f)[1].user == "maemo");
  CHECK((*f)[1].last_counter == 42);
  CHECK((*f)[1].pending == 3);
  CHECK((*f)[2].user == "province");
  CHECK_FALSE(parse_fleet("{}").ok());

  CHECK(contact_status(0, t) == TileStatus::kNoData);
  CHECK(contact_status(t - 2 * 3'600'000, t) == TileStatus::kGood);
  CHECK(contact_status(t - 2 * 86'400'000, t) == TileStatus::kWatch);
  CHECK(contact_status(t - 5 * 86'400'000, t) == TileStatus::kBehind);
  CHECK(format_ago(t - 2 * 3'600'000, t, Lang::kTh) == "2 ชั่วโมงที่แล้ว");
  CHECK(format_ago(t - 5 * 60'000, t, Lang::kEn) == "5 min ago");
  CHECK(format_ago(t - 3 * 86'400'000, t, Lang::kEn) == "3 days ago");
  CHECK(format_ago(0, t, Lang::kEn) == "never");

  CHECK(format_value("value", "412500.5", Lang::kEn) == "412,500.50");
  CHECK(format_value("value", "412500", Lang::kEn) == "412,500");
  CHECK(format_value("title", "\"รายงาน\"", Lang::kTh) == "รายงาน");
  CHECK(format_value("districts", R"(["5201","5202"])", Lang::kTh) == "5201, 5202");
  CHECK(format_value("as_of", std::to_string(thai_midnight_ms({2026, 11, 20})), Lang::kTh)
            .find("2569") != std::string::npos);
  CHECK(format_value("value", "null", Lang::kTh) == "—");
}

TEST_CASE("view model: the task and target forms explain a refusal", "[view_model]") {
  const Date today{2026, 11, 26};
  TaskEntry e{"directive", "ลป 0020/ว 1300", "รายงาน", "2026-11-26", "2026-12-05", {"5202"}, ""};
  CHECK(check_task_form(e, today, Lang::kTh).ok());
  CHECK(check_task_form(e, today, Lang::kTh).confirm.empty());
  TaskEntry no_title = e;
  no_title.title = "  ";
  CHECK(check_task_form(no_title, today, Lang::kEn).error == "Enter a title");
  TaskEntry no_letter = e;
  no_letter.letter_no = "";
  CHECK_FALSE(check_task_form(no_letter, today, Lang::kEn).ok());
  no_letter.kind = "monthly_report";  // a monthly report has no letter number
  CHECK(check_task_form(no_letter, today, Lang::kEn).ok());
  TaskEntry bad_date = e;
  bad_date.due = "2026-13-40";
  CHECK(check_task_form(bad_date, today, Lang::kEn).error.find("2026-13-40") != std::string::npos);
  TaskEntry before = e;
  before.due = "2026-11-20";
  CHECK(check_task_form(before, today, Lang::kEn).error ==
        "The due date is before the issue date");
  TaskEntry nobody = e;
  nobody.districts.clear();
  CHECK(check_task_form(nobody, today, Lang::kTh).error == "เลือกอย่างน้อยหนึ่งอำเภอ");
  TaskEntry past = e;
  past.issued = "2026-11-01";
  past.due = "2026-11-20";
  const FormCheck p = check_task_form(past, today, Lang::kTh);
  CHECK(p.ok());
  CHECK(p.confirm.find("20 พ.ย. 2569") != std::string::npos);

  CHECK_FALSE(check_target_form(0, std::nullopt, Lang::kEn).ok());
  CHECK_FALSE(check_target_form(-5, 100.0, Lang::kEn).ok());
  CHECK(check_target_form(1'500'000, 1'200'000.0, Lang::kEn).confirm.empty());
  CHECK_FALSE(check_target_form(15'000'000, 1'200'000.0, Lang::kEn).confirm.empty());
  CHECK(check_target_form(15'000'000, std::nullopt, Lang::kEn).confirm.empty());
}

TEST_CASE("view model: the award tile is coloured by the month's score", "[view_model]") {
  AwardScore a;
  CHECK(award_status(a) == TileStatus::kNoData);  // nothing due yet
  a.max_points = 9;
  a.percent = 100.0 * 8 / 9;
  CHECK(award_status(a) == TileStatus::kGood);
  a.percent = 55;
  CHECK(award_status(a) == TileStatus::kWatch);
  a.percent = -10;  // missing reports cost points
  CHECK(award_status(a) == TileStatus::kBehind);
}
