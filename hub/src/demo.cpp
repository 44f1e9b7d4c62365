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

namespace lwc::hub {

namespace {
using nlohmann::json;
using FW = Store::FieldWrite;

FW field(const char* name, const json& value) { return FW{name, to_value(value)}; }

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
    LWC_RETURN_IF_ERROR(put(store, "district", kProvinceScope,
                            {field("code", d.code), field("name_th", d.name_th),
                             field("name_en", d.name_en)},
                            district_row_id(d.code)));
  }
  auto groups_doc = read_json(assets_dir + "/work_groups.json");
  if (!groups_doc.ok()) return groups_doc.status();
  auto groups = parse_work_groups(*groups_doc);
  if (!groups.ok()) return groups.status();
  for (const WorkGroup& g : *groups) {
    LWC_RETURN_IF_ERROR(put(store, "work_group", kProvinceScope,
                            {field("key", g.key), field("name_th", g.name_th),
                             field("name_en", g.name_en)},
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

Status seed_demo(Store& store, Accounts& accounts, int64_t now_ms) {
  for (const DemoAccount& a : demo_accounts()) {
    LWC_RETURN_IF_ERROR(accounts.add_user(a.user, a.role, a.district, "", a.password));
  }
  // FY 2570 (1 Oct 2569 – 30 Sep 2570): per district a budget allocation and a BMN household target;
  // figures as of five days ago, with a spread of good and lagging districts.
  const int64_t day = 86'400'000;
  const std::string as_of = format_date(thai_date(now_ms - 5 * day));
  auto write = [&](Result<RowWrite> w) -> Status {
    if (!w.ok()) return w.status();
    return put(store, w->table, w->scope, w->fields, w->id);
  };
  for (int n = 1; n <= 13; ++n) {
    const std::string code = "52" + std::string(n < 10 ? "0" : "") + std::to_string(n);
    const double allocation = 1'200'000.0 + 150'000.0 * ((n * 7) % 11);
    const int households = 4000 + 650 * ((n * 5) % 13);
    LWC_RETURN_IF_ERROR(write(target_entry({kBudgetIndicator, code, "", "2570", allocation})));
    LWC_RETURN_IF_ERROR(write(target_entry({kBmnIndicator, code, "", "2570", double(households)})));
    const double share = 0.05 + 0.02 * ((n * 3) % 9);  // 5 % .. 21 % disbursed by late November
    BudgetEntry budget{code, "strategy", std::floor(allocation * share), as_of, "demo",
                       "GFMIS (demo import)"};
    LWC_RETURN_IF_ERROR(write(budget_entry(budget)));
  }

  struct DemoTask {
    const char* kind;
    const char* letter_no;
    const char* title;
    int issued_days, due_days;
    std::vector<std::string> districts;
  };
  const std::vector<std::string> all = {"5201", "5202", "5203", "5204", "5205", "5206", "5207",
                                        "5208", "5209", "5210", "5211", "5212", "5213"};
  const std::vector<DemoTask> tasks = {
      {"monthly_report", "", "รายงานผลการดำเนินงานประจำเดือน / Monthly performance report", -20, 3,
       all},
      {"directive", "ลป 0020/ว 1187", "รายงานข้อมูลกองทุนหมู่บ้าน / Village fund data report", -10, 0,
       all},
      {"directive", "ลป 0020/ว 1152", "สรุปผลการจัดเก็บข้อมูล จปฐ. / BMN collection summary", -21,
       -4, {"5202", "5205", "5208", "5211"}},
      {"directive", "ลป 0020/ว 1201", "แผนการเบิกจ่ายไตรมาส 2 / Q2 disbursement plan", -2, 10, all},
  };
  for (const DemoTask& t : tasks) {
    LWC_RETURN_IF_ERROR(put(store, "task", kProvinceScope,
                            {field("kind", t.kind), field("letter_no", t.letter_no),
                             field("title", t.title),
                             field("issued", format_date(thai_date(now_ms + t.issued_days * day))),
                             field("due", format_date(thai_date(now_ms + t.due_days * day))),
                             field("districts", t.districts),
                             field("work_group_id", work_group_row_id("strategy"))}));
  }
  return seed_demo_history(store, now_ms);
}

Status seed_demo_history(Store& store, int64_t now_ms) {
  const int64_t day = 86'400'000;
  auto write = [&](Result<RowWrite> w) -> Status {
    if (!w.ok()) return w.status();
    return put(store, w->table, w->scope, w->fields, w->id);
  };
  auto read = [&](const std::string& table, const std::string& id) -> Result<Row> {
    auto r = store.get_row(table, id);
    if (!r.ok()) return r.status();
    if (!r->has_value()) return Status(Code::kNotFound, table + " " + id);
    return **r;
  };
  // Two past reports with a record to score: most on time, some late, one returned, some missing.
  struct Past {
    const char* letter_no;
    const char* title;
    int issued_days, due_days;
  };
  const Past past[] = {
      {"ลป 0020/ว 1050", "รายงานผลการดำเนินงานประจำเดือนที่แล้ว / Last month's performance report",
       -40, -26},
      {"ลป 0020/ว 1101", "รายงานความก้าวหน้าโครงการ / Project progress report", -25, -12},
  };
  for (int t = 0; t < 2; ++t) {
    std::vector<std::string> all;
    for (int n = 1; n <= 13; ++n) all.push_back("52" + std::string(n < 10 ? "0" : "") + std::to_string(n));
    TaskEntry e{"directive", past[t].letter_no, past[t].title,
                format_date(thai_date(now_ms + past[t].issued_days * day)),
                format_date(thai_date(now_ms + past[t].due_days * day)), all, "strategy"};
    auto task_write = task_entry(e);
    if (!task_write.ok()) return task_write.status();
    LWC_RETURN_IF_ERROR(put(store, task_write->table, task_write->scope, task_write->fields, task_write->id));
    auto task = read("task", task_write->id);
    if (!task.ok()) return task.status();
    for (int n = 1; n <= 13; ++n) {
      const std::string code = all[n - 1];
      const int pattern = (n * 7 + t * 3) % 10;  // 0..9: mostly on time
      if (pattern == 9) continue;                // missing
      const int64_t due_ms = now_ms + past[t].due_days * day;
      const int64_t when = due_ms + (pattern >= 7 ? (pattern - 5) * day : -(pattern + 1) * day / 2);
      auto sub = submission_entry(*task, code, "demo-" + code, when, "ลป 0020." + std::to_string(n) + "/" + std::to_string(100 + t));
      LWC_RETURN_IF_ERROR(write(sub));
      if (pattern == 4) {  // returned for quality
        auto row = read("submission", sub->id);
        if (!row.ok()) return row.status();
        LWC_RETURN_IF_ERROR(write(review_entry(*row, false, "province", when + day,
                                               "เอกสารแนบไม่ครบ / attachment missing")));
      }
    }
  }
  // BMN progress for most districts, and the province's verification of some figures.
  for (int n = 1; n <= 13; ++n) {
    const std::string code = "52" + std::string(n < 10 ? "0" : "") + std::to_string(n);
    if (n % 4 != 0) {
      const int64_t collected = 400 + 130 * ((n * 5) % 11);
      BmnEntry bmn{code, collected, collected * (70 + n % 3 * 10) / 100, collected / 3,
                   format_date(thai_date(now_ms - (n % 3 + 2) * day)), "demo-" + code};
      LWC_RETURN_IF_ERROR(write(bmn_entry(bmn)));
    }
    if (n % 2 == 1) {  // verified budget figures
      const std::string as_of = format_date(thai_date(now_ms - 5 * day));
      auto row = read("measurement", measurement_row_id(kBudgetIndicator, code, "strategy", as_of));
      if (!row.ok()) return row.status();
      LWC_RETURN_IF_ERROR(write(review_entry(*row, true, "province", now_ms - 3 * day, "")));
    }
  }
  return {};
}

}  // namespace lwc::hub
