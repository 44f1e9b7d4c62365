#include "lwc/sync.h"

namespace lwc {

Result<PullPage> read_pull_page(Store& hub, int64_t after, const ScopeFilter& filter, size_t limit,
                                std::string_view skip_device) {
  // One read transaction: the page and the last seq come from the same snapshot, so next_cursor
  // never skips a change another connection committed meanwhile.
  LWC_RETURN_IF_ERROR(hub.db().exec("BEGIN"));
  auto changes = hub.changes_after(after, filter, limit, skip_device);
  auto last = hub.committed_seq();
  (void)hub.db().exec("COMMIT");
  if (!changes.ok()) return changes.status();
  if (!last.ok()) return last.status();
  PullPage page;
  page.more = changes->size() == limit;
  page.next_cursor = page.more ? changes->back().seq : std::max(after, *last);
  page.changes = std::move(changes).value();
  return page;
}

namespace {
// Why the point (seq, epoch) a client holds cannot come from this hub's data, or "" when it can.
Result<std::string> foreign_point(Store& hub, const char* what, int64_t seq, std::string_view epoch,
                                  int64_t last) {
  if (seq > last) {
    return std::string(what) + " " + std::to_string(seq) + " is ahead of this hub (last change " +
           std::to_string(last) + ")";
  }
  if (seq > 0 && !epoch.empty()) {
    auto expected = hub.segment_of(seq);
    if (!expected.ok()) return expected.status();
    if (*expected != epoch) {
      return std::string(what) + " " + std::to_string(seq) + " was given in a run of the hub (" +
             std::string(epoch.substr(0, 12)) + ") that this copy of its data does not hold";
    }
  }
  return std::string();
}
}  // namespace

Result<HubMark> hub_mark(Store& hub) {
  auto last = hub.committed_seq();
  if (!last.ok()) return last.status();
  auto epoch = hub.segment_of(*last);
  if (!epoch.ok()) return epoch.status();
  return HubMark{*last, *epoch};
}

namespace {
Status restored_status(const std::string& why) {
  return Status(Code::kHubRestored,
                why + ": this hub was restored from an older copy; pull again from 0");
}
}  // namespace

Status check_hub_mark(Store& hub, const HubMark& acked) {
  if (acked.seq == 0) return {};
  auto last = hub.committed_seq();
  if (!last.ok()) return last.status();
  auto why = foreign_point(hub, "acknowledgement at", acked.seq, acked.epoch, *last);
  if (!why.ok()) return why.status();
  return why->empty() ? Status{} : restored_status(*why);
}

Result<PullPage> serve_pull(Store& hub, const std::string& device, int64_t after,
                            std::string_view epoch, const ScopeFilter& filter, size_t limit,
                            const HubMark& acked) {
  auto last = hub.committed_seq();
  if (!last.ok()) return last.status();
  auto restored = foreign_point(hub, "cursor", after, epoch, *last);
  if (restored.ok() && restored->empty()) {
    restored = foreign_point(hub, "acknowledgement at", acked.seq, acked.epoch, *last);
  }
  if (!restored.ok()) return restored.status();
  if (!restored->empty()) {
    return restored_status(*restored);
  }
  auto progress = hub.device_progress(device);
  if (!progress.ok()) return progress.status();
  // A device's own versions come back too: a copy of its data folder may have sent versions under
  // its id before the hub found the copy, and only this way do both folders end up holding them.
  auto page = read_pull_page(hub, after, filter, limit);
  if (!page.ok()) return page.status();
  auto segment = hub.segment_of(page->next_cursor);
  if (!segment.ok()) return segment.status();
  page->epoch = *segment;
  page->last_counter = *progress;
  return page;
}

bool push_shows_restored_hub(const std::vector<Mutation>& batch,
                             const std::vector<MutationResult>& results, int64_t hub_last_counter) {
  return !batch.empty() && !results.empty() && results.front().counter == batch.front().counter &&
         results.front().kind == MutationResult::Kind::kRejected &&
         results.front().reason.code() == Code::kConflict &&
         hub_last_counter < batch.front().counter - 1;
}

bool pull_shows_restored_hub(const PullPage& page, int64_t acknowledged) {
  return page.last_counter >= 0 && page.last_counter < acknowledged;
}

bool pull_shows_copied_folder(int64_t hub_last_counter, int64_t numbered) {
  return hub_last_counter > numbered;
}

Status apply_pull_page(Store& client, const PullPage& page) {
  return client.apply_pulled(
      page.changes.size(), [&](size_t i) -> const Change& { return page.changes[i].change; },
      page.next_cursor, page.epoch);
}

Status apply_pull_pages(Store& client, const std::vector<PullPage>& pages) {
  if (pages.empty()) return {};
  size_t total = 0;
  for (const PullPage& page : pages) total += page.changes.size();
  size_t page = 0, first = 0;  // pages[page].changes[0] is change number `first`
  return client.apply_pulled(
      total,
      [&](size_t i) -> const Change& {
        while (i - first >= pages[page].changes.size()) first += pages[page++].changes.size();
        return pages[page].changes[i - first].change;
      },
      pages.back().next_cursor, pages.back().epoch);
}

Status apply_push_results(Store& client, const std::vector<MutationResult>& results,
                          const HubMark& mark) {
  if (mark.seq > 0) LWC_RETURN_IF_ERROR(client.keep_hub_mark(mark.seq, mark.epoch));
  int64_t acked = 0;
  for (const MutationResult& r : results) {
    if (r.kind == MutationResult::Kind::kRejected) {
      if (r.reason.code() == Code::kConflict) break;  // a gap: resend from here
      LWC_RETURN_IF_ERROR(client.ack_outbox(acked));
      LWC_RETURN_IF_ERROR(client.reject_outbox(r.counter, r.reason));
    }
    acked = r.counter;
  }
  return client.ack_outbox(acked);
}

}  // namespace lwc
