#include "lwc/client/sync_engine.h"

#include <future>
#include <memory>

#include "lwc/protocol.h"
#include "lwc/sync.h"

namespace lwc::client {

Status SyncEngine::http_error(const HttpResponse& r, const char* what) {
  auto body = protocol::parse_json(r.body);
  Code fallback = r.status == 401 ? Code::kUnauthenticated : Code::kIo;
  Status s = body.ok() ? protocol::parse_error_body(*body, fallback)
                       : Status(fallback, "HTTP " + std::to_string(r.status));
  return Status(s.code(), std::string(what) + ": " + s.message());
}

Status SyncEngine::check_clock(int64_t max_drift_ms) {
  auto r = transport_.request("GET", "/v1/health", "", "");
  if (!r.ok()) return r.status();
  if (r->status != 200) return http_error(*r, "health");
  auto body = protocol::parse_json(r->body);
  if (!body.ok() || !(*body).contains("time_ms")) return Status(Code::kIo, "health: no hub time");
  const int64_t hub_ms = (*body)["time_ms"].get<int64_t>();
  const int64_t mine = store_.clock().now_ms();
  if (mine > hub_ms + max_drift_ms) {
    return Status(Code::kClockSkew,
                  "this computer's clock is " + std::to_string((mine - hub_ms) / 1000) +
                      " s ahead of the hub (allowed: " + std::to_string(max_drift_ms / 1000) +
                      " s); correct the date and time, then sync again");
  }
  return {};
}

Status SyncEngine::push_all(SyncStats& stats,
                            const std::function<void(const SyncProgress&)>& progress) {
  auto total = store_.outbox_size();
  if (!total.ok()) return total.status();
  SyncProgress p{SyncProgress::Phase::kPush, 0, *total};
  while (true) {
    auto batch = store_.outbox(options_.push_batch);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) return {};
    auto r = transport_.request("POST", "/v1/push", protocol::push_request(*batch).dump(), token_);
    if (!r.ok()) return r.status();
    if (r->status != 200) return http_error(*r, "push");
    auto body = protocol::parse_json(r->body);
    if (!body.ok()) return body.status();
    auto results = protocol::parse_push_response(*body);
    if (!results.ok()) return results.status();
    LWC_RETURN_IF_ERROR(apply_push_results(store_, *results));
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
  }
}

// Pages are pipelined: while page k is merged into the store on a helper thread, page k+1 is
// fetched (from page k's next_cursor) and parsed here, so the hub builds a page while the client
// merges the previous one. The store is still used by one thread at a time (this thread waits for
// a merge before it touches the store again), and every page is committed with its cursor in one
// transaction, in order: an interruption resumes after the last committed page.
Status SyncEngine::pull_all(SyncStats& stats,
                            const std::function<void(const SyncProgress&)>& progress) {
  SyncProgress p{SyncProgress::Phase::kPull, 0, 0};
  // `pending`: what is still in the outbox, for the province's fleet health (GET /v1/fleet).
  auto pending = store_.outbox_size();
  if (!pending.ok()) return pending.status();
  auto stored = store_.pull_cursor();
  if (!stored.ok()) return stored.status();
  int64_t cursor = *stored;
  bool restarted = false;
  std::future<Status> merging;  // the previous page, being merged
  auto merged = [&]() -> Status { return merging.valid() ? merging.get() : Status{}; };
  while (true) {
    auto r = transport_.request("GET",
                                "/v1/pull?after=" + std::to_string(cursor) +
                                    "&limit=" + std::to_string(options_.pull_page) +
                                    "&pending=" + std::to_string(*pending),
                                "", token_);
    if (!r.ok()) {
      LWC_RETURN_IF_ERROR(merged());
      return r.status();
    }
    if (r->status == 409 && cursor > 0 && !restarted) {  // the hub is behind our cursor
      restarted = true;
      LWC_RETURN_IF_ERROR(merged());
      LWC_RETURN_IF_ERROR(store_.set_meta("pull_cursor", "0"));
      cursor = 0;
      continue;
    }
    if (r->status != 200) {
      LWC_RETURN_IF_ERROR(merged());
      return http_error(*r, "pull");
    }
    auto body = protocol::parse_json(r->body);
    Result<PullPage> parsed = body.ok() ? protocol::parse_pull_response(*body) : body.status();
    LWC_RETURN_IF_ERROR(merged());
    if (!parsed.ok()) return parsed.status();
    auto page = std::make_shared<PullPage>(std::move(parsed).value());
    merging = std::async(std::launch::async,
                         [this, page] { return apply_pull_page(store_, *page); });
    stats.pulled += static_cast<int64_t>(page->changes.size());
    stats.cursor = page->next_cursor;
    cursor = page->next_cursor;
    p.done = stats.pulled;
    if (progress) progress(p);
    if (!page->more) return merged();
  }
}

Result<SyncStats> SyncEngine::sync_once(const std::function<void(const SyncProgress&)>& progress) {
  SyncStats stats;
  LWC_RETURN_IF_ERROR(check_clock(store_.hlc().max_drift_ms()));
  LWC_RETURN_IF_ERROR(push_all(stats, progress));
  LWC_RETURN_IF_ERROR(pull_all(stats, progress));
  LWC_RETURN_IF_ERROR(store_.set_meta("last_sync_ms", std::to_string(store_.clock().now_ms())));
  return stats;
}

}  // namespace lwc::client
