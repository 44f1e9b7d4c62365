// End-to-end sync under faults: real lwc-hub and lwc-client processes over real TLS on 127.0.0.1,
// killed with SIGKILL at the worst moments. The test reads the SQLite files of both sides (a
// client's outbox, the hub's device_progress and fields) to count every mutation.
//
// Mutations are queued offline by writing the client's store directly (Store::write_local with the
// outbox, exactly what `lwc-client budget set` does, minus one process start per entry), so a storm
// of tens of thousands of mutations takes a second to prepare.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "client_process.h"
#include "lwc/clock.h"
#include "lwc/gzip.h"
#include "lwc/hlc.h"
#include "lwc/id.h"
#include "lwc/store.h"
#include "process.h"
#include "temp_dir.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// One integer from a SQLite file, read by another process while its owner may be running (WAL) or
// after its owner was killed (opening read-write lets SQLite recover the WAL).
int64_t sql_int(const std::string& path, const std::string& query, const std::string& arg = "") {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    std::string err = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error(query + ": " + err);
  }
  if (!arg.empty()) sqlite3_bind_text(st, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
  int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

int64_t outbox_count(const ClientProcess& c) {
  return sql_int(c.db(), "SELECT count(*) FROM outbox");
}
std::string device_of(const ClientProcess& c) {
  return c.status()["device_id"].get<std::string>();
}
int64_t hub_progress(const HubProcess& hub, const std::string& device) {
  const int64_t v = sql_int(hub.dir() + "/hub.db",
                            "SELECT last_counter FROM device_progress WHERE device=?1", device);
  return v < 0 ? 0 : v;
}
// Field versions at the hub written by `device`: each queued mutation writes a distinct field.
int64_t hub_fields_by(const HubProcess& hub, const std::string& device) {
  return sql_int(hub.dir() + "/hub.db", "SELECT count(*) FROM fields WHERE device=?1", device);
}
int64_t hub_distinct_seqs_by(const HubProcess& hub, const std::string& device) {
  return sql_int(hub.dir() + "/hub.db", "SELECT count(DISTINCT seq) FROM fields WHERE device=?1",
                 device);
}

// Queues `rows` new measurement rows of two fields each (2 * rows mutations) in the client's
// outbox, as the entry commands do, without the hub. Returns the number of mutations queued.
int64_t queue_offline(const ClientProcess& c, const std::string& district, int rows) {
  StoreOptions options;
  options.path = c.db();
  auto store = Store::open(options, process_clock());
  REQUIRE(store.ok());
  for (int i = 0; i < rows; ++i) {
    auto w =
        (*store)->write_local("measurement", new_id(), district,
                              {{"district", "\"" + district + "\""}, {"value", std::to_string(i)}});
    if (!w.ok()) FAIL(w.status().to_string());
  }
  return 2 * static_cast<int64_t>(rows);
}

json sync_json(const ClientProcess& c) {
  RunResult r = c.cli({"sync", "--json"});
  INFO(c.dir << ": " << r.out);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out.substr(r.out.rfind('{')));
}

std::string hub_export(HubProcess& hub, const std::string& district = "") {
  std::vector<std::string> args = {"export", "--json"};
  if (!district.empty()) args.insert(args.end(), {"--district", district});
  RunResult r = hub.cli(args);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// Waits until the hub's rule runner (which writes warning rows ~200 ms after a change) is quiet:
// two reads of the hub's last seq 600 ms apart agree.
void settle(const HubProcess& hub) {
  const std::string db = hub.dir() + "/hub.db";
  int64_t before = sql_int(db, "SELECT coalesce(max(seq),0) FROM fields");
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    const int64_t now = sql_int(db, "SELECT coalesce(max(seq),0) FROM fields");
    if (now == before) return;
    before = now;
  }
  FAIL("the hub kept writing");
}

}  // namespace

TEST_CASE(
    "e2e sync faults: kill -9 the hub during a push storm loses no acknowledged mutation and "
    "applies none twice",
    "[e2e][faults]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  std::map<std::string, ClientProcess> clients = {
      {"5202", {dir.file("maemo")}}, {"5201", {dir.file("mueang")}}, {"5208", {dir.file("thoen")}}};
  clients["5202"].enroll(hub, "maemo", "lwc-5202-2570");
  clients["5201"].enroll(hub, "mueang", "lwc-5201-2570");
  clients["5208"].enroll(hub, "thoen", "lwc-5208-2570");
  std::map<std::string, std::string> device;
  std::map<std::string, int64_t> queued;
  for (auto& [district, c] : clients) {
    device[district] = device_of(c);
    queued[district] = queue_offline(c, district, 12000);  // 24,000 mutations per client
    REQUIRE(outbox_count(c) == queued[district]);
  }
  settle(hub);
  const std::string hub_db = hub.dir() + "/hub.db";
  const int64_t seq_before = sql_int(hub_db, "SELECT coalesce(max(seq),0) FROM fields");

  // The storm: all three push at once; the hub dies once some batches were acknowledged and
  // others are still waiting.
  std::vector<std::unique_ptr<BackgroundProcess>> syncs;
  for (auto& [district, c] : clients) {
    syncs.push_back(std::make_unique<BackgroundProcess>(
        std::vector<std::string>{LWC_CLIENT_BIN, "--data", c.dir, "sync"}, SpawnOptions{},
        SIGKILL));
  }
  bool killed = false;
  for (int i = 0; i < 20000 && !killed; ++i) {
    int64_t acked = 0, waiting = 0;
    for (auto& [district, c] : clients) {
      const int64_t left = outbox_count(c);
      acked += queued[district] - left;
      waiting += left;
    }
    if (acked >= 3000 && waiting > 20000) {
      hub.stop(SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(killed);
  int cut_off = 0;  // "no link" (3): reported, nothing lost; a client that finished first: 0
  for (auto& s : syncs) {
    const int rc = s->wait();
    CHECK((rc == 3 || rc == 0));
    cut_off += rc == 3;
  }
  CHECK(cut_off > 0);

  // At the moment of the crash: everything a client saw acknowledged is durable at the hub, and
  // every mutation the hub consumed is present once.
  int64_t total_acked = 0, total_waiting = 0;
  for (auto& [district, c] : clients) {
    const int64_t left = outbox_count(c);
    const int64_t acked = queued[district] - left;
    total_acked += acked;
    total_waiting += left;
    const int64_t progress = hub_progress(hub, device[district]);
    INFO("district " << district << ": acked " << acked << ", hub progress " << progress);
    CHECK(progress >= acked);
    CHECK(progress <= queued[district]);
    CHECK(hub_fields_by(hub, device[district]) == progress);
    if (left > 0) {  // the outbox holds exactly the counters after the acknowledged ones
      CHECK(sql_int(c.db(), "SELECT min(counter) FROM outbox") == acked + 1);
      CHECK(sql_int(c.db(), "SELECT max(counter) FROM outbox") == queued[district]);
    }
  }
  CHECK(total_acked > 0);
  CHECK(total_waiting > 0);  // the crash really came in the middle

  // Restart on the same data and sync everyone to the end.
  hub.start();
  int64_t pushed_after = 0;
  for (auto& [district, c] : clients) pushed_after += sync_json(c)["pushed"].get<int64_t>();
  CHECK(pushed_after == total_waiting);  // duplicates are acknowledged, and counted once
  settle(hub);
  for (auto& [district, c] : clients) sync_json(c);  // the rules may have written warnings
  settle(hub);
  for (auto& [district, c] : clients) sync_json(c);
  hub.stop(SIGTERM);

  int64_t total = 0, hub_written = 0;
  for (auto& [district, c] : clients) {
    INFO("district " << district);
    CHECK(outbox_count(c) == 0);
    CHECK(c.status()["pending_mutations"] == 0);
    CHECK(c.status()["rejected"].empty());
    CHECK(hub_progress(hub, device[district]) == queued[district]);
    CHECK(hub_fields_by(hub, device[district]) == queued[district]);
    CHECK(hub_distinct_seqs_by(hub, device[district]) == queued[district]);
    CHECK(c.exported() == hub_export(hub, district));
    total += queued[district];
  }
  // Seq accounting: every change the hub numbered after the storm began is a client mutation (each
  // applied exactly once, each a new field) or one the hub wrote itself (warning rules).
  hub_written = sql_int(hub_db, "SELECT count(*) FROM fields WHERE seq > ?1 AND device = 'hub'",
                        std::to_string(seq_before));
  const int64_t seq_after = sql_int(hub_db, "SELECT max(seq) FROM fields");
  INFO("seq " << seq_before << " -> " << seq_after << ", hub-written " << hub_written);
  CHECK(seq_after - seq_before == total + hub_written);
}

TEST_CASE("e2e sync faults: kill -9 a client during push and during pull, the next sync completes",
          "[e2e][faults]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  ClientProcess maemo{dir.file("maemo")};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  const std::string dev = device_of(maemo);
  const int64_t queued = queue_offline(maemo, "5202", 25000);

  // During the push: killed once the hub acknowledged some batches.
  {
    BackgroundProcess sync({LWC_CLIENT_BIN, "--data", maemo.dir, "sync"}, {}, SIGKILL);
    int64_t left = queued;
    for (int i = 0; i < 20000 && left > queued - 2000 && sync.running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      left = outbox_count(maemo);
    }
    REQUIRE(sync.running());
    sync.signal(SIGKILL);
    CHECK(sync.wait() == 128 + SIGKILL);
  }
  const int64_t left = outbox_count(maemo);
  const int64_t acked = queued - left;
  INFO("acknowledged " << acked << " of " << queued);
  REQUIRE(left > 0);
  REQUIRE(acked > 0);
  // Intact: the pending count dropped only by what the hub acknowledged, and the outbox is the
  // unbroken tail of the numbering.
  CHECK(hub_progress(hub, dev) >= acked);
  CHECK(sql_int(maemo.db(), "SELECT min(counter) FROM outbox") == acked + 1);
  CHECK(sql_int(maemo.db(), "SELECT max(counter) FROM outbox") == queued);
  CHECK(maemo.status()["pending_mutations"] == left);

  json stats = sync_json(maemo);
  CHECK(stats["pushed"] == left);
  CHECK(outbox_count(maemo) == 0);
  CHECK(hub_progress(hub, dev) == queued);
  CHECK(hub_fields_by(hub, dev) == queued);

  // During the pull: a second Mae Mo device enrolls and starts its initial sync (50,000 changes);
  // killed once some pages are committed.
  ClientProcess second{dir.file("maemo-2")};
  const int64_t hub_last = sql_int(hub.dir() + "/hub.db", "SELECT max(seq) FROM fields");
  int64_t cursor_at_kill = 0;
  {
    BackgroundProcess enroll({LWC_CLIENT_BIN, "--data", second.dir, "enroll", "--hub", hub.url(),
                              "--ca", hub.ca(), "--user", "maemo"},
                             {"lwc-5202-2570\n"}, SIGKILL);
    for (int i = 0; i < 20000 && enroll.running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (!fs::exists(second.db())) continue;
      try {
        cursor_at_kill =
            sql_int(second.db(), "SELECT CAST(value AS INTEGER) FROM meta WHERE key='pull_cursor'");
      } catch (const std::exception&) {
        continue;  // the schema is still being created
      }
      if (cursor_at_kill > 0) break;
    }
    REQUIRE(enroll.running());
    enroll.signal(SIGKILL);
    CHECK(enroll.wait() == 128 + SIGKILL);
  }
  INFO("cursor at kill " << cursor_at_kill << ", hub last " << hub_last);
  CHECK(cursor_at_kill > 0);
  CHECK(cursor_at_kill < hub_last);
  // Every committed page is kept with its cursor; the next sync resumes there and completes.
  json resumed = sync_json(second);
  CHECK(resumed["pulled"].get<int64_t>() > 0);
  // Only what lies after the kept cursor (a restart from 0 would pull what came before it too).
  const int64_t hub_now = sql_int(hub.dir() + "/hub.db", "SELECT max(seq) FROM fields");
  CHECK(resumed["pulled"].get<int64_t>() <= hub_now - cursor_at_kill);
  sync_json(maemo);
  hub.stop(SIGTERM);
  const std::string hub_state = hub_export(hub, "5202");
  CHECK(second.exported() == hub_state);
  CHECK(maemo.exported() == hub_state);
}

TEST_CASE(
    "e2e sync faults: a hub restored from an older copy answers 409 and the client pulls again "
    "from 0",
    "[e2e][faults]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  ClientProcess maemo{dir.file("maemo")}, maemo_b{dir.file("maemo-b")}, mueang{dir.file("mueang")};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  maemo_b.enroll(hub, "maemo", "lwc-5202-2570");
  mueang.enroll(hub, "mueang", "lwc-5201-2570");
  settle(hub);
  sync_json(maemo);
  hub.stop(SIGTERM);
  fs::copy(hub.dir(), dir.file("hub-backup"), fs::copy_options::recursive);
  hub.start();

  // After the backup: Mueang's work (which Mae Mo cannot see) moves the hub's seq and Mae Mo's
  // cursor far ahead.
  for (const char* wg : {"strategy", "economy", "capital", "knowledge"}) {
    mueang.ok({"budget", "set", "--work-group", wg, "--amount", "1000", "--as-of", "2026-11-20"});
    mueang.ok({"budget", "set", "--work-group", wg, "--amount", "2000", "--as-of", "2026-11-21"});
  }
  sync_json(mueang);
  settle(hub);
  const int64_t old_cursor = sync_json(maemo)["cursor"].get<int64_t>();

  // The hub is restored from the backup, then another Mae Mo device writes: its changes get seq
  // numbers Mae Mo's cursor has already passed.
  hub.stop(SIGTERM);
  for (const char* f : {"hub.db", "hub.db-wal", "hub.db-shm", "accounts.db", "accounts.db-wal",
                        "accounts.db-shm"}) {
    fs::remove(hub.dir() + "/" + f);
    if (fs::exists(dir.file("hub-backup") + "/" + f)) {
      fs::copy(dir.file("hub-backup") + "/" + f, hub.dir() + "/" + f);
    }
  }
  hub.start();
  maemo_b.ok(
      {"budget", "set", "--work-group", "strategy", "--amount", "777", "--as-of", "2026-11-22"});
  sync_json(maemo_b);
  const int64_t restored_last = sql_int(hub.dir() + "/hub.db", "SELECT max(seq) FROM fields");
  INFO("Mae Mo's cursor " << old_cursor << ", restored hub's last seq " << restored_last);
  REQUIRE(restored_last < old_cursor);  // else the hub could not notice (docs/protocol.md §10)

  json again = sync_json(maemo);
  CHECK(again["cursor"].get<int64_t>() == restored_last);
  CHECK(again["pulled"].get<int64_t>() > 100);  // the whole jurisdiction, not just the new figure
  CHECK(maemo.status()["last_error"] == "");
  hub.stop(SIGTERM);
  const std::string hub_state = hub_export(hub, "5202");
  CHECK_THAT(hub_state, Catch::Contains("\"value\":{\"value\":777.0"));
  CHECK(maemo.exported() == hub_state);
  CHECK(maemo_b.exported() == hub_state);
}

TEST_CASE(
    "e2e sync faults: a hub put back from a plain copy of its folder gets every district's lost "
    "work back from the districts, and every client pulls again",
    "[e2e][faults][restore]") {
  // Issue 13, found 4: the IT officer copies the hub's folder back, no command run.
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  ClientProcess maemo{dir.file("maemo")}, mueang{dir.file("mueang")},
      province{dir.file("province")};
  maemo.enroll(hub, "maemo", "lwc-5202-2570");
  mueang.enroll(hub, "mueang", "lwc-5201-2570");
  province.enroll(hub, "province", "lwc-province-2570");
  auto figure = [](const char* wg, const char* amount) {
    return std::vector<std::string>{"budget",  "set",        "--work-group", wg,
                                    "--as-of", "2026-11-20", "--amount",     amount};
  };
  maemo.ok(figure("strategy", "100"));
  for (const ClientProcess* c : {&maemo, &mueang, &province}) c->ok({"sync"});
  settle(hub);
  hub.stop(SIGTERM);
  fs::copy(hub.dir(), dir.file("hub-backup"), fs::copy_options::recursive);
  hub.start();

  // After the copy: both districts' work is acknowledged, and everybody pulls it.
  maemo.ok(figure("strategy", "200"));
  maemo.ok(figure("economy", "210"));
  mueang.ok(figure("capital", "300"));
  for (const ClientProcess* c : {&maemo, &mueang, &province, &maemo}) c->ok({"sync"});
  settle(hub);
  for (const ClientProcess* c : {&maemo, &mueang, &province}) c->ok({"sync"});
  CHECK(outbox_count(maemo) == 0);
  CHECK(outbox_count(mueang) == 0);

  // The disk dies; the copy is put back as files. The hub's own rules and Mueang's next entry move
  // its seq on, past where the province's cursor stood.
  hub.stop(SIGTERM);
  fs::remove_all(hub.dir());
  fs::copy(dir.file("hub-backup"), hub.dir(), fs::copy_options::recursive);
  hub.start();
  settle(hub);
  CHECK_THAT(hub_export(hub, "5202"), !Catch::Contains("\"value\":{\"value\":200.0"));

  const json m = sync_json(mueang);
  CHECK(m["hub_restored"] == true);
  CHECK(m["resent"].get<int64_t>() > 0);
  mueang.ok(figure("knowledge", "400"));
  mueang.ok({"sync"});
  const json p = sync_json(province);  // wrote nothing: found from its cursor's run
  CHECK(p["hub_restored"] == true);
  const json a = sync_json(maemo);
  CHECK(a["hub_restored"] == true);
  CHECK(a["resent"].get<int64_t>() > 0);
  for (const ClientProcess* c : {&maemo, &mueang, &province}) {
    const json st = c->status();
    CHECK(st["last_error"] == "");
    CHECK(st["hub_restored_ms"].is_number());
    CHECK_THAT(c->cli({"status"}).out, Catch::Contains("restored from an older copy"));
  }
  settle(hub);
  for (const ClientProcess* c : {&maemo, &mueang, &province}) c->ok({"sync"});
  hub.stop(SIGTERM);

  // Every acknowledged value is at the hub again, and all replicas agree.
  const std::string maemo_state = hub_export(hub, "5202"), mueang_state = hub_export(hub, "5201");
  CHECK_THAT(maemo_state, Catch::Contains("\"value\":{\"value\":200.0"));
  CHECK_THAT(maemo_state, Catch::Contains("\"value\":{\"value\":210.0"));
  CHECK_THAT(mueang_state, Catch::Contains("\"value\":{\"value\":300.0"));
  CHECK_THAT(mueang_state, Catch::Contains("\"value\":{\"value\":400.0"));
  CHECK(maemo.exported() == maemo_state);
  CHECK(mueang.exported() == mueang_state);
  CHECK(province.exported() == hub_export(hub));
  RunResult audit = hub.cli({"audit"});
  CHECK_THAT(audit.out, Catch::Contains("hub_restore_detected"));
}

TEST_CASE(
    "e2e sync faults: concurrent offline edits of one figure end as the value in use and a "
    "recorded conflict, whichever office syncs first",
    "[e2e][conflict]") {
  // Issue 13, found 1: the province enters Mae Mo's figure 7001 while Mae Mo, offline, enters 7002
  // and then corrects it to 7003. Mae Mo never saw 7001, whatever its later base says.
  for (bool district_first : {true, false}) {
    INFO((district_first ? "Mae Mo syncs first" : "the province syncs first"));
    TempDir dir;
    HubProcess hub(dir.file("hub"));
    ClientProcess maemo{dir.file("maemo")}, province{dir.file("province")};
    maemo.enroll(hub, "maemo", "lwc-5202-2570");
    province.enroll(hub, "province", "lwc-province-2570");
    const std::vector<std::string> figure = {"budget",  "set",        "--work-group", "strategy",
                                             "--as-of", "2026-11-20", "--amount"};
    auto set = [&](const ClientProcess& who, const char* amount, bool as_province) {
      std::vector<std::string> a = figure;
      a.push_back(amount);
      if (as_province) a.insert(a.end(), {"--district", "5202"});
      who.ok(a);
    };
    hub.stop(SIGTERM);
    set(province, "7001", true);
    set(maemo, "7002", false);
    set(maemo, "7003", false);
    hub.start();
    if (district_first) {
      maemo.ok({"sync"});
      province.ok({"sync"});
    } else {
      province.ok({"sync"});
      maemo.ok({"sync"});
    }
    maemo.ok({"sync"});
    const std::string state = hub_export(hub, "5202");
    CHECK_THAT(state, Catch::Contains("\"value\":{\"value\":7003.0"));
    // No field of any row holds 7001 (a substring search would also match clock values).
    int in_use = 0;
    const json exported = json::parse(state);
    REQUIRE(!exported["rows"].empty());
    for (const json& row : exported["rows"]) {
      for (const auto& [name, field] : row["fields"].items()) {
        if (field["value"] == 7001.0) ++in_use;
      }
    }
    CHECK(in_use == 0);
    // 7001 is not in use: it must be a recorded conflict, seen by the province and by Mae Mo.
    for (const ClientProcess* who : {&province, &maemo}) {
      RunResult r = who->cli({"conflicts", "--json"});
      INFO(r.out);
      REQUIRE(r.exit_code == 0);
      json list = json::parse(r.out);
      int kept = 0;
      for (const json& k : list) {
        if (k["field"] == "value" && k["loser"]["value"] == 7001.0) ++kept;
      }
      CHECK(kept == 1);
    }
  }
}

TEST_CASE(
    "e2e sync faults: a client days behind orders its edits after what it pulled, and after a "
    "clock a day ahead is corrected, its queued edits are re-stamped and taken, and win no "
    "conflict",
    "[e2e][faults]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  ClientProcess slow{dir.file("slow")}, right{dir.file("right")}, fast{dir.file("fast")},
      province{dir.file("province")};
  slow.enroll(hub, "maemo", "lwc-5202-2570");
  right.enroll(hub, "maemo", "lwc-5202-2570");
  fast.enroll(hub, "maemo", "lwc-5202-2570");
  province.enroll(hub, "province", "lwc-province-2570");
  const std::vector<std::string> four_days_behind = {
      lwc::test::clock_off_by(-4 * int64_t{86'400'000})};
  const std::vector<std::string> fixed_past = {lwc::test::clock_off_by(-25 * int64_t{86'400'000})};
  const std::vector<std::string> strategy = {"budget",  "set",        "--work-group", "strategy",
                                             "--as-of", "2026-10-25", "--amount"};
  auto amount = [&](const char* v) {
    std::vector<std::string> a = strategy;
    a.push_back(v);
    return a;
  };

  // A correct clock writes first; the slow device pulls it and overwrites it: its edit wins
  // although its wall clock is four days older, and it is an overwrite, not a conflict.
  right.ok(amount("100"));
  right.ok({"sync"});
  slow.ok({"sync"}, four_days_behind);
  slow.ok(amount("200"), four_days_behind);
  slow.ok({"sync"}, four_days_behind);
  // Another device with its clock set weeks back edits after the slow one: it wins too.
  right.ok({"sync"});
  CHECK_THAT(right.exported(), Catch::Contains("\"value\":{\"value\":200.0"));
  fast.ok({"sync"}, fixed_past);
  fast.ok(amount("300"), fixed_past);
  fast.ok({"sync"}, fixed_past);
  for (const ClientProcess* c : {&right, &slow}) c->ok({"sync"});
  RunResult conflicts = province.cli({"conflicts", "--json"});
  REQUIRE(conflicts.exit_code == 0);
  CHECK(json::parse(conflicts.out).empty());

  // A clock a day ahead while entering offline: 999 then 1000 on the figure, 55 on another. Its
  // sync is refused before anything is sent and the outbox is kept. Meanwhile the right device
  // enters 66 on that other figure, not seen by the fast one.
  const std::vector<std::string> day_ahead = {lwc::test::clock_off_by(86'400'000)};
  std::vector<std::string> economy = {"budget",  "set",        "--work-group", "economy",
                                      "--as-of", "2026-10-25", "--amount"};
  fast.ok(amount("999"), day_ahead);
  fast.ok(amount("1000"), day_ahead);
  economy.push_back("55");
  fast.ok(economy, day_ahead);
  RunResult refused = fast.cli({"sync"}, "", day_ahead);
  INFO(refused.out);
  CHECK(refused.exit_code == 8);
  CHECK_THAT(refused.out, Catch::Contains("ahead of the hub"));
  CHECK(fast.status()["pending_entries"] == 2);  // 999 and 1000 are one entry, edited
  const int64_t queued = fast.status()["pending_mutations"].get<int64_t>();
  economy.back() = "66";
  right.ok(economy);
  right.ok({"sync"});

  // The clock is corrected: the next sync re-stamps the three edits just after what the fast
  // device knew, in their order, and the hub takes them — 1000 over 999. The fast clock does not
  // win the concurrent economy figure: 66 stays, 55 is a recorded conflict.
  RunResult s = fast.cli({"sync"});
  INFO(s.out);
  CHECK(s.exit_code == 0);
  CHECK_THAT(s.out, Catch::Contains(std::to_string(queued) +
                                    " change(s) saved while this computer's clock was ahead"));
  CHECK_THAT(s.out, !Catch::Contains("refused by the hub"));
  json status = fast.status();
  CHECK(status["pending_mutations"] == 0);
  CHECK(status["rejected"].empty());
  // A new entry is taken at once (the stored clock is no longer a day ahead).
  fast.ok({"budget", "set", "--work-group", "capital", "--as-of", "2026-10-25", "--amount", "77"});
  RunResult next = fast.cli({"sync", "--json"});
  REQUIRE(next.exit_code == 0);
  CHECK(json::parse(next.out)["pushed"].get<int64_t>() == queued / 3);  // one entry of three edits
  CHECK(json::parse(next.out)["restamped"] == 0);
  CHECK(fast.status()["rejected"].empty());
  for (const ClientProcess* c : {&right, &slow, &fast}) c->ok({"sync"});

  RunResult late = province.cli({"conflicts", "--json"});
  REQUIRE(late.exit_code == 0);
  json kept = json::parse(late.out);
  INFO(kept.dump());
  REQUIRE(kept.size() == 1);
  CHECK(kept[0]["winner"]["value"] == 66.0);
  CHECK(kept[0]["loser"]["value"] == 55.0);
  hub.stop(SIGTERM);
  const std::string hub_state = hub_export(hub, "5202");
  CHECK_THAT(hub_state, Catch::Contains("\"value\":{\"value\":1000.0"));
  CHECK_THAT(hub_state, Catch::Contains("\"value\":{\"value\":66.0"));
  CHECK_THAT(hub_state, Catch::Contains("\"value\":{\"value\":77.0"));
  // Every version at the hub is stamped at most the allowed drift after the hub's time.
  const int64_t newest = sql_int(hub.dir() + "/hub.db", "SELECT max(hlc) FROM fields") >> 16;
  CHECK(newest <= lwc::process_clock().now_ms() + 5 * 60'000);
  CHECK(slow.exported() == hub_state);
  CHECK(right.exported() == hub_state);
  CHECK(fast.exported() == hub_state);
}

TEST_CASE(
    "e2e sync faults: gzip over real TLS, pull answers compressed on request, a zip bomb push is "
    "413",
    "[e2e][gzip]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  const std::string device = new_id();
  auto curl = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/usr/bin/curl", "-sS", "--cacert", hub.ca()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
  };
  RunResult login =
      curl({"-H", "Content-Type: application/json", "-d",
            json{{"user", "maemo"}, {"password", "lwc-5202-2570"}, {"device_id", device}}.dump(),
            hub.url() + "/v1/login"});
  INFO(login.out);
  REQUIRE(login.exit_code == 0);
  const std::string auth =
      "Authorization: Bearer " + json::parse(login.out)["token"].get<std::string>();

  RunResult plain = curl({"-D", "-", "-H", auth, hub.url() + "/v1/pull?after=0"});
  RunResult packed = curl({"-D", "-", "--compressed", "-H", auth, hub.url() + "/v1/pull?after=0"});
  REQUIRE(plain.exit_code == 0);
  REQUIRE(packed.exit_code == 0);
  CHECK_THAT(packed.out, Catch::Contains("content-encoding: gzip", Catch::CaseSensitive::No));
  CHECK_THAT(plain.out, !Catch::Contains("content-encoding", Catch::CaseSensitive::No));
  // curl --compressed inflated it: the same body as the plain answer.
  CHECK(packed.out.substr(packed.out.find("\r\n\r\n")) ==
        plain.out.substr(plain.out.find("\r\n\r\n")));

  // A gzip push body is applied.
  const std::string id = new_id();
  std::string mutations = "{\"mutations\":[";
  for (int i = 0; i < 40; ++i) {
    mutations +=
        std::string(i ? "," : "") +
        json{{"counter", i + 1},
             {"table", "measurement"},
             {"id", id},
             {"scope", "5202"},
             {"field", "value"},
             {"value", i},
             {"hlc", Hlc::from_parts(process_clock().now_ms(), static_cast<uint32_t>(i)).packed},
             {"base", 0}}
            .dump();
  }
  mutations += "]}";
  std::ofstream(dir.file("push.gz"), std::ios::binary) << gzip_compress(mutations);
  RunResult pushed =
      curl({"-H", auth, "-H", "Content-Type: application/json", "-H", "Content-Encoding: gzip",
            "--data-binary", "@" + dir.file("push.gz"), hub.url() + "/v1/push"});
  INFO(pushed.out);
  REQUIRE(pushed.exit_code == 0);
  CHECK(json::parse(pushed.out)["last_counter"] == 40);

  // 64 MiB of spaces inside a JSON body, ~64 KiB gzipped: far below the 8 MiB wire limit, far above
  // it once inflated.
  const std::string bomb = gzip_compress("{\"mutations\":[" + std::string(64 << 20, ' ') + "]}", 9);
  REQUIRE(bomb.size() < 1 << 20);
  std::ofstream(dir.file("bomb.gz"), std::ios::binary) << bomb;
  RunResult refused = curl({"-w", "\n%{http_code}", "-H", auth, "-H",
                            "Content-Type: application/json", "-H", "Content-Encoding: gzip",
                            "--data-binary", "@" + dir.file("bomb.gz"), hub.url() + "/v1/push"});
  INFO(refused.out);
  CHECK(refused.out.substr(refused.out.rfind('\n') + 1) == "413");
  CHECK_THAT(refused.out, Catch::Contains("\"code\":\"too_large\""));
  // The hub is still serving.
  RunResult health = curl({hub.url() + "/v1/health"});
  CHECK_THAT(health.out, Catch::Contains("\"ok\""));
}
