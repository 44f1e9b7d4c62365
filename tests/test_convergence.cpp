// Convergence property test of the sync model (BRIEF.md §4).
//
// For each seed: a hub and 3–4 client replicas, each a real SQLite store with its own skewed clock.
// Clients edit overlapping rows and fields (including tombstones) while a simulated network
// delivers push and pull messages in random order, drops some, duplicates some, and clients
// retransmit. Then the network heals and everyone syncs to the end. Checked, for every seed:
//  1. every replica's canonical export is byte-identical to the hub's;
//  2. every mutation was applied at the hub exactly once (counted), and every outbox drained;
//  3. no acknowledged value is lost: each field holds the greatest (hlc, device) of all writes the
//     hub acknowledged for it, and every other acknowledged value was either seen by a later writer
//     or kept in the hub's conflicts table, or a later winner has its value. "Seen" is what the
//     oracle watched: the versions that had reached the writer's store (its own writes, the pages
//     it merged) before it wrote — never the bases, which are the implementation's claim under
//     test.
// In odd seeds, mid-run, a replica's data folder is copied (the copy has its own clock and goes on
// as a second office with the same device id until it is found and becomes a new device, its
// versions renamed: the oracle follows the renamed twin of each), and the hub is snapshotted and
// later put back from the snapshot (every connection drops; the clients find the restore from what
// they hold and send again what they wrote). Every value a hub acknowledged, in any of its runs,
// counts in check 3.
// LWC_SEEDS overrides the number of seeds (default 1000); LWC_SEED runs one seed (below LWC_SEEDS);
// LWC_DEBUG=1 prints every version of a field whose value was lost, with what its writer had seen;
// LWC_TRACE=<row id prefix> prints what happened to that row, with every push, copy, restore,
// repair and fork.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <variant>

#include "lwc/id.h"
#include "lwc/sync.h"
#include "temp_dir.h"

using namespace lwc;

namespace {

constexpr int64_t kStart = 1'795'000'000'000;
constexpr int64_t kDrift = 60'000;
constexpr size_t kPage = 7;   // small pages: many pulls, many interleavings
constexpr size_t kBatch = 5;  // small push batches

// Every message names the client's round (`round`): a repair or a fork starts a new round, and
// answers to an earlier round are dropped, as a real client only reads the answer to the request
// it is waiting for.
struct PushRequest {
  int client, round;
  std::string device;
  std::vector<Mutation> batch;
  HubMark acked;
};
struct PushResponse {
  int client, round;
  std::vector<Mutation> batch;
  std::vector<MutationResult> results;
  int64_t hub_last_counter;
  HubMark mark;
};
struct ForkedResponse {  // the hub refused the push: device_forked
  int client, round;
  std::string device;
};
struct PullRequest {
  int client, round;
  int64_t after;
  std::string epoch;
  int64_t acknowledged;  // read before the request is sent, as SyncEngine does
  HubMark acked;
};
struct PullResponse {
  int client, round;
  int64_t acknowledged;
  PullPage page;
};
struct RestoredResponse {  // the hub refused the pull: hub_restored
  int client, round;
  int64_t last_counter;
};
using Message = std::variant<PushRequest, PushResponse, ForkedResponse, PullRequest, PullResponse,
                             RestoredResponse>;

struct Replica {
  std::unique_ptr<FakeClock> clock;
  std::unique_ptr<Store> store;
  int64_t offset_ms = 0;
  int round = 0;
};

struct FieldKey {
  std::string table, row, field;
  auto operator<=>(const FieldKey&) const = default;
};
// (hlc, device, value): two copies of one data folder may stamp one clock value under one device
// id; the hub must not take one for the other.
using VersionId = std::tuple<Hlc, std::string, std::string>;

class World {
 public:
  explicit World(uint64_t seed) : rng_(seed) {
    hub_clock_ = std::make_unique<FakeClock>(kStart);
    auto hub = Store::open({":memory:", "hub", kDrift}, *hub_clock_);
    REQUIRE(hub.ok());
    hub_ = std::move(hub).value();
    const int n = 3 + static_cast<int>(rng_() % 2);
    for (int i = 0; i < n; ++i) {
      Replica r;
      r.offset_ms = uniform(-kDrift / 2, kDrift / 2);
      r.clock = std::make_unique<FakeClock>(kStart + r.offset_ms);
      auto s = Store::open({":memory:", "client-" + std::to_string(i), kDrift}, *r.clock);
      REQUIRE(s.ok());
      r.store = std::move(s).value();
      clients_.push_back(std::move(r));
    }
    for (int i = 0; i < 4; ++i) rows_.push_back(random_id());
  }

  // Seeds with copies and restores, and seeds without: both must hold.
  void allow_copies_and_restores() { copies_and_restores_ = true; }

  void run_chaos(int steps) {
    for (int i = 0; i < steps; ++i) {
      tick();
      const int action = static_cast<int>(rng_() % 100);
      const int c = static_cast<int>(rng_() % clients_.size());
      if (action < 35) {
        edit(c);
      } else if (action < 50) {
        send_push(c);
      } else if (action < 60) {
        send_pull(c);
      } else if (action < 63) {
        clock_jumps_back(c);
      } else if (action == 63 && copies_and_restores_ && copies_ < 2) {
        copy_folder(c);
      } else if (action == 64 && copies_and_restores_) {
        snapshot_hub();
      } else if (action == 65 && copies_and_restores_ && !snapshot_.empty() && restores_ < 2) {
        restore_hub();
      } else if (!net_.empty()) {
        deliver_random(/*lossy=*/true);
      }
    }
  }

  // No more loss: deliver everything, retransmit until every outbox is empty and every cursor is at
  // the hub's end.
  void heal() {
    for (int round = 0; round < 10'000; ++round) {
      while (!net_.empty()) deliver_random(/*lossy=*/false);
      bool settled = true;
      for (size_t c = 0; c < clients_.size(); ++c) {
        Store& s = *clients_[c].store;
        const int64_t cursor = *s.pull_cursor();
        if (round > 9'990 && std::getenv("LWC_DEBUG")) {
          std::cerr << "client " << c << " " << s.device_id() << " outbox " << *s.outbox_size()
                    << " cursor " << cursor << "/" << hub_->last_seq() << " epoch "
                    << *s.pull_epoch() << "/" << *hub_->segment_of(cursor) << " acknowledged "
                    << *s.acknowledged_counter() << "/" << *hub_->device_progress(s.device_id())
                    << "\n";
        }
        if (*s.outbox_size() > 0) {
          send_push(static_cast<int>(c));
          settled = false;
        } else if (cursor != hub_->last_seq() ||
                   (cursor > 0 && *s.pull_epoch() != *hub_->segment_of(cursor)) ||
                   *s.acknowledged_counter() != *hub_->device_progress(s.device_id())) {
          send_pull(static_cast<int>(c));  // a client behind, or ahead of a restored hub
          settled = false;
        }
      }
      if (settled) return;
    }
    FAIL("the network healed but the replicas did not settle");
  }

  void check() {
    const std::string hub_state = *hub_->export_canonical(ScopeFilter::everything());
    for (size_t c = 0; c < clients_.size(); ++c) {
      INFO("client " << c);
      REQUIRE(*clients_[c].store->outbox_size() == 0);
      REQUIRE(clients_[c].store->rejected()->empty());
      REQUIRE(*clients_[c].store->export_canonical(ScopeFilter::everything()) == hub_state);
      // every change the client numbered reached the hub
      REQUIRE(*hub_->device_progress(clients_[c].store->device_id()) ==
              *clients_[c].store->acknowledged_counter());
    }
    // exactly once: in the hub's current run, each counter of each device was applied once (a
    // restored hub counts from its snapshot), all other deliveries answered as duplicates
    for (const auto& [device, applied] : applied_) {
      INFO("device " << device);
      REQUIRE(applied == *hub_->device_progress(device));
    }
    check_no_acknowledged_value_lost();
  }

  int64_t messages_lost() const { return lost_; }
  int64_t copies() const { return copies_; }
  int64_t forks() const { return forks_; }
  int64_t restores() const { return restores_; }
  int64_t repairs() const { return repairs_; }
  int64_t acknowledged() const {
    int64_t n = 0;
    for (const auto& [key, acks] : acknowledged_) n += static_cast<int64_t>(acks.size());
    return n;
  }
  int64_t messages_duplicated() const { return duplicated_; }
  int64_t conflicts() const { return static_cast<int64_t>(hub_->conflicts()->size()); }

 private:
  int64_t uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

  // An id from the seed, so that a seed replays the same run (ids order ties).
  std::string random_id() {
    static const char* kHex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 32; ++i) id += kHex[rng_() % 16];
    return id;
  }

  void tick() {
    now_ += uniform(0, 3);  // often the same millisecond: counters and device ties matter
    hub_clock_->set_ms(now_);
    for (Replica& r : clients_) r.clock->set_ms(std::max<int64_t>(0, now_ + r.offset_ms));
  }

  void clock_jumps_back(int c) { clients_[c].offset_ms -= uniform(1'000, kDrift / 2); }

  // `cp -a` of a client's folder to another PC: the copy has its own clock and the same device id.
  void copy_folder(int c) {
    trace("client " + std::to_string(clients_.size()) + " is a copy of client " +
          std::to_string(c));
    const std::string path = dir_.file("copy-" + std::to_string(files_++) + ".db");
    REQUIRE(clients_[c].store->backup_to(path).ok());
    Replica r;
    r.offset_ms = uniform(-kDrift / 2, kDrift / 2);
    r.clock = std::make_unique<FakeClock>(std::max<int64_t>(0, now_ + r.offset_ms));
    auto s = Store::open({path, "", kDrift}, *r.clock);
    REQUIRE(s.ok());
    r.store = std::move(s).value();
    REQUIRE(r.store->device_id() == clients_[c].store->device_id());
    const int copy = static_cast<int>(clients_.size());
    clients_.push_back(std::move(r));
    for (const auto& [k, known] : std::map(known_)) {
      if (k.first == c) known_[{copy, k.second}] = known;
    }
    ++copies_;
  }

  // The IT officer's nightly copy of the hub.
  // LWC_TRACE=<row id prefix>: prints what happens to that row's versions.
  void trace(const Change& ch, const std::string& what) {
    const char* row = std::getenv("LWC_TRACE");
    if (!row || ch.row_id.rfind(row, 0) != 0) return;
    std::cerr << ch.field << " " << ch.version.hlc.to_string() << "/" << ch.version.device
              << " v=" << ch.version.value << ": " << what << "\n";
  }
  void trace(const std::string& what) {
    if (std::getenv("LWC_TRACE")) std::cerr << what << "\n";
  }

  void snapshot_hub() {
    snapshot_ = dir_.file("hub-" + std::to_string(files_++) + ".db");
    REQUIRE(hub_->backup_to(snapshot_).ok());
    applied_at_snapshot_ = applied_;
    trace("hub snapshot at seq " + std::to_string(hub_->last_seq()));
  }

  // The hub's disk died: it is stopped (every connection drops) and started on the last copy.
  void restore_hub() {
    const std::string path = dir_.file("hub-" + std::to_string(files_++) + ".db");
    std::filesystem::copy_file(snapshot_, path);
    hub_.reset();
    auto hub = Store::open({path, "", kDrift}, *hub_clock_);
    REQUIRE(hub.ok());
    hub_ = std::move(hub).value();
    REQUIRE(hub_->open_segment().ok());  // as HubService::open does on every start
    REQUIRE(hub_->device_id() == "hub");
    net_.clear();
    applied_ = applied_at_snapshot_;
    trace("hub restored, seq " + std::to_string(hub_->last_seq()));
    ++restores_;
  }

  // A repair or a fork starts a new round for client c: its earlier requests and answers are gone.
  void new_round(int c) {
    ++clients_[c].round;
    std::erase_if(net_, [c](const Message& m) {
      return std::visit([c](const auto& msg) { return msg.client == c; }, m);
    });
  }
  bool current(int client, int round) const { return clients_[client].round == round; }

  // The hub lost changes of client c: it sends again what it wrote after `last_counter`.
  void repair(int c, int64_t last_counter) {
    auto n = clients_[c].store->requeue_own(last_counter + 1);
    REQUIRE(n.ok());
    trace("client " + std::to_string(c) + " repairs from " + std::to_string(last_counter + 1) +
          ": " + std::to_string(*n) + " queued");
    ++repairs_;
    new_round(c);
  }

  void edit(int c) {
    static const char* kFields[] = {"value", "entered", "source", kTombstoneField};
    const std::string& row = rows_[rng_() % rows_.size()];
    std::vector<Store::FieldWrite> writes;
    const int n = 1 + static_cast<int>(rng_() % 2);
    for (int i = 0; i < n; ++i) {
      const char* field = kFields[rng_() % 4];
      std::string value = field == std::string(kTombstoneField) ? (rng_() % 2 ? "true" : "false")
                                                                : std::to_string(uniform(0, 5));
      writes.push_back({field, value});
    }
    auto w = clients_[c].store->write_local("measurement", row, "5201", writes);
    REQUIRE(w.ok());
    for (const Change& ch : *w) {
      const FieldKey key{ch.table, ch.row_id, ch.field};
      trace(ch, "written by client " + std::to_string(c));
      std::set<VersionId>& known = known_[{c, key}];
      const VersionId id{ch.version.hlc, ch.version.device, ch.version.value};
      // What reached this writer before. Two copies of one folder can write the very same version
      // (clock, device, value): it counts as seen what either writer had seen.
      saw_[{key, id}].insert(known.begin(), known.end());
      known.insert(id);
    }
  }

  void send_push(int c) {
    auto batch = clients_[c].store->outbox(kBatch);
    REQUIRE(batch.ok());
    if (!batch->empty()) {
      const auto [seq, epoch] = *clients_[c].store->hub_mark();
      net_.push_back(PushRequest{c, clients_[c].round, clients_[c].store->device_id(),
                                 std::move(batch).value(), HubMark{seq, epoch}});
    }
  }

  void send_pull(int c) {
    Store& s = *clients_[c].store;
    const int64_t cursor = *s.pull_cursor();
    const auto [seq, epoch] = *s.hub_mark();
    net_.push_back(PullRequest{c, clients_[c].round, cursor, cursor > 0 ? *s.pull_epoch() : "",
                               *s.acknowledged_counter(), HubMark{seq, epoch}});
  }

  void deliver_random(bool lossy) {
    const size_t i = rng_() % net_.size();
    Message m = net_[i];
    const int fate = static_cast<int>(rng_() % 100);
    if (lossy && fate < 15) {  // lost
      net_.erase(net_.begin() + static_cast<long>(i));
      ++lost_;
      return;
    }
    if (lossy && fate < 25) {
      ++duplicated_;  // stays in flight as well: delivered again later
    } else {
      net_.erase(net_.begin() + static_cast<long>(i));
    }
    std::visit([&](auto& msg) { handle(msg); }, m);
  }

  void handle(const PushRequest& m) {
    if (check_hub_mark(*hub_, m.acked).code() == Code::kHubRestored) {
      net_.push_back(RestoredResponse{m.client, m.round, *hub_->device_progress(m.device)});
      return;
    }
    auto results = hub_->accept_push(m.device, m.batch, nullptr);
    if (std::getenv("LWC_TRACE")) {
      std::string what = "push from client " + std::to_string(m.client) + " as " + m.device + ":";
      if (!results.ok()) what += " refused " + results.status().message();
      for (size_t i = 0; results.ok() && i < results->size(); ++i) {
        what += " " + std::to_string((*results)[i].counter) + "=" +
                std::to_string(static_cast<int>((*results)[i].kind));
      }
      trace(what + " (hub seq " + std::to_string(hub_->last_seq()) + ")");
    }
    if (results.status().code() == Code::kDeviceForked) {
      net_.push_back(ForkedResponse{m.client, m.round, m.device});
      return;
    }
    REQUIRE(results.ok());
    for (size_t i = 0; i < results->size(); ++i) {
      const MutationResult& r = (*results)[i];
      if (r.kind == MutationResult::Kind::kRejected) {
        REQUIRE(r.reason.code() == Code::kConflict);  // a gap: only a restored hub has them
        break;
      }
      if (r.kind == MutationResult::Kind::kApplied) ++applied_[m.device];
      const Change& ch = m.batch[i].change;
      trace(ch, "hub acks (" + std::to_string(static_cast<int>(r.kind)) + ") counter " +
                    std::to_string(m.batch[i].counter) + " from client " +
                    std::to_string(m.client));
      acknowledged_[{ch.table, ch.row_id, ch.field}].insert(
          {ch.version.hlc, ch.version.device, ch.version.value, ch.version.base});
    }
    net_.push_back(PushResponse{m.client, m.round, m.batch, std::move(results).value(),
                                *hub_->device_progress(m.device), *hub_mark(*hub_)});
  }
  void handle(const PushResponse& m) {
    if (!current(m.client, m.round)) return;
    if (push_shows_restored_hub(m.batch, m.results, m.hub_last_counter)) {
      repair(m.client, m.hub_last_counter);
      return;
    }
    REQUIRE(apply_push_results(*clients_[m.client].store, m.results, m.mark).ok());
  }
  void handle(const ForkedResponse& m) {
    if (!current(m.client, m.round)) return;
    REQUIRE(clients_[m.client].store->device_id() == m.device);
    become_new_device(m.client);
  }
  // Client c's folder is a copy of another that syncs as the same device: it becomes a new one.
  void become_new_device(int c) {
    Store& s = *clients_[c].store;
    const std::string old = s.device_id();
    const std::string device = id_after(old, random_id());
    REQUIRE(s.become_device(device).ok());
    // Every version it wrote is queued under the new id: the same writes, which the oracle follows.
    auto queued = s.outbox(std::numeric_limits<int32_t>::max());
    REQUIRE(queued.ok());
    for (const Mutation& q : *queued) {
      const Change& ch = q.change;
      const VersionId from{ch.version.hlc, old, ch.version.value},
          to{ch.version.hlc, device, ch.version.value};
      const FieldKey key{ch.table, ch.row_id, ch.field};
      for (auto& [written, seen] : saw_) {
        if (written.first == key && seen.count(from)) seen.insert(to);
      }
      for (auto& [holder, known] : known_) {
        if (holder.second == key && known.count(from)) known.insert(to);
      }
      const std::set<VersionId> seen = saw_[{key, from}];
      saw_[{key, to}].insert(seen.begin(), seen.end());
      known_[{c, key}].insert(to);
      renamed_[{key, from}].push_back(device);
    }
    trace("client " + std::to_string(c) + " becomes " + device + " (was " + old + "), " +
          std::to_string(queued->size()) + " queued");
    ++forks_;
    new_round(c);
  }
  void handle(const PullRequest& m) {
    const std::string& device = clients_[m.client].store->device_id();
    auto page =
        serve_pull(*hub_, device, m.after, m.epoch, ScopeFilter::everything(), kPage, m.acked);
    if (page.status().code() == Code::kHubRestored) {
      net_.push_back(RestoredResponse{m.client, m.round, *hub_->device_progress(device)});
      return;
    }
    REQUIRE(page.ok());
    net_.push_back(PullResponse{m.client, m.round, m.acknowledged, std::move(page).value()});
  }
  void handle(const PullResponse& m) {
    if (!current(m.client, m.round)) return;
    if (pull_shows_restored_hub(m.page, m.acknowledged)) {
      repair(m.client, m.page.last_counter);
      return;
    }
    if (pull_shows_copied_folder(m.page.last_counter,
                                 *clients_[m.client].store->numbered_counter())) {
      become_new_device(m.client);
      return;
    }
    REQUIRE(apply_pull_page(*clients_[m.client].store, m.page).ok());
    for (const SeqChange& sc : m.page.changes) {
      const Change& ch = sc.change;
      trace(ch, "pulled by client " + std::to_string(m.client));
      known_[{m.client, FieldKey{ch.table, ch.row_id, ch.field}}].insert(
          {ch.version.hlc, ch.version.device, ch.version.value});
    }
    if (m.page.more) send_pull(m.client);  // the client keeps paging
  }
  void handle(const RestoredResponse& m) {
    if (current(m.client, m.round)) repair(m.client, m.last_counter);
  }

  struct Ack {
    Hlc hlc;
    std::string device, value;
    Hlc base;
    auto operator<=>(const Ack&) const = default;
  };

  void check_no_acknowledged_value_lost() {
    auto conflicts = hub_->conflicts();
    REQUIRE(conflicts.ok());
    std::set<std::tuple<std::string, std::string, int64_t, std::string>> losers;
    for (const ConflictRecord& k : *conflicts) {
      losers.insert({k.row_id, k.field, k.conflict.loser.hlc.packed, k.conflict.loser.device});
    }
    for (const auto& [key, acks] : acknowledged_) {
      const Ack& newest = *std::max_element(acks.begin(), acks.end(), [](auto& a, auto& b) {
        return std::tie(a.hlc, a.device) < std::tie(b.hlc, b.device);
      });
      auto current = hub_->get_field(key.table, key.row, key.field);
      REQUIRE(current.ok());
      REQUIRE(current->has_value());
      INFO(key.row << "." << key.field);
      // The greatest acknowledged version is the value in use — or, when its folder became a new
      // device and a restored hub lost it, the same write under the new id is.
      std::function<bool(const Ack&)> in_use = [&](const Ack& a) {
        if (a.hlc == (*current)->hlc && a.device == (*current)->device &&
            a.value == (*current)->value) {
          return true;
        }
        auto twins = renamed_.find({key, {a.hlc, a.device, a.value}});
        if (twins == renamed_.end()) return false;
        return std::any_of(twins->second.begin(), twins->second.end(), [&](const std::string& d) {
          Ack twin = a;
          twin.device = d;
          return in_use(twin);
        });
      };
      INFO("newest " << newest.hlc.to_string() << "/" << newest.device << " in use "
                     << (*current)->hlc.to_string() << "/" << (*current)->device);
      REQUIRE(in_use(newest));
      // A version is accounted for when it is the value in use, a recorded conflict's loser, or
      // seen by the writer of a winning version, or when a winning version has its value; or
      // when it was renamed (its folder became a new device) and the renamed one is.
      std::function<bool(const Ack&)> accounted = [&](const Ack& a) {
        if (in_use(a)) return true;
        if (losers.count({key.row, key.field, a.hlc.packed, a.device})) return true;
        for (const Ack& b : acks) {
          if (std::tie(b.hlc, b.device) <= std::tie(a.hlc, a.device)) continue;
          if (b.value == a.value) return true;
          if (saw_[{key, {b.hlc, b.device, b.value}}].count({a.hlc, a.device, a.value}))
            return true;
        }
        auto twins = renamed_.find({key, {a.hlc, a.device, a.value}});
        if (twins == renamed_.end()) return false;
        for (const std::string& device : twins->second) {
          Ack twin = a;
          twin.device = device;
          if (accounted(twin)) return true;
        }
        return false;
      };
      for (const Ack& a : acks) {
        INFO("lost value " << a.value << " by " << a.device << " at " << a.hlc.to_string());
        if (!accounted(a) && std::getenv("LWC_DEBUG")) {
          for (const Ack& b : acks) {
            std::cerr << b.hlc.to_string() << " " << b.device << " v=" << b.value
                      << " base=" << b.base.to_string() << " saw:";
            for (auto& x : saw_[{key, {b.hlc, b.device, b.value}}])
              std::cerr << " " << std::get<0>(x).to_string() << "/" << std::get<1>(x);
            std::cerr << "\n";
          }
          for (const ConflictRecord& k : *conflicts)
            if (k.row_id == key.row && k.field == key.field)
              std::cerr << "conflict w=" << k.conflict.winner.hlc.to_string() << "/"
                        << k.conflict.winner.device << " l=" << k.conflict.loser.hlc.to_string()
                        << "/" << k.conflict.loser.device << "\n";
        }
        REQUIRE(accounted(a));
      }
    }
  }

  test::TempDir dir_;  // copied folders and hub snapshots
  int files_ = 0;
  bool copies_and_restores_ = false;
  std::string snapshot_;
  std::map<std::string, int64_t> applied_at_snapshot_;
  int64_t copies_ = 0, forks_ = 0, restores_ = 0, repairs_ = 0;
  std::mt19937_64 rng_;
  int64_t now_ = kStart;
  std::unique_ptr<FakeClock> hub_clock_;
  std::unique_ptr<Store> hub_;
  std::vector<Replica> clients_;
  std::vector<std::string> rows_;
  std::deque<Message> net_;
  std::map<std::string, int64_t> applied_;  // by device, in the hub's current run
  std::map<FieldKey, std::set<Ack>> acknowledged_;
  // The versions of a field that have reached a client's store, and for each written version the
  // set that had reached its writer when it wrote.
  std::map<std::pair<int, FieldKey>, std::set<VersionId>> known_;
  std::map<std::pair<FieldKey, VersionId>, std::set<VersionId>> saw_;
  // The new device ids a queued version took when its folder was found to be a copy.
  std::map<std::pair<FieldKey, VersionId>, std::vector<std::string>> renamed_;
  int64_t lost_ = 0, duplicated_ = 0;
};

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

}  // namespace

TEST_CASE("convergence: replicas reach byte-identical state under loss, duplication and reordering",
          "[convergence]") {
  const int seeds = env_int("LWC_SEEDS", 1000);
  const int only = env_int("LWC_SEED", -1);
  REQUIRE(seeds >= 1);
  int64_t lost = 0, duplicated = 0, conflicts = 0, ran = 0;
  int64_t copies = 0, forks = 0, restores = 0, repairs = 0, acknowledged = 0;
  for (int seed = 0; seed < seeds; ++seed) {
    if (only >= 0 && seed != only) continue;
    INFO("seed " << seed << " (rerun alone with LWC_SEED=" << seed << ")");
    World world(static_cast<uint64_t>(seed));
    if (seed % 2 == 1) world.allow_copies_and_restores();
    world.run_chaos(200);
    world.heal();
    world.check();
    lost += world.messages_lost();
    duplicated += world.messages_duplicated();
    conflicts += world.conflicts();
    copies += world.copies();
    forks += world.forks();
    restores += world.restores();
    repairs += world.repairs();
    acknowledged += world.acknowledged();
    ++ran;
  }
  // The chaos must really have happened, or the property proves nothing.
  if (only < 0 && seeds >= 100) {
    CHECK(lost > ran);
    CHECK(duplicated > ran);
    CHECK(conflicts > ran);
    CHECK(copies > ran / 4);
    CHECK(forks > ran / 8);
    CHECK(restores > ran / 4);
    CHECK(repairs > ran / 4);
  }
  WARN("seeds " << ran << ", messages lost " << lost << ", duplicated " << duplicated
                << ", conflicts kept " << conflicts << ", folders copied " << copies
                << " (forks found " << forks << "), hub restores " << restores
                << " (client repairs " << repairs << "), acknowledged versions " << acknowledged
                << ", every one accounted for");
}
