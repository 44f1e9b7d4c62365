// Screenshot-test helper (scripts/gui-screenshots.sh):
//   lwc_gui_fixture make DIR --role district|province
//       an enrolled client data directory (client.json pointing at an unreachable hub) whose store
//       holds Lampang demo-like data around today: targets, budget and BMN figures (some verified),
//       tasks with submissions (one late, one returned), the warnings the rules raise, an ack;
//   lwc_gui_fixture check PNG [MIN_STATUS_PX]
//       fails (exit 1) on a blank or broken frame: too few colours, almost all background, or
//       fewer than MIN_STATUS_PX (default 3000) status-coloured pixels (tiles, cells, bars).
//   The province directory also holds the hub's last known conflicts and fleet lists (meta
//   "gui.hub_lists") and one change the hub refused.
#include <stb_image.h>
#include <nlohmann/json.hpp>

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
#include "test_clock.h"

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
    if (task_ids.size() == 4)
      e.districts.pop_back();  // the register: not Mueang Pan (5213), which
                               // then has no report due this month
    auto w = task_entry(e);
    if (!w.ok()) return w.status();
    task_ids.push_back(w->id);
    LWC_RETURN_IF_ERROR(put(store, w));
  }
  // Submissions of the old register: most on time, two late, one returned for quality.
  for (int n = 1; n <= 12; ++n) {
    if (n == 4 || n == 9) continue;  // missing
    auto task = store.get_row("task", task_ids[4]);
    if (!task.ok() || !task->has_value()) return Status(Code::kNotFound, "task");
    const int64_t at = now - (n == 6 || n == 12 ? 8 : 14) * kDay;
    LWC_RETURN_IF_ERROR(put(store, submission_entry(**task, code(n), "demo", at,
                                                    "ลป 5200/" + std::to_string(300 + n))));
    if (n == 1 || n == 7) {  // the hub's receipts (claims.h): 1 sent offline, 7 dated back
      const int64_t received = at + (n == 1 ? 3 : 2) * kDay;
      LWC_RETURN_IF_ERROR(
          put(store, RowWrite{"submission",
                              submission_row_id(task_ids[4], code(n)),
                              code(n),
                              {{"received_at", std::to_string(received)},
                               {"counted_at", std::to_string(n == 1 ? at : received)}}}));
    }
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
  if (config.role != Role::kDistrict) {
    // The province's last known lists from the hub (GET /v1/conflicts, GET /v1/fleet), as the
    // window caches them in meta "gui.hub_lists": two concurrent edits, every office's device.
    using nlohmann::json;
    auto version = [](json value, int64_t wall, const char* device) {
      return json{{"value", value}, {"hlc", Hlc::from_parts(wall, 0).packed}, {"device", device}};
    };
    const std::string row5202 = measurement_row_id(kBudgetIndicator, "5202", "strategy", as_of);
    json conflicts =
        json::array({json{{"id", 1},
                          {"table", "measurement"},
                          {"row_id", row5202},
                          {"scope", "5202"},
                          {"field", "value"},
                          {"winner", version(412500.0, now - 5 * 3600'000, "dev-maemo-1")},
                          {"loser", version(398000.0, now - 6 * 3600'000, "dev-maemo-2")},
                          {"detected_ms", now - 5 * 3600'000}},
                     json{{"id", 2},
                          {"table", "task"},
                          {"row_id", task_ids[3]},
                          {"scope", "province"},
                          {"field", "due"},
                          {"winner", version("2027-01-15", now - 26 * 3600'000, "dev-prov")},
                          {"loser", version("2027-01-08", now - 27 * 3600'000, "dev-exec")},
                          {"detected_ms", now - 26 * 3600'000}}});
    json devices = json::array();
    const char* users[] = {"mueang",  "maemo",    "kokha",    "soemngam", "ngao",
                           "chaehom", "wangnuea", "thoen",    "maephrik", "maetha",
                           "sopprap", "hangchat", "mueangpan"};
    for (int n = 1; n <= 13; ++n) {
      const int64_t seen = now - int64_t((n * 37) % 100) * (n % 4 == 0 ? 86'400'000 / 10 : 60'000);
      json d{{"device_id", "dev-" + std::string(users[n - 1]) + "-1"},
             {"user", users[n - 1]},
             {"role", "district"},
             {"district", code(n)},
             {"name", "PC " + code(n)},
             {"client_version", n == 9 ? "0.0.9" : "0.1.0"},
             {"enrolled_ms", now - 40 * kDay},
             {"last_seen_ms", n == 11 ? 0 : seen},
             {"revoked", false},
             {"last_counter", 120 + 17 * n}};
      if (n != 11) {
        d["pending"] = n == 4 ? 35 : 0;
        d["pending_at_ms"] = seen;
      }
      devices.push_back(d);
    }
    devices[1]["device_id"] = "dev-maemo-1";
    devices.push_back(json{{"device_id", "dev-maemo-2"},
                           {"user", "maemo"},
                           {"role", "district"},
                           {"district", "5202"},
                           {"name", "Mae Mo laptop"},
                           {"client_version", "0.1.0"},
                           {"enrolled_ms", now - 30 * kDay},
                           {"last_seen_ms", now - 6 * 3600'000},
                           {"revoked", true},
                           {"last_counter", 12}});
    devices.push_back(json{{"device_id", "dev-prov"},
                           {"user", "province"},
                           {"role", "province"},
                           {"district", ""},
                           {"name", "Province office"},
                           {"client_version", "0.1.0"},
                           {"enrolled_ms", now - 60 * kDay},
                           {"last_seen_ms", now - 120'000},
                           {"revoked", false},
                           {"last_counter", 310},
                           {"pending", 0},
                           {"pending_at_ms", now - 120'000}});
    LWC_RETURN_IF_ERROR(store.set_meta(
        "gui.hub_lists", json{{"conflicts", json{{"conflicts", conflicts}}.dump()},
                              {"fleet", json{{"devices", devices}, {"hub_time_ms", now}}.dump()},
                              {"at_ms", now - 90'000}}
                             .dump()));
    // A change of this client the hub refused (a target typed with a clock far ahead).
    LWC_RETURN_IF_ERROR(put(store, target_entry({kBudgetIndicator, "5204", "", fy, 1'650'000}),
                            Store::Queue::kOutbox));
    auto outbox = store.outbox(10);
    if (!outbox.ok()) return outbox.status();
    int64_t counter = 0;
    for (const Mutation& m : *outbox) {
      if (m.change.field == "value") counter = m.counter;
    }
    LWC_RETURN_IF_ERROR(store.reject_outbox(
        counter, Status(Code::kClockSkew,
                        "the change is stamped 9 minutes ahead of the hub's clock "
                        "(allowed: 5 minutes); correct the date and time")));
  }
  // The district has entered a new BMN figure offline: one pending mutation.
  if (config.role == Role::kDistrict) {
    const std::string d = config.district;
    LWC_RETURN_IF_ERROR(put(store, bmn_entry({d, 2100, 1850, 1400, format_date(today), "maemo"}),
                            Store::Queue::kOutbox));
    // The hub was found restored from an older copy this morning: the status bar says so.
    LWC_RETURN_IF_ERROR(store.set_meta("hub_restored_ms", std::to_string(now - 3 * 3600 * 1000)));
    LWC_RETURN_IF_ERROR(store.set_meta("hub_restored_resent", "14"));
    // And a budget figure the hub refused: the district's "refused" tab lists it with the reason.
    LWC_RETURN_IF_ERROR(put(store,
                            budget_entry({d, "strategy", 330'000, format_date(today), "maemo"}),
                            Store::Queue::kOutbox));
    auto outbox = store.outbox(100);
    if (!outbox.ok()) return outbox.status();
    for (const Mutation& m : *outbox) {
      if (m.change.field != "value") continue;
      LWC_RETURN_IF_ERROR(store.reject_outbox(
          m.counter, Status(Code::kInvalidArgument,
                            "change number 12 of this device was already used for another "
                            "change: this data folder is a copy or a restored backup")));
    }
  }
  return {};
}

int check(const std::string& png, size_t min_status_px) {
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
  if (status_px < min_status_px)
    ok = false, std::cerr << "no status colours: tiles/cells/bars missing\n";
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  lwc::test::install_test_clock();  // scripts/gui-screenshots.sh has set it already: kept
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "make" && argc == 5 && std::string(argv[3]) == "--role") {
    Status s = make(argv[2], argv[4]);
    if (!s.ok()) {
      std::cerr << "lwc_gui_fixture: " << s.to_string() << "\n";
      return 1;
    }
    return 0;
  }
  if (cmd == "check" && (argc == 3 || argc == 4)) {
    return check(argv[2], argc == 4 ? std::stoul(argv[3]) : 3000);
  }
  std::cerr
      << "usage: lwc_gui_fixture make DIR --role district|province | check PNG [MIN_STATUS_PX]\n";
  return 2;
}
