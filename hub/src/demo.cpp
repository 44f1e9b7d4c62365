#include "lwc/hub/demo.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <fstream>
#include <map>

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

std::string date_from_ms(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Stable ids for reference rows the demo refers to (looked up after seeding).
Result<std::map<std::string, std::string>> ids_by(Store& store, const std::string& table,
                                                  const std::string& key_field) {
  auto rows = store.rows(table, ScopeFilter::everything());
  if (!rows.ok()) return rows.status();
  std::map<std::string, std::string> out;
  for (const Row& r : *rows) {
    if (const FieldVersion* v = r.find(key_field)) out[json::parse(v->value).get<std::string>()] = r.id;
  }
  return out;
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
                             field("name_en", d.name_en)}));
  }
  auto groups_doc = read_json(assets_dir + "/work_groups.json");
  if (!groups_doc.ok()) return groups_doc.status();
  auto groups = parse_work_groups(*groups_doc);
  if (!groups.ok()) return groups.status();
  for (const WorkGroup& g : *groups) {
    LWC_RETURN_IF_ERROR(put(store, "work_group", kProvinceScope,
                            {field("key", g.key), field("name_th", g.name_th),
                             field("name_en", g.name_en)}));
  }
  LWC_RETURN_IF_ERROR(put(store, "indicator", kProvinceScope,
                          {field("key", "budget_disbursement"), field("kind", "budget"),
                           field("name_th", "การเบิกจ่ายงบประมาณ"),
                           field("name_en", "Budget disbursement"), field("unit", "THB")}));
  LWC_RETURN_IF_ERROR(put(store, "indicator", kProvinceScope,
                          {field("key", "bmn_progress"), field("kind", "bmn"),
                           field("name_th", "ความก้าวหน้าการจัดเก็บข้อมูล จปฐ."),
                           field("name_en", "BMN survey progress"), field("unit", "households")}));
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
  auto indicators = ids_by(store, "indicator", "key");
  if (!indicators.ok()) return indicators.status();
  auto groups = ids_by(store, "work_group", "key");
  if (!groups.ok()) return groups.status();
  const std::string budget = (*indicators)["budget_disbursement"], bmn = (*indicators)["bmn_progress"];

  // FY 2570 (1 Oct 2569 – 30 Sep 2570): per district a budget allocation and a BMN household target;
  // figures as of last week, with a spread of good and lagging districts.
  const int64_t day = 86'400'000;
  for (int n = 1; n <= 13; ++n) {
    const std::string code = "52" + std::string(n < 10 ? "0" : "") + std::to_string(n);
    const double allocation = 1'200'000.0 + 150'000.0 * ((n * 7) % 11);
    const int households = 4000 + 650 * ((n * 5) % 13);
    LWC_RETURN_IF_ERROR(put(store, "target", kProvinceScope,
                            {field("indicator_id", budget), field("district", code),
                             field("period", "2570"), field("value", allocation)}));
    LWC_RETURN_IF_ERROR(put(store, "target", kProvinceScope,
                            {field("indicator_id", bmn), field("district", code),
                             field("period", "2570"), field("value", households)}));
    const double share = 0.05 + 0.02 * ((n * 3) % 9);  // 5 % .. 21 % disbursed by late November
    LWC_RETURN_IF_ERROR(put(store, "measurement", code,
                            {field("indicator_id", budget), field("district", code),
                             field("work_group_id", (*groups)["strategy"]), field("period", "2570"),
                             field("value", static_cast<int64_t>(allocation * share)),
                             field("as_of", now_ms - 5 * day),
                             field("source", "GFMIS (demo import)"), field("entered_by", "demo"),
                             field("state", "submitted")}));
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
                             field("issued", date_from_ms(now_ms + t.issued_days * day)),
                             field("due", date_from_ms(now_ms + t.due_days * day)),
                             field("districts", t.districts),
                             field("work_group_id", (*groups)["strategy"])}));
  }
  return {};
}

}  // namespace lwc::hub
