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
  return {};
}

}  // namespace lwc::hub
