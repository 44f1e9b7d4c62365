// End-to-end: real lwc-hub and lwc-client processes over real TLS on 127.0.0.1.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "client_process.h"
#include "process.h"
#include "temp_dir.h"

using namespace lwc::test;
using nlohmann::json;

TEST_CASE("e2e client: offline districts and province converge with the hub, conflict kept",
          "[e2e][client]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  ClientProcess maemo_a{dir.file("maemo-a")}, maemo_b{dir.file("maemo-b")},
      mueang{dir.file("mueang")}, thoen{dir.file("thoen")}, province{dir.file("province")};
  maemo_a.enroll(hub, "maemo", "lwc-5202-2570");
  maemo_b.enroll(hub, "maemo", "lwc-5202-2570");
  mueang.enroll(hub, "mueang", "lwc-5201-2570");
  thoen.enroll(hub, "thoen", "lwc-5208-2570");
  province.enroll(hub, "province", "lwc-province-2570");

  // The hub goes down; everyone keeps working.
  hub.stop(SIGTERM);
  maemo_a.ok(
      {"budget", "set", "--work-group", "strategy", "--amount", "300000", "--as-of", "2026-11-24"});
  maemo_b.ok(
      {"budget", "set", "--work-group", "strategy", "--amount", "310000", "--as-of", "2026-11-24"});
  maemo_b.ok({"bmn", "set", "--collected", "900", "--entered", "850", "--updated", "400"});
  mueang.ok({"budget", "set", "--work-group", "economy", "--amount", "120000"});
  thoen.ok({"bmn", "set", "--collected", "1200", "--entered", "1000", "--updated", "700"});
  province.ok({"target", "set", "--indicator", "bmn_progress", "--district", "5208", "--period",
               "2570", "--value", "6000"});
  RunResult offline = thoen.cli({"sync"});
  CHECK(offline.exit_code == 3);  // no link: reported, nothing lost
  CHECK(thoen.status()["online"] == false);
  const json waiting = thoen.status();
  CHECK(waiting["pending_mutations"].get<int>() > 1);  // one BMN entry: all its fields
  CHECK(waiting["pending_entries"] == 1);
  CHECK(maemo_b.status()["pending_entries"] == 2);  // a budget figure and a BMN figure

  hub.start();
  // The hub's warning rules run ~200 ms after a push and may write warning rows: sync until a
  // round, after a pause, moves nothing.
  int quiet_round = -1;
  for (int round = 0; round < 30 && quiet_round < 0; ++round) {
    int64_t moved = 0;
    for (const ClientProcess* c : {&maemo_a, &maemo_b, &mueang, &thoen, &province}) {
      RunResult r = c->cli({"sync", "--json"});
      INFO(r.out);
      REQUIRE(r.exit_code == 0);
      json stats = json::parse(r.out.substr(r.out.rfind('{')));
      moved += stats["pushed"].get<int64_t>() + stats["pulled"].get<int64_t>();
    }
    if (moved == 0 && round > 0) quiet_round = round;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  REQUIRE(quiet_round > 0);
  hub.stop(SIGTERM);  // export reads the database directly
  const std::string all = hub.cli({"export", "--json"}).out;
  CHECK(province.cli({"export", "--json"}).out == all);
  for (const ClientProcess* c : {&maemo_a, &maemo_b}) {
    CHECK(c->cli({"export", "--json"}).out ==
          hub.cli({"export", "--json", "--district", "5202"}).out);
    CHECK(c->status()["pending_mutations"] == 0);
  }
  CHECK(mueang.cli({"export", "--json"}).out ==
        hub.cli({"export", "--json", "--district", "5201"}).out);
  CHECK(thoen.cli({"export", "--json"}).out ==
        hub.cli({"export", "--json", "--district", "5208"}).out);
  // Districts do not see each other.
  CHECK(mueang.cli({"export", "--json"}).out.find("\"scope\":\"5208\"") == std::string::npos);

  // The concurrent edit of one field by two devices of Mae Mo is kept as a conflict at the hub.
  hub.start();
  RunResult conflicts = province.cli({"conflicts", "--json"});
  REQUIRE(conflicts.exit_code == 0);
  json list = json::parse(conflicts.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["field"] == "value");
  std::set<double> values = {list[0]["winner"]["value"].get<double>(),
                             list[0]["loser"]["value"].get<double>()};
  CHECK(values == std::set<double>{300000, 310000});
}

TEST_CASE(
    "e2e client: a cross-district entry is refused locally, a far-ahead clock is refused clearly",
    "[e2e][client]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  ClientProcess maemo{dir.file("maemo")};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  RunResult other = maemo.cli(
      {"budget", "set", "--work-group", "strategy", "--amount", "1", "--district", "5201"});
  CHECK(other.exit_code != 0);
  CHECK_THAT(other.out, Catch::Contains("may not write"));

  // Three days behind: still accepted, and its own edits keep their order.
  const std::vector<std::string> behind = {lwc::test::clock_off_by(-3 * int64_t{86'400'000})};
  REQUIRE(maemo
              .cli({"budget", "set", "--work-group", "strategy", "--amount", "10", "--as-of",
                    "2026-11-20"},
                   "", behind)
              .exit_code == 0);
  REQUIRE(maemo
              .cli({"budget", "set", "--work-group", "strategy", "--amount", "20", "--as-of",
                    "2026-11-20"},
                   "", behind)
              .exit_code == 0);
  REQUIRE(maemo.cli({"sync"}, "", behind).exit_code == 0);
  hub.stop(SIGTERM);
  CHECK_THAT(hub.cli({"export", "--json", "--district", "5202"}).out,
             Catch::Contains("\"value\":{\"value\":20.0"));
  hub.start();

  // A day ahead (the hub allows 300 s): a clear error, nothing pushed.
  const std::vector<std::string> ahead = {lwc::test::clock_off_by(86'400'000)};
  REQUIRE(maemo.cli({"budget", "set", "--work-group", "strategy", "--amount", "30"}, "", ahead)
              .exit_code == 0);
  RunResult skew = maemo.cli({"sync"}, "", ahead);
  CHECK(skew.exit_code != 0);
  CHECK_THAT(skew.out, Catch::Contains("clock is 86400 s ahead"));
  CHECK(maemo.status()["pending_mutations"].get<int>() > 0);

  // An as-of date typed in the Buddhist Era, or after today: refused before anything is written.
  const int64_t before = maemo.status()["pending_mutations"].get<int64_t>();
  RunResult be = maemo.cli(
      {"budget", "set", "--work-group", "strategy", "--amount", "40", "--as-of", "2569-11-20"});
  CHECK(be.exit_code != 0);
  CHECK_THAT(be.out, Catch::Contains("looks like a Buddhist-Era year"));
  RunResult future = maemo.cli({"bmn", "set", "--collected", "5", "--entered", "4", "--updated",
                                "3", "--as-of", "2099-01-01"});
  CHECK(future.exit_code != 0);
  CHECK_THAT(future.out, Catch::Contains("is after today"));
  RunResult group = maemo.cli({"budget", "set", "--work-group", "nonsense", "--amount", "5"});
  CHECK(group.exit_code != 0);
  CHECK_THAT(group.out, Catch::Contains("unknown work group 'nonsense'; the work groups are: "));
  CHECK_THAT(group.out, Catch::Contains("strategy"));
  CHECK(maemo.status()["pending_mutations"] == before);
}

TEST_CASE(
    "e2e client: a task's submission, returned by the province, is open again at the district",
    "[e2e][client]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  ClientProcess maemo{dir.file("maemo")}, province{dir.file("province")};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  province.enroll(hub, "province", "lwc-province-2570");
  province.ok({"task", "create", "--kind", "directive", "--letter-no", "ลป 0020.3/9", "--title",
               "รายงานผลการดำเนินงาน", "--due", "2027-01-15", "--districts", "5202"});
  province.ok({"sync"});
  maemo.ok({"sync"});
  auto find = [](const json& list, const std::string& letter) {
    for (const json& t : list) {
      if (t["letter_no"] == letter) return t;
    }
    FAIL("no task " << letter);
    return json();
  };
  json mine = find(json::parse(maemo.cli({"task", "list", "--json"}).out), "ลป 0020.3/9");
  CHECK(mine["submitted"] == false);
  const std::string task = mine["id"];
  maemo.ok({"task", "submit", task, "--doc-ref", "ลป 0020.1/5"});
  maemo.ok({"sync"});
  CHECK(find(json::parse(maemo.cli({"task", "list", "--json"}).out), "ลป 0020.3/9")["submitted"] ==
        true);

  province.ok({"sync"});
  json at_province = find(json::parse(province.cli({"task", "list", "--json"}).out), "ลป 0020.3/9");
  REQUIRE(at_province["submissions"].size() == 1);
  CHECK(at_province["submissions"][0]["district"] == "5202");
  CHECK(at_province["submissions"][0]["review"] == "submitted");
  const std::string submission = at_province["submissions"][0]["submission_id"];
  province.ok({"return", submission, "--note", "แนบเอกสารไม่ครบ / attachment missing"});
  province.ok({"sync"});
  CHECK(find(json::parse(province.cli({"task", "list", "--json"}).out),
             "ลป 0020.3/9")["submissions"][0]["review"] == "returned");

  maemo.ok({"sync"});
  json returned = find(json::parse(maemo.cli({"task", "list", "--json"}).out), "ลป 0020.3/9");
  CHECK(returned["submitted"] == false);  // open again: the warning rules agree
  CHECK(returned["review"] == "returned");
  CHECK(returned["review_note"] == "แนบเอกสารไม่ครบ / attachment missing");
  CHECK_THAT(maemo.cli({"task", "list"}).out,
             Catch::Contains("[returned: แนบเอกสารไม่ครบ / attachment missing] ลป 0020.3/9"));
}

TEST_CASE(
    "e2e client: a copied data folder becomes a device of its own, and neither copy's figures are "
    "lost",
    "[e2e][client][fork]") {
  // Issue 13, found 3: cp -a of a synced district folder; the copy writes 7777, the original
  // writes 2000 on the same figure and syncs first.
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  ClientProcess maemo{dir.file("maemo")}, copy{dir.file("copy")}, province{dir.file("province")};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  const std::vector<std::string> strategy = {"budget",  "set",        "--work-group", "strategy",
                                             "--as-of", "2026-11-20", "--amount"};
  auto amount = [&](const char* v) {
    std::vector<std::string> a = strategy;
    a.push_back(v);
    return a;
  };
  maemo.ok(amount("1000"));
  maemo.ok({"sync"});
  // Queued at the copy's moment: both folders hold it and both will send it.
  maemo.ok({"budget", "set", "--work-group", "economy", "--amount", "50", "--as-of", "2026-11-20"});
  std::filesystem::copy(dir.file("maemo"), dir.file("copy"),
                        std::filesystem::copy_options::recursive);
  const std::string original_device = maemo.status()["device_id"].get<std::string>();
  copy.ok(amount("7777"));
  copy.ok({"budget", "set", "--work-group", "capital", "--amount", "31", "--as-of", "2026-11-20"});
  maemo.ok(amount("2000"));
  maemo.ok({"sync"});

  // The copy numbers its changes as the original did: the hub refuses the push as a fork, the
  // copy enrols as a new device of the same account and sends everything it queued.
  RunResult s = copy.cli({"sync", "--json"});
  INFO(s.out);
  REQUIRE(s.exit_code == 0);
  const json synced = json::parse(s.out.substr(s.out.find('{')));
  CHECK(synced["forked_from"] == original_device);
  CHECK(synced["device_id"] != original_device);
  CHECK(synced["rejected"] == 0);
  json status = copy.status();
  CHECK(status["pending_mutations"] == 0);
  CHECK(status["rejected"].empty());
  CHECK(status["forked_from"] == original_device);
  CHECK(status["device_id"] != original_device);
  CHECK_THAT(copy.cli({"status"}).out, Catch::Contains("became a device of its own"));
  // Both keep working, each as its own device.
  copy.ok({"budget", "set", "--work-group", "knowledge", "--amount", "8", "--as-of", "2026-11-20"});
  maemo.ok(
      {"budget", "set", "--work-group", "knowledge", "--amount", "9", "--as-of", "2026-11-21"});
  for (const ClientProcess* c : {&copy, &maemo, &copy}) c->ok({"sync"});
  CHECK(maemo.status()["device_id"] == original_device);

  // 2000 (later) is in use, 7777 a recorded conflict; the copy's other figures are in use; the
  // entry both folders sent is not a conflict (the same value).
  province.enroll(hub, "province", "lwc-province-2570");
  RunResult conflicts = province.cli({"conflicts", "--json"});
  REQUIRE(conflicts.exit_code == 0);
  const json kept = json::parse(conflicts.out);
  INFO(kept.dump());
  REQUIRE(kept.size() == 1);
  CHECK(kept[0]["winner"]["value"] == 2000.0);
  CHECK(kept[0]["loser"]["value"] == 7777.0);
  const std::string at_province = province.exported();
  for (const char* v : {"2000.0", "50.0", "31.0", "8.0", "9.0"}) {
    CHECK_THAT(at_province, Catch::Contains(std::string("\"value\":{\"value\":") + v));
  }
  hub.stop(SIGTERM);
  RunResult hub_state = hub.cli({"export", "--json", "--district", "5202"});
  REQUIRE(hub_state.exit_code == 0);
  CHECK(maemo.exported() == hub_state.out);
  CHECK(copy.exported() == hub_state.out);
  RunResult audit = hub.cli({"audit"});
  CHECK_THAT(audit.out, Catch::Contains("device_forked"));
}

TEST_CASE(
    "e2e client: a fresh demo on the suite's day: status page, award and a district's warnings",
    "[e2e][client][date]") {
  // The demo smoke of the date sweep (scripts/date-sweep.sh runs it at the calendar's awkward
  // moments): init --demo, the hub's rules, its status JSON and award, a district that syncs.
  // Holidays configured as a province would: a Monday substitution day and Songkran.
  TempDir dir;
  const json rules = {
      {"calendar", {{"holidays", {"2026-12-07", "2027-04-13", "2027-04-14", "2027-04-15"}}}}};
  HubProcess hub(dir.file("hub"), json{{"rules", rules}});
  RunResult status = run(
      {"/usr/bin/curl", "-sS", "--noproxy", "*", "--cacert", hub.ca(), hub.url() + "/v1/status"});
  INFO(status.out);
  REQUIRE(status.exit_code == 0);
  const json s = json::parse(status.out);
  REQUIRE(s["districts"].size() == 13);
  std::set<std::string> statuses;
  for (const json& d : s["districts"]) statuses.insert(d["status"].get<std::string>());
  CHECK_FALSE(statuses.count("escalated"));  // none born escalated
  CHECK(statuses.count("demand"));
  REQUIRE(s["award"].is_object());
  for (const json& x : s["award"]["scores"]) {
    INFO(x.dump());
    CHECK(x["nothing_due"] == x["rank"].is_null());
    if (x["medal"].get<int>() > 0) CHECK(x["points"].get<int>() > 0);
  }

  RunResult award = hub.cli({"export", "award", "--json"});
  REQUIRE(award.exit_code == 0);
  bool unranked_seen = false;
  const json board = json::parse(award.out);
  REQUIRE(board["scores"].size() == 13);
  for (const json& x : board["scores"]) {
    INFO(x.dump());
    if (x["nothing_due"] == true) unranked_seen = true;
    CHECK(x["nothing_due"] == unranked_seen);  // ranked districts first, nothing-due ones after
    if (x["medal"].get<int>() > 0) CHECK(x["points"].get<int>() > 0);
  }

  ClientProcess maemo{dir.file("maemo")};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  maemo.ok({"sync"});
  RunResult warnings = maemo.cli({"warnings", "--json"});
  INFO(warnings.out);
  REQUIRE(warnings.exit_code == 0);
  std::set<std::string> stages;
  for (const json& w : json::parse(warnings.out)) {
    CHECK(w["district"] == "5202");
    stages.insert(w["stage"].get<std::string>());
  }
  CHECK(stages.count("warn"));
  CHECK(stages.count("demand"));
  CHECK_FALSE(stages.count("escalated"));
  CHECK(maemo.status()["pending_mutations"] == 0);
}

namespace {
// A tmpfs of `mib` MiB mounted on a fresh directory (the tests run as root, as CI does), unmounted
// when done: a disk that really fills up.
struct SmallDisk {
  std::string path;
  explicit SmallDisk(const std::string& where, int mib) : path(where) {
    std::filesystem::create_directories(path);
    RunResult m = run({"/usr/bin/mount", "-t", "tmpfs", "-o", "size=" + std::to_string(mib) + "m",
                       "tmpfs", path});
    INFO(m.out);
    REQUIRE(m.exit_code == 0);
  }
  ~SmallDisk() { (void)run({"/usr/bin/umount", "-l", path}); }
  // Writes a file until the disk refuses (ENOSPC); returns its path.
  std::string fill() const {
    const std::string filler = path + "/filler";
    FILE* f = std::fopen(filler.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::vector<char> block(64 * 1024, 'x');
    while (std::fwrite(block.data(), 1, block.size(), f) == block.size()) {
    }
    std::fclose(f);
    return filler;
  }
};
}  // namespace

TEST_CASE("e2e client: a full disk says so, with the path and what to free, and loses nothing",
          "[e2e][client][disk]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  SmallDisk disk(dir.file("disk"), 16);
  ClientProcess maemo{disk.path + "/maemo"};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  maemo.ok(
      {"budget", "set", "--work-group", "strategy", "--amount", "300000", "--as-of", "2026-11-24"});
  const std::string filler = disk.fill();

  RunResult full = maemo.cli(
      {"budget", "set", "--work-group", "economy", "--amount", "120000", "--as-of", "2026-11-24"});
  INFO(full.out);
  CHECK(full.exit_code == 4);  // its own class: not "no network" (3), not a local data error (5)
  CHECK_THAT(full.out, Catch::Contains("disk full"));
  CHECK_THAT(full.out, Catch::Contains(disk.path + "/maemo"));
  CHECK_THAT(full.out, Catch::Contains("free space"));
  CHECK(full.out.find("disk I/O error") == std::string::npos);

  // Space freed: the refused entry is entered again, and both figures reach the hub.
  std::filesystem::remove(filler);
  maemo.ok(
      {"budget", "set", "--work-group", "economy", "--amount", "120000", "--as-of", "2026-11-24"});
  maemo.ok({"sync"});
  CHECK(maemo.status()["pending_mutations"] == 0);
  RunResult exported = hub.cli({"export", "--json", "--district", "5202"});
  REQUIRE(exported.exit_code == 0);
  CHECK_THAT(exported.out, Catch::Contains("\"value\":{\"value\":300000.0"));
  CHECK_THAT(exported.out, Catch::Contains("\"value\":{\"value\":120000.0"));
}

TEST_CASE(
    "e2e client: a syncing office never meets an expiry, and after a lapse, a new password or a "
    "readmission the same folder logs in again and sends what waited",
    "[e2e][client]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));  // tokens live 30 days (token_ttl_s)
  ClientProcess maemo{dir.file("maemo")};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  const std::string device = maemo.status()["device_id"];
  constexpr int64_t kDay = 86'400'000;
  std::vector<std::string> at;  // the clock of the hub and the client: days after enrolment
  auto move_to = [&](int64_t days) {
    at = {clock_off_by(days * kDay)};
    hub.stop(SIGTERM);
    hub.env = at;
    hub.start();
  };
  auto enter = [&](const std::string& amount) {
    maemo.ok({"budget", "set", "--work-group", "strategy", "--amount", amount}, at);
  };

  // Syncing every 25 days for 95 days: the token renews itself each time (it would have lapsed on
  // day 30).
  for (int64_t day : {20, 45, 70, 95}) {
    move_to(day);
    enter(std::to_string(1000 + day));
    RunResult r = maemo.cli({"sync"}, "", at);
    INFO("day " << day << ": " << r.out);
    REQUIRE(r.exit_code == 0);
  }

  // 35 days without a link: the token lapsed. The entry waits; logging in again sends it.
  move_to(130);
  enter("2130");
  RunResult lapsed = maemo.cli({"sync"}, "", at);
  CHECK(lapsed.exit_code == 6);
  CHECK_THAT(lapsed.out, Catch::Contains("expired"));
  CHECK(maemo.status()["pending_mutations"].get<int>() > 0);
  RunResult wrong = maemo.cli({"login"}, "not-the-password\n", at);
  CHECK(wrong.exit_code == 6);
  CHECK(maemo.status()["pending_mutations"].get<int>() > 0);
  RunResult back = maemo.cli({"login"}, "lwc-5202-2570\n", at);
  INFO(back.out);
  REQUIRE(back.exit_code == 0);
  CHECK_THAT(back.out, Catch::Contains("logged in again as maemo on device " + device));
  CHECK(maemo.status()["pending_mutations"] == 0);

  // The province sets a new password: the token ends at once; the old password no longer works.
  REQUIRE(hub.cli({"user", "password", "maemo"}, "a-new-secret-5202\n").exit_code == 0);
  enter("2131");
  CHECK(maemo.cli({"sync"}, "", at).exit_code == 6);
  CHECK(maemo.cli({"login"}, "lwc-5202-2570\n", at).exit_code == 6);
  REQUIRE(maemo.cli({"login"}, "a-new-secret-5202\n", at).exit_code == 0);
  CHECK(maemo.status()["pending_mutations"] == 0);

  // Revoked: refused until the administrator readmits the device; then the same device and outbox.
  REQUIRE(hub.cli({"device", "revoke", device}).exit_code == 0);
  enter("2132");
  CHECK(maemo.cli({"sync"}, "", at).exit_code == 6);
  RunResult refused = maemo.cli({"login"}, "a-new-secret-5202\n", at);
  CHECK(refused.exit_code == 7);
  CHECK_THAT(refused.out, Catch::Contains("revoked"));
  REQUIRE(hub.cli({"device", "readmit", device}).exit_code == 0);
  RunResult readmitted = maemo.cli({"login"}, "a-new-secret-5202\n", at);
  INFO(readmitted.out);
  REQUIRE(readmitted.exit_code == 0);
  CHECK(maemo.status()["device_id"] == device);
  CHECK(maemo.status()["pending_mutations"] == 0);

  // A folder whose work belongs to another district than the account's now: refused, nothing saved.
  const std::string config_file = maemo.dir + "/client.json";
  json edited = json::parse(std::ifstream(config_file));
  edited["district"] = "5201";
  std::ofstream(config_file) << edited.dump();
  const std::string before = edited.dump();
  RunResult other = maemo.cli({"login"}, "a-new-secret-5202\n", at);
  CHECK(other.exit_code == 7);
  CHECK_THAT(other.out, Catch::Contains("this folder holds the work of district 5201"));
  CHECK(json::parse(std::ifstream(config_file)).dump() == before);
  edited["district"] = "5202";
  std::ofstream(config_file) << edited.dump();

  hub.stop(SIGTERM);
  CHECK(maemo.cli({"export", "--json"}).out ==
        hub.cli({"export", "--json", "--district", "5202"}).out);
  CHECK_THAT(maemo.cli({"export", "--json"}).out, Catch::Contains("\"value\":{\"value\":2132.0"));
  const std::string audit = hub.cli({"audit"}).out;
  CHECK_THAT(audit, Catch::Contains("password_changed"));
  CHECK_THAT(audit, Catch::Contains("device_readmitted"));
}
