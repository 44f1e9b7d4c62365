// StoreWorker: the GUI's data thread. It owns one Store connection and runs jobs (snapshot loads,
// local writes) in order, so neither a SQLite query nor a write that waits for the sync thread's
// transaction ever runs on the UI thread (STYLE.md §7).
//
// MainQueue: results travel back as closures that the UI thread runs once per frame (drain()).
//
// Threads: post() and drain() may be called from any thread; a job runs on the worker thread only
// and must not touch UI state — it posts a closure to the MainQueue for that.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "lwc/clock.h"
#include "lwc/store.h"

namespace lwc::client {

class MainQueue {
 public:
  // `wake` runs after every post (the GUI passes glfwPostEmptyEvent); it must not block.
  explicit MainQueue(std::function<void()> wake = {}) : wake_(std::move(wake)) {}
  void post(std::function<void()> fn);
  // Runs the closures posted so far, in order, on the calling thread; returns how many ran.
  size_t drain();

 private:
  std::function<void()> wake_;
  std::mutex mutex_;  // guards queue_
  std::deque<std::function<void()>> queue_;
};

class StoreWorker {
 public:
  using Job = std::function<void(Store&)>;
  // Opens the store on the worker thread; if that fails, every job receives no call and
  // open_error() says why (after the first job was taken).
  StoreWorker(StoreOptions options, const Clock& clock);
  ~StoreWorker();  // finishes the running job, drops the rest, joins
  StoreWorker(const StoreWorker&) = delete;
  StoreWorker& operator=(const StoreWorker&) = delete;

  void post(Job job);
  // Jobs posted and not yet finished (the UI shows a spinner while > 0).
  size_t busy() const;
  Status open_error() const;

 private:
  void run();

  StoreOptions options_;
  const Clock& clock_;
  std::thread thread_;
  mutable std::mutex mutex_;  // guards the members below
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  size_t running_ = 0;
  bool stop_ = false;
  Status open_error_;
};

}  // namespace lwc::client
