#include "lwc/protocol.h"

#include <initializer_list>
#include <span>

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
// Reading: a streaming (SAX) reader for bodies shaped {"<list>":[{flat object}, ...], <scalars>}.
// No document is built — one page holds thousands of changes. Only the member "value" of an item
// may hold any JSON; it is kept as canonical text (nlohmann::json::dump()).

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

class ListReader {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;
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

  Status read(std::string_view body) {
    const bool ok = json::sax_parse(body.begin(), body.end(), this);
    if (!status_.ok()) return status_;
    if (!ok) return Status(Code::kMalformed, "the body is not valid JSON");
    return {};
  }
  const Token& top(size_t i) const { return top_tokens_[i]; }

  // --- the SAX interface (nlohmann::json::sax_parse) ---
  bool null() { return scalar(Kind::kNull, "null"); }
  bool boolean(bool v) {
    scratch_.boolean = v;
    return scalar(Kind::kBool, v ? "true" : "false");
  }
  bool number_integer(number_integer_t v) {
    scratch_.integer = v;
    return scalar(Kind::kInt, nullptr);
  }
  bool number_unsigned(number_unsigned_t v) {
    if (v > static_cast<number_unsigned_t>(INT64_MAX))
      return scalar(Kind::kBigUnsigned, nullptr, v);
    scratch_.integer = static_cast<int64_t>(v);
    return scalar(Kind::kInt, nullptr);
  }
  bool number_float(number_float_t v, const string_t&) {
    return scalar(Kind::kFloat, nullptr, 0, v);
  }
  bool string(string_t& v) {
    scratch_.text.swap(v);
    return scalar(Kind::kString, nullptr);
  }
  bool binary(binary_t&) { return fail(Status(Code::kMalformed, "the body is not valid JSON")); }
  bool key(string_t& k) {
    switch (level_) {
      case Level::kTop:
        return member_key(k, top_, top_present_, true);
      case Level::kItem:
        return member_key(k, item_, item_present_, false);
      case Level::kCapture:
        capture_key_ = k;
        return true;
      default:
        return true;
    }
  }
  bool start_object(size_t) {
    switch (level_) {
      case Level::kStart:
        level_ = Level::kTop;
        return true;
      case Level::kList:
        if (items_ >= max_items_) {
          return fail(Status(Code::kTooLarge, "at most " + std::to_string(max_items_) + " " +
                                                  list_ + " per " + unit_));
        }
        level_ = Level::kItem;
        item_present_ = 0;
        return true;
      case Level::kCapture:
        return capture_open(json::object());
      default:
        return composite(json::object());
    }
  }
  bool start_array(size_t) {
    if (level_ == Level::kTop && key_index_ == kListKey) {
      level_ = Level::kList;
      return true;
    }
    if (level_ == Level::kCapture) return capture_open(json::array());
    return composite(json::array());
  }
  bool end_array() {
    if (level_ == Level::kCapture) return capture_close();
    level_ = Level::kTop;  // the end of the list
    return true;
  }
  bool end_object() {
    switch (level_) {
      case Level::kCapture:
        return capture_close();
      case Level::kItem: {
        for (size_t i = 0; i < item_.size(); ++i) {
          if (item_[i].required && !(item_present_ & (1u << i))) {
            return fail(
                Status(Code::kInvalidArgument, where() + "." + item_[i].name + " is missing"));
          }
        }
        Status s = on_item_(items_, item_tokens_, item_present_);
        if (!s.ok()) return fail(s);
        ++items_;
        level_ = Level::kList;
        return true;
      }
      default:  // the body
        if (!list_seen_) {
          return fail(Status(Code::kInvalidArgument, std::string("body.") + list_ + " is missing"));
        }
        for (size_t i = 0; i < top_.size(); ++i) {
          if (top_[i].required && !(top_present_ & (1u << i))) {
            return fail(Status(Code::kInvalidArgument,
                               std::string("body.") + top_[i].name + " is missing"));
          }
        }
        level_ = Level::kDone;
        return true;
    }
  }
  bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception&) {
    if (status_.ok()) {
      status_ = Status(Code::kMalformed,
                       "the body is not valid JSON (at byte " + std::to_string(position) + ")");
    }
    return false;
  }

 private:
  static constexpr size_t kListKey = SIZE_MAX;
  enum class Level { kStart, kTop, kList, kItem, kCapture, kDone };
  enum class Kind { kNull, kBool, kInt, kBigUnsigned, kFloat, kString };

  bool fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
    return false;
  }
  std::string where() const { return std::string(list_) + "[" + std::to_string(items_) + "]"; }
  std::string path() const {
    const bool top = level_ == Level::kTop;
    return (top ? std::string("body") : where()) + "." + (top ? top_ : item_)[key_index_].name;
  }

  bool member_key(const std::string& k, std::span<const Member> members, uint32_t& present,
                  bool top) {
    auto refuse = [&](const char* why) {
      return fail(
          Status(Code::kInvalidArgument, (top ? std::string("body") : where()) + "." + k + why));
    };
    if (top && k == list_) {
      if (list_seen_) return refuse(" is given twice");
      list_seen_ = true;
      key_index_ = kListKey;
      return true;
    }
    for (size_t i = 0; i < members.size(); ++i) {
      if (k != members[i].name) continue;
      if (present & (1u << i)) return refuse(" is given twice");
      present |= 1u << i;
      key_index_ = i;
      return true;
    }
    return refuse(" is not a known member");
  }

  // A scalar where a member value is expected. `literal`: the JSON text of null/true/false.
  bool scalar(Kind kind, const char* literal, uint64_t big = 0, double number = 0) {
    if (level_ == Level::kCapture) {
      switch (kind) {
        case Kind::kNull:
          return capture_add(json(nullptr));
        case Kind::kBool:
          return capture_add(json(scratch_.boolean));
        case Kind::kInt:
          return capture_add(json(scratch_.integer));
        case Kind::kBigUnsigned:
          return capture_add(json(big));
        case Kind::kFloat:
          return capture_add(json(number));
        case Kind::kString:
          return capture_add(json(std::move(scratch_.text)));
      }
    }
    if (level_ == Level::kStart)
      return fail(Status(Code::kInvalidArgument, "body must be an object"));
    if (level_ == Level::kList) {
      return fail(Status(Code::kInvalidArgument, where() + " must be an object"));
    }
    if (level_ != Level::kTop && level_ != Level::kItem) return true;
    if (level_ == Level::kTop && key_index_ == kListKey) {
      return fail(
          Status(Code::kInvalidArgument, std::string("body.") + list_ + " must be an array"));
    }
    const Member& m = (level_ == Level::kTop ? top_ : item_)[key_index_];
    Token& t = (level_ == Level::kTop ? top_tokens_ : item_tokens_)[key_index_];
    switch (m.want) {
      case Want::kInt:
        if (kind != Kind::kInt)
          return fail(Status(Code::kInvalidArgument, path() + " must be an integer"));
        t.integer = scratch_.integer;
        return true;
      case Want::kString:
        if (kind != Kind::kString)
          return fail(Status(Code::kInvalidArgument, path() + " must be a string"));
        t.text.swap(scratch_.text);
        return true;
      case Want::kBool:
        if (kind != Kind::kBool)
          return fail(Status(Code::kInvalidArgument, path() + " must be a boolean"));
        t.boolean = scratch_.boolean;
        return true;
      case Want::kAnyJson:
        switch (kind) {
          case Kind::kNull:
          case Kind::kBool:
            t.text = literal;
            break;
          case Kind::kInt:
            t.text.clear();
            json_text::append_int(t.text, scratch_.integer);
            break;
          case Kind::kBigUnsigned:
            t.text = std::to_string(big);
            break;
          case Kind::kFloat:
            t.text = json(number).dump();
            break;
          case Kind::kString:
            t.text = json(std::move(scratch_.text)).dump();
            break;
        }
        return true;
    }
    return true;
  }

  // An object or array where a member value is expected: only "value" may hold one.
  bool composite(json root) {
    if (level_ == Level::kStart)
      return fail(Status(Code::kInvalidArgument, "body must be an object"));
    if (level_ == Level::kList) {
      return fail(Status(Code::kInvalidArgument, where() + " must be an object"));
    }
    if (level_ == Level::kTop && key_index_ == kListKey) {
      return fail(
          Status(Code::kInvalidArgument, std::string("body.") + list_ + " must be an array"));
    }
    const Member& m = (level_ == Level::kTop ? top_ : item_)[key_index_];
    if (level_ != Level::kItem || m.want != Want::kAnyJson) {
      const char* want = m.want == Want::kInt      ? "an integer"
                         : m.want == Want::kString ? "a string"
                                                   : "a boolean";
      return fail(Status(Code::kInvalidArgument, path() + " must be " + want));
    }
    captured_ = std::move(root);
    stack_.assign(1, &captured_);
    level_ = Level::kCapture;
    return true;
  }
  bool capture_add(json v) {
    json& parent = *stack_.back();
    if (parent.is_array())
      parent.push_back(std::move(v));
    else
      parent[capture_key_] = std::move(v);
    return true;
  }
  bool capture_open(json v) {
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      stack_.push_back(&parent.back());
    } else {
      stack_.push_back(&(parent[capture_key_] = std::move(v)));
    }
    return true;
  }
  bool capture_close() {
    stack_.pop_back();
    if (!stack_.empty()) return true;
    item_tokens_[key_index_].text = captured_.dump();
    level_ = Level::kItem;
    return true;
  }

  const char* list_;
  const char* unit_;
  std::span<const Member> top_, item_;
  size_t max_items_;
  ItemFn on_item_;
  std::vector<Token> top_tokens_, item_tokens_;
  Token scratch_;
  Level level_ = Level::kStart;
  size_t key_index_ = 0, items_ = 0;
  uint32_t top_present_ = 0, item_present_ = 0;
  bool list_seen_ = false;
  json captured_;
  std::vector<json*> stack_;
  std::string capture_key_;
  Status status_;
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

std::string push_response(const std::vector<MutationResult>& results, int64_t last_counter) {
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
  out += "]}";
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

Result<std::vector<MutationResult>> parse_push_response(std::string_view body) {
  enum : size_t { kCounter, kStatus, kCode, kMessage };
  static constexpr Member kItem[] = {{"counter", Want::kInt},
                                     {"status", Want::kString},
                                     {"code", Want::kString, false},
                                     {"message", Want::kString, false}};
  static constexpr Member kTop[] = {{"last_counter", Want::kInt}};
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
  return out;
}

Result<PullPage> parse_pull_response(std::string_view body) {
  static constexpr Member kItem[] = {
      kChangeMembers[0], kChangeMembers[1],   kChangeMembers[2],
      kChangeMembers[3], kChangeMembers[4],   kChangeMembers[5],
      kChangeMembers[6], {"seq", Want::kInt}, {"device", Want::kString}};
  static constexpr Member kTop[] = {{"next_cursor", Want::kInt}, {"more", Want::kBool}};
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
