#include "lwc/hub/demo.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>
#include <fstream>
#include <map>

#include "lwc/calendar.h"
#include "lwc/entries.h"
#include "lwc/id.h"
#include "lwc/model.h"
#include "lwc/warnings.h"

namespace lwc::hub {

namespace {
using nlohmann::json;
using FW = Store::FieldWrite;

FW field(const char* name, const json& value) {
  return FW{name, to_value(value)};
}

Status put(Store& store, const std::string& table, const std::string& scope, std::vector<FW> fields,
           std::string id = "") {
  if (id.empty()) id = new_id();
  auto r = store.write_local(table, id, scope, fields, Store::Queue::kNone);
  return r.ok() ? Status{} : r.status();
}

Result<json> read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status(Code::kNotFound, "cannot read " + path);
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) return Status(Code::kMalformed, path + " is not valid JSON");
  return j;
}

}  // namespace

Status seed_reference(Store& store, const std::string& assets_dir) {
  auto districts_doc = read_json(assets_dir + "/districts.json");
  if (!districts_doc.ok()) return districts_doc.status();
  auto districts = parse_districts(*districts_doc);
  if (!districts.ok()) return districts.status();
  for (const District& d : *districts) {
    LWC_RETURN_IF_ERROR(
        put(store, "district", kProvinceScope,
            {field("code", d.code), field("name_th", d.name_th), field("name_en", d.name_en)},
            district_row_id(d.code)));
  }
  auto groups_doc = read_json(assets_dir + "/work_groups.json");
  if (!groups_doc.ok()) return groups_doc.status();
  auto groups = parse_work_groups(*groups_doc);
  if (!groups.ok()) return groups.status();
  for (const WorkGroup& g : *groups) {
    LWC_RETURN_IF_ERROR(
        put(store, "work_group", kProvinceScope,
            {field("key", g.key), field("name_th", g.name_th), field("name_en", g.name_en)},
            work_group_row_id(g.key)));
  }
  LWC_RETURN_IF_ERROR(put(store, "indicator", kProvinceScope,
                          {field("key", "budget_disbursement"), field("kind", "budget"),
                           field("name_th", "การเบิกจ่ายงบประมาณ"),
                           field("name_en", "Budget disbursement"), field("unit", "THB")},
                          indicator_row_id(kBudgetIndicator)));
  LWC_RETURN_IF_ERROR(put(store, "indicator", kProvinceScope,
                          {field("key", "bmn_progress"), field("kind", "bmn"),
                           field("name_th", "ความก้าวหน้าการจัดเก็บข้อมูล จปฐ."),
                           field("name_en", "BMN survey progress"), field("unit", "households")},
                          indicator_row_id(kBmnIndicator)));
  return {};
}

const std::vector<DemoAccount>& demo_accounts() {
  static const std::vector<DemoAccount> accounts = {
      {"admin", Role::kAdmin, "", "lwc-admin-2570"},
      {"province", Role::kProvince, "", "lwc-province-2570"},
      {"executive", Role::kExecutive, "", "lwc-executive-2570"},
      {"mueang", Role::kDistrict, "5201", "lwc-5201-2570"},
      {"maemo", Role::kDistrict, "5202", "lwc-5202-2570"},
      {"kokha", Role::kDistrict, "5203", "lwc-5203-2570"},
      {"thoen", Role::kDistrict, "5208", "lwc-5208-2570"},
  };
  return accounts;
}

namespace {

constexpr int64_t kDemoDay = 86'400'000;

std::string district_code(int n) {
  return "52" + std::string(n < 10 ? "0" : "") + std::to_string(n);
}

std::vector<std::string> all_districts() {
  std::vector<std::string> all;
  for (int n = 1; n <= 13; ++n) all.push_back(district_code(n));
  return all;
}

Date add_days(const Date& d, int64_t n) {
  return civil_from_days(days_from_civil(d) + n);
}

// The working day `step` (+1 or -1) away from d, skipping weekends and holidays; d itself excluded.
Date next_working_day(const OfficeCalendar& cal, Date d, int step) {
  for (int i = 0; i < 60; ++i) {
    d = add_days(d, step);
    if (cal.is_working_day(d)) break;
  }
  return d;
}

// The demo account of a district, or the demo's stand-in user name.
std::string district_user(const std::string& code) {
  for (const DemoAccount& a : demo_accounts()) {
    if (a.district == code) return a.user;
  }
  return "demo-" + code;
}

Status put_write(Store& store, Result<RowWrite> w) {
  if (!w.ok()) return w.status();
  return put(store, w->table, w->scope, w->fields, w->id);
}

Result<Row> read_row(Store& store, const std::string& table, const std::string& id) {
  auto r = store.get_row(table, id);
  if (!r.ok()) return r.status();
  if (!r->has_value()) return Status(Code::kNotFound, table + " " + id);
  return **r;
}

}  // namespace

Status seed_demo(Store& store, Accounts& accounts, const RulesConfig& rules, int64_t now_ms) {
  for (const DemoAccount& a : demo_accounts()) {
    LWC_RETURN_IF_ERROR(accounts.add_user(a.user, a.role, a.district, "", a.password));
  }
  return seed_demo_data(store, rules, now_ms);
}

Status seed_demo_data(Store& store, const RulesConfig& rules, int64_t now_ms) {
  // The fiscal year of today: per district a budget allocation and a BMN household target, and
  // figures as of a few days ago spread around the target curves of this week (some districts
  // ahead, some within the tolerance, some behind) — the same picture in October as in July.
  const Date today = thai_date(now_ms);
  const int fy = fiscal_year_be(today);
  const Date fy_start = fiscal_year_start(fy);
  const std::string period = std::to_string(fy);
  const Date monday = week_monday(today);
  const double budget_expected = curve_expected_pct(rules.budget, fy, monday);
  const std::string budget_as_of = format_date(std::max(add_days(today, -5), fy_start));
  for (int n = 1; n <= 13; ++n) {
    const std::string code = district_code(n);
    const double allocation = 1'200'000.0 + 150'000.0 * ((n * 7) % 11);
    const int households = 4000 + 650 * ((n * 5) % 13);
    LWC_RETURN_IF_ERROR(
        put_write(store, target_entry({kBudgetIndicator, code, "", period, allocation})));
    LWC_RETURN_IF_ERROR(
        put_write(store, target_entry({kBmnIndicator, code, "", period, double(households)})));
    const int k = (n * 3) % 9;              // 0..8
    const double factor = 0.45 + 0.11 * k;  // 45 % .. 133 % of this week's curve
    const double pct = std::min(100.0, budget_expected * factor + 0.3 * k);
    BudgetEntry budget{code,         "strategy", std::floor(allocation * pct / 100),
                       budget_as_of, "demo",     "GFMIS (demo import)"};
    LWC_RETURN_IF_ERROR(put_write(store, budget_entry(budget)));
  }

  // Open tasks around today, placed on working days so that every stage shows on a working day:
  // warn (due on the next working day), follow (due today), demand (due on the previous working
  // day; four districts have not sent it), and one well ahead.
  struct DemoTask {
    const char* kind;
    std::string letter_no, title;
    Date issued, due;
    std::vector<std::string> districts;
  };
  const int quarter = (today.month + 2) % 12 / 3 + 1;  // fiscal quarter: Oct–Dec is 1
  const int next_quarter = quarter % 4 + 1;
  const std::vector<DemoTask> tasks = {
      {"monthly_report", "", "รายงานผลการดำเนินงานประจำเดือน / Monthly performance report",
       add_days(today, -20), next_working_day(rules.calendar, today, +1), all_districts()},
      {"directive", "ลป 0020/ว 1187", "รายงานข้อมูลกองทุนหมู่บ้าน / Village fund data report",
       add_days(today, -10), today, all_districts()},
      {"directive",
       "ลป 0020/ว 1152",
       "สรุปผลการจัดเก็บข้อมูล จปฐ. / BMN collection summary",
       add_days(today, -21),
       next_working_day(rules.calendar, today, -1),
       {"5202", "5205", "5208", "5211"}},
      {"directive", "ลป 0020/ว 1201",
       "แผนการเบิกจ่ายไตรมาส " + std::to_string(next_quarter) + " / Q" +
           std::to_string(next_quarter) + " disbursement plan",
       add_days(today, -2), add_days(today, 10), all_districts()},
  };
  for (const DemoTask& t : tasks) {
    LWC_RETURN_IF_ERROR(put(
        store, "task", kProvinceScope,
        {field("kind", t.kind), field("letter_no", t.letter_no), field("title", t.title),
         field("issued", format_date(t.issued)), field("due", format_date(t.due)),
         field("districts", t.districts), field("work_group_id", work_group_row_id("strategy"))}));
  }
  LWC_RETURN_IF_ERROR(seed_demo_history(store, rules, now_ms));
  return acknowledge_overdue_demands(store, rules, now_ms);
}

Status seed_demo_history(Store& store, const RulesConfig& rules, int64_t now_ms) {
  const Date today = thai_date(now_ms);
  const Date month_start{today.year, today.month, 1};
  const OfficeCalendar& calendar = rules.calendar;
  // Two past reports with a record to score (most on time, some late, one returned, some missing):
  // one due last month (its award is final), one due a few days ago, in this month unless the
  // month is only days old.
  struct Past {
    const char* letter_no;
    const char* title;
    Date due;
  };
  const Past past[] = {
      {"ลป 0020/ว 1050", "รายงานผลการดำเนินงานประจำเดือนที่แล้ว / Last month's performance report",
       next_working_day(calendar, add_days(month_start, -11), -1)},
      {"ลป 0020/ว 1101", "รายงานความก้าวหน้าโครงการ / Project progress report",
       next_working_day(calendar, add_days(today, -2), -1)},
  };
  for (int t = 0; t < 2; ++t) {
    TaskEntry e{"directive",
                past[t].letter_no,
                past[t].title,
                format_date(add_days(past[t].due, -14)),
                format_date(past[t].due),
                all_districts(),
                "strategy"};
    auto task_write = task_entry(e);
    if (!task_write.ok()) return task_write.status();
    LWC_RETURN_IF_ERROR(
        put(store, task_write->table, task_write->scope, task_write->fields, task_write->id));
    auto task = read_row(store, "task", task_write->id);
    if (!task.ok()) return task.status();
    const int64_t due_end = thai_midnight_ms(add_days(past[t].due, 1));
    for (int n = 1; n <= 13; ++n) {
      const std::string code = district_code(n);
      const int pattern = (n * 7 + t * 3) % 10;  // 0..9: mostly on time
      if (pattern == 9) continue;                // missing
      // On time: hours to days before the end of the deadline day; late: 2 or 3 days after it.
      const int64_t when = pattern >= 7 ? due_end + (pattern - 5) * kDemoDay - 15 * 3'600'000
                                        : due_end - (pattern + 1) * kDemoDay / 2;
      if (when >= now_ms) continue;  // a late report not sent yet: missing so far
      auto sub = submission_entry(*task, code, "demo-" + code, when,
                                  "ลป 0020." + std::to_string(n) + "/" + std::to_string(100 + t));
      LWC_RETURN_IF_ERROR(put_write(store, sub));
      if (pattern == 4) {  // returned for quality
        auto row = read_row(store, "submission", sub->id);
        if (!row.ok()) return row.status();
        LWC_RETURN_IF_ERROR(put_write(
            store, review_entry(*row, false, "province", std::min(when + kDemoDay, now_ms),
                                "เอกสารแนบไม่ครบ / attachment missing")));
      }
    }
  }
  // BMN progress for most districts around this week's expectation, and the province's
  // verification of some budget figures.
  const int fy = fiscal_year_be(today);
  const Date fy_start = fiscal_year_start(fy);
  const double bmn_expected = curve_expected_pct(rules.bmn, fy, week_monday(today));
  for (int n = 1; n <= 13; ++n) {
    const std::string code = district_code(n);
    const int households = 4000 + 650 * ((n * 5) % 13);
    if (n % 4 != 0) {
      const double factor = 0.5 + 0.15 * ((n * 5) % 7);  // 50 % .. 140 % of the expectation
      const int64_t entered = int64_t(households * (bmn_expected * factor + 0.2 * n) / 100);
      BmnEntry bmn{code,
                   entered * 6 / 5,
                   entered,
                   entered / 3,
                   format_date(std::max(add_days(today, -(n % 3 + 2)), fy_start)),
                   "demo-" + code};
      LWC_RETURN_IF_ERROR(put_write(store, bmn_entry(bmn)));
    }
    if (n % 2 == 1) {  // verified budget figures
      const std::string as_of = format_date(std::max(add_days(today, -5), fy_start));
      auto row = read_row(store, "measurement",
                          measurement_row_id(kBudgetIndicator, code, "strategy", as_of));
      if (!row.ok()) return row.status();
      LWC_RETURN_IF_ERROR(put_write(store, review_entry(*row, true, "province", now_ms, "")));
    }
  }
  return {};
}

Status acknowledge_overdue_demands(Store& store, const RulesConfig& rules, int64_t now_ms) {
  auto in = load_rule_inputs(store, ScopeFilter::everything());
  if (!in.ok()) return in.status();
  const std::vector<Warning> warnings = evaluate_rules(*in, rules, now_ms);
  std::map<std::string, int64_t> started;  // warning id -> when its stage began
  for (const Warning& w : warnings) started[w.id] = w.raised_at;
  for (const Warning& w : warnings) {
    if (w.stage != Stage::kEscalated) continue;
    // The district acknowledged the demand halfway through its response time.
    const std::string demand = warning_id(w.rule, w.subject, w.district, Stage::kDemand);
    const int64_t demand_start = started.count(demand) ? started[demand] : w.raised_at;
    const int64_t at = std::min(now_ms, demand_start + (w.raised_at - demand_start) / 2);
    LWC_RETURN_IF_ERROR(
        put_write(store, ack_entry(demand, w.district, district_user(w.district), at, false, "")));
  }
  return {};
}

}  // namespace lwc::hub
