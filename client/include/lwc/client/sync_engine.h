// One sync round between a client store and the hub: push the outbox in batches, then pull pages
// to the end. Synchronous; runs on whatever thread calls it (the CLI's main thread, or SyncWorker).
//
// Failure handling:
//  * transport failure (no link): kIo; nothing is lost — the outbox is untouched until the hub
//    acknowledges, and every pulled page is committed with its cursor;
//  * 401: kUnauthenticated (log in again: enroll.h log_in_again, the window's log-in dialog);
//  * a local clock beyond the hub's allowed drift: kClockSkew before anything is pushed;
//  * a store clock beyond it while the wall clock is right (the clock was corrected): this
//    device's versions stamped while it ran ahead are re-stamped first (Store::restamp_ahead_of);
//  * per-mutation rejections are not failures of the round: they move to `rejected` with the
//    hub's reason and are counted in SyncStats;
//  * the hub restored from an older copy (a pull cursor from a run it does not hold, its last
//    counter for this device below what it acknowledged, a gap at the first pushed counter): this
//    device's versions are queued again after the hub's last counter and the pull starts from 0
//    (Store::requeue_own), once per round;
//  * this data folder is a copy of another syncing as the same device (device_forked): it enrols
//    as a new device of the same account (POST /v1/devices/fork), becomes it
//    (Store::become_device), hands the new token to on_forked, and syncs on, once per round.
#pragma once

#include <functional>
#include <string>

#include "lwc/client/transport.h"
#include "lwc/store.h"

namespace lwc::client {

struct SyncProgress {
  enum class Phase { kPush, kPull } phase = Phase::kPush;
  int64_t done = 0;   // mutations pushed / changes pulled so far in this round
  int64_t total = 0;  // push: outbox size at the start; pull: unknown (0)
};

// The repairs a data folder made, as its store keeps them (docs/protocol.md, "Restored hubs and
// copied folders"): when it found the hub restored from an older copy and how many of its versions
// it sent again; when it was found to be a copy, and of which device. 0 / "": never.
struct RepairNotes {
  int64_t hub_restored_ms = 0, hub_restored_resent = 0;
  int64_t forked_ms = 0;
  std::string forked_from;
};
Result<RepairNotes> repair_notes(Store& store);

struct SyncStats {
  int64_t pushed = 0, rejected = 0, pulled = 0, cursor = 0;
  int64_t restamped = 0, requeued = 0;  // after a corrected clock (Store::Restamp)
  bool hub_restored = false;  // the hub had lost data: `resent` of this device's versions again
  int64_t resent = 0;
  std::string forked_from;  // this folder was a copy: it became a new device (Store::device_id)
};

struct SyncOptions {
  size_t push_batch = 5000;        // mutations per push; halved while the hub answers 413
  size_t pull_page = 0;            // changes per pull page; 0: the hub's largest (max_page)
  size_t merge_changes = 100'000;  // at most this many pulled changes wait for one transaction
  // Called after the store became a new device (a copied folder): keep the token (client.json).
  std::function<Status(const std::string& device_id, const std::string& token, int64_t expires_ms)>
      on_forked;
};

class SyncEngine {
 public:
  SyncEngine(Store& store, Transport& transport, std::string token, SyncOptions options = {})
      : store_(store), transport_(transport), token_(std::move(token)), options_(options) {}

  Result<SyncStats> sync_once(const std::function<void(const SyncProgress&)>& progress = {});
  // Only the clock check (GET /v1/health): the hub's time, or kClockSkew if this device is too
  // far ahead of it.
  Result<int64_t> check_clock(int64_t max_drift_ms);
  // The token in use (a new one after a fork).
  const std::string& token() const { return token_; }
  // A new token from logging in again (the old one lapsed or was revoked).
  void set_token(std::string token) { token_ = std::move(token); }

 private:
  Status push_all(SyncStats& stats, const std::function<void(const SyncProgress&)>& progress);
  Status pull_all(SyncStats& stats, const std::function<void(const SyncProgress&)>& progress);
  Status http_error(const HttpResponse& r, const char* what);
  // push_all / pull_all found the hub restored: kHubRestored, with the hub's last counter for
  // this device here.
  Status restored(int64_t hub_last_counter, const std::string& why);
  // The hub lost this device's changes after hub_last_counter_: queue them again (see above).
  Status repair_restored_hub(SyncStats& stats);
  // The restored() status of a 409 hub_restored answer (push or pull), or nothing.
  std::optional<Status> restored_answer(const HttpResponse& r);
  Status fork(SyncStats& stats);
  int64_t hub_last_counter_ = 0;

  Store& store_;
  Transport& transport_;
  std::string token_;
  SyncOptions options_;
};

}  // namespace lwc::client
