// SyncWorker: the client's network thread. It owns its own Store connection (store.h allows several
// per file) and its own transports, runs SyncEngine rounds on a schedule and on request, and holds
// the hub's event stream (/v1/events), syncing on every "changes" or "warning" announcement.
//
// Threads: the constructor, start(), sync_now(), local_write(), stop() and state() may be called
// from any thread (the GUI thread, the command line). None of them waits on the network or on a
// sync round: commands go through a queue, and state() copies a snapshot under a mutex that the
// worker holds only to publish (never across network or database work).
//
// Schedule:
//  * a round at start, then every `poll_interval_ms` while the stream cannot be held (polling) and
//    every `stream_round_interval_ms` while it is held (a safety net for a lost announcement);
//  * sync_now(): a round as soon as the current one ends (an interrupted stream reconnects after
//  it);
//  * a failed round (no link, hub error) is retried after an exponential backoff with jitter:
//    backoff_min_ms, doubling to backoff_max_ms, plus a uniform random 0..backoff/2; a success
//    resets it. kUnauthenticated (token expired or revoked) waits backoff_max_ms: logging in
//    again is needed (set_token then starts a round at once).
//  * the stream is retried with its own backoff (same bounds) after it fails; while it is down the
//    worker polls.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "lwc/client/sync_engine.h"
#include "lwc/client/transport.h"
#include "lwc/clock.h"
#include "lwc/status.h"
#include "lwc/store.h"

namespace lwc::client {

// What the UI shows about sync. A copy: reading it never blocks on the worker's work.
struct SyncState {
  bool started = false;      // the worker has opened its store
  bool online = false;       // the last contact with the hub succeeded
  bool streaming = false;    // the event stream is held right now
  bool syncing = false;      // a round is running (see progress)
  SyncProgress progress;     // of the running round
  int64_t pending = 0;       // outbox size (mutations not yet acknowledged by the hub)
  int64_t rejected = 0;      // changes the hub refused (shown to their author)
  int64_t last_sync_ms = 0;  // end of the last successful round (0: never)
  int64_t last_attempt_ms = 0;
  int64_t next_attempt_ms = 0;  // when offline: the next retry
  int64_t cursor = 0;           // pull cursor
  Code last_error_code = Code::kOk;
  std::string last_error;  // "" after a successful round
  uint64_t rounds = 0;     // successful rounds so far
  uint64_t failures = 0;   // failed rounds so far
  // Bumped whenever local data may have changed under a reader (pulled changes, pushed or rejected
  // mutations). A view reloads its data when this differs from what it loaded.
  uint64_t data_generation = 0;
};

struct SyncWorkerOptions {
  StoreOptions store;            // the client's store file (the worker opens its own connection)
  const Clock* clock = nullptr;  // default: process_clock()
  std::string token;
  // Creates one transport; the worker makes two (requests, event stream), used on its thread only.
  std::function<std::unique_ptr<Transport>()> make_transport;
  SyncOptions sync;
  bool use_stream = true;
  int64_t poll_interval_ms = 60'000;
  int64_t stream_round_interval_ms = 300'000;
  int64_t backoff_min_ms = 1'000;
  int64_t backoff_max_ms = 60'000;
  uint32_t seed = 0;  // jitter; 0: random
  // Called on the worker thread after every published state change (the GUI passes
  // glfwPostEmptyEvent to wake its loop). Must not block.
  std::function<void()> on_change;
};

// The backoff after `current` failed: doubled, at most max_ms (pure; tested).
int64_t next_backoff_ms(int64_t current, int64_t min_ms, int64_t max_ms);
// The wait for a backoff: backoff plus a uniform jitter in [0, backoff/2].
int64_t jittered_ms(int64_t backoff, std::mt19937& rng);

class SyncWorker {
 public:
  explicit SyncWorker(SyncWorkerOptions options);
  ~SyncWorker();  // stop()
  SyncWorker(const SyncWorker&) = delete;
  SyncWorker& operator=(const SyncWorker&) = delete;

  void start();  // starts the thread (once)
  void sync_now();
  // The UI wrote to the store: refresh the pending count and push soon.
  void local_write();
  // The folder logged in again: later requests and the stream use this token; a round starts now.
  void set_token(std::string token);
  // Ends the thread: interrupts the stream and any wait, lets a running request finish or time out,
  // joins. Idempotent.
  void stop();

  SyncState state() const;

 private:
  void run();
  bool take_commands(SyncEngine& engine);  // applies queued commands; false when stopping
  void wait_until(int64_t deadline_ms);
  Status round(Store& store, SyncEngine& engine);
  Status hold_stream(Store& store, SyncEngine& engine, Transport& stream);
  void refresh_counts(Store& store);
  template <class F>
  void publish(F&& update);
  int64_t now() const { return clock_->now_ms(); }

  SyncWorkerOptions options_;
  const Clock* clock_;
  std::thread thread_;
  std::mt19937 rng_;           // worker thread only
  int64_t next_round_ms_ = 0;  // worker thread only

  // Interrupts the stream and waits: set by every command, cleared by the worker when it takes
  // them.
  std::atomic<bool> wake_{false};
  void wake_stream();            // wake_ is set: end the stream's wait at once
  std::mutex stream_mu_;         // guards stream_
  Transport* stream_ = nullptr;  // the event stream's transport, while run() holds it

  mutable std::mutex mutex_;  // guards the members below
  std::condition_variable cv_;
  bool stop_requested_ = false;
  bool sync_requested_ = false;
  bool write_notified_ = false;
  std::optional<std::string> new_token_;  // from set_token, until the worker takes it
  SyncState state_;
};

}  // namespace lwc::client
