// Power loss (issue 13, item 6): kill -9 keeps the OS page cache, so it cannot show that
// synchronous=FULL makes a commit durable. Here every write not yet fsynced is dropped at a random
// point (CrashVfs, crash_vfs.h), for the hub store and the client store, and the file must open
// clean and keep everything that was acknowledged.
//
// A round: plan a workload from the round's seed; run it once through the shim without a crash to
// count its I/O operations (xWrite, xTruncate, xSync, xDelete), T; run it again on a fresh file
// with the crash after operation N, N uniform in [1, T]; cut the power (each unsynced write reached
// the disk or not, at random); reopen the file with the normal VFS and check it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "crash_vfs.h"
#include "lwc/store.h"
#include "temp_dir.h"

using namespace lwc;
using lwc::test::CrashVfs;
using lwc::test::TempDir;

namespace {
constexpr int64_t kT0 = 1'795'000'000'000;  // 2026-11-18
constexpr int64_t kDrift = 5 * 60 * 1000;
const std::vector<std::string> kFields = {"value", "entered", "as_of", "note"};
constexpr int kRows = 5;

std::string row_id(int n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", 0xc0ffee00 + n);
  return buf;
}

// The merge order of merge.h, written out here so that the test does not trust the code it checks:
// true when version a is b or newer (greater or equal (hlc, device)).
bool at_least(const FieldVersion& a, const FieldVersion& b) {
  return std::tie(a.hlc, a.device) >= std::tie(b.hlc, b.device);
}

std::string integrity(Store& store) {
  auto st = store.db().prepare("PRAGMA integrity_check");
  if (!st.ok()) return st.status().message();
  std::string out;
  while (st->step()) out += (out.empty() ? "" : "; ") + st->col_text(0);
  if (!st->last_status().ok()) return st->last_status().message();
  return out;
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ec;
    std::filesystem::remove(path + suffix, ec);
  }
}

// What the checks of all rounds of one test found.
struct Tally {
  int rounds = 0;
  int crashed_in_open = 0;   // the crash came while the store was being created
  int crashed_mid_work = 0;  // ... while the workload ran, after at least one acknowledged step
  int other = 0;             // ... before the first acknowledged step, or after the last
  int64_t acknowledged_checked = 0;  // acknowledged writes (mutations, field writes) checked
  int64_t lost = 0;     // acknowledged writes, acks or cursors not in the reopened file
  int64_t foreign = 0;  // field versions or outbox entries that no step ever wrote
  int64_t unsynced = 0, dropped = 0;  // CrashVfs::PowerLoss, summed
  int checkpointed = 0;               // rounds whose workload checkpointed (the database file grew)
  std::vector<std::string> problems;  // the first few, for the report
  void problem(const std::string& what) {
    if (problems.size() < 5) problems.push_back(what);
  }
};

// --- the hub: push batches of two devices ---
class HubWorkload {
 public:
  struct Push {
    std::string device;
    std::vector<Mutation> batch;
  };

  explicit HubWorkload(uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::map<std::string, int64_t> next;
    int64_t value = 1;
    for (int step = 0; step < 40; ++step) {
      Push p{rng() % 2 ? "devA" : "devB", {}};
      const int n = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < n; ++i) {
        const Hlc hlc = Hlc::from_parts(kT0 + 10 * step, static_cast<uint32_t>(i));
        p.batch.push_back(
            {++next[p.device], Change{"measurement", row_id(static_cast<int>(rng() % kRows)),
                                      "5201", kFields[rng() % kFields.size()],
                                      FieldVersion{std::to_string(value++), hlc, p.device, {}}}});
      }
      plan_.push_back(std::move(p));
    }
  }

  static StoreOptions options(const std::string& path, bool durable) {
    return StoreOptions{path, "hub", kDrift, durable};
  }

  // Runs the plan until a step fails; returns that failure (ok: every step was acknowledged).
  Status run(Store& store) {
    for (const Push& p : plan_) {
      auto r = store.accept_push(p.device, p.batch, nullptr);
      if (!r.ok()) {
        failed_ = &p;
        return r.status();
      }
      acknowledged_.push_back(&p);
    }
    return {};
  }
  size_t acknowledged_steps() const { return acknowledged_.size(); }
  bool finished() const { return acknowledged_.size() == plan_.size(); }

  void verify(Store& store, Tally& tally) {
    // Every version a step sent, acknowledged or not: nothing else may be in the file.
    std::map<std::tuple<std::string, std::string>, std::vector<FieldVersion>> sent;
    for (const Push* p : acknowledged_) {
      for (const Mutation& m : p->batch)
        sent[{m.change.row_id, m.change.field}].push_back(m.change.version);
    }
    if (failed_) {
      for (const Mutation& m : failed_->batch) {
        sent[{m.change.row_id, m.change.field}].push_back(m.change.version);
      }
    }
    // Every acknowledged mutation: its version or a newer one is current.
    std::map<std::string, int64_t> last_acknowledged;
    for (const Push* p : acknowledged_) {
      last_acknowledged[p->device] = p->batch.back().counter;
      for (const Mutation& m : p->batch) {
        ++tally.acknowledged_checked;
        auto f = store.get_field(m.change.table, m.change.row_id, m.change.field);
        REQUIRE(f.ok());
        if (!*f || !at_least(**f, m.change.version)) {
          ++tally.lost;
          tally.problem(m.change.version.device + " mutation " + std::to_string(m.counter) +
                        " (value " + m.change.version.value + ") is not in the file");
        }
      }
    }
    for (int r = 0; r < kRows; ++r) {
      for (const std::string& field : kFields) {
        auto f = store.get_field("measurement", row_id(r), field);
        REQUIRE(f.ok());
        if (!*f) continue;
        const auto& candidates = sent[{row_id(r), field}];
        if (std::find(candidates.begin(), candidates.end(), **f) == candidates.end()) {
          ++tally.foreign;
          tally.problem("field " + field + " holds " + (*f)->value + ", which no push sent");
        }
      }
    }
    // device_progress: the last acknowledged counter, or the unacknowledged batch's last (a batch
    // is one transaction: all of it or none).
    for (const std::string device : {"devA", "devB"}) {
      auto progress = store.device_progress(device);
      REQUIRE(progress.ok());
      const int64_t acked = last_acknowledged.count(device) ? last_acknowledged[device] : 0;
      const bool failed_here = failed_ && failed_->device == device;
      if (*progress < acked) {
        ++tally.lost;
        tally.problem(device + " progress " + std::to_string(*progress) + " < acknowledged " +
                      std::to_string(acked));
      } else if (*progress != acked &&
                 !(failed_here && *progress == failed_->batch.back().counter)) {
        ++tally.foreign;
        tally.problem(device + " progress " + std::to_string(*progress) + " is no batch's end");
      }
    }
    // The device whose batch was not acknowledged sends it again: exactly once, applied now or
    // recognized as a duplicate (never a gap, never a "forked" device).
    if (failed_) {
      auto again = store.accept_push(failed_->device, failed_->batch, nullptr);
      REQUIRE(again.ok());
      for (const MutationResult& r : *again) CHECK(r.kind != MutationResult::Kind::kRejected);
      auto progress = store.device_progress(failed_->device);
      REQUIRE(progress.ok());
      CHECK(*progress == failed_->batch.back().counter);
    }
  }

 private:
  std::vector<Push> plan_;
  std::vector<const Push*> acknowledged_;
  const Push* failed_ = nullptr;
};

// --- the client: local edits, pulled pages with a cursor, acknowledgements of the outbox ---
class ClientWorkload {
 public:
  explicit ClientWorkload(uint64_t seed) {
    std::mt19937_64 rng(seed);
    int64_t value = 1;
    int64_t feed_ms = kT0;
    for (int step = 0; step < 40; ++step) {
      Step s;
      const unsigned kind = rng() % 20;
      s.kind = kind < 12 ? Kind::kWrite : kind < 17 ? Kind::kPull : Kind::kAck;
      s.row = static_cast<int>(rng() % kRows);
      if (s.kind == Kind::kWrite) {
        const int n = 1 + static_cast<int>(rng() % 3);
        for (int i = 0; i < n; ++i) {
          s.writes.push_back({kFields[(s.row + i) % kFields.size()], std::to_string(value++)});
        }
      } else if (s.kind == Kind::kPull) {
        const int n = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < n; ++i) {
          feed_ms += 1 + static_cast<int64_t>(rng() % 6);
          s.page.push_back(Change{
              "measurement", row_id(static_cast<int>(rng() % kRows)), "5201",
              kFields[rng() % kFields.size()],
              FieldVersion{std::to_string(value++), Hlc::from_parts(feed_ms, 0), "other", {}}});
        }
      } else {
        s.keep = static_cast<int64_t>(rng() % 3);  // ack all but the newest `keep` mutations
      }
      plan_.push_back(std::move(s));
    }
  }

  static StoreOptions options(const std::string& path, bool durable) {
    return StoreOptions{path, "dev", kDrift, durable};
  }

  Status run(Store& store, FakeClock& clock) {
    int64_t written = 0;  // the highest counter acknowledged
    for (const Step& s : plan_) {
      clock.advance_ms(3);
      Status status;
      if (s.kind == Kind::kWrite) {
        auto w = store.write_local("measurement", row_id(s.row), "5201", s.writes);
        if (w.ok()) {
          for (Change& c : *w) acknowledged_writes_.push_back({++written, std::move(c)});
        }
        status = w.status();
      } else if (s.kind == Kind::kPull) {
        std::vector<Change> page = s.page;
        const int64_t cursor = pulled_ + static_cast<int64_t>(page.size());
        attempted_pulled_ = cursor;
        status = store.apply_pulled(page, cursor);
        if (status.ok()) pulled_ = cursor;
      } else {
        const int64_t target = std::max(ack_, written - s.keep);
        attempted_ack_ = target;
        status = store.ack_outbox(target);
        if (status.ok()) ack_ = target;
      }
      if (!status.ok()) {
        failed_ = &s;
        return status;
      }
      ++acknowledged_steps_;
    }
    return {};
  }
  size_t acknowledged_steps() const { return acknowledged_steps_; }
  bool finished() const { return acknowledged_steps_ == plan_.size(); }

  void verify(Store& store, Tally& tally) {
    // The changes of the feed, seq 1, 2, 3... in the order pages were planned.
    std::vector<Change> feed;
    for (const Step& s : plan_) feed.insert(feed.end(), s.page.begin(), s.page.end());

    // Outbox: nothing acknowledged by an ack; every acknowledged write above it, unchanged.
    auto out = store.outbox(1'000'000);
    REQUIRE(out.ok());
    std::map<int64_t, Change> outbox;
    for (Mutation& m : *out) outbox[m.counter] = std::move(m.change);
    const int64_t may_be_acked = failed_ && failed_->kind == Kind::kAck ? attempted_ack_ : ack_;
    for (const auto& [counter, change] : outbox) {
      if (counter <= ack_) {
        ++tally.lost;
        tally.problem("outbox still holds " + std::to_string(counter) + ", acknowledged by an ack");
      }
    }
    for (const Mutation& m : acknowledged_writes_) {
      ++tally.acknowledged_checked;
      if (m.counter > may_be_acked) {
        auto it = outbox.find(m.counter);
        if (it == outbox.end() || !(it->second == m.change)) {
          ++tally.lost;
          tally.problem("outbox lost mutation " + std::to_string(m.counter) + " (value " +
                        m.change.version.value + ")");
        }
      }
      auto f = store.get_field(m.change.table, m.change.row_id, m.change.field);
      REQUIRE(f.ok());
      if (!*f || !at_least(**f, m.change.version)) {
        ++tally.lost;
        tally.problem("field " + m.change.field + " lost value " + m.change.version.value);
      }
    }

    // Pull cursor: at least the last acknowledged one, and every change at or below it is here.
    auto cursor = store.pull_cursor();
    REQUIRE(cursor.ok());
    if (*cursor < pulled_) {
      ++tally.lost;
      tally.problem("pull cursor " + std::to_string(*cursor) + " < acknowledged " +
                    std::to_string(pulled_));
    }
    if (*cursor > std::max(pulled_, attempted_pulled_)) {
      ++tally.foreign;
      tally.problem("pull cursor " + std::to_string(*cursor) + " was never sent");
    }
    for (int64_t seq = 1; seq <= *cursor && seq <= static_cast<int64_t>(feed.size()); ++seq) {
      const Change& c = feed[seq - 1];
      auto f = store.get_field(c.table, c.row_id, c.field);
      REQUIRE(f.ok());
      if (!*f || !at_least(**f, c.version)) {
        ++tally.foreign;  // the cursor points past a change the file does not hold
        tally.problem("pull cursor " + std::to_string(*cursor) + " is past change " +
                      std::to_string(seq) + ", which is not in the file");
      }
    }

    // Every current field version and outbox entry was written by some step.
    for (int r = 0; r < kRows; ++r) {
      for (const std::string& field : kFields) {
        auto f = store.get_field("measurement", row_id(r), field);
        REQUIRE(f.ok());
        if (!*f) continue;
        if (!written_by_a_step(row_id(r), field, **f, feed)) {
          ++tally.foreign;
          tally.problem("field " + field + " holds " + (*f)->value + ", which no step wrote");
        }
      }
    }
    for (const auto& [counter, change] : outbox) {
      if (change.version.device != "dev" ||
          !written_by_a_step(change.row_id, change.field, change.version, feed)) {
        ++tally.foreign;
        tally.problem("outbox entry " + std::to_string(counter) + " was never written");
      }
    }

    // A new edit after the restart gets a counter above every acknowledged one.
    auto w = store.write_local("measurement", row_id(0), "5201", {{"value", "\"after\""}});
    REQUIRE(w.ok());
    auto last = store.outbox(1'000'000);
    REQUIRE(last.ok());
    REQUIRE_FALSE(last->empty());
    const int64_t highest = acknowledged_writes_.empty() ? 0 : acknowledged_writes_.back().counter;
    if (last->back().counter <= highest) {
      ++tally.lost;
      tally.problem("the next edit reuses counter " + std::to_string(last->back().counter));
    }
  }

 private:
  enum class Kind { kWrite, kPull, kAck };
  struct Step {
    Kind kind = Kind::kWrite;
    int row = 0;
    std::vector<Store::FieldWrite> writes;  // kWrite
    std::vector<Change> page;               // kPull
    int64_t keep = 0;                       // kAck
  };

  // Whether `v` of row.field is a version some step wrote: an acknowledged local edit, the one
  // that was not acknowledged (its clock is unknown: value and device), or a change of the feed.
  bool written_by_a_step(const std::string& row, const std::string& field, const FieldVersion& v,
                         const std::vector<Change>& feed) const {
    for (const Mutation& m : acknowledged_writes_) {
      if (m.change.row_id == row && m.change.field == field && m.change.version == v) return true;
    }
    if (failed_ && failed_->kind == Kind::kWrite && row == row_id(failed_->row) &&
        v.device == "dev") {
      for (const Store::FieldWrite& w : failed_->writes) {
        if (w.field == field && w.value == v.value) return true;
      }
    }
    for (const Change& c : feed) {
      if (c.row_id == row && c.field == field && c.version == v) return true;
    }
    return false;
  }

  std::vector<Step> plan_;
  std::vector<Mutation> acknowledged_writes_;  // with the counters the store gave them
  int64_t pulled_ = 0, attempted_pulled_ = 0;  // the cursor acknowledged; the one last sent
  int64_t ack_ = 0, attempted_ack_ = 0;        // the ack acknowledged; the one last sent
  size_t acknowledged_steps_ = 0;
  const Step* failed_ = nullptr;
};

Status run_workload(HubWorkload& w, Store& store, FakeClock&) {
  return w.run(store);
}
Status run_workload(ClientWorkload& w, Store& store, FakeClock& clock) {
  return w.run(store, clock);
}

// Before the workload: in odd rounds, a checkpoint every 8 WAL pages (the default is 1000, which no
// round reaches), so that checkpoints — database writes, the database's sync, the WAL starting over
// from its beginning — fall inside the crash window too.
Status start(Store& store, uint64_t seed) {
  return seed % 2 ? store.db().exec("PRAGMA wal_autocheckpoint=8") : Status{};
}

// One round as described at the top. Checks that the file opens clean; adds the rest to `tally`.
template <class Workload>
void crash_round(const TempDir& dir, uint64_t seed, bool durable, Tally& tally) {
  INFO("seed " << seed);
  // Dry run: the plan's I/O operations until its last step (the close's checkpoint not included).
  int64_t total = 0;
  {
    const std::string path = dir.file("dry.db");
    CrashVfs vfs(seed);
    FakeClock clock(kT0);
    Workload w(seed);
    auto store = Store::open(Workload::options(path, durable), clock);
    REQUIRE(store.ok());
    REQUIRE(start(**store, seed).ok());
    const auto size_before = std::filesystem::file_size(path);
    Status s = run_workload(w, **store, clock);
    REQUIRE(s.ok());
    total = vfs.ops();
    if (std::filesystem::file_size(path) > size_before) ++tally.checkpointed;
    store->reset();
    remove_db(path);
  }
  std::mt19937_64 rng(seed * 7919 + 1);
  const int64_t crash_at = std::uniform_int_distribution<int64_t>(1, total)(rng);
  INFO("crash after I/O operation " << crash_at << " of " << total);

  const std::string path = dir.file("crash.db");
  Workload w(seed);
  bool opened = false;
  {
    CrashVfs vfs(seed ^ 0x5eed);
    vfs.crash_after(crash_at);
    FakeClock clock(kT0);
    auto store = Store::open(Workload::options(path, durable), clock);
    opened = store.ok();
    if (opened) {
      Status s = start(**store, seed);
      if (s.ok()) s = run_workload(w, **store, clock);
      if (!s.ok() && !vfs.crashed()) FAIL("a step failed before the crash: " << s.to_string());
      store->reset();  // the dead process's connection goes away
    } else if (!vfs.crashed()) {
      FAIL("open failed before the crash: " << store.status().to_string());
    }
    vfs.crash_now();
    const CrashVfs::PowerLoss loss = vfs.power_off();
    tally.unsynced += loss.unsynced;
    tally.dropped += loss.dropped;
  }  // the normal VFS is the default again

  ++tally.rounds;
  if (!opened) {
    ++tally.crashed_in_open;
  } else if (w.acknowledged_steps() > 0 && !w.finished()) {
    ++tally.crashed_mid_work;
  } else {
    ++tally.other;
  }

  FakeClock clock(kT0 + 3'600'000);
  auto store = Store::open(Workload::options(path, durable), clock);
  REQUIRE(store.ok());
  REQUIRE(integrity(**store) == "ok");
  w.verify(**store, tally);
  store->reset();
  remove_db(path);
}

std::string summary(const char* what, const Tally& t) {
  std::string s = std::string(what) + ": " + std::to_string(t.rounds) + " rounds, crash mid-work " +
                  std::to_string(t.crashed_mid_work) + ", in open " +
                  std::to_string(t.crashed_in_open) + ", other " + std::to_string(t.other) +
                  "; acknowledged writes checked " + std::to_string(t.acknowledged_checked) +
                  ", lost " + std::to_string(t.lost) + ", foreign " + std::to_string(t.foreign) +
                  "; unsynced ops at the crash " + std::to_string(t.unsynced) + ", dropped " +
                  std::to_string(t.dropped) + "; rounds with a checkpoint " +
                  std::to_string(t.checkpointed);
  for (const std::string& p : t.problems) s += "\n  " + p;
  return s;
}
}  // namespace

TEST_CASE("crash: the shim keeps synced writes and drops each unsynced one at random", "[crash]") {
  TempDir dir;
  const std::string path = dir.file("raw");
  // After a synced "AAAAAAAA": "BBBB" at 2, "CC" at 9 (past the end: a hole), a truncation to 10,
  // "D" at 0. The disk must hold the synced bytes with some subset of these, applied in order.
  struct RawOp {
    bool truncate;
    int64_t at;
    std::string bytes;
  };
  const std::vector<RawOp> ops = {
      {false, 2, "BBBB"}, {false, 9, "CC"}, {true, 10, ""}, {false, 0, "D"}};
  auto apply = [](std::string& file, const RawOp& op) {
    if (op.truncate) {
      file.resize(static_cast<size_t>(op.at), '\0');
      return;
    }
    if (file.size() < op.at + op.bytes.size()) file.resize(op.at + op.bytes.size(), '\0');
    file.replace(static_cast<size_t>(op.at), op.bytes.size(), op.bytes);
  };
  std::set<std::string> possible;
  for (unsigned mask = 0; mask < (1u << ops.size()); ++mask) {
    std::string file = "AAAAAAAA";
    for (size_t i = 0; i < ops.size(); ++i) {
      if (mask & (1u << i)) apply(file, ops[i]);
    }
    possible.insert(file);
  }

  std::set<std::string> seen;
  for (uint64_t seed = 1; seed <= 64; ++seed) {
    std::filesystem::remove(path);
    {
      CrashVfs vfs(seed);
      sqlite3_vfs* shim = sqlite3_vfs_find(nullptr);
      REQUIRE(std::string(shim->zName) == "lwc-crash");
      std::vector<char> handle(static_cast<size_t>(shim->szOsFile));
      auto* f = reinterpret_cast<sqlite3_file*>(handle.data());
      REQUIRE(shim->xOpen(shim, path.c_str(), f,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MAIN_DB,
                          nullptr) == SQLITE_OK);
      const sqlite3_io_methods& io = *f->pMethods;
      REQUIRE(io.xWrite(f, "AAAAAAAA", 8, 0) == SQLITE_OK);
      REQUIRE(io.xSync(f, SQLITE_SYNC_NORMAL) == SQLITE_OK);
      for (const RawOp& op : ops) {
        const int rc =
            op.truncate ? io.xTruncate(f, op.at)
                        : io.xWrite(f, op.bytes.data(), static_cast<int>(op.bytes.size()), op.at);
        REQUIRE(rc == SQLITE_OK);
      }
      CHECK(vfs.ops() == 6);
      vfs.crash_now();
      char buf[4];
      CHECK(io.xWrite(f, "EEEE", 4, 0) == SQLITE_IOERR_WRITE);
      CHECK(io.xRead(f, buf, 4, 0) == SQLITE_IOERR_READ);
      CHECK(io.xSync(f, SQLITE_SYNC_NORMAL) == SQLITE_IOERR_FSYNC);
      CHECK_THROWS_AS(vfs.power_off(), std::logic_error);  // the file is still open
      REQUIRE(io.xClose(f) == SQLITE_OK);
      const CrashVfs::PowerLoss loss = vfs.power_off();
      CHECK(loss.unsynced == 4);
    }
    std::ifstream in(path, std::ios::binary);
    const std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO("seed " << seed << ": " << got);
    CHECK(possible.count(got) == 1);
    seen.insert(got);
  }
  CHECK(seen.size() >= 8);  // of 16 subsets (some give the same bytes): the choices are independent
  CHECK(seen.count("AAAAAAAA") == 1);

  // crash_after(n): the n-th counted operation is the last that happens.
  std::filesystem::remove(path);
  CrashVfs vfs(1);
  vfs.crash_after(2);
  sqlite3_vfs* shim = sqlite3_vfs_find(nullptr);
  std::vector<char> handle(static_cast<size_t>(shim->szOsFile));
  auto* f = reinterpret_cast<sqlite3_file*>(handle.data());
  REQUIRE(shim->xOpen(shim, path.c_str(), f,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MAIN_DB,
                      nullptr) == SQLITE_OK);
  CHECK(f->pMethods->xWrite(f, "1", 1, 0) == SQLITE_OK);
  CHECK_FALSE(vfs.crashed());
  CHECK(f->pMethods->xWrite(f, "2", 1, 1) == SQLITE_OK);
  CHECK(vfs.crashed());
  CHECK(f->pMethods->xWrite(f, "3", 1, 2) == SQLITE_IOERR_WRITE);
  CHECK(vfs.ops() == 2);
  CHECK(f->pMethods->xClose(f) == SQLITE_OK);
}

TEST_CASE("crash: the hub keeps every acknowledged push batch through a power loss", "[crash]") {
  TempDir dir;
  Tally tally;
  for (uint64_t seed = 1; seed <= 80; ++seed) crash_round<HubWorkload>(dir, seed, true, tally);
  WARN(summary("hub, durable", tally));
  CHECK(tally.lost == 0);
  CHECK(tally.foreign == 0);
  CHECK(tally.crashed_mid_work >= tally.rounds * 3 / 4);  // not vacuous
  CHECK(tally.dropped > 0);
}

TEST_CASE("crash: the client keeps acknowledged edits, outbox and pull cursor through a power loss",
          "[crash]") {
  TempDir dir;
  Tally tally;
  for (uint64_t seed = 1001; seed <= 1080; ++seed) {
    crash_round<ClientWorkload>(dir, seed, true, tally);
  }
  WARN(summary("client, durable", tally));
  CHECK(tally.lost == 0);
  CHECK(tally.foreign == 0);
  CHECK(tally.crashed_mid_work >= tally.rounds * 3 / 4);
  CHECK(tally.dropped > 0);
}

// The harness can fail: WAL with synchronous=NORMAL does not fsync a commit, so a power loss must
// take acknowledged edits with it — but never leave a broken file or a cursor past missing data.
TEST_CASE("crash: without durable=true a power loss loses acknowledged edits", "[crash]") {
  TempDir dir;
  Tally tally;
  for (uint64_t seed = 2001; seed <= 2040; ++seed) {
    crash_round<ClientWorkload>(dir, seed, false, tally);
  }
  WARN(summary("client, not durable", tally));
  CHECK(tally.lost > 0);
  CHECK(tally.foreign == 0);
  CHECK(tally.crashed_mid_work >= tally.rounds * 3 / 4);
}
