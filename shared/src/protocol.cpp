#include "lwc/protocol.h"

#include <initializer_list>

namespace lwc::protocol {

namespace {

// Checks that `obj` is an object holding exactly the members `required` (+ `optional`).
Status check_members(const json& obj, const std::string& where,
                     std::initializer_list<const char*> required,
                     std::initializer_list<const char*> optional = {}) {
  if (!obj.is_object()) return Status(Code::kInvalidArgument, where + " must be an object");
  for (const char* name : required) {
    if (!obj.contains(name)) return Status(Code::kInvalidArgument, where + "." + name + " is missing");
  }
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const char* n : required) known |= it.key() == n;
    for (const char* n : optional) known |= it.key() == n;
    if (!known) return Status(Code::kInvalidArgument, where + "." + it.key() + " is not a known member");
  }
  return {};
}

Status want_string(const json& obj, const char* name, const std::string& where, std::string* out) {
  const json& v = obj.at(name);
  if (!v.is_string()) return Status(Code::kInvalidArgument, where + "." + name + " must be a string");
  *out = v.get<std::string>();
  return {};
}

Status want_int(const json& obj, const char* name, const std::string& where, int64_t* out) {
  const json& v = obj.at(name);
  if (!v.is_number_integer()) {
    return Status(Code::kInvalidArgument, where + "." + name + " must be an integer");
  }
  *out = v.get<int64_t>();
  return {};
}

json change_fields(const Change& c) {
  return json{{"table", c.table},
              {"id", c.row_id},
              {"scope", c.scope},
              {"field", c.field},
              {"value", json::parse(c.version.value)},
              {"hlc", c.version.hlc.packed},
              {"base", c.version.base.packed}};
}

Status parse_change(const json& j, const std::string& where, Change* c) {
  LWC_RETURN_IF_ERROR(want_string(j, "table", where, &c->table));
  LWC_RETURN_IF_ERROR(want_string(j, "id", where, &c->row_id));
  LWC_RETURN_IF_ERROR(want_string(j, "scope", where, &c->scope));
  LWC_RETURN_IF_ERROR(want_string(j, "field", where, &c->field));
  c->version.value = j.at("value").dump();
  int64_t hlc = 0, base = 0;
  LWC_RETURN_IF_ERROR(want_int(j, "hlc", where, &hlc));
  LWC_RETURN_IF_ERROR(want_int(j, "base", where, &base));
  // 2020-01-01 in packed form: anything older is not an HLC (often plain milliseconds).
  constexpr int64_t kEarliest = int64_t{1'577'836'800'000} << Hlc::kCounterBits;
  if (hlc < kEarliest) {
    return Status(Code::kInvalidArgument,
                  where + ".hlc must be a packed HLC, (wall ms << 16) | counter, after 2020");
  }
  if (base < 0 || base >= hlc) {
    return Status(Code::kInvalidArgument, where + ".base must be 0 or an earlier hlc");
  }
  c->version.hlc = Hlc{hlc};
  c->version.base = Hlc{base};
  return {};
}

const char* kind_name(MutationResult::Kind k) {
  switch (k) {
    case MutationResult::Kind::kApplied: return "applied";
    case MutationResult::Kind::kDuplicate: return "duplicate";
    case MutationResult::Kind::kRejected: return "rejected";
  }
  return "?";
}

}  // namespace

Code code_from_name(std::string_view name) {
  for (int c = 0; c <= static_cast<int>(Code::kInternal); ++c) {
    if (name == code_name(static_cast<Code>(c))) return static_cast<Code>(c);
  }
  return Code::kInternal;
}

Result<json> parse_json(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status(Code::kMalformed, "the body is not valid JSON");
  return j;
}

json mutation_to_json(const Mutation& m) {
  json j = change_fields(m.change);
  j["counter"] = m.counter;
  return j;
}

json seq_change_to_json(const SeqChange& c) {
  json j = change_fields(c.change);
  j["seq"] = c.seq;
  j["device"] = c.change.version.device;
  return j;
}

json push_request(const std::vector<Mutation>& batch) {
  json list = json::array();
  for (const Mutation& m : batch) list.push_back(mutation_to_json(m));
  return json{{"mutations", std::move(list)}};
}

json push_response(const std::vector<MutationResult>& results, int64_t last_counter) {
  json list = json::array();
  for (const MutationResult& r : results) {
    json j{{"counter", r.counter}, {"status", kind_name(r.kind)}};
    if (r.kind == MutationResult::Kind::kRejected) {
      j["code"] = code_name(r.reason.code());
      j["message"] = r.reason.message();
    }
    list.push_back(std::move(j));
  }
  return json{{"results", std::move(list)}, {"last_counter", last_counter}};
}

json pull_response(const PullPage& page) {
  json list = json::array();
  for (const SeqChange& c : page.changes) list.push_back(seq_change_to_json(c));
  return json{{"changes", std::move(list)}, {"next_cursor", page.next_cursor}, {"more", page.more}};
}

json error_body(const Status& s) { return json{{"code", code_name(s.code())}, {"message", s.message()}}; }

Result<std::vector<Mutation>> parse_push_request(const json& body, const std::string& device) {
  LWC_RETURN_IF_ERROR(check_members(body, "body", {"mutations"}));
  const json& list = body.at("mutations");
  if (!list.is_array()) return Status(Code::kInvalidArgument, "body.mutations must be an array");
  std::vector<Mutation> out;
  out.reserve(list.size());
  int64_t previous = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = "mutations[" + std::to_string(i) + "]";
    LWC_RETURN_IF_ERROR(check_members(list[i], where,
                                      {"counter", "table", "id", "scope", "field", "value", "hlc", "base"}));
    Mutation m;
    LWC_RETURN_IF_ERROR(want_int(list[i], "counter", where, &m.counter));
    if (m.counter <= previous) {
      return Status(Code::kInvalidArgument, where + ".counter must be positive and increasing");
    }
    previous = m.counter;
    LWC_RETURN_IF_ERROR(parse_change(list[i], where, &m.change));
    m.change.version.device = device;
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<MutationResult>> parse_push_response(const json& body) {
  LWC_RETURN_IF_ERROR(check_members(body, "body", {"results", "last_counter"}));
  if (!body["results"].is_array()) return Status(Code::kInvalidArgument, "results must be an array");
  std::vector<MutationResult> out;
  for (const json& r : body["results"]) {
    LWC_RETURN_IF_ERROR(check_members(r, "result", {"counter", "status"}, {"code", "message"}));
    MutationResult m;
    LWC_RETURN_IF_ERROR(want_int(r, "counter", "result", &m.counter));
    std::string status;
    LWC_RETURN_IF_ERROR(want_string(r, "status", "result", &status));
    if (status == "applied") {
      m.kind = MutationResult::Kind::kApplied;
    } else if (status == "duplicate") {
      m.kind = MutationResult::Kind::kDuplicate;
    } else if (status == "rejected") {
      m.kind = MutationResult::Kind::kRejected;
      std::string code, message;
      if (r.contains("code")) LWC_RETURN_IF_ERROR(want_string(r, "code", "result", &code));
      if (r.contains("message")) LWC_RETURN_IF_ERROR(want_string(r, "message", "result", &message));
      m.reason = Status(code_from_name(code), message);
    } else {
      return Status(Code::kInvalidArgument, "unknown result status '" + status + "'");
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<PullPage> parse_pull_response(const json& body) {
  LWC_RETURN_IF_ERROR(check_members(body, "body", {"changes", "next_cursor", "more"}));
  if (!body["changes"].is_array()) return Status(Code::kInvalidArgument, "changes must be an array");
  if (!body["more"].is_boolean()) return Status(Code::kInvalidArgument, "more must be a boolean");
  PullPage page;
  LWC_RETURN_IF_ERROR(want_int(body, "next_cursor", "body", &page.next_cursor));
  page.more = body["more"].get<bool>();
  page.changes.reserve(body["changes"].size());
  for (const json& j : body["changes"]) {
    LWC_RETURN_IF_ERROR(check_members(
        j, "change", {"seq", "table", "id", "scope", "field", "value", "hlc", "base", "device"}));
    SeqChange c;
    LWC_RETURN_IF_ERROR(want_int(j, "seq", "change", &c.seq));
    LWC_RETURN_IF_ERROR(parse_change(j, "change", &c.change));
    LWC_RETURN_IF_ERROR(want_string(j, "device", "change", &c.change.version.device));
    page.changes.push_back(std::move(c));
  }
  return page;
}

Status parse_error_body(const json& body, Code fallback) {
  if (body.is_object() && body.contains("code") && body["code"].is_string()) {
    std::string msg = body.contains("message") && body["message"].is_string()
                          ? body["message"].get<std::string>()
                          : "";
    Code c = code_from_name(body["code"].get<std::string>());
    return Status(c == Code::kInternal ? fallback : c, msg);
  }
  return Status(fallback, body.dump());
}

}  // namespace lwc::protocol
