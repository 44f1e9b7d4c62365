// End-to-end warnings: the real hub and clients over TLS, moved through time with LWC_NOW.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

#include "process.h"
#include "temp_dir.h"

using namespace lwc::test;
using nlohmann::json;

namespace {

std::string now_env(const std::string& when) {
  return "LWC_NOW=" + when;
}

struct Client {
  std::string dir;
  std::string now;  // LWC_NOW for every command
  RunResult cli(const std::vector<std::string>& args, const std::string& input = "") const {
    std::vector<std::string> argv = {LWC_CLIENT_BIN, "--data", dir};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, input, {now_env(now)});
  }
  std::string ok(const std::vector<std::string>& args, const std::string& input = "") const {
    RunResult r = cli(args, input);
    INFO(args.front() << ": " << r.out);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  json warnings() const {
    RunResult r = cli({"warnings", "--json"});
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  }
};

json about(const json& warnings, const std::string& subject) {
  json out = json::array();
  for (const json& w : warnings) {
    if (w["subject"] == subject) out.push_back(w);
  }
  return out;
}

}  // namespace

TEST_CASE("e2e warnings: offline client and hub raise one warning, live event, escalation",
          "[e2e][warnings]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"), json::object(), {now_env("2027-03-10T09:00")});
  Client province{dir.file("province"), "2027-03-10T09:00"};
  Client maemo{dir.file("maemo"), "2027-03-10T09:00"};
  province.ok({"enroll", "--hub", hub.url(), "--ca", hub.ca(), "--user", "province"},
              "lwc-province-2570\n");
  maemo.ok({"enroll", "--hub", hub.url(), "--ca", hub.ca(), "--user", "maemo"}, "lwc-5202-2570\n");

  // A directive due Friday 19 March 2027: warn from Tuesday 16th, follow on the 19th, demand the
  // 20th, escalated 48 hours later unless the demand is acknowledged.
  const std::string task =
      province
          .ok({"task", "create", "--kind", "directive", "--letter-no", "ลป 0020/ว 2001", "--title",
               "รายงานทดสอบ / Test report", "--due", "2027-03-19", "--districts", "5202"})
          .substr(0, 32);
  province.ok({"sync"});
  maemo.ok({"sync"});
  CHECK(about(maemo.warnings(), task).empty());

  // Offline on the 16th: the district client raises the warn stage by itself.
  hub.stop(SIGTERM);
  maemo.now = "2027-03-16T10:00";
  json local = about(maemo.warnings(), task);
  REQUIRE(local.size() == 1);
  CHECK(local[0]["stage"] == "warn");
  CHECK(local[0]["source"] == "local (not yet at the hub)");
  CHECK(local[0]["due"] == "2027-03-19");
  CHECK(local[0]["message_th"].get<std::string>().find("19 มี.ค. 2570") != std::string::npos);
  const std::string warn_id = local[0]["id"];
  CHECK(maemo.ok({"ack", warn_id}).find("acknowledged") != std::string::npos);

  // The hub comes back on the same day and raises the same verdict: one warning, one id.
  hub.env = {now_env("2027-03-16T10:05")};
  hub.start();
  maemo.now = "2027-03-16T10:06";
  maemo.ok({"sync"});
  json synced = about(maemo.warnings(), task);
  REQUIRE(synced.size() == 1);
  CHECK(synced[0]["id"] == warn_id);
  CHECK(synced[0]["source"] == "hub");
  CHECK(synced[0]["answered_by_me"] == true);
  CHECK(synced[0]["acknowledged_by"] == "maemo");
  RunResult exported = hub.cli({"export", "--json"});
  CHECK(exported.out.find(warn_id) != std::string::npos);

  // Live: a watching client hears a new warning on the event stream as soon as the hub raises it.
  {
    BackgroundProcess watch({LWC_CLIENT_BIN, "--data", maemo.dir, "sync", "--watch"},
                            {"", {now_env(maemo.now)}, /*capture=*/true});
    REQUIRE(watch.wait_for("watching the hub's event stream", 15'000) >= 0);
    province.now = "2027-03-16T10:07";
    province.ok({"task", "create", "--kind", "monthly_report", "--title",
                 "รายงานประจำเดือน / Monthly report", "--due", "2027-03-17", "--districts", "5202"});
    province.ok({"sync"});
    const int64_t ms = watch.wait_for("WARNING [warn] 5202", 5'000);
    INFO(watch.output());
    CHECK(ms >= 0);
    WARN("warning event reached the watching client " << ms << " ms after the province's sync");
  }

  // Monday 22nd: the demand (since Saturday 20th) was never acknowledged — escalated at the hub
  // 48 hours after it began, and the province sees it.
  hub.stop(SIGTERM);
  hub.env = {now_env("2027-03-22T09:00")};
  hub.start();
  province.now = "2027-03-22T09:01";
  province.ok({"sync"});
  json seen = about(province.warnings(), task);
  std::set<std::string> stages;
  for (const json& w : seen) {
    stages.insert(w["stage"].get<std::string>());
    CHECK(w["district"] == "5202");
  }
  CHECK(stages == std::set<std::string>{"warn", "follow", "demand", "escalated"});
  for (const json& w : seen) {
    if (w["stage"] == "escalated") CHECK(w["source"] == "hub");
  }

  // The district submits: after a sync every stage is cleared at the hub and on the client.
  maemo.now = "2027-03-22T09:02";
  maemo.ok({"task", "submit", task, "--doc-ref", "ลป 0020.1/77"});
  // Until the hub's rows are cleared they stay listed (no longer raised locally), never dropped.
  json left = about(maemo.warnings(), task);
  CHECK(!left.empty());
  for (const json& w : left) CHECK(w["source"] == "hub, no longer raised here");
  for (int i = 0; i < 100 && !left.empty(); ++i) {  // the hub re-runs its rules after the push
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    maemo.ok({"sync"});
    left = about(maemo.warnings(), task);
  }
  CHECK(left.empty());
  province.ok({"sync"});
  CHECK(about(province.warnings(), task).empty());
}

TEST_CASE("e2e warnings: LINE messages in Thai reach the endpoint through an outage, once each",
          "[e2e][warnings]") {
  TempDir dir;
  BackgroundProcess line({LWC_FAKE_LINE_BIN, "--fail-first", "1"}, {"", {}, /*capture=*/true});
  REQUIRE(line.wait_for("listening on http://127.0.0.1:", 10'000) >= 0);
  REQUIRE(line.wait_for("\n", 1'000) >= 0);
  const std::string first = line.output().substr(0, line.output().find('\n'));
  const std::string url = first.substr(first.find("http://"));
  // The demo data is seeded on 10 March; the hub then serves on the 12th: a directive for Mae Mo
  // was due Monday 8 March, so its demand (since the 9th) has escalated (on the 11th). The digest
  // is off, so every stage goes out at once.
  HubProcess hub(dir.file("hub"), json::object(), {now_env("2027-03-10T09:00")});
  hub.stop(SIGTERM);
  json config;
  std::ifstream(hub.dir() + "/hub.json") >> config;
  config["channels"] = {{"line",
                         {{"base_url", url},
                          {"channel_token", "test-channel-token"},
                          {"to", {{"5202", "U5202"}, {"executive", "Uexecutive"}}}}},
                        {"digest", false}};
  std::ofstream(hub.dir() + "/hub.json") << config.dump(2);
  hub.env = {now_env("2027-03-12T09:00")};
  hub.start();
  REQUIRE(line.wait_for("\"status\":500", 20'000) >= 0);
  const size_t at = line.output().find("\"status\":500");
  const std::string key_field =
      line.output().substr(line.output().rfind("{", at) + 1, at - line.output().rfind("{", at) - 1);
  // The message refused during the outage is retried (first backoff about 5 s) and delivered.
  INFO(line.output());
  REQUIRE(line.wait_for(key_field + "\"status\":200", 30'000) >= 0);
  REQUIRE(line.wait_for("Uexecutive", 10'000) >= 0);
  std::map<std::string, std::vector<int>> by_key;  // retry key -> statuses in order
  bool executive = false;
  std::istringstream lines(line.output());
  std::string l;
  while (std::getline(lines, l)) {
    if (l.rfind("{", 0) != 0) continue;
    json j = json::parse(l);
    by_key[j["retry_key"].get<std::string>()].push_back(j["status"].get<int>());
    if (j["status"] == 200 && j["to"] == "Uexecutive") {
      executive = true;
      CHECK(j["text"].get<std::string>().find("ยกระดับ") != std::string::npos);
    }
  }
  INFO(line.output());
  REQUIRE(by_key.size() >= 3);
  int outage = 0;
  for (const auto& [key, statuses] : by_key) {
    CHECK(!key.empty());
    CHECK(std::count(statuses.begin(), statuses.end(), 200) == 1);  // delivered, once
    outage += statuses.front() == 500;
    CHECK(statuses.back() == 200);
  }
  CHECK(outage == 1);
  CHECK(executive);  // the escalation reached the executive
  RunResult list = hub.cli({"notify", "list"});
  CHECK(list.out.find("\"state\":\"sent\"") != std::string::npos);
}

TEST_CASE("e2e warnings: a submission dated back by a device that was online counts at its receipt",
          "[e2e][warnings][claims]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"), json::object(), {now_env("2027-03-10T09:00")});
  Client province{dir.file("province"), "2027-03-10T09:00"};
  Client maemo{dir.file("maemo"), "2027-03-10T09:00"};
  Client kokha{dir.file("kokha"), "2027-03-10T09:00"};
  province.ok({"enroll", "--hub", hub.url(), "--ca", hub.ca(), "--user", "province"},
              "lwc-province-2570\n");
  maemo.ok({"enroll", "--hub", hub.url(), "--ca", hub.ca(), "--user", "maemo"}, "lwc-5202-2570\n");
  kokha.ok({"enroll", "--hub", hub.url(), "--ca", hub.ca(), "--user", "kokha"}, "lwc-5203-2570\n");
  const std::string task =
      province
          .ok({"task", "create", "--kind", "directive", "--letter-no", "ลป 0020/ว 3001", "--title",
               "รายงานทดสอบ / Test report", "--due", "2027-03-19", "--districts", "5202,5203"})
          .substr(0, 32);
  province.ok({"sync"});
  maemo.ok({"sync"});
  kokha.ok({"sync"});

  // Mae Mo goes offline on the 10th and submits on Thursday the 18th, before the deadline.
  maemo.now = "2027-03-18T10:00";
  maemo.ok({"task", "submit", task, "--doc-ref", "ลป 0020.2/1"});

  // Monday the 22nd: Ko Kha syncs (the deadline has passed), then sets its clock back to the 18th
  // and submits.
  hub.stop(SIGTERM);
  hub.env = {now_env("2027-03-22T09:00")};
  hub.start();
  kokha.now = "2027-03-22T09:01";
  kokha.ok({"sync"});
  kokha.now = "2027-03-18T10:00";
  kokha.ok({"task", "submit", task, "--doc-ref", "ลป 0020.3/1"});
  kokha.ok({"sync"});
  maemo.now = "2027-03-22T09:05";
  maemo.ok({"sync"});

  hub.env = {now_env("2027-03-22T10:00")};  // the command line's clock, after the receipts
  RunResult award = hub.cli({"export", "award", "--month", "2027-03", "--json"});
  INFO(award.out);
  REQUIRE(award.exit_code == 0);
  std::map<std::string, json> by_district;
  const json board = json::parse(award.out);
  for (const json& s : board["scores"]) {
    for (const json& o : s["breakdown"]) {
      if (o["task_id"] == task) by_district[s["district"].get<std::string>()] = o;
    }
  }
  REQUIRE(by_district.count("5202"));
  REQUIRE(by_district.count("5203"));
  // The offline office keeps its time, and the province sees that it was sent later.
  CHECK(by_district["5202"]["outcome"] == "on_time");
  CHECK(by_district["5202"]["claim"] == "offline");
  CHECK(by_district["5202"]["submitted_at"] == by_district["5202"]["claimed_at"]);
  CHECK(by_district["5202"]["received_at"].get<int64_t>() >
        by_district["5202"]["claimed_at"].get<int64_t>() + 3 * 86'400'000LL);
  // The backdated one counts from its receipt on the 22nd: late.
  CHECK(by_district["5203"]["outcome"] != "on_time");
  CHECK(by_district["5203"]["days_late"].get<int>() >= 1);
  CHECK(by_district["5203"]["claim"] == "refused");
  CHECK(by_district["5203"]["submitted_at"] == by_district["5203"]["received_at"]);
}
