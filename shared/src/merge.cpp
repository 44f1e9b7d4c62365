#include "lwc/merge.h"

namespace lwc {

bool wins_over(const FieldVersion& a, const FieldVersion& b) {
#if defined(LWC_MUTATE_MERGE) && LWC_MUTATE_MERGE == 1
  // Mutation for scripts/mutation-check.sh: the version that arrives last wins (order-dependent).
  (void)a, (void)b;
  return true;
#elif defined(LWC_MUTATE_MERGE) && LWC_MUTATE_MERGE == 2
  // Mutation for scripts/mutation-check.sh: equal HLCs go to the arrival, not the greater device.
  return a.hlc != b.hlc ? a.hlc > b.hlc : true;
#else
  if (a.hlc != b.hlc) return a.hlc > b.hlc;
  return a.device > b.device;
#endif
}

namespace {
std::optional<Conflict> conflict_between(const FieldVersion& winner, const FieldVersion& loser) {
  if (winner.value == loser.value) return std::nullopt;  // same outcome: nothing to review
  if (winner.base >= loser.hlc) return std::nullopt;     // the winner's writer saw the loser
  return Conflict{winner, loser};
}
}  // namespace

MergeResult merge(const std::optional<FieldVersion>& current, const FieldVersion& incoming) {
  if (!current) return {MergeOutcome::kApplied, std::nullopt};
  if (current->hlc == incoming.hlc && current->device == incoming.device) {
    return {MergeOutcome::kDuplicate, std::nullopt};
  }
  if (wins_over(incoming, *current)) {
    return {MergeOutcome::kApplied, conflict_between(incoming, *current)};
  }
  return {MergeOutcome::kStale, conflict_between(*current, incoming)};
}

}  // namespace lwc
