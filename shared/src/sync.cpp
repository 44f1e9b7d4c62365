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

Status apply_push_results(Store& client, const std::vector<MutationResult>& results) {
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
