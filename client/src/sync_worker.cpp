#include "lwc/client/sync_worker.h"

#include <algorithm>
#include <chrono>

#include "lwc/sse.h"

namespace lwc::client {

int64_t next_backoff_ms(int64_t current, int64_t min_ms, int64_t max_ms) {
  if (current < min_ms) return min_ms;
  return std::min(current * 2, max_ms);
}

int64_t jittered_ms(int64_t backoff, std::mt19937& rng) {
  std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(backoff / 2, 0));
  return backoff + jitter(rng);
}

SyncWorker::SyncWorker(SyncWorkerOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : &process_clock()),
      rng_(options_.seed ? options_.seed : std::random_device{}()) {}

SyncWorker::~SyncWorker() {
  stop();
}

void SyncWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stop_requested_) return;
  thread_ = std::thread([this] { run(); });
}

void SyncWorker::sync_now() {
  {
    std::lock_guard lock(mutex_);
    sync_requested_ = true;
  }
  wake_ = true;
  wake_stream();
  cv_.notify_all();
}

void SyncWorker::set_token(std::string token) {
  {
    std::lock_guard lock(mutex_);
    new_token_ = std::move(token);
    sync_requested_ = true;
  }
  wake_ = true;
  wake_stream();
  cv_.notify_all();
}

void SyncWorker::local_write() {
  {
    std::lock_guard lock(mutex_);
    write_notified_ = true;
    sync_requested_ = true;
  }
  wake_ = true;
  wake_stream();
  cv_.notify_all();
}

void SyncWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  wake_ = true;
  wake_stream();
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void SyncWorker::wake_stream() {
  std::lock_guard lock(stream_mu_);
  if (stream_) stream_->wake();
}

SyncState SyncWorker::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

template <class F>
void SyncWorker::publish(F&& update) {
  {
    std::lock_guard lock(mutex_);
    update(state_);
  }
  if (options_.on_change) options_.on_change();
}

bool SyncWorker::take_commands(SyncEngine& engine) {
  std::lock_guard lock(mutex_);
  wake_ = false;
  if (stop_requested_) return false;
  if (new_token_) {
    engine.set_token(std::move(*new_token_));
    new_token_.reset();
  }
  if (sync_requested_) {
    sync_requested_ = false;
    next_round_ms_ = 0;  // now
  }
  write_notified_ = false;  // the pending count is refreshed by the round that follows
  return true;
}

void SyncWorker::wait_until(int64_t deadline_ms) {
  std::unique_lock lock(mutex_);
  while (!stop_requested_ && !sync_requested_) {
    const int64_t left = deadline_ms - now();
    if (left <= 0) return;
    // Sliced so a clock that jumps (NTP, the time override) cannot stall the schedule.
    cv_.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(left, 1000)));
  }
}

void SyncWorker::refresh_counts(Store& store) {
  auto pending = store.outbox_size();
  auto rejected = store.rejected();
  auto cursor = store.pull_cursor();
  publish([&](SyncState& s) {
    if (pending.ok()) s.pending = *pending;
    if (rejected.ok()) s.rejected = static_cast<int64_t>(rejected->size());
    if (cursor.ok()) s.cursor = *cursor;
  });
}

Status SyncWorker::round(Store& store, SyncEngine& engine) {
  const int64_t pending_before = store.outbox_size().ok() ? *store.outbox_size() : 0;
  publish([&](SyncState& s) {
    s.syncing = true;
    s.progress = {};
    s.last_attempt_ms = now();
    s.pending = pending_before;
  });
  auto stats = engine.sync_once(
      [&](const SyncProgress& p) { publish([&](SyncState& s) { s.progress = p; }); });
  (void)store.set_meta("last_error", stats.ok() ? "" : stats.status().to_string());
  auto last = store.get_meta("last_sync_ms");
  refresh_counts(store);
  publish([&](SyncState& s) {
    s.syncing = false;
    if (stats.ok()) {
      s.online = true;
      ++s.rounds;
      s.last_error.clear();
      s.last_error_code = Code::kOk;
      s.last_sync_ms = now();
      s.next_attempt_ms = 0;
      if (stats->pulled > 0 || stats->pushed > 0 || stats->rejected > 0) ++s.data_generation;
    } else {
      // kUnavailable is "no link"; any other failure still proves the hub answered.
      s.online = stats.status().code() != Code::kUnavailable;
      ++s.failures;
      s.last_error = stats.status().to_string();
      s.last_error_code = stats.status().code();
      if (last.ok() && !last->empty()) s.last_sync_ms = std::stoll(*last);
      ++s.data_generation;  // a partial pull may have committed pages
    }
  });
  return stats.ok() ? Status{} : stats.status();
}

Status SyncWorker::hold_stream(Store& store, SyncEngine& engine, Transport& stream) {
  SseParser parser;
  Status round_status;
  int64_t next_safety_round = now() + options_.stream_round_interval_ms;
  publish([](SyncState& s) { s.streaming = true; });
  Status s = stream.stream(
      "/v1/events", engine.token(),
      [&](std::string_view chunk) {
        bool announced = false;
        for (const SseEvent& e : parser.feed(chunk)) {
          announced |= e.event == "changes" || e.event == "warning";
        }
        // Heartbeats arrive every few seconds: they also drive the safety-net round.
        if (announced || now() >= next_safety_round) {
          round_status = round(store, engine);
          next_safety_round = now() + options_.stream_round_interval_ms;
          if (!round_status.ok()) return false;
        }
        return !wake_.load();
      },
      wake_);
  publish([](SyncState& st) { st.streaming = false; });
  if (!round_status.ok()) return round_status;
  return s;
}

void SyncWorker::run() {
  auto store = Store::open(options_.store, *clock_);
  if (!store.ok()) {
    publish([&](SyncState& s) {
      s.last_error = store.status().to_string();
      s.last_error_code = store.status().code();
    });
    return;
  }
  auto last = (*store)->get_meta("last_sync_ms");
  publish([&](SyncState& s) {
    s.started = true;
    if (last.ok() && !last->empty()) s.last_sync_ms = std::stoll(*last);
  });
  refresh_counts(**store);
  std::unique_ptr<Transport> requests = options_.make_transport();
  std::unique_ptr<Transport> stream = options_.use_stream ? options_.make_transport() : nullptr;
  {
    std::lock_guard lock(stream_mu_);
    stream_ = stream.get();
  }
  struct Forget {  // the transport dies with run(): no wake() after that
    SyncWorker* w;
    ~Forget() {
      std::lock_guard lock(w->stream_mu_);
      w->stream_ = nullptr;
    }
  } forget{this};
  SyncEngine engine(**store, *requests, options_.token, options_.sync);

  int64_t backoff = 0, stream_backoff = 0;
  int64_t next_stream_ms = 0;
  bool last_ok = false;
  next_round_ms_ = 0;
  while (take_commands(engine)) {
    if (now() >= next_round_ms_) {
      Status s = round(**store, engine);
      last_ok = s.ok();
      if (s.ok()) {
        backoff = 0;
        next_round_ms_ = now() + options_.poll_interval_ms;
      } else {
        backoff = s.code() == Code::kUnauthenticated
                      ? options_.backoff_max_ms
                      : next_backoff_ms(backoff, options_.backoff_min_ms, options_.backoff_max_ms);
        next_round_ms_ = now() + jittered_ms(backoff, rng_);
        publish([&](SyncState& st) { st.next_attempt_ms = next_round_ms_; });
      }
      continue;  // commands that arrived during the round come first
    }
    if (stream && last_ok && now() >= next_stream_ms) {
      const int64_t began = now();
      Status s = hold_stream(**store, engine, *stream);
      if (wake_.load()) continue;  // a command interrupted it: take it, then reconnect
      if (!s.ok() && s.code() != Code::kUnavailable) {
        // A failed round inside the stream, or 401: the round schedule takes over.
        last_ok = false;
        backoff = next_backoff_ms(backoff, options_.backoff_min_ms, options_.backoff_max_ms);
        next_round_ms_ = now() + jittered_ms(backoff, rng_);
      }
      // Held for a while: it was a healthy stream that ended; reconnect soon.
      if (now() - began > 30'000) stream_backoff = 0;
      stream_backoff =
          next_backoff_ms(stream_backoff, options_.backoff_min_ms, options_.backoff_max_ms);
      next_stream_ms = now() + jittered_ms(stream_backoff, rng_);
      if (s.code() == Code::kUnavailable) next_round_ms_ = std::min(next_round_ms_, next_stream_ms);
      continue;
    }
    int64_t deadline = next_round_ms_;
    if (stream && last_ok) deadline = std::min(deadline, next_stream_ms);
    wait_until(deadline);
  }
}

}  // namespace lwc::client
