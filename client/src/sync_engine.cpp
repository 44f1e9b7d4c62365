#include "lwc/client/sync_engine.h"

#include <algorithm>
#include <future>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "lwc/id.h"
#include "lwc/protocol.h"
#include "lwc/sync.h"

namespace lwc::client {

namespace {
// The acked / acked_epoch query parameters of a kept hub mark (Store::hub_mark), after `lead`;
// "" when there is none.
std::string acked_query(const std::pair<int64_t, std::string>& mark, const char* lead) {
  if (mark.first <= 0 || mark.second.empty()) return {};
  return lead + std::string("acked=") + std::to_string(mark.first) + "&acked_epoch=" + mark.second;
}
}  // namespace

using json = nlohmann::json;

Status SyncEngine::http_error(const HttpResponse& r, const char* what) {
  auto body = protocol::parse_json(r.body);
  Code fallback = r.status == 401 ? Code::kUnauthenticated : Code::kUnavailable;
  Status s = body.ok() ? protocol::parse_error_body(*body, fallback)
                       : Status(fallback, "HTTP " + std::to_string(r.status));
  // The hub's own trouble (its disk, its database) is not this computer's: the data is safe
  // here and the sync is tried again later.
  Code code = s.code();
  if (code == Code::kIo || code == Code::kDiskFull || code == Code::kInternal ||
      code == Code::kSchemaTooNew) {
    code = Code::kUnavailable;
  }
  return Status(
      code, std::string(what) + ": the hub answered " + code_name(s.code()) + ": " + s.message());
}

Result<int64_t> SyncEngine::check_clock(int64_t max_drift_ms) {
  auto r = transport_.request("GET", "/v1/health", "", "");
  if (!r.ok()) return r.status();
  if (r->status != 200) return http_error(*r, "health");
  auto body = protocol::parse_json(r->body);
  if (!body.ok() || !(*body).contains("time_ms"))
    return Status(Code::kUnavailable, "health: no hub time");
  const int64_t hub_ms = (*body)["time_ms"].get<int64_t>();
  const int64_t mine = store_.clock().now_ms();
  if (mine > hub_ms + max_drift_ms) {
    return Status(
        Code::kClockSkew,
        "this computer's clock is " + std::to_string((mine - hub_ms) / 1000) +
            " s ahead of the hub (allowed: " + std::to_string(max_drift_ms / 1000) +
            " s); correct the date and time, then sync again (changes saved while the clock was "
            "ahead are kept and sent, re-stamped, at the first sync after the correction)");
  }
  return hub_ms;
}

// Pushes are pipelined: while the hub takes a full batch, the next one (the mutations after it) is
// read from the outbox and written as a body on a helper thread. The store is used by one thread at
// a time: this thread waits for the helper before it touches the store again. The prepared batch is
// sent only when the hub took the whole batch in flight; after a 413, a gap or a rejection that
// stops the batch, it is dropped and the outbox is read again.
Status SyncEngine::push_all(SyncStats& stats,
                            const std::function<void(const SyncProgress&)>& progress) {
  auto total = store_.outbox_size();
  if (!total.ok()) return total.status();
  SyncProgress p{SyncProgress::Phase::kPush, 0, *total};
  size_t batch_size = options_.push_batch;
  struct Prepared {
    Result<std::vector<Mutation>> batch;
    std::string body;
  };
  auto prepare = [this](size_t limit, int64_t after) {
    Prepared out{store_.outbox(limit, after), {}};
    if (out.batch.ok() && !out.batch->empty()) out.body = protocol::push_request(*out.batch);
    return out;
  };
  Prepared current = prepare(batch_size, 0);
  while (true) {
    if (!current.batch.ok()) return current.batch.status();
    const std::vector<Mutation>& batch = *current.batch;
    if (batch.empty()) return {};
    // Where the hub stood at its latest acknowledgement, read before the store is lent out.
    auto mark = store_.hub_mark();
    if (!mark.ok()) return mark.status();
    std::future<Prepared> next;
    if (batch.size() == batch_size) {  // a full batch: more may wait behind it
      next = std::async(std::launch::async, prepare, batch_size, batch.back().counter);
    }
    auto r = transport_.request("POST", "/v1/push" + acked_query(*mark, "?"), current.body, token_);
    std::optional<Prepared> upcoming;
    if (next.valid()) upcoming = next.get();  // the store is ours again
    if (!r.ok()) return r.status();
    if (r->status == 413 && batch.size() > 1) {  // the hub takes fewer per push: halve, resend
      batch_size = batch.size() / 2;
      current = prepare(batch_size, 0);
      continue;
    }
    if (auto restored_hub = restored_answer(*r)) return *restored_hub;
    if (r->status != 200) return http_error(*r, "push");
    int64_t hub_last = 0;
    HubMark answered;
    auto results = protocol::parse_push_response(r->body, &hub_last, &answered);
    if (!results.ok()) return results.status();
    if (push_shows_restored_hub(batch, *results, hub_last)) {
      // The hub acknowledged everything before the outbox, and now holds less.
      return restored(hub_last, "the hub's last change of this device is " +
                                    std::to_string(hub_last) + ", it had acknowledged " +
                                    std::to_string(batch.front().counter - 1));
    }
    LWC_RETURN_IF_ERROR(apply_push_results(store_, *results, answered));
    int64_t progressed = 0;
    for (const MutationResult& m : *results) {
      if (m.kind == MutationResult::Kind::kRejected && m.reason.code() == Code::kConflict) break;
      ++progressed;
      if (m.kind == MutationResult::Kind::kRejected) ++stats.rejected;
    }
    if (progressed == 0) {
      return Status(Code::kConflict, "the hub refused the outbox order; contact the administrator");
    }
    stats.pushed += progressed;
    p.done += progressed;
    if (progress) progress(p);
    const bool whole = progressed == static_cast<int64_t>(batch.size()) &&
                       results->size() == batch.size() &&
                       results->back().counter == batch.back().counter;
    current = whole && upcoming ? std::move(*upcoming) : prepare(batch_size, 0);
  }
}

// Pages are pipelined: while pages are merged into the store on a helper thread, the next pages are
// fetched and parsed here, so the hub builds a page while the client merges earlier ones. Pages
// that arrive while a merge runs are merged together, in one transaction, when it ends (one commit
// per page would cost more than the page: every commit rewrites the index pages the page touched),
// up to options_.merge_changes changes; beyond that, fetching waits for the merge. The store is
// used by one thread at a time (this thread waits for a merge before it touches the store again),
// and the pages of a merge are committed together with the last page's cursor: an interruption
// resumes after the last committed merge.
Status SyncEngine::pull_all(SyncStats& stats,
                            const std::function<void(const SyncProgress&)>& progress) {
  SyncProgress p{SyncProgress::Phase::kPull, 0, 0};
  // `pending`: what is still in the outbox, for the province's fleet health (GET /v1/fleet).
  auto pending = store_.outbox_size();
  if (!pending.ok()) return pending.status();
  auto stored = store_.pull_cursor();
  if (!stored.ok()) return stored.status();
  int64_t cursor = *stored;
  auto epoch = store_.pull_epoch();
  if (!epoch.ok()) return epoch.status();
  auto acknowledged = store_.acknowledged_counter();
  if (!acknowledged.ok()) return acknowledged.status();
  // Where the hub stood at its latest acknowledgement: a restored hub that lacks it says so.
  auto mark = store_.hub_mark();
  if (!mark.ok()) return mark.status();
  const std::string acked = acked_query(*mark, "&");
  bool restarted = false;
  int64_t hub_last_counter = -1;  // the greatest last_counter of the pages
  std::future<Status> merging;    // pages being merged
  std::vector<PullPage> waiting;  // pages fetched since that merge began
  size_t waiting_changes = 0;
  auto merged = [&]() -> Status { return merging.valid() ? merging.get() : Status{}; };
  auto start_merge = [&] {
    auto pages = std::make_shared<std::vector<PullPage>>(std::move(waiting));
    waiting.clear();
    waiting_changes = 0;
    merging =
        std::async(std::launch::async, [this, pages] { return apply_pull_pages(store_, *pages); });
  };
  const std::string limit =
      options_.pull_page ? "&limit=" + std::to_string(options_.pull_page) : std::string();
  while (true) {
    // The epoch names the hub's run the cursor was read in (only for the cursor it came with).
    const std::string run =
        cursor == *stored && cursor > 0 && !epoch->empty() ? "&epoch=" + *epoch : std::string();
    auto r = transport_.request("GET",
                                "/v1/pull?after=" + std::to_string(cursor) + limit + run +
                                    "&pending=" + std::to_string(*pending) + acked,
                                "", token_);
    if (!r.ok()) {
      LWC_RETURN_IF_ERROR(merged());
      return r.status();
    }
    if (auto restored_hub = restored_answer(*r)) {
      LWC_RETURN_IF_ERROR(merged());
      return *restored_hub;
    }
    if (r->status == 409 && cursor > 0 && !restarted) {  // an older hub behind our cursor
      restarted = true;
      LWC_RETURN_IF_ERROR(merged());
      waiting.clear();
      waiting_changes = 0;
      LWC_RETURN_IF_ERROR(store_.set_meta("pull_cursor", "0"));
      cursor = 0;
      continue;
    }
    if (r->status != 200) {
      LWC_RETURN_IF_ERROR(merged());
      return http_error(*r, "pull");
    }
    Result<PullPage> parsed = protocol::parse_pull_response(r->body);
    if (!parsed.ok()) {
      LWC_RETURN_IF_ERROR(merged());
      return parsed.status();
    }
    if (pull_shows_restored_hub(*parsed, *acknowledged)) {
      LWC_RETURN_IF_ERROR(merged());
      return restored(parsed->last_counter, "the hub's last change of this device is " +
                                                std::to_string(parsed->last_counter) +
                                                ", it had acknowledged " +
                                                std::to_string(*acknowledged));
    }
    hub_last_counter = std::max(hub_last_counter, parsed->last_counter);
    const bool more = parsed->more;
    stats.pulled += static_cast<int64_t>(parsed->changes.size());
    stats.cursor = cursor = parsed->next_cursor;
    waiting_changes += parsed->changes.size();
    waiting.push_back(std::move(parsed).value());
    p.done = stats.pulled;
    if (progress) progress(p);
    const bool idle =
        !merging.valid() || merging.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    if (!more || idle || waiting_changes >= options_.merge_changes) {
      LWC_RETURN_IF_ERROR(merged());
      start_merge();
    }
    if (!more) {
      LWC_RETURN_IF_ERROR(merged());
      // Read once no merge holds the store, and after the answers came: numbers this folder gave
      // while the pull ran count too.
      auto numbered = store_.numbered_counter();
      if (!numbered.ok()) return numbered.status();
      if (pull_shows_copied_folder(hub_last_counter, *numbered)) {
        return Status(Code::kDeviceForked,
                      "the hub holds change " + std::to_string(hub_last_counter) +
                          " of this device, and this data folder numbered only " +
                          std::to_string(*numbered) + ": it is a copy of another");
      }
      return {};
    }
  }
}

Result<RepairNotes> repair_notes(Store& store) {
  RepairNotes out;
  for (auto [key, into] : {std::pair{"hub_restored_ms", &out.hub_restored_ms},
                           std::pair{"hub_restored_resent", &out.hub_restored_resent},
                           std::pair{"forked_ms", &out.forked_ms}}) {
    auto v = store.get_meta(key);
    if (!v.ok()) return v.status();
    *into = v->empty() ? 0 : std::stoll(*v);
  }
  auto from = store.get_meta("forked_from");
  if (!from.ok()) return from.status();
  out.forked_from = *from;
  return out;
}

std::optional<Status> SyncEngine::restored_answer(const HttpResponse& r) {
  if (r.status != 409) return std::nullopt;
  auto body = protocol::parse_json(r.body);
  if (!body.ok() || !body->is_object() || body->value("code", "") != "hub_restored" ||
      !body->contains("last_counter") || !(*body)["last_counter"].is_number_integer()) {
    return std::nullopt;
  }
  return restored((*body)["last_counter"].get<int64_t>(), body->value("message", ""));
}

Status SyncEngine::restored(int64_t hub_last_counter, const std::string& why) {
  hub_last_counter_ = hub_last_counter;
  return Status(Code::kHubRestored, "the hub was restored from an older copy (" + why + ")");
}

Status SyncEngine::repair_restored_hub(SyncStats& stats) {
  auto resent = store_.requeue_own(hub_last_counter_ + 1);
  if (!resent.ok()) return resent.status();
  stats.hub_restored = true;
  stats.resent += *resent;
  LWC_RETURN_IF_ERROR(store_.set_meta("hub_restored_ms", std::to_string(store_.clock().now_ms())));
  return store_.set_meta("hub_restored_resent", std::to_string(*resent));
}

Status SyncEngine::fork(SyncStats& stats) {
  const std::string device = new_id_after(store_.device_id());
  auto r =
      transport_.request("POST", "/v1/devices/fork", json{{"device_id", device}}.dump(), token_);
  if (!r.ok()) return r.status();
  if (r->status != 200) return http_error(*r, "fork");
  auto body = protocol::parse_json(r->body);
  if (!body.ok()) return body.status();
  if (!body->is_object() || !(*body)["token"].is_string() ||
      !(*body)["expires_ms"].is_number_integer()) {
    return Status(Code::kUnavailable, "fork: the hub's answer has no token");
  }
  const std::string old = store_.device_id();
  // The store first: a crash before the token is kept leaves an orphan device id at the hub, and
  // the next sync forks again.
  auto queued = store_.become_device(device);
  if (!queued.ok()) return queued.status();
  token_ = (*body)["token"].get<std::string>();
  if (options_.on_forked) {
    LWC_RETURN_IF_ERROR(options_.on_forked(device, token_, (*body)["expires_ms"].get<int64_t>()));
  }
  stats.forked_from = old;
  return {};
}

Result<SyncStats> SyncEngine::sync_once(const std::function<void(const SyncProgress&)>& progress) {
  SyncStats stats;
  const int64_t drift = store_.hlc().max_drift_ms();
  auto hub_ms = check_clock(drift);
  if (!hub_ms.ok()) return hub_ms.status();
  // The clock is right now, but edits stamped while it ran ahead would be refused: re-stamp them.
  auto restamp = store_.restamp_ahead_of(*hub_ms + drift);
  if (!restamp.ok()) return restamp.status();
  stats.restamped = restamp->restamped;
  stats.requeued = restamp->requeued;
  bool repaired = false, forked = false;
  while (true) {
    Status s = push_all(stats, progress);
    if (s.ok()) s = pull_all(stats, progress);
    if (s.code() == Code::kHubRestored && !repaired) {
      repaired = true;
      LWC_RETURN_IF_ERROR(repair_restored_hub(stats));
      continue;
    }
    if (s.code() == Code::kDeviceForked && !forked) {
      forked = true;
      LWC_RETURN_IF_ERROR(fork(stats));
      continue;
    }
    LWC_RETURN_IF_ERROR(s);
    break;
  }
  LWC_RETURN_IF_ERROR(store_.set_meta("last_sync_ms", std::to_string(store_.clock().now_ms())));
  return stats;
}

}  // namespace lwc::client
