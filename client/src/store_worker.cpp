#include "lwc/client/store_worker.h"

namespace lwc::client {

void MainQueue::post(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(fn));
  }
  if (wake_) wake_();
}

size_t MainQueue::drain() {
  std::deque<std::function<void()>> ready;
  {
    std::lock_guard lock(mutex_);
    ready.swap(queue_);
  }
  for (auto& fn : ready) fn();
  return ready.size();
}

StoreWorker::StoreWorker(StoreOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  thread_ = std::thread([this] { run(); });
}

StoreWorker::~StoreWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    jobs_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void StoreWorker::post(Job job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_all();
}

size_t StoreWorker::busy() const {
  std::lock_guard lock(mutex_);
  return jobs_.size() + running_;
}

Status StoreWorker::open_error() const {
  std::lock_guard lock(mutex_);
  return open_error_;
}

void StoreWorker::run() {
  auto store = Store::open(options_, clock_);
  if (!store.ok()) {
    std::lock_guard lock(mutex_);
    open_error_ = store.status();
  } else {
    // Snapshots read the whole store again and again: a 16 MiB page cache (not the 256 MiB the
    // sync connection keeps for merging) holds the window's memory flat as the store grows; pages
    // past it come from the OS page cache. Only a hint: a failure leaves the default.
    (void)(*store)->db().exec("PRAGMA cache_size=-16384");
  }
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      running_ = 1;
    }
    if (store.ok()) job(**store);
    std::lock_guard lock(mutex_);
    running_ = 0;
  }
}

}  // namespace lwc::client
