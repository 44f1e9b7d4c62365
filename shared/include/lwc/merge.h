// Per-field last-writer-wins merge — a pure function, the heart of the sync model (BRIEF.md §4).
//
// A Change sets one field of one row: (table, row id, scope, field, value, hlc, device, base).
//  * value is canonical JSON text (one scalar, array or object, as nlohmann::json::dump() writes it);
//  * a delete is the tombstone field "_deleted" set to true;
//  * base is the Hlc of the field value the writer saw when it wrote (0: it saw none). It never
//    affects who wins; it only tells an ordinary overwrite from a concurrent edit.
//
// The winner of two versions of a field is the one with the greater (hlc, device). The order of
// arrival and duplicates therefore never change the result: merge is commutative, associative and
// idempotent. A version that loses to a version from a writer that had not seen it (winner.base <
// loser.hlc) and that holds a different value is a Conflict: both values and both authors are kept.
#pragma once

#include <optional>
#include <string>

#include "lwc/hlc.h"

namespace lwc {

inline constexpr const char* kTombstoneField = "_deleted";

// One stored version of one field.
struct FieldVersion {
  std::string value;   // canonical JSON
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

// Merges `incoming` into the field whose current version is `current` (nullopt: never written).
MergeResult merge(const std::optional<FieldVersion>& current, const FieldVersion& incoming);

}  // namespace lwc
