// The two halves of the sync protocol that do not depend on the transport — used by the hub's
// handlers, the client's sync worker and the convergence test alike.
#pragma once

#include <vector>

#include "lwc/store.h"

namespace lwc {

// One page of a pull: current versions with seq > after, in seq order.
struct PullPage {
  std::vector<SeqChange> changes;
  int64_t next_cursor = 0;    // where the next pull starts; covers invisible seqs too
  bool more = false;          // another page is waiting
  std::string epoch;          // the hub's segment next_cursor lies in; "" from an older hub
  int64_t last_counter = -1;  // the hub's last mutation counter of the pulling device; -1: unknown
};

// Hub: reads a page. When the page is not full, next_cursor is the hub's last seq (nothing visible
// lies between), so a district's cursor moves past other districts' changes.
// Changes authored by `skip_device` are left out (their author holds them already); next_cursor
// still moves past them.
Result<PullPage> read_pull_page(Store& hub, int64_t after, const ScopeFilter& filter, size_t limit,
                                std::string_view skip_device = {});

// Client: merges a received page and raises the cursor, atomically.
Status apply_pull_page(Store& client, const PullPage& page);
// Client: merges consecutive pages in one transaction, with the last page's cursor.
Status apply_pull_pages(Store& client, const std::vector<PullPage>& pages);

// Client: applies the hub's answer to a push. Applied and duplicate mutations leave the outbox;
// mutations the hub rejected move to `rejected` with their reason; a gap (kConflict) leaves the
// mutation in the outbox to be sent again. Safe to call with a stale or duplicated answer.
Status apply_push_results(Store& client, const std::vector<MutationResult>& results);

}  // namespace lwc
