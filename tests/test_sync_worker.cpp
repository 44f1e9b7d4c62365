// SyncWorker against a hand-written transport fake whose "hub" is a real in-memory Store driven by
// the same sync helpers as the hub's handlers: no network, real SQLite, real clock (short delays).
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <numeric>
#include <thread>

#include "lwc/client/sync_worker.h"
#include "lwc/id.h"
#include "lwc/protocol.h"
#include "lwc/sync.h"
#include "temp_dir.h"

using namespace lwc;
using namespace lwc::client;
using lwc::test::TempDir;

namespace {

struct FakeHub {
  std::mutex mu;  // guards everything below
  std::unique_ptr<Store> store;
  std::string device;         // the client's device id (push batches are stamped with it)
  bool down = false;          // every request fails as if there were no link
  bool unauthorized = false;  // every request is answered 401
  std::string valid_token;    // when set: a request with another token is answered 401
  int64_t pull_delay_ms = 0;
  size_t max_batch = SIZE_MAX;          // a larger push is answered 413, as the hub's max_batch
  std::vector<size_t> push_sizes;       // mutations per push received
  std::vector<int64_t> accepted;        // counters of the pushes answered 200, in arrival order
  std::function<void(size_t)> on_push;  // called with the push's number before it is answered
  int requests = 0, streams = 0;
  bool announce = false;  // the next stream poll sends a "changes" event
};

class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(FakeHub& hub) : hub_(hub) {}

  Result<HttpResponse> request(const std::string& method, const std::string& path,
                               const std::string& body, const std::string& token) override {
    int64_t delay = 0;
    {
      std::lock_guard lock(hub_.mu);
      ++hub_.requests;
      if (hub_.down) return Status(Code::kUnavailable, "connection refused");
      const bool wrong_token =
          !hub_.valid_token.empty() && path != "/v1/health" && token != hub_.valid_token;
      if (hub_.unauthorized || wrong_token) {
        return HttpResponse{
            401, protocol::error_body(Status(Code::kUnauthenticated, "token expired")).dump()};
      }
      if (path.rfind("/v1/pull", 0) == 0) delay = hub_.pull_delay_ms;
    }
    if (delay) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    std::lock_guard lock(hub_.mu);
    if (path == "/v1/health") {
      return HttpResponse{200, nlohmann::json{{"time_ms", hub_.store->clock().now_ms()}}.dump()};
    }
    if (method == "POST" && path == "/v1/push") {
      // (No Catch assertions here: this runs on the worker thread.)
      auto batch = protocol::parse_push_request(body, hub_.device, hub_.max_batch);
      if (!batch.ok() && batch.status().code() == Code::kTooLarge) {
        return HttpResponse{413, protocol::error_body(batch.status()).dump()};
      }
      if (!batch.ok() || batch->empty()) return HttpResponse{400, "{}"};
      hub_.push_sizes.push_back(batch->size());
      if (hub_.on_push) hub_.on_push(hub_.push_sizes.size());
      for (const Mutation& m : *batch) hub_.accepted.push_back(m.counter);
      auto results =
          hub_.store->accept_push(hub_.device, *batch, [](const Change&) { return Status{}; });
      if (!results.ok()) return HttpResponse{500, "{}"};
      auto last = hub_.store->device_progress(hub_.device);
      if (!last.ok()) return HttpResponse{500, "{}"};
      return HttpResponse{200, protocol::push_response(*results, *last)};
    }
    if (path.rfind("/v1/pull?after=", 0) == 0) {
      const int64_t after = std::stoll(path.substr(15));
      const size_t at = path.find("limit=");  // absent: the hub's max_page
      const size_t limit = at == std::string::npos ? 10000 : std::stoul(path.substr(at + 6));
      auto page = read_pull_page(*hub_.store, after, ScopeFilter::everything(), limit);
      if (!page.ok()) return HttpResponse{500, "{}"};
      return HttpResponse{200, protocol::pull_response(*page)};
    }
    return HttpResponse{404, "{}"};
  }

  Status stream(const std::string&, const std::string&,
                const std::function<bool(std::string_view)>& on_data,
                const std::atomic<bool>& stop) override {
    {
      std::lock_guard lock(hub_.mu);
      if (hub_.down) return Status(Code::kUnavailable, "connection refused");
      ++hub_.streams;
    }
    if (!on_data(": hello\n\n")) return {};
    while (!stop.load()) {
      bool announce = false;
      {
        std::lock_guard lock(hub_.mu);
        if (hub_.down) return Status(Code::kUnavailable, "connection reset");
        std::swap(announce, hub_.announce);
      }
      if (announce && !on_data("event: changes\ndata: {\"seq\":1}\n\n")) return {};
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return {};
  }

 private:
  FakeHub& hub_;
};

struct Fixture {
  TempDir dir;
  FakeHub hub;
  std::string client_path = dir.file("client.db");
  std::unique_ptr<Store> client;  // the UI's own connection to the same file

  Fixture() {
    auto h = Store::open({":memory:", "hub-device"}, process_clock());
    REQUIRE(h.ok());
    hub.store = std::move(h).value();
    auto c = Store::open({client_path}, process_clock());
    REQUIRE(c.ok());
    client = std::move(c).value();
    hub.device = client->device_id();
  }

  SyncWorkerOptions options() {
    SyncWorkerOptions o;
    o.store.path = client_path;
    o.token = "t";
    o.make_transport = [this] { return std::make_unique<FakeTransport>(hub); };
    o.use_stream = false;
    o.backoff_min_ms = 20;
    o.backoff_max_ms = 80;
    o.seed = 7;
    return o;
  }
};

// Polls `pred` on the test thread for up to 5 s.
template <class P>
bool eventually(P pred) {
  for (int i = 0; i < 500; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

std::string write_hub_row(FakeHub& hub, const std::string& title) {
  std::lock_guard lock(hub.mu);
  const std::string id = new_id();
  REQUIRE(hub.store
              ->write_local("task", id, kProvinceScope, {{"title", "\"" + title + "\""}},
                            Store::Queue::kNone)
              .ok());
  return id;
}

bool client_has(Store& client, const std::string& id) {
  auto r = client.get_row("task", id);
  return r.ok() && r->has_value();
}

}  // namespace

TEST_CASE("sync worker: backoff doubles to its bound and jitter adds at most half",
          "[sync_worker]") {
  CHECK(next_backoff_ms(0, 1000, 60000) == 1000);
  CHECK(next_backoff_ms(1000, 1000, 60000) == 2000);
  CHECK(next_backoff_ms(32000, 1000, 60000) == 60000);
  CHECK(next_backoff_ms(60000, 1000, 60000) == 60000);
  std::mt19937 rng(1);
  bool varied = false;
  int64_t first = jittered_ms(4000, rng);
  for (int i = 0; i < 200; ++i) {
    const int64_t j = jittered_ms(4000, rng);
    CHECK(j >= 4000);
    CHECK(j <= 6000);
    varied |= j != first;
  }
  CHECK(varied);
}

TEST_CASE("sync worker: first round pushes the outbox, pulls the hub and publishes its state",
          "[sync_worker]") {
  Fixture f;
  const std::string hub_row = write_hub_row(f.hub, "from the province");
  const std::string mine = new_id();
  REQUIRE(f.client->write_local("measurement", mine, "5202", {{"value", "412500"}}).ok());

  SyncWorker worker(f.options());
  CHECK_FALSE(worker.state().started);
  worker.start();
  REQUIRE(eventually([&] { return worker.state().rounds >= 1; }));
  SyncState s = worker.state();
  CHECK(s.online);
  CHECK(s.pending == 0);
  CHECK(s.last_sync_ms > 0);
  CHECK(s.last_error.empty());
  CHECK(s.cursor > 0);
  CHECK(s.data_generation >= 1);
  CHECK(client_has(*f.client, hub_row));
  std::lock_guard lock(f.hub.mu);
  auto at_hub = f.hub.store->get_field("measurement", mine, "value");
  REQUIRE(at_hub.ok());
  REQUIRE(at_hub->has_value());
  CHECK((*at_hub)->value == "412500");
}

TEST_CASE("sync worker: a hub that takes fewer mutations per push gets halved batches, none lost",
          "[sync_worker]") {
  Fixture f;
  f.hub.max_batch = 3;
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    ids.push_back(new_id());
    REQUIRE(f.client->write_local("measurement", ids.back(), "5202", {{"value", std::to_string(i)}})
                .ok());
  }
  SyncWorkerOptions o = f.options();
  o.sync.push_batch = 10;  // all 7 -> 413, then 3 per push
  SyncWorker worker(o);
  worker.start();
  REQUIRE(eventually([&] { return worker.state().rounds >= 1; }));
  CHECK(worker.state().last_error.empty());
  CHECK(worker.state().pending == 0);
  std::lock_guard lock(f.hub.mu);
  CHECK(f.hub.push_sizes == std::vector<size_t>{3, 3, 1});
  for (int i = 0; i < 7; ++i) {
    auto at_hub = f.hub.store->get_field("measurement", ids[i], "value");
    REQUIRE(at_hub.ok());
    REQUIRE(at_hub->has_value());
    CHECK((*at_hub)->value == std::to_string(i));
  }
}

TEST_CASE(
    "sync worker: pipelined pushes send every mutation once, in order, through writes and 413",
    "[sync_worker]") {
  // While the hub takes a full batch, the worker reads the next one from the outbox. Mutations
  // written meanwhile, and a hub that lowers its batch limit mid-round (the prepared batch must be
  // dropped, not sent), must still arrive exactly once and in counter order.
  Fixture f;
  for (int i = 0; i < 10; ++i) {
    REQUIRE(f.client->write_local("measurement", new_id(), "5202", {{"value", std::to_string(i)}})
                .ok());
  }
  auto writer = Store::open({f.client_path}, process_clock());  // another process's connection
  REQUIRE(writer.ok());
  f.hub.on_push = [&](size_t n) {  // runs on the worker thread, under the hub's lock
    if (n == 1) {
      for (int i = 0; i < 3; ++i) {
        (void)(*writer)->write_local("measurement", new_id(), "5202", {{"value", "100"}});
      }
    }
    if (n == 2) f.hub.max_batch = 3;  // the third push (4 mutations, prepared) gets 413
  };
  SyncWorkerOptions o = f.options();
  o.sync.push_batch = 4;
  SyncWorker worker(o);
  worker.start();
  REQUIRE(eventually([&] { return worker.state().rounds >= 1 && worker.state().pending == 0; }));
  CHECK(worker.state().last_error.empty());
  std::lock_guard lock(f.hub.mu);
  std::vector<int64_t> expected(13);
  std::iota(expected.begin(), expected.end(), 1);
  CHECK(f.hub.accepted == expected);
  // The 413 (the prepared 9..12) is not counted; the worker halves to 2 and reads the outbox again.
  CHECK(f.hub.push_sizes == std::vector<size_t>{4, 4, 2, 2, 1});
  auto count = f.hub.store->rows("measurement", ScopeFilter::everything());
  REQUIRE(count.ok());
  CHECK(count->size() == 13);
}

TEST_CASE("sync worker: without a link it reports offline, backs off, and recovers",
          "[sync_worker]") {
  Fixture f;
  f.hub.down = true;
  REQUIRE(f.client->write_local("measurement", new_id(), "5202", {{"value", "1"}}).ok());
  SyncWorker worker(f.options());
  worker.start();
  REQUIRE(eventually([&] { return worker.state().failures >= 3; }));
  SyncState s = worker.state();
  CHECK_FALSE(s.online);
  CHECK(s.last_error_code == Code::kUnavailable);
  CHECK(s.pending == 1);  // nothing is lost while offline
  CHECK(s.last_sync_ms == 0);
  CHECK(s.next_attempt_ms > 0);

  // Backoff: with 20..80 ms (+ up to 50 % jitter) 300 ms hold at most ~15 attempts, not hundreds.
  int before;
  {
    std::lock_guard lock(f.hub.mu);
    before = f.hub.requests;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  {
    std::lock_guard lock(f.hub.mu);
    CHECK(f.hub.requests - before <= 16);
    CHECK(f.hub.requests - before >= 2);
    f.hub.down = false;
  }
  REQUIRE(eventually([&] { return worker.state().online && worker.state().pending == 0; }));
  CHECK(worker.state().last_error.empty());
}

TEST_CASE("sync worker: an expired token is reported as unauthenticated", "[sync_worker]") {
  Fixture f;
  f.hub.unauthorized = true;
  SyncWorker worker(f.options());
  worker.start();
  REQUIRE(eventually([&] { return worker.state().failures >= 1; }));
  CHECK(worker.state().last_error_code == Code::kUnauthenticated);
  CHECK(worker.state().online);  // the hub answered
}

TEST_CASE("sync worker: a new token from logging in again syncs what waited, at once",
          "[sync_worker]") {
  Fixture f;
  f.hub.valid_token = "renewed";
  auto o = f.options();
  o.backoff_min_ms = o.backoff_max_ms = 3'600'000;  // no retry of its own within the test
  SyncWorker worker(o);
  worker.start();
  REQUIRE(eventually([&] { return worker.state().failures >= 1; }));
  CHECK(worker.state().last_error_code == Code::kUnauthenticated);
  const std::string id = new_id();
  REQUIRE(f.client->write_local("measurement", id, "5202", {{"value", "7"}}).ok());
  worker.set_token("renewed");
  const bool synced =
      eventually([&] { return worker.state().rounds == 1 && worker.state().pending == 0; });
  INFO(worker.state().last_error << " rounds " << worker.state().rounds << " pending "
                                 << worker.state().pending);
  REQUIRE(synced);
  CHECK(worker.state().last_error_code == Code::kOk);
  std::lock_guard lock(f.hub.mu);
  auto row = f.hub.store->get_row("measurement", id);
  REQUIRE(row.ok());
  CHECK(row->has_value());
}

TEST_CASE("sync worker: sync_now and local_write run a round before the poll interval",
          "[sync_worker]") {
  Fixture f;
  auto o = f.options();
  o.poll_interval_ms = 3'600'000;
  SyncWorker worker(o);
  worker.start();
  REQUIRE(eventually([&] { return worker.state().rounds == 1; }));
  const std::string row = write_hub_row(f.hub, "later");
  worker.sync_now();
  REQUIRE(eventually([&] { return worker.state().rounds == 2; }));
  CHECK(client_has(*f.client, row));

  REQUIRE(f.client->write_local("measurement", new_id(), "5202", {{"value", "5"}}).ok());
  worker.local_write();
  REQUIRE(eventually([&] { return worker.state().rounds == 3; }));
  CHECK(worker.state().pending == 0);
}

TEST_CASE("sync worker: an announcement on the event stream pulls at once", "[sync_worker]") {
  Fixture f;
  auto o = f.options();
  o.use_stream = true;
  o.poll_interval_ms = 3'600'000;
  SyncWorker worker(o);
  worker.start();
  REQUIRE(eventually([&] { return worker.state().streaming; }));
  const std::string row = write_hub_row(f.hub, "announced");
  {
    std::lock_guard lock(f.hub.mu);
    f.hub.announce = true;
  }
  REQUIRE(eventually([&] { return client_has(*f.client, row); }));
  // sync_now interrupts the stream, runs a round and holds the stream again.
  const uint64_t rounds = worker.state().rounds;
  worker.sync_now();
  REQUIRE(eventually([&] { return worker.state().rounds > rounds && worker.state().streaming; }));
  int streams;
  {
    std::lock_guard lock(f.hub.mu);
    streams = f.hub.streams;
  }
  CHECK(streams >= 2);

  // The link drops: the stream ends, the worker reports offline and falls back to retrying.
  {
    std::lock_guard lock(f.hub.mu);
    f.hub.down = true;
  }
  REQUIRE(eventually([&] { return !worker.state().online && !worker.state().streaming; }));
  {
    std::lock_guard lock(f.hub.mu);
    f.hub.down = false;
  }
  REQUIRE(eventually([&] { return worker.state().online && worker.state().streaming; }));

  const auto t0 = std::chrono::steady_clock::now();
  worker.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
}

TEST_CASE("sync worker: state() never waits for a running round, progress is published",
          "[sync_worker]") {
  Fixture f;
  for (int i = 0; i < 10; ++i) write_hub_row(f.hub, "row " + std::to_string(i));
  f.hub.pull_delay_ms = 60;
  auto o = f.options();
  o.sync.pull_page = 3;
  std::mutex seen_mu;
  int64_t max_pulled = 0;
  SyncWorker* self = nullptr;
  o.on_change = [&] {
    if (!self) return;
    SyncState s = self->state();
    std::lock_guard lock(seen_mu);
    if (s.syncing && s.progress.phase == SyncProgress::Phase::kPull) {
      max_pulled = std::max(max_pulled, s.progress.done);
    }
  };
  SyncWorker worker(o);
  self = &worker;
  worker.start();
  REQUIRE(eventually([&] { return worker.state().syncing; }));
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) (void)worker.state();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(50));
  REQUIRE(eventually([&] { return worker.state().rounds >= 1; }));
  std::lock_guard lock(seen_mu);
  CHECK(max_pulled >= 9);
}
