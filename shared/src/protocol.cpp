#include "lwc/protocol.h"

#include <span>

#include <simdjson.h>

#include "json_text.h"

namespace lwc::protocol {

namespace {

// 2020-01-01 in packed form: anything older is not an HLC (often plain milliseconds).
constexpr int64_t kEarliestHlc = int64_t{1'577'836'800'000} << Hlc::kCounterBits;

const char* kind_name(MutationResult::Kind k) {
  switch (k) {
    case MutationResult::Kind::kApplied:
      return "applied";
    case MutationResult::Kind::kDuplicate:
      return "duplicate";
    case MutationResult::Kind::kRejected:
      return "rejected";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// Writing. Members in alphabetical order (docs/protocol.md §1); `value` is the stored canonical
// JSON text, copied as it is.

// The members of a change, with a push's `counter` or a pull's `device` and `seq` where they sort.
void append_change(std::string& out, const Change& c, const int64_t* counter, const int64_t* seq) {
  using namespace json_text;
  out += "{\"base\":";
  append_int(out, c.version.base.packed);
  if (counter) {
    out += ",\"counter\":";
    append_int(out, *counter);
  }
  if (seq) {
    out += ",\"device\":";
    append_string(out, c.version.device);
  }
  out += ",\"field\":";
  append_string(out, c.field);
  out += ",\"hlc\":";
  append_int(out, c.version.hlc.packed);
  out += ",\"id\":";
  append_string(out, c.row_id);
  out += ",\"scope\":";
  append_string(out, c.scope);
  if (seq) {
    out += ",\"seq\":";
    append_int(out, *seq);
  }
  out += ",\"table\":";
  append_string(out, c.table);
  out += ",\"value\":";
  out += c.version.value;
  out += '}';
}

// ---------------------------------------------------------------------------------------------
// Reading bodies shaped {"<list>":[{flat object}, ...], <scalars>} with simdjson's On-Demand parser
// (a pull page holds thousands of changes; nlohmann::json read them at ~90 MB/s, this at ~360).
// Every member is read and checked; only the member "value" of an item may hold any JSON, and it
// is kept as canonical text (nlohmann::json::dump()): tokens that are canonical already are copied,
// anything else goes through nlohmann::json, which also validates what simdjson only skimmed.

enum class Want { kInt, kString, kBool, kAnyJson };
struct Member {
  const char* name;
  Want want;
  bool required = true;
};

struct Token {
  int64_t integer = 0;
  bool boolean = false;
  std::string text;  // kString: the string; kAnyJson: canonical JSON
};

Status not_json() {
  return Status(Code::kMalformed, "the body is not valid JSON");
}

// `token` (one JSON value's text, trailing blanks removed) as canonical JSON.
Result<std::string> canonical(std::string_view token) {
  bool plain = !token.empty();
  if (plain && token.front() == '"') {  // a string: canonical unless it has escapes or controls
    for (char ch : token.substr(1, token.size() - 2)) {
      plain &= ch != '\\' && ch != '"' && static_cast<unsigned char>(ch) >= 0x20;
    }
    plain &= token.size() >= 2 && token.back() == '"';
  } else if (plain && (token == "true" || token == "false" || token == "null")) {
  } else if (plain) {  // an integer of at most 18 digits, no leading zero, not -0
    std::string_view digits = token.front() == '-' ? token.substr(1) : token;
    plain = !digits.empty() && digits.size() <= 18 && (digits.front() != '0' || digits == "0") &&
            token != "-0";
    for (char ch : digits) plain &= ch >= '0' && ch <= '9';
  }
  if (plain) return std::string(token);
  auto j = parse_json(token);
  if (!j.ok()) return j.status();
  return j->dump();
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

class ListReader {
 public:
  // Called for every complete item; `tokens[i]` holds item member i when bit i of `present` is set.
  using ItemFn = std::function<Status(size_t index, std::vector<Token>& tokens, uint32_t present)>;

  // At most `max_items` items ("at most N <list> per <unit>", kTooLarge).
  ListReader(const char* list, std::span<const Member> top, std::span<const Member> item,
             size_t max_items, const char* unit, ItemFn on_item)
      : list_(list),
        unit_(unit),
        top_(top),
        item_(item),
        max_items_(max_items),
        on_item_(std::move(on_item)),
        top_tokens_(top.size()),
        item_tokens_(item.size()) {}

  // A refusal found part way (an unknown member, too many items) must not hide that the text is
  // not JSON at all: then the whole text is checked, and invalid JSON is kMalformed whatever came
  // first. Only the error path pays for the second reading.
  Status read(std::string_view body) {
    const simdjson::padded_string padded(body);
    Status s = read_padded(padded);
    if (s.ok() || s.code() == Code::kMalformed) return s;
    thread_local simdjson::dom::parser validator;
    if (validator.parse(padded).error()) return not_json();
    return s;
  }
  const Token& top(size_t i) const { return top_tokens_[i]; }
  bool present_top(size_t i) const { return top_present_ & (1u << i); }

 private:
  Status read_padded(const simdjson::padded_string& padded) {
    thread_local simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    if (parser.iterate(padded).get(doc)) return not_json();
    simdjson::ondemand::json_type type;
    if (doc.type().get(type)) return not_json();
    if (type != simdjson::ondemand::json_type::object) {
      return Status(Code::kInvalidArgument, "body must be an object");
    }
    simdjson::ondemand::object top;
    if (doc.get_object().get(top)) return not_json();
    uint32_t present = 0;
    bool list_seen = false;
    for (auto member : top) {
      std::string_view key;
      simdjson::ondemand::value value;
      if (member.unescaped_key().get(key) || member.value().get(value)) return not_json();
      if (key == list_) {
        if (list_seen) return refuse("body", key, " is given twice");
        list_seen = true;
        LWC_RETURN_IF_ERROR(read_list(value));
        continue;
      }
      LWC_RETURN_IF_ERROR(read_member("body", key, value, top_, top_tokens_, present));
    }
    // Nothing may follow the object: the iterator must stand at the end.
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return not_json();
    if (!list_seen)
      return Status(Code::kInvalidArgument, std::string("body.") + list_ + " is missing");
    LWC_RETURN_IF_ERROR(check_required("body", top_, present));
    top_present_ = present;
    return {};
  }

  static Status refuse(const std::string& where, std::string_view key, const char* why) {
    return Status(Code::kInvalidArgument, where + "." + std::string(key) + why);
  }
  std::string where(size_t index) const {
    return std::string(list_) + "[" + std::to_string(index) + "]";
  }

  static Status check_required(const std::string& where, std::span<const Member> members,
                               uint32_t present) {
    for (size_t i = 0; i < members.size(); ++i) {
      if (members[i].required && !(present & (1u << i))) {
        return Status(Code::kInvalidArgument, where + "." + members[i].name + " is missing");
      }
    }
    return {};
  }

  Status read_list(simdjson::ondemand::value value) {
    simdjson::ondemand::json_type type;
    if (value.type().get(type)) return not_json();
    if (type != simdjson::ondemand::json_type::array) {
      return Status(Code::kInvalidArgument, std::string("body.") + list_ + " must be an array");
    }
    simdjson::ondemand::array items;
    if (value.get_array().get(items)) return not_json();
    size_t index = 0;
    for (auto element : items) {
      simdjson::ondemand::value item;
      if (element.get(item) || item.type().get(type)) return not_json();
      if (index >= max_items_) {
        return Status(Code::kTooLarge,
                      "at most " + std::to_string(max_items_) + " " + list_ + " per " + unit_);
      }
      if (type != simdjson::ondemand::json_type::object) {
        return Status(Code::kInvalidArgument, where(index) + " must be an object");
      }
      simdjson::ondemand::object object;
      if (item.get_object().get(object)) return not_json();
      uint32_t present = 0;
      for (auto member : object) {
        std::string_view key;
        simdjson::ondemand::value value;
        if (member.unescaped_key().get(key) || member.value().get(value)) return not_json();
        LWC_RETURN_IF_ERROR(read_member({}, key, value, item_, item_tokens_, present, index));
      }
      LWC_RETURN_IF_ERROR(check_required(where(index), item_, present));
      LWC_RETURN_IF_ERROR(on_item_(index, item_tokens_, present));
      ++index;
    }
    return {};
  }

  // One member: its name known and new, its value of the wanted type. `where` empty: item `index`.
  Status read_member(const std::string& where_top, std::string_view key,
                     simdjson::ondemand::value value, std::span<const Member> members,
                     std::vector<Token>& tokens, uint32_t& present, size_t index = 0) {
    auto where = [&] { return where_top.empty() ? this->where(index) : where_top; };
    size_t i = 0;
    while (i < members.size() && key != members[i].name) ++i;
    if (i == members.size()) return refuse(where(), key, " is not a known member");
    if (present & (1u << i)) return refuse(where(), key, " is given twice");
    present |= 1u << i;
    Token& t = tokens[i];
    simdjson::ondemand::json_type type;
    if (value.type().get(type)) return not_json();
    using simdjson::ondemand::json_type;
    switch (members[i].want) {
      case Want::kInt: {
        if (type != json_type::number) return refuse(where(), key, " must be an integer");
        auto error = value.get_int64().get(t.integer);
        if (error == simdjson::INCORRECT_TYPE || error == simdjson::NUMBER_OUT_OF_RANGE) {
          return refuse(where(), key, " must be an integer");
        }
        return error ? not_json() : Status{};
      }
      case Want::kString: {
        if (type != json_type::string) return refuse(where(), key, " must be a string");
        std::string_view text;
        if (value.get_string().get(text)) return not_json();
        t.text.assign(text);
        return {};
      }
      case Want::kBool:
        if (type != json_type::boolean) return refuse(where(), key, " must be a boolean");
        return value.get_bool().get(t.boolean) ? not_json() : Status{};
      case Want::kAnyJson: {
        std::string_view raw;
        simdjson::error_code error = simdjson::SUCCESS;
        if (type == json_type::object) {
          simdjson::ondemand::object o;
          error = value.get_object().get(o);
          if (!error) error = o.raw_json().get(raw);
        } else if (type == json_type::array) {
          simdjson::ondemand::array a;
          error = value.get_array().get(a);
          if (!error) error = a.raw_json().get(raw);
        } else {
          raw = value.raw_json_token();
        }
        if (error) return not_json();
        auto text = canonical(trim_right(raw));
        if (!text.ok()) return text.status();
        t.text = std::move(text).value();
        return {};
      }
    }
    return {};
  }

  const char* list_;
  const char* unit_;
  std::span<const Member> top_, item_;
  size_t max_items_;
  ItemFn on_item_;
  std::vector<Token> top_tokens_, item_tokens_;
  uint32_t top_present_ = 0;
};

// The members a change has in every list (indices kTable..kBase), then the message's own.
enum ChangeMember : size_t { kTable, kId, kScope, kField, kValue, kHlc, kBase, kExtra, kExtra2 };
constexpr Member kChangeMembers[] = {{"table", Want::kString},  {"id", Want::kString},
                                     {"scope", Want::kString},  {"field", Want::kString},
                                     {"value", Want::kAnyJson}, {"hlc", Want::kInt},
                                     {"base", Want::kInt}};

std::string item_where(const char* list, size_t index) {
  return std::string(list) + "[" + std::to_string(index) + "]";
}

// Moves tokens kTable..kBase of item `index` of `list` into `c`, checking the clocks.
Status take_change(std::vector<Token>& t, const char* list, size_t index, Change* c) {
  if (t[kHlc].integer < kEarliestHlc) {
    return Status(Code::kInvalidArgument,
                  item_where(list, index) +
                      ".hlc must be a packed HLC, (wall ms << 16) | counter, after 2020");
  }
  if (t[kBase].integer < 0 || t[kBase].integer >= t[kHlc].integer) {
    return Status(Code::kInvalidArgument,
                  item_where(list, index) + ".base must be 0 or an earlier hlc");
  }
  c->table = std::move(t[kTable].text);
  c->row_id = std::move(t[kId].text);
  c->scope = std::move(t[kScope].text);
  c->field = std::move(t[kField].text);
  c->version.value = std::move(t[kValue].text);
  c->version.hlc = Hlc{t[kHlc].integer};
  c->version.base = Hlc{t[kBase].integer};
  return {};
}

}  // namespace

Code code_from_name(std::string_view name) {
  for (int c = 0; c <= static_cast<int>(Code::kInternal); ++c) {
    if (name == code_name(static_cast<Code>(c))) return static_cast<Code>(c);
  }
  return Code::kInternal;
}

Result<json> parse_json(std::string_view text) {
  // nlohmann's lexer takes a NUL byte for the end of the text, so `1<NUL>junk` would read as 1.
  // A raw NUL is never JSON (blanks are space, tab, CR and LF; a string escapes it as \u0000).
  if (text.find('\0') != std::string_view::npos) return not_json();
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status(Code::kMalformed, "the body is not valid JSON");
  return j;
}

std::string push_request(const std::vector<Mutation>& batch) {
  std::string out = "{\"mutations\":[";
  out.reserve(batch.size() * 220 + 32);
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i) out += ',';
    append_change(out, batch[i].change, &batch[i].counter, nullptr);
  }
  out += "]}";
  return out;
}

std::string push_response(const std::vector<MutationResult>& results, int64_t last_counter,
                          const HubMark& mark) {
  using namespace json_text;
  std::string out = "{\"last_counter\":";
  out.reserve(results.size() * 40 + 48);
  append_int(out, last_counter);
  out += ",\"results\":[";
  for (size_t i = 0; i < results.size(); ++i) {
    const MutationResult& r = results[i];
    out += i ? ",{" : "{";
    if (r.kind == MutationResult::Kind::kRejected) {
      out += "\"code\":";
      append_string(out, code_name(r.reason.code()));
      out += ',';
    }
    out += "\"counter\":";
    append_int(out, r.counter);
    if (r.kind == MutationResult::Kind::kRejected) {
      out += ",\"message\":";
      append_string(out, r.reason.message());
    }
    out += ",\"status\":\"";
    out += kind_name(r.kind);
    out += "\"}";
  }
  out += ']';
  if (mark.seq > 0) {
    out += ",\"seq\":";
    append_int(out, mark.seq);
    out += ",\"epoch\":";
    out += json(mark.epoch).dump();
  }
  out += '}';
  return out;
}

std::string pull_response(const PullPage& page) {
  std::string out = "{\"changes\":[";
  out.reserve(page.changes.size() * 260 + 64);
  for (size_t i = 0; i < page.changes.size(); ++i) {
    if (i) out += ',';
    const SeqChange& c = page.changes[i];
    append_change(out, c.change, nullptr, &c.seq);
  }
  out += "],\"more\":";
  out += page.more ? "true" : "false";
  out += ",\"next_cursor\":";
  json_text::append_int(out, page.next_cursor);
  if (!page.epoch.empty()) {
    out += ",\"epoch\":";
    out += json(page.epoch).dump();
  }
  if (page.last_counter >= 0) {
    out += ",\"last_counter\":";
    json_text::append_int(out, page.last_counter);
  }
  out += '}';
  return out;
}

json error_body(const Status& s) {
  return json{{"code", code_name(s.code())}, {"message", s.message()}};
}

Result<std::vector<Mutation>> parse_push_request(std::string_view body, const std::string& device,
                                                 size_t max_mutations) {
  static constexpr Member kItem[] = {kChangeMembers[0], kChangeMembers[1],      kChangeMembers[2],
                                     kChangeMembers[3], kChangeMembers[4],      kChangeMembers[5],
                                     kChangeMembers[6], {"counter", Want::kInt}};
  std::vector<Mutation> out;
  int64_t previous = 0;
  ListReader reader(
      "mutations", {}, kItem, max_mutations, "push",
      [&](size_t i, std::vector<Token>& t, uint32_t) -> Status {
        Mutation m;
        m.counter = t[kExtra].integer;
        if (m.counter <= previous) {
          return Status(Code::kInvalidArgument,
                        item_where("mutations", i) + ".counter must be positive and increasing");
        }
        previous = m.counter;
        LWC_RETURN_IF_ERROR(take_change(t, "mutations", i, &m.change));
        m.change.version.device = device;
        out.push_back(std::move(m));
        return {};
      });
  LWC_RETURN_IF_ERROR(reader.read(body));
  return out;
}

Result<std::vector<MutationResult>> parse_push_response(std::string_view body,
                                                        int64_t* last_counter, HubMark* mark) {
  enum : size_t { kCounter, kStatus, kCode, kMessage };
  static constexpr Member kItem[] = {{"counter", Want::kInt},
                                     {"status", Want::kString},
                                     {"code", Want::kString, false},
                                     {"message", Want::kString, false}};
  static constexpr Member kTop[] = {
      {"last_counter", Want::kInt}, {"seq", Want::kInt, false}, {"epoch", Want::kString, false}};
  std::vector<MutationResult> out;
  ListReader reader(
      "results", kTop, kItem, SIZE_MAX, "answer",
      [&](size_t i, std::vector<Token>& t, uint32_t present) -> Status {
        MutationResult m;
        m.counter = t[kCounter].integer;
        const std::string& status = t[kStatus].text;
        if (status == "applied") {
          m.kind = MutationResult::Kind::kApplied;
        } else if (status == "duplicate") {
          m.kind = MutationResult::Kind::kDuplicate;
        } else if (status == "rejected") {
          m.kind = MutationResult::Kind::kRejected;
          m.reason = Status(code_from_name(present & (1u << kCode) ? t[kCode].text : ""),
                            present & (1u << kMessage) ? t[kMessage].text : "");
        } else {
          return Status(Code::kInvalidArgument,
                        item_where("results", i) + ".status: unknown '" + status + "'");
        }
        out.push_back(std::move(m));
        return {};
      });
  LWC_RETURN_IF_ERROR(reader.read(body));
  if (last_counter) *last_counter = reader.top(0).integer;
  if (mark) {
    *mark = {};
    if (reader.present_top(1) && reader.present_top(2)) {
      *mark = HubMark{reader.top(1).integer, reader.top(2).text};
    }
  }
  return out;
}

Result<PullPage> parse_pull_response(std::string_view body) {
  static constexpr Member kItem[] = {
      kChangeMembers[0], kChangeMembers[1],   kChangeMembers[2],
      kChangeMembers[3], kChangeMembers[4],   kChangeMembers[5],
      kChangeMembers[6], {"seq", Want::kInt}, {"device", Want::kString}};
  static constexpr Member kTop[] = {{"next_cursor", Want::kInt},
                                    {"more", Want::kBool},
                                    {"epoch", Want::kString, false},
                                    {"last_counter", Want::kInt, false}};
  PullPage page;
  ListReader reader("changes", kTop, kItem, SIZE_MAX, "page",
                    [&](size_t i, std::vector<Token>& t, uint32_t) -> Status {
                      SeqChange c;
                      c.seq = t[kExtra].integer;
                      LWC_RETURN_IF_ERROR(take_change(t, "changes", i, &c.change));
                      c.change.version.device = std::move(t[kExtra2].text);
                      page.changes.push_back(std::move(c));
                      return {};
                    });
  LWC_RETURN_IF_ERROR(reader.read(body));
  page.next_cursor = reader.top(0).integer;
  page.more = reader.top(1).boolean;
  page.epoch = reader.top(2).text;
  page.last_counter = reader.present_top(3) ? reader.top(3).integer : -1;
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
