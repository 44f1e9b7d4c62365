// The two halves of the sync protocol that do not depend on the transport — used by the hub's
// handlers, the client's sync worker and the convergence test alike.
#pragma once

#include <vector>

#include "lwc/store.h"

namespace lwc {

// Where the hub stood when it acknowledged a push: its last seq then and the run (segment) that seq
// lies in. A client keeps the latest and shows it at each pull, so that a hub restored from a copy
// older than an acknowledgement is found even when another folder of the device has taken the
// change numbers again. seq 0: none.
struct HubMark {
  int64_t seq = 0;
  std::string epoch;
};

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

// Hub: answers `device`'s pull from `after`, a cursor it read in the hub's run `epoch` ("": not
// known, not checked): a page, with the epoch of its next_cursor
// and the device's last mutation counter. kHubRestored when the cursor is one this hub never gave
// out — beyond its last change, or read in a run its data does not hold: it was restored from an
// older copy, and the device must pull again from 0 and send again what it wrote.
// The page holds the device's own versions too (see docs/protocol.md, pull).
// `acked`, the client's latest HubMark, is checked the same way.
Result<PullPage> serve_pull(Store& hub, const std::string& device, int64_t after,
                            std::string_view epoch, const ScopeFilter& filter, size_t limit,
                            const HubMark& acked = {});
// Hub: the mark of an answer given now (its last seq and that seq's run).
Result<HubMark> hub_mark(Store& hub);
// Hub: kHubRestored when a client's mark (seq 0: none) cannot come from this hub's data; checked
// before a push is taken, since another folder of the device may have taken its numbers again.
Status check_hub_mark(Store& hub, const HubMark& acked);

// Client: whether the hub holds fewer of this device's changes than it had acknowledged (it was
// restored from an older copy) — shown by a push answer that has a gap at the first change sent
// while the hub's last counter is below the one before it, or by a pull page whose last counter is
// below `acknowledged` (Store::acknowledged_counter).
bool push_shows_restored_hub(const std::vector<Mutation>& batch,
                             const std::vector<MutationResult>& results, int64_t hub_last_counter);
bool pull_shows_restored_hub(const PullPage& page, int64_t acknowledged);
// Client: whether the hub holds changes of this device beyond the last one this data folder
// numbered: `hub_last_counter` from a pull answer (PullPage::last_counter, -1 unknown), `numbered`
// Store::numbered_counter read after the answer came. Then another folder syncs as the same
// device — this one is a copy, and must become a device of its own (device_forked).
bool pull_shows_copied_folder(int64_t hub_last_counter, int64_t numbered);

// Client: merges a received page and raises the cursor, atomically.
Status apply_pull_page(Store& client, const PullPage& page);
// Client: merges consecutive pages in one transaction, with the last page's cursor.
Status apply_pull_pages(Store& client, const std::vector<PullPage>& pages);

// Client: applies the hub's answer to a push. Applied and duplicate mutations leave the outbox;
// mutations the hub rejected move to `rejected` with their reason; a gap (kConflict) leaves the
// mutation in the outbox to be sent again; the answer's mark (when it has one) is kept when it is
// later than the kept one. Safe to call with a stale or duplicated answer.
Status apply_push_results(Store& client, const std::vector<MutationResult>& results,
                          const HubMark& mark = {});

}  // namespace lwc
