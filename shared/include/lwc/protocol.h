// The sync wire protocol's JSON bodies (docs/protocol.md), shared by hub and client.
//
// Change on the wire:
//   {"table":"measurement","id":"<32 hex>","scope":"5202","field":"value","value":1250000.5,
//    "hlc":117637...,"base":0}                 + "counter" in a push, + "seq","device" in a pull
// Parsing is strict: a missing member or a member of the wrong JSON type is kInvalidArgument with the
// member's path in the message; unknown members are refused too, so a typo never passes silently.
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

// Parses text as JSON; kMalformed when it is not JSON.
Result<json> parse_json(std::string_view text);

json mutation_to_json(const Mutation& m);
json seq_change_to_json(const SeqChange& c);
json push_request(const std::vector<Mutation>& batch);
json push_response(const std::vector<MutationResult>& results, int64_t last_counter);
json pull_response(const PullPage& page);
json error_body(const Status& s);

// `device` is the authenticated device: every mutation is stamped with it.
Result<std::vector<Mutation>> parse_push_request(const json& body, const std::string& device);
Result<std::vector<MutationResult>> parse_push_response(const json& body);
Result<PullPage> parse_pull_response(const json& body);
// {"code":..., "message":...} back into a Status (client side).
Status parse_error_body(const json& body, Code fallback);
Code code_from_name(std::string_view name);

}  // namespace lwc::protocol
