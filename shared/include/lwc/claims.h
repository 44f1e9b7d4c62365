// Times a device claims, and the time that counts.
//
// Three times that score, warn or clear come from a district's device: a submission's
// `submitted_at` and an acknowledgement's `at` (the device's clock when the officer pressed the
// button) and a figure's `as_of` (the date the officer typed). A device's clock can be set back as
// easily as forward, so the hub bounds each claim when it receives it:
//
//   a claim counts as made when it lies between the device's last contact with the hub (its last
//   pull, less `tolerance_ms` for a slow clock and the sync round it was made in) and the hub's
//   receipt — work done offline keeps its time; any other claim counts at the hub's receipt.
//
// A device that pulled after a deadline cannot date a submission before it; a device that was
// offline can, up to the moment it went offline, and the province sees that it was (ClaimKind).
// A figure's as-of date is compared by Thai day: one dated the day of the last contact or later
// counts from its date. A figure the province verified counts from its as-of date whatever its
// receipt: the province checked the date against the source.
//
// The hub records its verdict on the row, in fields only it writes (received_at, counted_at), in
// the same transaction as the claim, whenever a claimed field changes (claim_fields) and the claim
// is not live (ClaimKind): a live claim counts as itself, and a stamp older in the clock than a
// claimed field no longer counts, so the common case costs no writes. A version that changes no
// value (a resend, a copied folder's renamed versions) keeps its stamp: it is written again.
// Every consumer — rules, award, KPIs, the window, the web page — reads
// counted_time().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lwc/i18n.h"
#include "lwc/store.h"

namespace lwc {

inline constexpr std::string_view kReceivedAt = "received_at";  // the hub's receipt of the claim
inline constexpr std::string_view kCountedAt = "counted_at";    // the time that counts

// The claimed time field of a table: "submitted_at", "at", "as_of"; "" when it has none.
std::string_view claimed_field(std::string_view table);
// The fields whose change is a new claim, after which the hub stamps the row again (empty: the
// table holds no claims).
const std::vector<std::string_view>& claim_fields(std::string_view table);

struct ClaimWindow {
  int64_t contact_ms = 0;    // the device's last contact before this receipt
  int64_t received_ms = 0;   // the hub's receipt
  int64_t tolerance_ms = 0;  // how far before the contact a claim still counts
};

// The time that counts for `claimed` (a time of `table`'s claimed field; 0: none, gives 0).
int64_t counted_claim(std::string_view table, int64_t claimed, const ClaimWindow& w);

// Whether the row holds a stamp that judges its current claim (not older than a claimed field).
bool has_current_stamp(const Row& row);

// A stored row's time that counts: a verified figure's as_of; else counted_at when the hub stamped
// the row; else the claim itself (a row the hub wrote, a province import, or a device's own row
// before it reached the hub).
int64_t counted_time(const Row& row);

enum class ClaimKind {
  kLive,     // counts as claimed, received soon after (or not stamped)
  kOffline,  // counts as claimed, made offline: received an hour or more later (figures: a day)
  kRefused,  // the claim lay outside the window: it counts at its receipt
};
struct Claim {
  int64_t claimed = 0, counted = 0, received = 0;  // received 0: not stamped
  ClaimKind kind = ClaimKind::kLive;
};
const char* claim_kind_name(ClaimKind k);  // "live", "offline", "refused"
// The kind of a claim the hub judged: `counted` from counted_claim(), `received` its receipt.
ClaimKind claim_kind(std::string_view table, int64_t claimed, int64_t counted, int64_t received);
// How a row's claim stands, for the people who judge it ("submitted offline at X, received at Y").
Claim claim_of(const Row& row);
// The sentence the province reads beside a claim that was not live ("" for a live one): "submitted
// offline at X, received at Y" or why the receipt counts. `figure`: the claim is an as-of date.
std::string claim_text(const Claim& c, bool figure, Lang lang);

}  // namespace lwc
