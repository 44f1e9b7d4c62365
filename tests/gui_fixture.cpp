// Screenshot-test helper (scripts/gui-screenshots.sh):
//   lwc_gui_fixture make DIR --role district|province
//       an enrolled client data directory (client.json pointing at an unreachable hub) whose store
//       holds Lampang demo-like data around today: targets, budget and BMN figures (some verified),
//       tasks with submissions (one late, one returned), the warnings the rules raise, an ack;
//   lwc_gui_fixture check PNG
//       fails (exit 1) on a blank or broken frame: too few colours, almost all background, or no
//       status-coloured area (tiles, matrix cells, bars).
#include <stb_image.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "lwc/client/config.h"
#include "lwc/entries.h"
#include "lwc/hub/demo.h"
#include "lwc/id.h"
#include "lwc/warnings.h"

using namespace lwc;

namespace {

constexpr int64_t kDay = 86'400'000;

Status put(Store& store, const Result<RowWrite>& w, Store::Queue q = Store::Queue::kNone) {
  if (!w.ok()) return w.status();
  auto r = store.write_local(w->table, w->id, w->scope, w->fields, q);
  return r.ok() ? Status{} : r.status();
}

Status review(Store& store, const std::string& table, const std::string& id, bool ok,
              const std::string& note, int64_t now) {
  auto row = store.get_row(table, id);
  if (!row.ok() || !row->has_value()) return Status(Code::kNotFound, id);
  return put(store, review_entry(**row, ok, "province", now, note));
}

std::string code(int n) {
  return "52" + std::string(n < 10 ? "0" : "") + std::to_string(n);
}

Status make(const std::string& dir, const std::string& role) {
  std::filesystem::create_directories(dir);
  client::ClientConfig config;
  config.data_dir = std::filesystem::absolute(dir).string();
  config.hub_url = "https://127.0.0.1:9";  // nothing listens: the screenshot mode never connects
  config.token = "fixture";
  if (role == "district") {
    config.user = "maemo";
    config.role = Role::kDistrict;
    config.district = "5202";
  } else {
    config.user = "province";
    config.role = Role::kProvince;
  }
  LWC_RETURN_IF_ERROR(client::save_client_config(config));
  std::filesystem::remove(config.store_path());
  auto opened = Store::open({config.store_path()}, process_clock());
  if (!opened.ok()) return opened.status();
  Store& store = **opened;
  LWC_RETURN_IF_ERROR(hub::seed_reference(store, LWC_ASSETS_DIR));

  const int64_t now = process_clock().now_ms();
  const Date today = thai_date(now);
  const std::string fy = std::to_string(fiscal_year_be(today));
  const std::string as_of = format_date(thai_date(now - 3 * kDay));
  const std::string before = format_date(thai_date(now - 17 * kDay));
  const char* groups[] = {"strategy", "economy", "capital"};
  for (int n = 1; n <= 13; ++n) {
    const std::string d = code(n);
    const double allocation = 1'200'000.0 + 150'000.0 * ((n * 7) % 11);
    const int households = 4000 + 650 * ((n * 5) % 13);
    LWC_RETURN_IF_ERROR(put(store, target_entry({kBudgetIndicator, d, "", fy, allocation})));
    LWC_RETURN_IF_ERROR(put(store, target_entry({kBmnIndicator, d, "", fy, double(households)})));
    // A spread of good, watched and lagging districts: 4 % .. 28 % disbursed.
    const double share = 0.04 + 0.03 * ((n * 5) % 9);
    for (int g = 0; g < 3; ++g) {
      const double part = allocation * share * (g == 0 ? 0.5 : 0.25);
      LWC_RETURN_IF_ERROR(put(store, budget_entry({d, groups[g], std::floor(part * 0.6), before,
                                                   "demo", "GFMIS (demo import)"})));
      LWC_RETURN_IF_ERROR(put(store, budget_entry({d, groups[g], std::floor(part), as_of, "demo",
                                                   "GFMIS (demo import)"})));
      if (n % 3 != 0) {
        LWC_RETURN_IF_ERROR(review(store, "measurement",
                                   measurement_row_id(kBudgetIndicator, d, groups[g], as_of), true,
                                   "", now - kDay));
      }
    }
    if (n != 7 && n != 11) {  // two districts have not entered BMN figures yet
      const int64_t entered = int64_t(households * (0.02 + 0.035 * ((n * 3) % 8)));
      LWC_RETURN_IF_ERROR(put(
          store, bmn_entry({d, entered + entered / 5, entered, entered * 4 / 5, as_of, "demo"})));
    }
  }
  LWC_RETURN_IF_ERROR(review(store, "measurement",
                             measurement_row_id(kBmnIndicator, "5201", "", as_of), true, "", now));

  struct DemoTask {
    const char* kind;
    const char* letter_no;
    const char* title;
    int issued_days, due_days;
    bool all;
  };
  const DemoTask tasks[] = {
      {"monthly_report", "", "รายงานผลการดำเนินงานประจำเดือน / Monthly performance report", -20, 2,
       true},
      {"directive", "ลป 0020/ว 1187", "รายงานข้อมูลกองทุนหมู่บ้าน / Village fund data report", -10, 0,
       true},
      {"directive", "ลป 0020/ว 1152", "สรุปผลการจัดเก็บข้อมูล จปฐ. / BMN collection summary", -21, -4,
       false},
      {"directive", "ลป 0020/ว 1201", "แผนการเบิกจ่ายไตรมาส 2 / Q2 disbursement plan", -2, 10, true},
      {"directive", "ลป 0020/ว 1098", "ทะเบียนกลุ่มออมทรัพย์ / Savings group register", -30, -12, true},
  };
  std::vector<std::string> all;
  for (int n = 1; n <= 13; ++n) all.push_back(code(n));
  std::vector<std::string> task_ids;
  for (const DemoTask& t : tasks) {
    TaskEntry e{t.kind,
                t.letter_no,
                t.title,
                format_date(thai_date(now + t.issued_days * kDay)),
                format_date(thai_date(now + t.due_days * kDay)),
                t.all ? all : std::vector<std::string>{"5202", "5205", "5208", "5211"},
                "strategy"};
    auto w = task_entry(e);
    if (!w.ok()) return w.status();
    task_ids.push_back(w->id);
    LWC_RETURN_IF_ERROR(put(store, w));
  }
  // Submissions of the old register: most on time, two late, one returned for quality.
  for (int n = 1; n <= 13; ++n) {
    if (n == 4 || n == 9) continue;  // missing
    auto task = store.get_row("task", task_ids[4]);
    if (!task.ok() || !task->has_value()) return Status(Code::kNotFound, "task");
    const int64_t at = now - (n == 6 || n == 12 ? 8 : 14) * kDay;
    LWC_RETURN_IF_ERROR(put(store, submission_entry(**task, code(n), "demo", at,
                                                    "ลป 5200/" + std::to_string(300 + n))));
    if (n == 2) {
      LWC_RETURN_IF_ERROR(review(store, "submission", submission_row_id(task_ids[4], code(n)),
                                 false, "แนบทะเบียนไม่ครบ / register incomplete", now - 2 * kDay));
    }
  }
  for (int n : {1, 3, 10}) {  // the Q2 plan, early
    auto task = store.get_row("task", task_ids[3]);
    LWC_RETURN_IF_ERROR(put(store, submission_entry(**task, code(n), "demo", now - kDay, "")));
  }

  // The hub's warnings, as its rule engine would have written them; one acknowledged.
  auto in = load_rule_inputs(store, ScopeFilter::everything());
  if (!in.ok()) return in.status();
  std::string acked;
  for (const Warning& w : evaluate_rules(*in, RulesConfig{}, now)) {
    auto r = store.write_local("warning", w.id, w.district, warning_fields(w), Store::Queue::kNone);
    if (!r.ok()) return r.status();
    if (acked.empty() && w.district == "5201") acked = w.id;
  }
  if (!acked.empty()) {
    LWC_RETURN_IF_ERROR(put(store, ack_entry(acked, "5201", "mueang", now - 3600'000, false, "")));
  }
  // The district has entered a new BMN figure offline: one pending mutation.
  if (config.role == Role::kDistrict) {
    const std::string d = config.district;
    LWC_RETURN_IF_ERROR(put(store, bmn_entry({d, 2100, 1850, 1400, format_date(today), "maemo"}),
                            Store::Queue::kOutbox));
  }
  return {};
}

int check(const std::string& png) {
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
  if (!px) {
    std::cerr << png << ": not a PNG\n";
    return 1;
  }
  std::map<uint32_t, size_t> counts;
  size_t status_px = 0;
  // Tile colours (view_model.h tile_colour) and stage colours (warnings.h stage_colour).
  const uint32_t status_colours[] = {0x2E7D32, 0xF9A825, 0xC62828, 0xF2C230,
                                     0xF2892A, 0xD93636, 0x7B2C8F};
  for (int i = 0; i < w * h; ++i) {
    const uint32_t c = (uint32_t(px[3 * i]) << 16) | (uint32_t(px[3 * i + 1]) << 8) | px[3 * i + 2];
    ++counts[c];
    for (uint32_t s : status_colours) {
      const int dr = int((c >> 16) & 0xFF) - int((s >> 16) & 0xFF);
      const int dg = int((c >> 8) & 0xFF) - int((s >> 8) & 0xFF);
      const int db = int(c & 0xFF) - int(s & 0xFF);
      if (std::abs(dr) + std::abs(dg) + std::abs(db) < 40) {
        ++status_px;
        break;
      }
    }
  }
  stbi_image_free(px);
  size_t background = 0;
  for (auto& [c, k] : counts) background = std::max(background, k);
  const double foreground = 1.0 - double(background) / double(w * h);
  std::printf("%s: %dx%d, %zu colours, %.1f%% non-background, %zu status-coloured pixels\n",
              png.c_str(), w, h, counts.size(), 100 * foreground, status_px);
  bool ok = true;
  if (counts.size() < 200) ok = false, std::cerr << "too few colours: blank or broken frame\n";
  if (foreground < 0.10) ok = false, std::cerr << "almost all background: blank frame\n";
  if (status_px < 3000) ok = false, std::cerr << "no status colours: tiles/cells/bars missing\n";
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "make" && argc == 5 && std::string(argv[3]) == "--role") {
    Status s = make(argv[2], argv[4]);
    if (!s.ok()) {
      std::cerr << "lwc_gui_fixture: " << s.to_string() << "\n";
      return 1;
    }
    return 0;
  }
  if (cmd == "check" && argc == 3) return check(argv[2]);
  std::cerr << "usage: lwc_gui_fixture make DIR --role district|province | check PNG\n";
  return 2;
}
