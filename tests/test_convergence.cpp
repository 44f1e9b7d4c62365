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
//     or kept in the hub's conflicts table. "Seen" is what the oracle watched: the versions that
//     had reached the writer's store (its own writes, the pages it merged) before it wrote — never
//     the bases, which are the implementation's claim under test.
// LWC_SEEDS overrides the number of seeds (default 1000); LWC_SEED runs one seed; LWC_DEBUG=1 prints
// every version of a field whose value was lost, with what its writer had seen.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <variant>

#include "lwc/id.h"
#include "lwc/sync.h"

using namespace lwc;

namespace {

constexpr int64_t kStart = 1'795'000'000'000;
constexpr int64_t kDrift = 60'000;
constexpr size_t kPage = 7;   // small pages: many pulls, many interleavings
constexpr size_t kBatch = 5;  // small push batches

struct PushRequest {
  int client;
  std::vector<Mutation> batch;
};
struct PushResponse {
  int client;
  std::vector<MutationResult> results;
};
struct PullRequest {
  int client;
  int64_t after;
};
struct PullResponse {
  int client;
  PullPage page;
};
using Message = std::variant<PushRequest, PushResponse, PullRequest, PullResponse>;

struct Replica {
  std::unique_ptr<FakeClock> clock;
  std::unique_ptr<Store> store;
  int64_t offset_ms = 0;
  int64_t written = 0;
};

struct FieldKey {
  std::string table, row, field;
  auto operator<=>(const FieldKey&) const = default;
};
using VersionId = std::pair<Hlc, std::string>;  // (hlc, device)

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
    for (int i = 0; i < 4; ++i) rows_.push_back(new_id());
  }

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
        if (*s.outbox_size() > 0) {
          send_push(static_cast<int>(c));
          settled = false;
        } else if (*s.pull_cursor() < hub_->last_seq()) {
          send_pull(static_cast<int>(c));
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
      // exactly once: each mutation applied once, all others answered as duplicates
      REQUIRE(applied_[static_cast<int>(c)] == clients_[c].written);
      REQUIRE(*hub_->device_progress(clients_[c].store->device_id()) == clients_[c].written);
    }
    check_no_acknowledged_value_lost();
  }

  int64_t messages_lost() const { return lost_; }
  int64_t messages_duplicated() const { return duplicated_; }
  int64_t conflicts() const { return static_cast<int64_t>(hub_->conflicts()->size()); }

 private:
  int64_t uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

  void tick() {
    now_ += uniform(0, 3);  // often the same millisecond: counters and device ties matter
    hub_clock_->set_ms(now_);
    for (Replica& r : clients_) r.clock->set_ms(std::max<int64_t>(0, now_ + r.offset_ms));
  }

  void clock_jumps_back(int c) { clients_[c].offset_ms -= uniform(1'000, kDrift / 2); }

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
    clients_[c].written += static_cast<int64_t>(w->size());
    for (const Change& ch : *w) {
      const FieldKey key{ch.table, ch.row_id, ch.field};
      std::set<VersionId>& known = known_[{c, key}];
      saw_[{ch.version.hlc, ch.version.device}] = known;  // what reached this writer before
      known.insert({ch.version.hlc, ch.version.device});
    }
  }

  void send_push(int c) {
    auto batch = clients_[c].store->outbox(kBatch);
    REQUIRE(batch.ok());
    if (!batch->empty()) net_.push_back(PushRequest{c, std::move(batch).value()});
  }

  void send_pull(int c) { net_.push_back(PullRequest{c, *clients_[c].store->pull_cursor()}); }

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
    Store& client = *clients_[m.client].store;
    auto results = hub_->accept_push(client.device_id(), m.batch, nullptr);
    REQUIRE(results.ok());
    for (size_t i = 0; i < results->size(); ++i) {
      const MutationResult& r = (*results)[i];
      REQUIRE(r.kind != MutationResult::Kind::kRejected);
      if (r.kind == MutationResult::Kind::kApplied) ++applied_[m.client];
      const Change& ch = m.batch[i].change;
      acknowledged_[{ch.table, ch.row_id, ch.field}].insert(
          {ch.version.hlc, ch.version.device, ch.version.value, ch.version.base});
    }
    net_.push_back(PushResponse{m.client, std::move(results).value()});
  }
  void handle(const PushResponse& m) {
    REQUIRE(apply_push_results(*clients_[m.client].store, m.results).ok());
  }
  void handle(const PullRequest& m) {
    auto page = read_pull_page(*hub_, m.after, ScopeFilter::everything(), kPage);
    REQUIRE(page.ok());
    net_.push_back(PullResponse{m.client, std::move(page).value()});
  }
  void handle(const PullResponse& m) {
    REQUIRE(apply_pull_page(*clients_[m.client].store, m.page).ok());
    for (const SeqChange& sc : m.page.changes) {
      const Change& ch = sc.change;
      known_[{m.client, FieldKey{ch.table, ch.row_id, ch.field}}].insert(
          {ch.version.hlc, ch.version.device});
    }
    if (m.page.more) send_pull(m.client);  // the client keeps paging
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
      REQUIRE((*current)->hlc == newest.hlc);
      REQUIRE((*current)->device == newest.device);
      REQUIRE((*current)->value == newest.value);
      for (const Ack& a : acks) {
        if (a.hlc == newest.hlc && a.device == newest.device) continue;
        bool seen_by_later_writer = false, same_value_won = false;
        for (const Ack& b : acks) {
          const bool b_wins = std::tie(b.hlc, b.device) > std::tie(a.hlc, a.device);
          seen_by_later_writer |= b_wins && saw_[{b.hlc, b.device}].count({a.hlc, a.device}) > 0;
          same_value_won |= b_wins && b.value == a.value;
        }
        const bool kept = losers.count({key.row, key.field, a.hlc.packed, a.device}) > 0;
        INFO("lost value " << a.value << " by " << a.device << " at " << a.hlc.to_string());
        if (!(kept || seen_by_later_writer || same_value_won) && std::getenv("LWC_DEBUG")) {
          for (const Ack& b : acks) {
            std::cerr << b.hlc.to_string() << " " << b.device << " v=" << b.value
                      << " base=" << b.base.to_string() << " saw:";
            for (auto& x : saw_[{b.hlc, b.device}])
              std::cerr << " " << x.first.to_string() << "/" << x.second;
            std::cerr << "\n";
          }
          for (const ConflictRecord& k : *conflicts)
            if (k.row_id == key.row && k.field == key.field)
              std::cerr << "conflict w=" << k.conflict.winner.hlc.to_string()
                        << " l=" << k.conflict.loser.hlc.to_string() << "\n";
        }
        REQUIRE((kept || seen_by_later_writer || same_value_won));
      }
    }
  }

  std::mt19937_64 rng_;
  int64_t now_ = kStart;
  std::unique_ptr<FakeClock> hub_clock_;
  std::unique_ptr<Store> hub_;
  std::vector<Replica> clients_;
  std::vector<std::string> rows_;
  std::deque<Message> net_;
  std::map<int, int64_t> applied_;
  std::map<FieldKey, std::set<Ack>> acknowledged_;
  // The versions of a field that have reached a client's store, and for each written version the
  // set that had reached its writer when it wrote.
  std::map<std::pair<int, FieldKey>, std::set<VersionId>> known_;
  std::map<VersionId, std::set<VersionId>> saw_;
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
  for (int seed = 0; seed < seeds; ++seed) {
    if (only >= 0 && seed != only) continue;
    INFO("seed " << seed << " (rerun alone with LWC_SEED=" << seed << ")");
    World world(static_cast<uint64_t>(seed));
    world.run_chaos(200);
    world.heal();
    world.check();
    lost += world.messages_lost();
    duplicated += world.messages_duplicated();
    conflicts += world.conflicts();
    ++ran;
  }
  // The chaos must really have happened, or the property proves nothing.
  if (only < 0 && seeds >= 100) {
    CHECK(lost > ran);
    CHECK(duplicated > ran);
    CHECK(conflicts > ran);
  }
  WARN("seeds " << ran << ", messages lost " << lost << ", duplicated " << duplicated
                << ", conflicts kept " << conflicts);
}
