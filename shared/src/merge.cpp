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

bool saw(const FieldVersion& winner, const FieldVersion& loser, const Lineage& lineage) {
#if defined(LWC_MUTATE_MERGE) && LWC_MUTATE_MERGE == 3
  // Mutation for scripts/mutation-check.sh: the rule before issue 13 — any later base counts as a
  // sight of the loser.
  (void)lineage;
  return winner.base >= loser.hlc;
#endif
  // The one version known with clock value h, or nullopt (unknown, or two devices' versions).
  auto only_version = [&](Hlc h) -> std::optional<LineageEntry> {
    // (The walk never reaches the winner's own clock: its base is earlier. The loser may not be
    // in the lineage yet.)
    std::vector<LineageEntry> found = lineage ? lineage(h) : std::vector<LineageEntry>{};
    if (loser.hlc == h) found.push_back({loser.device, loser.base});
    if (found.empty()) return std::nullopt;
    for (const LineageEntry& e : found) {
      if (e.device != found.front().device) return std::nullopt;
    }
    return found.front();
  };
  Hlc seen = winner.base;
  while (!seen.is_zero() && seen >= loser.hlc) {
    std::optional<LineageEntry> v = only_version(seen);
    if (!v) return false;
    if (seen == loser.hlc) return v->device == loser.device;
    if (v->base >= seen) return false;  // not a chain into the past
    seen = v->base;
  }
  return false;
}

namespace {
std::optional<Conflict> conflict_between(const FieldVersion& winner, const FieldVersion& loser,
                                         const Lineage& lineage) {
  if (winner.value == loser.value) return std::nullopt;  // same outcome: nothing to review
  if (saw(winner, loser, lineage)) return std::nullopt;  // the winner's writer saw the loser
  return Conflict{winner, loser};
}
}  // namespace

MergeResult merge(const std::optional<FieldVersion>& current, const FieldVersion& incoming,
                  const Lineage& lineage) {
  if (!current) return {MergeOutcome::kApplied, std::nullopt};
  if (current->hlc == incoming.hlc && current->device == incoming.device) {
    return {MergeOutcome::kDuplicate, std::nullopt};
  }
  if (wins_over(incoming, *current)) {
    return {MergeOutcome::kApplied, conflict_between(incoming, *current, lineage)};
  }
  return {MergeOutcome::kStale, conflict_between(*current, incoming, lineage)};
}

}  // namespace lwc
