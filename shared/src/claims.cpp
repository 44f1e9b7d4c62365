#include "lwc/claims.h"

#include <string>

#include "lwc/calendar.h"
#include "lwc/entries.h"
#include "lwc/model.h"

namespace lwc {

namespace {
constexpr int64_t kOfflineAfterMs = 3'600'000;  // a claim received an hour later was made offline

bool is_date_claim(std::string_view table) {
  return table == "measurement";
}

int64_t day_of(int64_t ms) {
  return days_from_civil(thai_date(ms));
}
}  // namespace

std::string_view claimed_field(std::string_view table) {
  if (table == "submission") return "submitted_at";
  if (table == "ack") return "at";
  if (table == "measurement") return "as_of";
  return "";
}

const std::vector<std::string_view>& claim_fields(std::string_view table) {
  static const std::vector<std::string_view> kSubmission = {"submitted_at"};
  static const std::vector<std::string_view> kAck = {"at", "kind"};
  // A figure is claimed anew when its date, a value or its state changes: a changed value counts
  // from when the hub could know it, however old its date.
  static const std::vector<std::string_view> kMeasurement = {"as_of",   "value",   "collected",
                                                             "entered", "updated", "state"};
  static const std::vector<std::string_view> kNone;
  if (table == "submission") return kSubmission;
  if (table == "ack") return kAck;
  if (table == "measurement") return kMeasurement;
  return kNone;
}

int64_t counted_claim(std::string_view table, int64_t claimed, const ClaimWindow& w) {
  if (claimed == 0) return 0;
  const int64_t from = w.contact_ms - w.tolerance_ms;
  const bool inside = is_date_claim(table) ? day_of(from) <= day_of(claimed) &&
                                                 day_of(claimed) <= day_of(w.received_ms)
                                           : from <= claimed && claimed <= w.received_ms;
  return inside ? claimed : w.received_ms;
}

const char* claim_kind_name(ClaimKind k) {
  switch (k) {
    case ClaimKind::kLive:
      return "live";
    case ClaimKind::kOffline:
      return "offline";
    case ClaimKind::kRefused:
      return "refused";
  }
  return "?";
}

bool has_current_stamp(const Row& row) {
  const FieldVersion* counted = row.find(std::string(kCountedAt));
  if (!counted) return false;
  // A stamp judges the claim it was written after (the hub writes it later in the clock than the
  // claim); a claim changed since has a newer version.
  for (std::string_view f : claim_fields(row.table)) {
    const FieldVersion* v = row.find(std::string(f));
    if (v && v->hlc.packed > counted->hlc.packed) return false;
  }
  return true;
}

Claim claim_of(const Row& row) {
  Claim c;
  const std::string_view field = claimed_field(row.table);
  if (field.empty()) return c;
  c.claimed = int_field(row, std::string(field));
  c.counted = c.claimed;
  if (row.table == "measurement" &&
      verification_state(row, reviewed_fields(row)) == Verification::kVerified) {
    return c;  // the province checked the figure and its date against the source
  }
  // Never stamped (the hub's own row, a live claim, not yet at the hub) or stamped before the claim
  // changed: the claim.
  if (!has_current_stamp(row)) return c;
  c.counted = int_field(row, std::string(kCountedAt));
  c.received = int_field(row, std::string(kReceivedAt));
  c.kind = claim_kind(row.table, c.claimed, c.counted, c.received);
  return c;
}

ClaimKind claim_kind(std::string_view table, int64_t claimed, int64_t counted, int64_t received) {
  if (claimed == 0) return ClaimKind::kLive;
  if (counted != claimed) return ClaimKind::kRefused;
  const bool late = is_date_claim(table) ? day_of(received) > day_of(claimed)
                                         : received - claimed >= kOfflineAfterMs;
  return late ? ClaimKind::kOffline : ClaimKind::kLive;
}

std::string claim_text(const Claim& c, bool figure, Lang lang) {
  if (c.kind == ClaimKind::kLive) return "";
  const std::string claimed =
      figure ? format_date_long(thai_date(c.claimed), lang) : format_time_long(c.claimed, lang);
  const std::string received = format_time_long(c.received, lang);
  const char* key = c.kind == ClaimKind::kOffline
                        ? (figure ? "claim.figure_offline" : "claim.offline")
                        : (figure ? "claim.figure_refused" : "claim.refused");
  return fmt(key, lang, {claimed, received});
}

int64_t counted_time(const Row& row) {
  return claim_of(row).counted;
}

}  // namespace lwc
