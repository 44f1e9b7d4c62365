// The sync wire protocol's JSON bodies (docs/protocol.md), shared by hub and client.
//
// Change on the wire:
//   {"table":"measurement","id":"<32 hex>","scope":"5202","field":"value","value":1250000.5,
//    "hlc":117637...,"base":0}                 + "counter" in a push, + "seq","device" in a pull
// Parsing is strict: a missing member or a member of the wrong JSON type is kInvalidArgument with
// the member's path in the message; unknown and repeated members are refused too, so a typo never
// passes silently. Text that is not JSON is kMalformed.
//
// The bulk bodies (push request and answer, pull page) are written and read as text, without a JSON
// document in between: a page holds thousands of changes, and the sync's speed is mostly theirs.
// Members are written in alphabetical order; `value` is the stored canonical JSON, copied as it is.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "lwc/status.h"
#include "lwc/store.h"
#include "lwc/sync.h"

namespace lwc::protocol {

inline constexpr int kVersion = 1;     // this build speaks
inline constexpr int kMinVersion = 1;  // oldest client version the hub still serves
inline constexpr const char* kVersionHeader = "lwc-protocol";

using nlohmann::json;

// Parses text as one JSON value, read to its last byte; kMalformed when it is not JSON (anything
// after the value, a raw NUL byte, invalid UTF-8). Every decoder of bytes from another party uses it.
Result<json> parse_json(std::string_view text);

std::string push_request(const std::vector<Mutation>& batch);
// `mark` (when its seq > 0): where the hub stood, as "seq" and "epoch".
std::string push_response(const std::vector<MutationResult>& results, int64_t last_counter,
                          const HubMark& mark = {});
std::string pull_response(const PullPage& page);
json error_body(const Status& s);

// `device` is the authenticated device: every mutation is stamped with it. More than
// `max_mutations` is kTooLarge, found before the rest of the body is read.
Result<std::vector<Mutation>> parse_push_request(std::string_view body, const std::string& device,
                                                 size_t max_mutations = SIZE_MAX);
// `last_counter`, when given, receives the hub's last counter for the pushing device; `mark` the
// hub's mark (seq 0 from a hub that sends none).
Result<std::vector<MutationResult>> parse_push_response(std::string_view body,
                                                        int64_t* last_counter = nullptr,
                                                        HubMark* mark = nullptr);
Result<PullPage> parse_pull_response(std::string_view body);
// {"code":..., "message":...} back into a Status (client side).
Status parse_error_body(const json& body, Code fallback);
Code code_from_name(std::string_view name);

}  // namespace lwc::protocol
