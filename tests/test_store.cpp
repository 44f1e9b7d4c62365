#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "lwc/id.h"
#include "lwc/store.h"
#include "lwc/sync.h"
#include "temp_dir.h"

using namespace lwc;
using lwc::test::TempDir;

namespace {
constexpr int64_t kT0 = 1'795'000'000'000;  // 2026-11-18

std::unique_ptr<Store> open_store(const std::string& path, const Clock& clock,
                                  std::string device = "") {
  auto s = Store::open({path, std::move(device)}, clock);
  REQUIRE(s.ok());
  return std::move(s).value();
}

Change change(const std::string& id, const std::string& field, const std::string& value, Hlc hlc,
              const std::string& device, const std::string& scope = "5201") {
  return Change{"measurement", id, scope, field, FieldVersion{value, hlc, device, {}}};
}
}  // namespace

TEST_CASE("store: a new file is created at the current schema version", "[store]") {
  TempDir dir;
  FakeClock clock(kT0);
  auto store = open_store(dir.file("a.db"), clock);
  CHECK(store->schema_version() == Store::kSchemaVersion);
  CHECK(is_valid_id(store->device_id()));
  auto st = store->db().prepare("PRAGMA journal_mode");
  REQUIRE(st.ok());
  REQUIRE(st->step());
  CHECK(st->col_text(0) == "wal");
}

TEST_CASE("store: an older file is upgraded and keeps its data", "[store]") {
  TempDir dir;
  FakeClock clock(kT0);
  const std::string path = dir.file("old.db");
  std::string id = new_id(), device;
  {
    auto v1 = Store::open_at_version({path}, clock, 1);
    REQUIRE(v1.ok());
    device = (*v1)->device_id();
    REQUIRE((*v1)->write_local("measurement", id, "5201", {{"value", "1500"}}).ok());
    // v1 has no `rejected` table
    CHECK_FALSE((*v1)->db().prepare("SELECT * FROM rejected").ok());
  }
  auto store = open_store(path, clock);
  CHECK(store->schema_version() == Store::kSchemaVersion);
  CHECK(store->device_id() == device);
  auto f = store->get_field("measurement", id, "value");
  REQUIRE(f.ok());
  REQUIRE(f->has_value());
  CHECK((*f)->value == "1500");
  CHECK(*store->outbox_size() == 1);
  CHECK(store->rejected().ok());
}

TEST_CASE(
    "store: a v5 hub is upgraded, and its lineage rows without a value hash still count as repeats",
    "[store][fork]") {
  TempDir dir;
  FakeClock clock(kT0);
  const std::string path = dir.file("hub.db");
  const std::string id = new_id();
  const Change first = change(id, "value", "100", Hlc::from_parts(kT0, 1), "dev1");
  {
    auto v5 = Store::open_at_version({path, "hub"}, clock, 5);
    REQUIRE(v5.ok());
    REQUIRE((*v5)->accept_push("dev1", {{1, first}}, nullptr).ok());
    REQUIRE((*v5)
                ->accept_push(
                    "dev2", {{1, change(id, "value", "300", Hlc::from_parts(kT0 + 9, 0), "dev2")}},
                    nullptr)
                .ok());
  }
  auto hub = open_store(path, clock);
  CHECK(hub->schema_version() == Store::kSchemaVersion);
  auto repeat = hub->accept_push("dev1", {{1, first}}, nullptr);  // in the lineage, no hash
  REQUIRE(repeat.ok());
  CHECK((*repeat)[0].kind == MutationResult::Kind::kDuplicate);
  // A version superseded after the upgrade has its hash: another value at its clock is a copy.
  const Change second = change(id, "unit", "\"baht\"", Hlc::from_parts(kT0 + 20, 0), "dev1");
  REQUIRE(hub->accept_push("dev1", {{2, second}}, nullptr).ok());
  REQUIRE(hub->accept_push(
                 "dev2", {{2, change(id, "unit", "\"kip\"", Hlc::from_parts(kT0 + 30, 0), "dev2")}},
                 nullptr)
              .ok());
  Change other = second;
  other.version.value = "\"dong\"";
  CHECK(hub->accept_push("dev1", {{2, other}}, nullptr).status().code() == Code::kDeviceForked);
  CHECK((*hub->accept_push("dev1", {{2, second}}, nullptr))[0].kind ==
        MutationResult::Kind::kDuplicate);
}

TEST_CASE("store: a file from a newer LWC is refused with a clear error", "[store]") {
  TempDir dir;
  FakeClock clock(kT0);
  const std::string path = dir.file("new.db");
  {
    auto db = sql::Db::open(path);
    REQUIRE(db.ok());
    REQUIRE(db->exec("PRAGMA user_version=99").ok());
  }
  auto store = Store::open({path}, clock);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == Code::kSchemaTooNew);
  CHECK_THAT(store.status().message(), Catch::Contains("schema version 99"));
}

TEST_CASE("store: reopening keeps device id, clock, counters and cursor", "[store]") {
  TempDir dir;
  FakeClock clock(kT0);
  const std::string path = dir.file("r.db");
  std::string device;
  Hlc last;
  {
    auto store = open_store(path, clock);
    device = store->device_id();
    auto w = store->write_local("measurement", new_id(), "5202", {{"value", "1"}, {"as_of", "2"}});
    REQUIRE(w.ok());
    last = w->back().version.hlc;
    REQUIRE(store->apply_pulled({}, 42).ok());
  }
  clock.set_ms(kT0 - 3'600'000);  // the wall clock went back an hour while the client was closed
  auto store = open_store(path, clock);
  CHECK(store->device_id() == device);
  CHECK(*store->pull_cursor() == 42);
  auto w = store->write_local("measurement", new_id(), "5202", {{"value", "3"}});
  REQUIRE(w.ok());
  CHECK(w->front().version.hlc > last);
  auto out = store->outbox(10);
  REQUIRE(out.ok());
  REQUIRE(out->size() == 3);
  CHECK((*out)[2].counter == 3);  // numbering continues after a restart
}

TEST_CASE("store: the outbox survives a crash between write and send", "[store]") {
  TempDir dir;
  const std::string path = dir.file("crash.db");
  const std::string id = new_id();
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    FakeClock clock(kT0);
    auto s = Store::open({path}, clock);
    if (!s.ok()) _exit(2);
    for (int i = 0; i < 50; ++i) {
      if (!(*s)->write_local("measurement", id, "5203", {{"value", std::to_string(i)}}).ok()) {
        _exit(3);
      }
    }
    kill(getpid(), SIGKILL);  // no destructor, no close: as a power cut to the process
    _exit(4);
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  FakeClock clock(kT0);
  auto store = open_store(path, clock);
  auto out = store->outbox(1000);
  REQUIRE(out.ok());
  REQUIRE(out->size() == 50);
  for (int i = 0; i < 50; ++i) {
    CHECK((*out)[i].counter == i + 1);
    CHECK((*out)[i].change.version.value == std::to_string(i));
  }
  // Acknowledgement removes exactly what the hub confirmed.
  REQUIRE(store->ack_outbox(30).ok());
  CHECK(*store->outbox_size() == 20);
  CHECK(store->outbox(1)->front().counter == 31);
}

TEST_CASE("store: a push batch is applied exactly once", "[store]") {
  FakeClock clock(kT0);
  auto hub = open_store(":memory:", clock, "hub");
  const std::string id = new_id();
  std::vector<Mutation> batch;
  for (int i = 1; i <= 3; ++i) {
    batch.push_back({i, change(id, "f" + std::to_string(i), std::to_string(i),
                               Hlc::from_parts(kT0, i), "dev1")});
  }
  auto r1 = hub->accept_push("dev1", batch, nullptr);
  REQUIRE(r1.ok());
  for (auto& r : *r1) CHECK(r.kind == MutationResult::Kind::kApplied);
  const int64_t seq_after_first = hub->last_seq();
  CHECK(seq_after_first == 3);

  // The same batch again (the acknowledgement was lost): acknowledged as duplicates, not
  // re-applied.
  auto r2 = hub->accept_push("dev1", batch, nullptr);
  REQUIRE(r2.ok());
  for (auto& r : *r2) CHECK(r.kind == MutationResult::Kind::kDuplicate);
  CHECK(hub->last_seq() == seq_after_first);
  CHECK(*hub->device_progress("dev1") == 3);

  // A gap is refused and not consumed.
  auto r3 = hub->accept_push("dev1", {{5, change(id, "f5", "5", Hlc::from_parts(kT0, 9), "dev1")}},
                             nullptr);
  REQUIRE(r3.ok());
  CHECK((*r3)[0].kind == MutationResult::Kind::kRejected);
  CHECK((*r3)[0].reason.code() == Code::kConflict);
  CHECK(*hub->device_progress("dev1") == 3);
}

TEST_CASE("store: a reused change number with another change is a fork, not taken for a repeat",
          "[store]") {
  // A copied or restored data folder numbers its changes again from where the copy was taken.
  FakeClock clock(kT0);
  auto hub = open_store(":memory:", clock, "hub");
  const std::string id = new_id();
  std::vector<Mutation> original = {
      {1, change(id, "value", "100", Hlc::from_parts(kT0, 1), "dev1")},
      {2, change(id, "entered", "5", Hlc::from_parts(kT0, 2), "dev1")},
  };
  REQUIRE(hub->accept_push("dev1", original, nullptr).ok());
  // Another device overwrites "entered" later: dev1's change 2 is superseded, still a repeat.
  REQUIRE(hub->accept_push("dev2",
                           {{1, change(id, "entered", "6", Hlc::from_parts(kT0, 50), "dev2")}},
                           nullptr)
              .ok());
  auto repeat = hub->accept_push("dev1", original, nullptr);
  REQUIRE(repeat.ok());
  CHECK((*repeat)[0].kind == MutationResult::Kind::kDuplicate);
  CHECK((*repeat)[1].kind == MutationResult::Kind::kDuplicate);

  // The copy writes new figures under numbers 2 and (a field the hub never saw) 1, older (and
  // newer) than the original's: the whole push is refused as a fork, nothing of it applied.
  for (int64_t when : {kT0 - 1000, kT0 + 1000}) {
    std::vector<Mutation> copy = {
        {1, change(id, "collected", "9", Hlc::from_parts(when, 0), "dev1")},
        {2, change(id, "value", "7777", Hlc::from_parts(when, 1), "dev1")},
        {3, change(id, "updated", "1", Hlc::from_parts(when, 2), "dev1")},
    };
    auto r = hub->accept_push("dev1", copy, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kDeviceForked);
    CHECK_THAT(r.status().message(), Catch::Contains("copy of another"));
    CHECK((*hub->get_field("measurement", id, "value"))->value == "100");  // nothing overwritten
    CHECK(!hub->get_field("measurement", id, "collected")->has_value());
    CHECK(!hub->get_field("measurement", id, "updated")->has_value());
    CHECK(*hub->device_progress("dev1") == 2);
  }
  // The original's own repeat of number 1 is still a repeat: its verdict was not filed.
  auto again = hub->accept_push("dev1", {original[0]}, nullptr);
  REQUIRE(again.ok());
  CHECK((*again)[0].kind == MutationResult::Kind::kDuplicate);
}

TEST_CASE("store: the same clock value and device with another value is a copy, under any number",
          "[store][fork]") {
  // Two copies of one folder, both with a clock behind their last value, stamp the same clock
  // value on the same field. Whether it comes as a repeat of a used number or under the next one,
  // current or superseded at the hub, it is not taken for the other folder's version.
  FakeClock clock(kT0);
  auto hub = open_store(":memory:", clock, "hub");
  const std::string id = new_id();
  const Hlc at = Hlc::from_parts(kT0, 7);
  REQUIRE(hub->accept_push("dev1", {{1, change(id, "value", "100", at, "dev1")}}, nullptr).ok());
  for (int64_t counter : {1, 2}) {  // a used number, then the next one
    auto r = hub->accept_push("dev1", {{counter, change(id, "value", "200", at, "dev1")}}, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kDeviceForked);
    CHECK((*hub->get_field("measurement", id, "value"))->value == "100");
  }
  // The same version again is a repeat.
  auto same = hub->accept_push("dev1", {{1, change(id, "value", "100", at, "dev1")}}, nullptr);
  REQUIRE(same.ok());
  CHECK((*same)[0].kind == MutationResult::Kind::kDuplicate);
  // Superseded (in the lineage): still told apart, by the value's hash.
  REQUIRE(hub->accept_push("dev2",
                           {{1, change(id, "value", "300", Hlc::from_parts(kT0 + 10, 0), "dev2")}},
                           nullptr)
              .ok());
  auto late = hub->accept_push("dev1", {{2, change(id, "value", "200", at, "dev1")}}, nullptr);
  REQUIRE_FALSE(late.ok());
  CHECK(late.status().code() == Code::kDeviceForked);
  auto repeat = hub->accept_push("dev1", {{1, change(id, "value", "100", at, "dev1")}}, nullptr);
  REQUIRE(repeat.ok());
  CHECK((*repeat)[0].kind == MutationResult::Kind::kDuplicate);
  CHECK(*hub->device_progress("dev1") == 1);
}

TEST_CASE("store: a copy becomes a greater device id with every version it wrote queued again",
          "[store][fork]") {
  FakeClock clock(kT0);
  auto copy = open_store(":memory:", clock, "0123456789abcdef0123456789abcdef");
  auto hub = open_store(":memory:", clock, "hub");
  const std::string id = new_id();
  REQUIRE(
      copy->write_local("measurement", id, "5201", {{"value", "1"}, {"unit", "\"baht\""}}).ok());
  auto batch = copy->outbox(100);
  auto acked = hub->accept_push(copy->device_id(), *batch, nullptr);
  REQUIRE(acked.ok());
  REQUIRE(apply_push_results(*copy, *acked).ok());
  // Another device's later figure replaces ours here: ours is kept for a restored hub.
  REQUIRE(copy->apply_pulled({change(id, "value", "2", Hlc::from_parts(kT0 + 50, 0), "dev2")},
                             std::nullopt)
              .ok());
  REQUIRE(copy->write_local("measurement", id, "5201", {{"source", "\"GFMIS\""}}).ok());
  CHECK(copy->become_device("00000000000000000000000000000000").status().code() ==
        Code::kInvalidArgument);  // not greater: a renamed twin would lose to its original
  const std::string renamed = id_after(copy->device_id(), new_id());
  auto queued = copy->become_device(renamed);
  REQUIRE(queued.ok());
  CHECK(*queued == 3);  // unit (current), value 1 (replaced by dev2's), source (queued)
  auto outbox = copy->outbox(10);
  REQUIRE(outbox->size() == 3);
  CHECK(outbox->front().counter == 1);
  for (const Mutation& m : *outbox) CHECK(m.change.version.device == renamed);
  CHECK((*copy->get_field("measurement", id, "unit"))->device == renamed);
  CHECK(*copy->pull_cursor() == 0);
}

TEST_CASE("store: a validator's verdict and clock skew reject single mutations", "[store]") {
  FakeClock clock(kT0);
  auto hub = open_store(":memory:", clock, "hub");
  const std::string id = new_id();
  std::vector<Mutation> batch = {
      {1, change(id, "value", "1", Hlc::from_parts(kT0, 0), "dev")},
      {2, change(id, "secret", "1", Hlc::from_parts(kT0, 1), "dev")},
      {3, change(id, "as_of", "1", Hlc::from_parts(kT0 + 86'400'000, 0), "dev")},  // a day ahead
      {4, change(id, "entered", "1", Hlc::from_parts(kT0, 2), "dev")},
  };
  auto validator = [](const Change& c) {
    return c.field == "secret" ? Status(Code::kPermissionDenied, "no") : Status{};
  };
  auto r = hub->accept_push("dev", batch, validator);
  REQUIRE(r.ok());
  CHECK((*r)[0].kind == MutationResult::Kind::kApplied);
  CHECK((*r)[1].reason.code() == Code::kPermissionDenied);
  CHECK((*r)[2].reason.code() == Code::kClockSkew);
  CHECK((*r)[3].kind == MutationResult::Kind::kApplied);
  CHECK(*hub->device_progress("dev") == 4);  // rejected mutations are answered, not retried
  // The answer was lost and the batch comes again: the refusals are repeated, not turned into
  // "duplicate" (which would let the client drop them unseen).
  auto again = hub->accept_push("dev", batch, validator);
  REQUIRE(again.ok());
  CHECK((*again)[0].kind == MutationResult::Kind::kDuplicate);
  CHECK((*again)[1].kind == MutationResult::Kind::kRejected);
  CHECK((*again)[1].reason.code() == Code::kPermissionDenied);
  CHECK((*again)[2].reason.code() == Code::kClockSkew);
  CHECK((*again)[3].kind == MutationResult::Kind::kDuplicate);
  CHECK_FALSE(hub->get_field("measurement", id, "as_of")->has_value());
  CHECK(hub->hlc().last() < Hlc::from_parts(kT0 + 1, 0));  // the fast clock did not drag the hub
}

TEST_CASE("store: a row keeps its scope, a change naming another scope is refused", "[store]") {
  FakeClock clock(kT0);
  auto hub = open_store(":memory:", clock, "hub");
  const std::string id = new_id();
  REQUIRE(
      hub->accept_push("d", {{1, change(id, "value", "1", Hlc::from_parts(kT0, 0), "d")}}, nullptr)
          .ok());
  auto r = hub->accept_push(
      "d", {{2, change(id, "entered", "1", Hlc::from_parts(kT0, 1), "d", "5202")}}, nullptr);
  REQUIRE(r.ok());
  CHECK((*r)[0].reason.code() == Code::kPermissionDenied);
  CHECK_FALSE(hub->get_field("measurement", id, "entered")->has_value());
}

TEST_CASE("store: pull reads changes after a cursor, filtered by scope, in pages", "[store]") {
  FakeClock clock(kT0);
  auto hub = open_store(":memory:", clock, "hub");
  std::vector<Mutation> batch;
  int64_t n = 0;
  for (const char* scope : {"5201", "5202", "province", "5201"}) {
    ++n;
    Change c = change(new_id(), "value", std::to_string(n), Hlc::from_parts(kT0, n), "d", scope);
    if (std::string(scope) == "province") c.table = "target";
    batch.push_back({n, c});
  }
  REQUIRE(hub->accept_push("d", batch, nullptr).ok());
  auto all = hub->changes_after(0, ScopeFilter::everything(), 100);
  REQUIRE(all->size() == 4);
  auto mine = hub->changes_after(0, ScopeFilter::only({"5201", "province"}), 100);
  REQUIRE(mine->size() == 3);
  CHECK((*mine)[0].change.scope == "5201");
  CHECK((*mine)[1].change.scope == "province");
  auto page1 = hub->changes_after(0, ScopeFilter::only({"5201", "province"}), 2);
  REQUIRE(page1->size() == 2);
  auto page2 = hub->changes_after(page1->back().seq, ScopeFilter::only({"5201", "province"}), 2);
  REQUIRE(page2->size() == 1);
  CHECK(page2->front().seq == (*mine)[2].seq);
}

TEST_CASE("store: consecutive pull pages merge in one transaction, with the last page's cursor",
          "[store]") {
  FakeClock clock(kT0);
  auto client = open_store(":memory:", clock, "client");
  const std::string a = new_id(), b = new_id();
  auto seq = [](int64_t n, Change c) { return SeqChange{n, std::move(c)}; };
  std::vector<PullPage> pages(3);
  // Page 1 creates row a (two fields); page 2 is empty; page 3 writes a's first field again (a
  // newer version: the lookup on a row created in this transaction must still find it) and row b.
  pages[0].changes = {seq(1, change(a, "value", "1", Hlc::from_parts(kT0, 1), "d")),
                      seq(2, change(a, "source", "\"x\"", Hlc::from_parts(kT0, 2), "d"))};
  pages[0].next_cursor = 2;
  pages[1].next_cursor = 5;
  // An older version of a's source comes too: it must lose to the one page 1 wrote — proof that
  // the lookup found the version the same transaction had written.
  pages[2].changes = {seq(6, change(a, "value", "7", Hlc::from_parts(kT0, 6), "e")),
                      seq(7, change(b, "value", "3", Hlc::from_parts(kT0, 7), "d")),
                      seq(8, change(a, "source", "\"old\"", Hlc::from_parts(kT0, 0), "e"))};
  pages[2].next_cursor = 8;
  REQUIRE(apply_pull_pages(*client, pages).ok());
  CHECK(*client->pull_cursor() == 8);
  CHECK((*client->get_field("measurement", a, "value"))->value == "7");
  CHECK((*client->get_field("measurement", a, "source"))->value == "\"x\"");
  CHECK((*client->get_field("measurement", b, "value"))->value == "3");
  // Conflicts are the hub's verdict (it holds every version); a client files none.
  CHECK(client->conflicts()->empty());
}

TEST_CASE("store: a concurrent overwrite is kept as a conflict with both values", "[store]") {
  FakeClock clock(kT0);
  auto a = open_store(":memory:", clock, "device-a");
  auto b = open_store(":memory:", clock, "device-b");
  auto hub = open_store(":memory:", clock, "hub");
  const std::string id = new_id();
  auto wa = a->write_local("measurement", id, "5201", {{"value", "100"}});
  clock.advance_ms(5);
  auto wb = b->write_local("measurement", id, "5201", {{"value", "250"}});
  REQUIRE(hub->accept_push("device-a", {{1, wa->front()}}, nullptr).ok());
  REQUIRE(hub->accept_push("device-b", {{1, wb->front()}}, nullptr).ok());
  auto conflicts = hub->conflicts();
  REQUIRE(conflicts->size() == 1);
  const ConflictRecord& c = conflicts->front();
  CHECK(c.conflict.winner.value == "250");
  CHECK(c.conflict.winner.device == "device-b");
  CHECK(c.conflict.loser.value == "100");
  CHECK(c.conflict.loser.device == "device-a");
  CHECK(c.field == "value");

  // An edit made after seeing the value is not a conflict.
  REQUIRE(a->apply_pulled({wb->front()}, std::nullopt).ok());
  auto wa2 = a->write_local("measurement", id, "5201", {{"value", "260"}});
  CHECK(wa2->front().version.base == wb->front().version.hlc);
  REQUIRE(hub->accept_push("device-a", {{2, wa2->front()}}, nullptr).ok());
  CHECK(hub->conflicts()->size() == 1);
}

TEST_CASE(
    "store: a concurrent value is filed whatever the arrival order (a later base is not a "
    "sight of it)",
    "[store][conflict]") {
  // Issue 13, shape 1: the province enters 7001; Mae Mo, offline and never having seen it, enters
  // 7002 and then 7003 on top of its own 7002. Mae Mo's 7003 has a base (7002's clock) later than
  // 7001's clock — but Mae Mo never saw 7001.
  for (bool district_first : {true, false}) {
    INFO((district_first ? "Mae Mo syncs first" : "the province syncs first"));
    FakeClock clock(kT0);
    auto province = open_store(":memory:", clock, "province-device");
    auto maemo = open_store(":memory:", clock, "maemo-device");
    auto hub = open_store(":memory:", clock, "hub");
    const std::string id = new_id();
    auto p = province->write_local("measurement", id, "5202", {{"value", "7001"}});
    clock.advance_ms(10);
    auto m1 = maemo->write_local("measurement", id, "5202", {{"value", "7002"}});
    clock.advance_ms(10);
    auto m2 = maemo->write_local("measurement", id, "5202", {{"value", "7003"}});
    REQUIRE(m2->front().version.base == m1->front().version.hlc);
    auto push_maemo = [&] {
      REQUIRE(hub->accept_push("maemo-device", {{1, m1->front()}, {2, m2->front()}}, nullptr).ok());
    };
    auto push_province = [&] {
      REQUIRE(hub->accept_push("province-device", {{1, p->front()}}, nullptr).ok());
    };
    if (district_first) {
      push_maemo();
      push_province();
    } else {
      push_province();
      push_maemo();
    }
    CHECK((*hub->get_field("measurement", id, "value"))->value == "7003");
    auto conflicts = hub->conflicts();
    REQUIRE(conflicts->size() == 1);
    CHECK(conflicts->front().conflict.loser.value == "7001");
    CHECK(conflicts->front().conflict.loser.device == "province-device");
  }
}

TEST_CASE("store: a stale offline edit arriving after an overwrite of a newer value is filed",
          "[store][conflict]") {
  // Issue 13, shape 1b: Mae Mo's 100 reaches the hub; one Mae Mo computer goes offline and enters
  // 150 on top of it. A second one enters 200 (also on top of 100) and syncs; the province pulls
  // 200 and overwrites it with 210. Then the offline 150 arrives: older than 210, and 210's writer
  // (base 200, whose base is 100) never saw it.
  FakeClock clock(kT0);
  auto a = open_store(":memory:", clock, "maemo-a");
  auto b = open_store(":memory:", clock, "maemo-b");
  auto province = open_store(":memory:", clock, "province");
  auto hub = open_store(":memory:", clock, "hub");
  const std::string id = new_id();
  auto first = a->write_local("measurement", id, "5202", {{"value", "100"}});
  REQUIRE(hub->accept_push("maemo-a", {{1, first->front()}}, nullptr).ok());
  clock.advance_ms(5);
  auto offline = a->write_local("measurement", id, "5202", {{"value", "150"}});  // base: 100
  clock.advance_ms(5);
  REQUIRE(b->apply_pulled({first->front()}, std::nullopt).ok());
  auto newer = b->write_local("measurement", id, "5202", {{"value", "200"}});  // base: 100
  REQUIRE(hub->accept_push("maemo-b", {{1, newer->front()}}, nullptr).ok());
  // 200 over 100 is an ordinary overwrite; 200 and the unsent 150 have not met yet.
  CHECK(hub->conflicts()->empty());
  clock.advance_ms(5);
  REQUIRE(province->apply_pulled({newer->front()}, std::nullopt).ok());
  auto over = province->write_local("measurement", id, "5202", {{"value", "210"}});  // base: 200
  REQUIRE(hub->accept_push("province", {{1, over->front()}}, nullptr).ok());
  CHECK(hub->conflicts()->empty());
  REQUIRE(hub->accept_push("maemo-a", {{2, offline->front()}}, nullptr).ok());
  CHECK((*hub->get_field("measurement", id, "value"))->value == "210");
  auto conflicts = hub->conflicts();
  REQUIRE(conflicts->size() == 1);
  CHECK(conflicts->front().conflict.loser.value == "150");
  CHECK(conflicts->front().conflict.winner.value == "210");
  // And a correction made on top of a value the writer did see, two steps back, is not one: the
  // province's 210 saw 100 through 200.
  for (const ConflictRecord& k : *conflicts) CHECK(k.conflict.loser.value != "100");
  // Sent again under a new number (a repair after a restore resends what it holds): its verdict
  // is on file, it is not filed twice.
  REQUIRE(hub->accept_push("maemo-a", {{3, offline->front()}}, nullptr).ok());
  CHECK(*hub->device_progress("maemo-a") == 3);
  CHECK(hub->conflicts()->size() == 1);
}

TEST_CASE("store: a rejected mutation stays visible with its reason", "[store]") {
  FakeClock clock(kT0);
  auto store = open_store(":memory:", clock);
  REQUIRE(
      store->write_local("measurement", new_id(), "5204", {{"value", "1"}, {"as_of", "2"}}).ok());
  REQUIRE(store->reject_outbox(1, Status(Code::kPermissionDenied, "not your district")).ok());
  auto rej = store->rejected();
  REQUIRE(rej->size() == 1);
  CHECK((*rej)[0].mutation.counter == 1);
  CHECK((*rej)[0].reason.code() == Code::kPermissionDenied);
  CHECK((*rej)[0].reason.message() == "not your district");
  CHECK(*store->outbox_size() == 1);
}

TEST_CASE(
    "store: after a clock that ran a day ahead is corrected, what it stamped is re-stamped in "
    "order "
    "just after what the device knew, and the hub takes it",
    "[store][clock]") {
  TempDir dir;
  FakeClock clock(kT0), hub_clock(kT0);
  auto hub = open_store(":memory:", hub_clock, "hub");
  auto client = open_store(dir.file("c.db"), clock, "dev");
  auto push = [&](Store& from) {
    auto batch = from.outbox(100);
    REQUIRE(batch.ok());
    auto r = hub->accept_push(from.device_id(), *batch, {});
    REQUIRE(r.ok());
    REQUIRE(apply_push_results(from, *r).ok());
  };
  const std::string row = new_id(), other = new_id();
  REQUIRE(client->write_local("measurement", row, "5201", {{"value", "1"}}).ok());
  push(*client);
  REQUIRE(client->set_meta("last_sync_ms", std::to_string(kT0)).ok());
  const Hlc pulled = Hlc::from_parts(kT0 + 1000, 0);
  REQUIRE(client->apply_pulled({change(other, "note", "\"p\"", pulled, "province", "province")}, 1)
              .ok());

  // A day ahead: 2 then 3 on the figure, refused by the hub as clock_skew; then 4 on another
  // field, still queued; a second Store object on the file (the window's) also writes.
  clock.set_ms(kT0 + 86'400'000);
  auto other_window = open_store(dir.file("c.db"), clock);
  REQUIRE(client->write_local("measurement", row, "5201", {{"value", "2"}}).ok());
  REQUIRE(client->write_local("measurement", row, "5201", {{"value", "3"}}).ok());
  push(*client);
  REQUIRE(client->rejected()->size() == 2);
  REQUIRE(other_window->write_local("measurement", row, "5201", {{"as_of", "4"}}).ok());
  CHECK(*client->outbox_size() == 1);

  clock.set_ms(kT0 + 5000);
  hub_clock.set_ms(kT0 + 5000);
  auto r = client->restamp_ahead_of(kT0 + 5000 + 300'000);
  REQUIRE(r.ok());
  CHECK(r->restamped == 3);
  CHECK(r->requeued == 2);
  CHECK(client->rejected()->empty());
  auto queued = client->outbox(10);
  REQUIRE(queued->size() == 3);
  // In the original order, right after the newest version the device held, bases following.
  CHECK((*queued)[0].change.version.value == "2");
  CHECK((*queued)[0].change.version.hlc == Hlc{pulled.packed + 1});
  CHECK((*queued)[1].change.version.value == "3");
  CHECK((*queued)[1].change.version.hlc == Hlc{pulled.packed + 2});
  CHECK((*queued)[1].change.version.base == Hlc{pulled.packed + 1});
  CHECK((*queued)[2].change.field == "as_of");
  CHECK((*queued)[2].change.version.hlc == Hlc{pulled.packed + 3});
  CHECK((*queued)[0].counter == 4);  // the outbox's first counter: the hub took 1..3
  CHECK((*client->get_field("measurement", row, "value"))->hlc == Hlc{pulled.packed + 2});
  // Nothing is re-stamped twice; both Store objects now stamp below the bound.
  CHECK(client->restamp_ahead_of(kT0 + 5000 + 300'000)->restamped == 0);
  auto after = other_window->write_local("measurement", row, "5201", {{"unit", "\"baht\""}});
  REQUIRE(after.ok());
  CHECK(after->front().version.hlc < Hlc::from_parts(kT0 + 6000, 0));

  push(*client);
  CHECK(client->rejected()->empty());
  CHECK(*client->outbox_size() == 0);
  CHECK((*hub->get_field("measurement", row, "value"))->value == "3");
  CHECK((*hub->get_field("measurement", row, "unit"))->value == "\"baht\"");
  CHECK(hub->conflicts()->empty());  // 3 came on top of 2 on top of 1: one writer's chain
  CHECK(*client->export_canonical(ScopeFilter::only({"5201"})) ==
        *hub->export_canonical(ScopeFilter::only({"5201"})));
}

TEST_CASE("store: a full disk is a clear error and loses nothing already written", "[store]") {
  TempDir dir;
  FakeClock clock(kT0);
  auto store = open_store(dir.file("full.db"), clock);
  const std::string id = new_id();
  REQUIRE(store->write_local("measurement", id, "5201", {{"value", "1"}}).ok());
  auto pages = store->db().prepare("PRAGMA page_count");
  REQUIRE(pages->step());
  // Cap the file at its current size: the next growing write finds the "disk" full.
  REQUIRE(store->db().exec("PRAGMA max_page_count=" + std::to_string(pages->col_int(0))).ok());
  std::string big(64 * 1024, 'x');
  auto w = store->write_local("measurement", new_id(), "5201", {{"source", "\"" + big + "\""}});
  REQUIRE_FALSE(w.ok());
  CHECK(w.status().code() == Code::kDiskFull);
  CHECK_THAT(w.status().message(), Catch::Contains("disk full"));
  CHECK_THAT(w.status().message(), Catch::Contains("full.db"));
  CHECK_THAT(w.status().message(), Catch::Contains("free space"));
  CHECK(*store->outbox_size() == 1);
  CHECK((*store->get_field("measurement", id, "value"))->value == "1");
  // After space is freed the store works on, numbering without a hole.
  REQUIRE(store->db().exec("PRAGMA max_page_count=1000000").ok());
  auto again = store->write_local("measurement", id, "5201", {{"value", "2"}});
  REQUIRE(again.ok());
  CHECK(store->outbox(10)->back().counter == 2);
}

TEST_CASE("store: export is canonical and identical for identical versions", "[store]") {
  FakeClock clock(kT0);
  auto a = open_store(":memory:", clock, "a");
  auto b = open_store(":memory:", clock, "b");
  std::vector<Change> changes;
  const std::string id1 = new_id(), id2 = new_id();
  changes.push_back(change(id2, "value", "2", Hlc::from_parts(kT0, 1), "x"));
  changes.push_back(change(id1, "value", "1", Hlc::from_parts(kT0, 2), "x"));
  changes.push_back(change(id1, "source", "\"ระบบ GFMIS\"", Hlc::from_parts(kT0, 3), "y"));
  REQUIRE(a->apply_pulled(changes, std::nullopt).ok());
  std::reverse(changes.begin(), changes.end());
  REQUIRE(b->apply_pulled(changes, std::nullopt).ok());
  auto ea = a->export_canonical(ScopeFilter::everything());
  auto eb = b->export_canonical(ScopeFilter::everything());
  CHECK(*ea == *eb);
  CHECK_THAT(*ea, Catch::Contains("\"source\":{\"value\":\"ระบบ GFMIS\""));
  auto parsed = nlohmann::json::parse(*ea);  // valid JSON
  CHECK(parsed["rows"].size() == 2);
}

TEST_CASE("store: a push's stamps are written in its transaction, after the changes they judge",
          "[store][claims]") {
  TempDir dir;
  FakeClock clock(kT0);
  auto hub = open_store(dir.file("hub.db"), clock, "hub");
  const std::string id = new_id();
  const Hlc claim = Hlc::from_parts(kT0 - 1000, 0);
  std::vector<Store::AppliedChange> seen;
  auto stamp =
      [&](const std::vector<Store::AppliedChange>& applied) -> Result<std::vector<RowWrite>> {
    seen = applied;
    return std::vector<RowWrite>{{"measurement", id, "5201", {{"counted_at", "7"}}}};
  };
  auto pushed =
      hub->accept_push("dev1",
                       {{1, change(id, "value", "1", claim, "dev1")},
                        {2, change(id, "value", "2", Hlc::from_parts(kT0 - 2000, 0), "dev1")}},
                       nullptr, stamp);
  REQUIRE(pushed.ok());
  // Only what became current is handed over: the second, older one is stale.
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].change->version.value == "1");
  CHECK(!seen[0].replaced.has_value());  // a new field
  auto stamped = hub->get_field("measurement", id, "counted_at");
  REQUIRE(stamped.ok());
  REQUIRE(stamped->has_value());
  CHECK((*stamped)->value == "7");
  CHECK((*stamped)->device == "hub");
  CHECK((*stamped)->hlc.packed > claim.packed);

  // A stamper that fails takes the whole batch with it: nothing applied, no counter consumed.
  auto failing = [](const std::vector<Store::AppliedChange>&) -> Result<std::vector<RowWrite>> {
    return Status(Code::kIo, "disk I/O error");
  };
  const int64_t seq = hub->last_seq();
  auto refused = hub->accept_push(
      "dev1", {{3, change(id, "value", "3", Hlc::from_parts(kT0, 0), "dev1")}}, nullptr, failing);
  CHECK(refused.status().code() == Code::kIo);
  CHECK(*hub->device_progress("dev1") == 2);
  CHECK(hub->last_seq() == seq);
  CHECK((*hub->get_field("measurement", id, "value"))->value == "1");
}
