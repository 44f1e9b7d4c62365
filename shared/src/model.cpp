#include "lwc/model.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>

#include "lwc/calendar.h"
#include "lwc/id.h"

namespace lwc {

namespace {

using F = FieldType;
using W = Writer;

// Fields every row has.
void add_common(std::vector<FieldSpec>& f, Writer deleter) {
  f.push_back({kTombstoneField, F::kBool, deleter});
}

// Province review of a district's figure, bound to the version it judged.
void add_review(std::vector<FieldSpec>& f) {
  f.push_back({"review", F::kString, W::kProvince});           // "verified" | "returned"
  f.push_back({"review_version", F::kInteger, W::kProvince});  // packed HLC of the judged value
  f.push_back({"reviewed_by", F::kString, W::kProvince});
  f.push_back({"reviewed_at", F::kTime, W::kProvince});
  f.push_back({"review_note", F::kString, W::kProvince});
}

// The hub's receipt of a claimed time and the time that counts (claims.h).
void add_claim(std::vector<FieldSpec>& f) {
  f.push_back({"received_at", F::kTime, W::kSystem});
  f.push_back({"counted_at", F::kTime, W::kSystem});
}

std::vector<TableSpec> build_schema() {
  std::vector<TableSpec> s;
  auto table = [&](std::string_view name, bool district_scoped, std::vector<FieldSpec> fields) {
    // Warnings come from rules only: a district cannot delete one.
    add_common(fields, name == "warning" ? W::kSystem : district_scoped ? W::kOwner : W::kProvince);
    s.push_back(TableSpec{name, district_scoped, std::move(fields)});
  };
  table("district", false,
        {{"code", F::kString, W::kProvince},
         {"name_th", F::kString, W::kProvince},
         {"name_en", F::kString, W::kProvince}});
  table("work_group", false,
        {{"key", F::kString, W::kProvince},
         {"name_th", F::kString, W::kProvince},
         {"name_en", F::kString, W::kProvince}});
  table("indicator", false,
        {{"key", F::kString, W::kProvince},   // "budget_disbursement", "bmn_progress", ...
         {"kind", F::kString, W::kProvince},  // "budget" | "bmn" | "count"
         {"name_th", F::kString, W::kProvince},
         {"name_en", F::kString, W::kProvince},
         {"unit", F::kString, W::kProvince}});
  table("target", false,
        {{"indicator_id", F::kString, W::kProvince},
         {"district", F::kString, W::kProvince},
         {"work_group_id", F::kString, W::kProvince},
         {"period", F::kString, W::kProvince},  // "2570" (fiscal year) or "2570-Q1"
         {"value", F::kNumber, W::kProvince}});
  table("task", false,
        {{"kind", F::kString, W::kProvince},  // "directive" | "monthly_report"
         {"letter_no", F::kString, W::kProvince},
         {"title", F::kString, W::kProvince},
         {"issued", F::kDate, W::kProvince},
         {"due", F::kDate, W::kProvince},
         {"districts", F::kStringList, W::kProvince},
         {"work_group_id", F::kString, W::kProvince}});
  std::vector<FieldSpec> measurement = {
      {"indicator_id", F::kString, W::kOwner},
      {"district", F::kString, W::kOwner},
      {"work_group_id", F::kString, W::kOwner},
      {"period", F::kString, W::kOwner},
      {"value", F::kNumber, W::kOwner},       // budget: baht disbursed (cumulative)
      {"collected", F::kInteger, W::kOwner},  // BMN households collected
      {"entered", F::kInteger, W::kOwner},    // BMN households recorded
      {"updated", F::kInteger, W::kOwner},    // BMN households updated/verified
      {"as_of", F::kTime, W::kOwner},
      {"source", F::kString, W::kOwner},
      {"entered_by", F::kString, W::kOwner},
      {"state", F::kString, W::kOwner},  // "draft" | "submitted"
  };
  add_review(measurement);
  add_claim(measurement);
  table("measurement", true, std::move(measurement));
  std::vector<FieldSpec> submission = {
      {"task_id", F::kString, W::kOwner},    {"district", F::kString, W::kOwner},
      {"submitted_at", F::kTime, W::kOwner}, {"submitted_by", F::kString, W::kOwner},
      {"doc_ref", F::kString, W::kOwner},
  };
  add_review(submission);
  add_claim(submission);
  table("submission", true, std::move(submission));
  table("warning", true,
        {{"rule", F::kString, W::kSystem},
         {"subject", F::kString, W::kSystem},
         {"district", F::kString, W::kSystem},
         {"stage", F::kString, W::kSystem},  // "warn" | "follow" | "demand" | "escalated"
         {"raised_at", F::kTime, W::kSystem},
         {"due", F::kDate, W::kSystem},
         {"title", F::kString, W::kSystem},
         {"message_th", F::kString, W::kSystem},
         {"message_en", F::kString, W::kSystem},
         {"data_as_of", F::kTime, W::kSystem},
         {"data_source", F::kString, W::kSystem},
         {"verified_by", F::kString, W::kSystem},
         {"unverified", F::kBool, W::kSystem},
         {"cleared_at", F::kTime, W::kSystem}});
  // A manual silence of warnings (an approved extension): rule and subject narrow it ("" = all);
  // without a reason and an end time the rules ignore it. The hub audits every silence write.
  table("silence", true,
        {{"district", F::kString, W::kProvince},
         {"rule", F::kString, W::kProvince},
         {"subject", F::kString, W::kProvince},
         {"until", F::kTime, W::kProvince},
         {"reason", F::kString, W::kProvince},
         {"by", F::kString, W::kProvince},
         {"at", F::kTime, W::kProvince}});
  // Settings the province shares with every client (key "rules": the warning rules configuration,
  // so an offline client evaluates exactly what the hub evaluates).
  table("setting", false, {{"key", F::kString, W::kProvince}, {"value", F::kString, W::kProvince}});
  std::vector<FieldSpec> ack = {
      {"warning_id", F::kString, W::kOwner},
      {"kind", F::kString, W::kOwner},  // "ack" | "dispute"
      {"by", F::kString, W::kOwner},
      {"at", F::kTime, W::kOwner},
      {"reason", F::kString, W::kOwner},
      {"resolution", F::kString, W::kProvince},
      {"resolved_by", F::kString, W::kProvince},
      {"resolved_at", F::kTime, W::kProvince},
  };
  add_claim(ack);
  table("ack", true, std::move(ack));
  return s;
}

bool is_date(std::string_view s) {
  return parse_date(s).ok();
}

const char* type_name(FieldType t) {
  switch (t) {
    case F::kString:
      return "a string";
    case F::kInteger:
      return "an integer";
    case F::kNumber:
      return "a number";
    case F::kBool:
      return "true or false";
    case F::kStringList:
      return "a list of strings";
    case F::kTime:
      return "a time (integer ms since 1970-01-01 UTC)";
    case F::kDate:
      return "a date \"YYYY-MM-DD\"";
  }
  return "?";
}

bool has_type(const nlohmann::json& v, FieldType t) {
  if (v.is_null()) return true;  // clearing a field is always allowed
  switch (t) {
    case F::kString:
      return v.is_string();
    case F::kInteger:
    case F::kTime:
      return v.is_number_integer();
    case F::kNumber:
      return v.is_number();
    case F::kBool:
      return v.is_boolean();
    case F::kStringList:
      return v.is_array() && std::all_of(v.begin(), v.end(), [](auto& e) { return e.is_string(); });
    case F::kDate:
      return v.is_string() && is_date(v.get<std::string>());
  }
  return false;
}

// A value's JSON text that is one plain token: null, true, false, an integer of at most 18 digits,
// or a string without escapes or control characters (what stored values nearly always are). `text`
// is a string's content. Anything else (floats, escapes, lists, invalid text) is nullopt, and is
// parsed as a whole instead: the answer for a token is the same as parsing it would give.
struct PlainToken {
  enum class Kind { kNull, kBool, kInteger, kString } kind;
  std::string_view text;
};

std::optional<PlainToken> plain_token(std::string_view v) {
  using K = PlainToken::Kind;
  if (v == "null") return PlainToken{K::kNull, v};
  if (v == "true" || v == "false") return PlainToken{K::kBool, v};
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string_view in = v.substr(1, v.size() - 2);
    for (char c : in) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    }
    if (!simdjson::validate_utf8(in.data(), in.size())) return std::nullopt;
    return PlainToken{K::kString, in};
  }
  std::string_view digits = !v.empty() && v.front() == '-' ? v.substr(1) : v;
  if (digits.empty() || digits.size() > 18 || (digits[0] == '0' && digits.size() > 1)) {
    return std::nullopt;
  }
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return PlainToken{K::kInteger, v};
}

bool has_type(const PlainToken& v, FieldType t) {
  using K = PlainToken::Kind;
  switch (v.kind) {
    case K::kNull:
      return true;
    case K::kBool:
      return t == F::kBool;
    case K::kInteger:
      return t == F::kInteger || t == F::kTime || t == F::kNumber;
    case K::kString:
      return t == F::kString || (t == F::kDate && is_date(v.text));
  }
  return false;
}

}  // namespace

const FieldSpec* TableSpec::field(std::string_view n) const {
  for (const FieldSpec& f : fields) {
    if (f.name == n) return &f;
  }
  return nullptr;
}

const std::vector<TableSpec>& schema() {
  static const std::vector<TableSpec> s = build_schema();
  return s;
}

const TableSpec* find_table(std::string_view name) {
  for (const TableSpec& t : schema()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const char* role_name(Role r) {
  switch (r) {
    case Role::kDistrict:
      return "district";
    case Role::kProvince:
      return "province";
    case Role::kExecutive:
      return "executive";
    case Role::kAdmin:
      return "admin";
  }
  return "?";
}

Result<Role> parse_role(std::string_view s) {
  for (Role r : {Role::kDistrict, Role::kProvince, Role::kExecutive, Role::kAdmin}) {
    if (s == role_name(r)) return r;
  }
  return Status(Code::kInvalidArgument,
                "unknown role '" + std::string(s) + "' (district, province, executive, admin)");
}

bool is_district_code(std::string_view code) {
  if (code.size() != 4 || code.substr(0, 2) != "52") return false;
  int n = (code[2] - '0') * 10 + (code[3] - '0');
  return code[2] >= '0' && code[2] <= '9' && code[3] >= '0' && code[3] <= '9' && n >= 1 && n <= 13;
}

Status validate_change(const Change& c, const Principal& who) {
  const TableSpec* table = find_table(c.table);
  if (!table) return Status(Code::kInvalidArgument, "unknown table '" + c.table + "'");
  const FieldSpec* field = table->field(c.field);
  if (!field) {
    return Status(Code::kInvalidArgument,
                  "unknown field '" + c.field + "' in table '" + c.table + "'");
  }
  if (!is_valid_id(c.row_id)) {
    return Status(Code::kInvalidArgument, "row id must be 32 lower-case hex digits");
  }
  if (table->district_scoped ? !is_district_code(c.scope) : c.scope != kProvinceScope) {
    return Status(Code::kInvalidArgument,
                  "table '" + c.table + "' needs scope " +
                      (table->district_scoped ? "a Lampang district code (5201-5213)"
                                              : std::string("\"province\"")) +
                      ", not '" + c.scope + "'");
  }
  bool typed = false, is_scope = false;
  if (auto token = plain_token(c.version.value)) {
    typed = has_type(*token, field->type);
    is_scope = token->kind == PlainToken::Kind::kString && token->text == c.scope;
  } else {
    nlohmann::json value = nlohmann::json::parse(c.version.value, nullptr, false);
    if (value.is_discarded()) {
      return Status(Code::kInvalidArgument, "value of " + c.field + " is not valid JSON");
    }
    typed = has_type(value, field->type);
    is_scope = value == nlohmann::json(c.scope);
  }
  if (!typed) {
    return Status(Code::kInvalidArgument,
                  c.table + "." + c.field + " must be " + type_name(field->type));
  }
  if (c.field == "district" && table->district_scoped && !is_scope) {
    return Status(Code::kInvalidArgument, "district field must equal the row's scope " + c.scope);
  }

  switch (who.role) {
    case Role::kProvince:
    case Role::kAdmin:
      return {};
    case Role::kExecutive:
      if (c.table == "ack" && field->writer == Writer::kOwner) return {};
      return Status(Code::kPermissionDenied, "an executive account reads; it writes only acks");
    case Role::kDistrict:
      if (!table->district_scoped || c.scope != who.district) {
        return Status(Code::kPermissionDenied, "district " + who.district + " may not write " +
                                                   c.table + " rows of " + c.scope);
      }
      if (field->writer != Writer::kOwner) {
        return Status(Code::kPermissionDenied,
                      c.table + "." + c.field + " is written by the province, not a district");
      }
      return {};
  }
  return Status(Code::kInternal, "unknown role");
}

ScopeFilter read_filter(const Principal& who) {
  if (who.role == Role::kDistrict) return ScopeFilter::only({who.district, kProvinceScope});
  return ScopeFilter::everything();
}

const char* verification_name(Verification v) {
  switch (v) {
    case Verification::kDraft:
      return "draft";
    case Verification::kSubmitted:
      return "submitted";
    case Verification::kVerified:
      return "verified";
    case Verification::kReturned:
      return "returned";
  }
  return "?";
}

Hlc reviewed_version(const Row& row, std::initializer_list<std::string_view> value_fields) {
  Hlc newest;
  for (std::string_view f : value_fields) {
    if (const FieldVersion* v = row.find(std::string(f))) newest = std::max(newest, v->hlc);
  }
  return newest;
}

Verification verification_state(const Row& row,
                                std::initializer_list<std::string_view> value_fields) {
  const FieldVersion* state = row.find("state");
  if (state && state->value == "\"draft\"") return Verification::kDraft;
  Hlc version_now = reviewed_version(row, value_fields);
  if (version_now.is_zero()) return Verification::kDraft;
  const FieldVersion* review = row.find("review");
  const FieldVersion* version = row.find("review_version");
  if (review && version && version->value == std::to_string(version_now.packed)) {
    if (review->value == "\"verified\"") return Verification::kVerified;
    if (review->value == "\"returned\"") return Verification::kReturned;
  }
  return Verification::kSubmitted;  // never reviewed, or edited after the review
}

namespace {
template <typename T>
Result<std::vector<T>> parse_list(const nlohmann::json& doc, const char* key, const char* id_key) {
  if (!doc.is_object() || !doc.contains(key) || !doc[key].is_array()) {
    return Status(Code::kInvalidArgument,
                  std::string("expected an object with array '") + key + "'");
  }
  std::vector<T> out;
  for (const auto& e : doc[key]) {
    if (!e.is_object() || !e.contains(id_key) || !e.contains("name_th") || !e.contains("name_en") ||
        !e[id_key].is_string() || !e["name_th"].is_string() || !e["name_en"].is_string()) {
      return Status(Code::kInvalidArgument, std::string("each entry of '") + key +
                                                "' needs string " + id_key +
                                                ", name_th and name_en");
    }
    out.push_back(T{e[id_key].get<std::string>(), e["name_th"].get<std::string>(),
                    e["name_en"].get<std::string>()});
  }
  return out;
}
}  // namespace

Result<std::vector<District>> parse_districts(const nlohmann::json& doc) {
  auto list = parse_list<District>(doc, "districts", "code");
  if (!list.ok()) return list;
  for (const District& d : *list) {
    if (!is_district_code(d.code)) {
      return Status(Code::kInvalidArgument, "'" + d.code + "' is not a Lampang district code");
    }
  }
  return list;
}

Result<std::vector<WorkGroup>> parse_work_groups(const nlohmann::json& doc) {
  return parse_list<WorkGroup>(doc, "work_groups", "key");
}

std::string to_value(const nlohmann::json& v) {
  return v.dump();
}

}  // namespace lwc
