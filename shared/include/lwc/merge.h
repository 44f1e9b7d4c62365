// Per-field last-writer-wins merge — a pure function, the heart of the sync model (BRIEF.md §4).
//
// A Change sets one field of one row: (table, row id, scope, field, value, hlc, device, base).
//  * value is canonical JSON text (one scalar, array or object, as nlohmann::json::dump() writes
//  it);
//  * a delete is the tombstone field "_deleted" set to true;
//  * base is the Hlc of the field value the writer saw when it wrote (0: it saw none). It never
//    affects who wins; it only tells an ordinary overwrite from a concurrent edit.
//
// The winner of two versions of a field is the one with the greater (hlc, device). The order of
// arrival and duplicates therefore never change the result: merge is commutative, associative and
// idempotent.
//
// The conflict rule: a version that loses and holds a different value is a Conflict (both values
// and both authors are kept) unless the winner's writer saw it — that is, unless the loser is in
// the winner's past: the winner's base, or that version's base, and so on. Only a Lineage (what a
// replica knows of the earlier versions of a field) can follow that chain beyond one step; without
// one, only the direct base counts as seen, which files more conflicts, never fewer. A later base
// does not mean the writer saw a version: a writer that saw 7002 has not seen a concurrent 7001
// with an earlier clock.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lwc/hlc.h"

namespace lwc {

inline constexpr const char* kTombstoneField = "_deleted";

// One stored version of one field.
struct FieldVersion {
  std::string value;  // canonical JSON
  Hlc hlc;
  std::string device;  // author device id
  Hlc base;

  friend bool operator==(const FieldVersion&, const FieldVersion&) = default;
};

struct Change {
  std::string table;
  std::string row_id;  // 32 lower-case hex digits (128 random bits)
  std::string scope;   // district code ("5201") or "province"
  std::string field;
  FieldVersion version;

  friend bool operator==(const Change&, const Change&) = default;
};

struct Conflict {
  FieldVersion winner;
  FieldVersion loser;
};

enum class MergeOutcome {
  kApplied,    // the incoming version is the new current one
  kDuplicate,  // the incoming version is the current one already
  kStale,      // the current version wins; the incoming one is not stored as current
};

struct MergeResult {
  MergeOutcome outcome;
  std::optional<Conflict> conflict;  // set when the loser was a concurrent, different value
};

// True when version a beats version b: greater (hlc, device).
bool wins_over(const FieldVersion& a, const FieldVersion& b);

// One earlier version of the field being merged, as a replica's lineage remembers it.
struct LineageEntry {
  std::string device;
  Hlc base;
};
// The earlier versions of the field with clock value `hlc` that the replica knows (usually none or
// one; two devices may have written the very same clock value). Bases name a version by its clock
// alone, so a clock value held by versions of two devices is ambiguous: the walk stops there.
using Lineage = std::function<std::vector<LineageEntry>(Hlc hlc)>;

// True when `loser` is in the past of `winner`: the chain winner.base, the base of that version,
// and so on, reaches the loser (its clock, and its device as the only version with that clock).
// Bases strictly decrease along the chain; a chain that does not (a forged base), an unknown
// version or an ambiguous clock value ends the walk: not seen.
bool saw(const FieldVersion& winner, const FieldVersion& loser, const Lineage& lineage = {});

// Merges `incoming` into the field whose current version is `current` (nullopt: never written).
MergeResult merge(const std::optional<FieldVersion>& current, const FieldVersion& incoming,
                  const Lineage& lineage = {});

}  // namespace lwc
