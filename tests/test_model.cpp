#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "lwc/id.h"
#include "lwc/model.h"

using namespace lwc;

namespace {
Change make(std::string table, std::string scope, std::string field, std::string value) {
  return Change{std::move(table), new_id(), std::move(scope), std::move(field),
                FieldVersion{std::move(value), Hlc::from_parts(1, 0), "dev", {}}};
}
const Principal kMaeMo{Role::kDistrict, "5202", "officer.maemo"};
const Principal kProvince{Role::kProvince, "", "planner"};
const Principal kExecutive{Role::kExecutive, "", "chief"};
}  // namespace

TEST_CASE("reference data: the 13 districts of Lampang load from assets", "[model]") {
  std::ifstream in(std::string(LWC_ASSETS_DIR) + "/districts.json");
  REQUIRE(in);
  auto districts = parse_districts(nlohmann::json::parse(in));
  REQUIRE(districts.ok());
  REQUIRE(districts->size() == 13);
  CHECK(districts->front().code == "5201");
  CHECK(districts->front().name_th == "เมืองลำปาง");
  CHECK(districts->back().code == "5213");
  CHECK(districts->back().name_en == "Mueang Pan");
  std::ifstream wg(std::string(LWC_ASSETS_DIR) + "/work_groups.json");
  auto groups = parse_work_groups(nlohmann::json::parse(wg));
  REQUIRE(groups.ok());
  CHECK(groups->size() == 5);
}

TEST_CASE("reference data: malformed files are refused with a reason", "[model]") {
  auto r = parse_districts(
      nlohmann::json::parse(R"({"districts":[{"code":"9999","name_th":"x","name_en":"y"}]})"));
  CHECK(r.status().code() == Code::kInvalidArgument);
  CHECK(parse_districts(nlohmann::json::parse("[]")).status().code() == Code::kInvalidArgument);
  CHECK(
      parse_work_groups(nlohmann::json::parse(R"({"work_groups":[{"key":1}]})")).status().code() ==
      Code::kInvalidArgument);
}

TEST_CASE("validate: a district writes its own rows", "[model][jurisdiction]") {
  CHECK(validate_change(make("measurement", "5202", "value", "1250000.5"), kMaeMo).ok());
  CHECK(validate_change(make("submission", "5202", "doc_ref", "\"ลป 0020/123\""), kMaeMo).ok());
  CHECK(validate_change(make("ack", "5202", "kind", "\"ack\""), kMaeMo).ok());
}

TEST_CASE("validate: a district cannot write another district or province data",
          "[model][jurisdiction]") {
  auto other = validate_change(make("measurement", "5201", "value", "1"), kMaeMo);
  CHECK(other.code() == Code::kPermissionDenied);
  CHECK_THAT(other.message(), Catch::Contains("5202 may not write measurement rows of 5201"));
  CHECK(validate_change(make("target", "province", "value", "1"), kMaeMo).code() ==
        Code::kPermissionDenied);
  // Verification belongs to the province, even on the district's own row.
  CHECK(validate_change(make("measurement", "5202", "review", "\"verified\""), kMaeMo).code() ==
        Code::kPermissionDenied);
  CHECK(validate_change(make("warning", "5202", "stage", "\"demand\""), kMaeMo).code() ==
        Code::kPermissionDenied);
  // Warnings come from rules: a district cannot delete one either.
  CHECK(validate_change(make("warning", "5202", "_deleted", "true"), kMaeMo).code() ==
        Code::kPermissionDenied);
}

TEST_CASE("validate: province writes reference data, targets and reviews, executive reads",
          "[model][jurisdiction]") {
  CHECK(validate_change(make("target", "province", "value", "30"), kProvince).ok());
  CHECK(validate_change(make("measurement", "5205", "review", "\"returned\""), kProvince).ok());
  CHECK(validate_change(make("target", "province", "value", "30"), kExecutive).code() ==
        Code::kPermissionDenied);
  CHECK(validate_change(make("ack", "5205", "kind", "\"ack\""), kExecutive).ok());
}

TEST_CASE("validate: unknown names, bad ids, scopes and wrong types are typed errors", "[model]") {
  CHECK(validate_change(make("salary", "5202", "value", "1"), kProvince).code() ==
        Code::kInvalidArgument);
  CHECK(validate_change(make("measurement", "5202", "colour", "1"), kProvince).code() ==
        Code::kInvalidArgument);
  Change bad_id = make("measurement", "5202", "value", "1");
  bad_id.row_id = "not-an-id";
  CHECK(validate_change(bad_id, kProvince).code() == Code::kInvalidArgument);
  CHECK(validate_change(make("measurement", "5299", "value", "1"), kProvince).code() ==
        Code::kInvalidArgument);
  CHECK(validate_change(make("target", "5202", "value", "1"), kProvince).code() ==
        Code::kInvalidArgument);
  auto type = validate_change(make("measurement", "5202", "value", "\"lots\""), kMaeMo);
  CHECK(type.code() == Code::kInvalidArgument);
  CHECK(type.message() == "measurement.value must be a number");
  CHECK(validate_change(make("measurement", "5202", "collected", "1.5"), kMaeMo).code() ==
        Code::kInvalidArgument);
  CHECK(validate_change(make("task", "province", "due", "\"2026-13-01\""), kProvince).code() ==
        Code::kInvalidArgument);
  CHECK(validate_change(make("task", "province", "due", "\"2026-02-31\""), kProvince).code() ==
        Code::kInvalidArgument);
  CHECK(validate_change(make("task", "province", "due", "\"2026-12-01\""), kProvince).ok());
  CHECK(validate_change(make("task", "province", "districts", "[\"5201\",3]"), kProvince).code() ==
        Code::kInvalidArgument);
  CHECK(validate_change(make("measurement", "5202", "value", "{not json"), kMaeMo).code() ==
        Code::kInvalidArgument);
  CHECK(validate_change(make("measurement", "5202", "district", "\"5201\""), kMaeMo).code() ==
        Code::kInvalidArgument);
  CHECK(validate_change(make("measurement", "5202", "value", "null"), kMaeMo).ok());
}

TEST_CASE("validate: a plain token and the same value written otherwise get one verdict",
          "[model]") {
  // Plain tokens are typed without a parse; escapes, floats and lists are parsed. Both must agree.
  struct Case {
    const char* table;
    const char* scope;
    const char* field;
    std::string value;
    bool ok;
  };
  const Case cases[] = {
      {"measurement", "5202", "district", "\"5202\"", true},
      {"measurement", "5202", "district", "\"520\\u0032\"", true},  // "5202", escaped
      {"measurement", "5202", "district", "\"5201\"", false},
      {"measurement", "5202", "district", "\"520\\u0031\"", false},
      {"measurement", "5202", "collected", "12", true},
      {"measurement", "5202", "collected", "-3", true},  // the type only; entries refuse negatives
      {"measurement", "5202", "collected", "1234567890123456789", true},  // 19 digits: parsed
      {"measurement", "5202", "collected", "012", false},                 // not JSON
      {"measurement", "5202", "collected", "1e3", false},                 // a float
      {"measurement", "5202", "collected", "1.5", false},
      {"measurement", "5202", "collected", "\"12\"", false},
      {"measurement", "5202", "collected", "-", false},
      {"measurement", "5202", "value", "12", true},
      {"measurement", "5202", "value", "1.5", true},
      {"submission", "5202", "doc_ref", "\"ลป 0020\"", true},
      {"submission", "5202", "doc_ref", "\"a\\nb\"", true},
      {"submission", "5202", "doc_ref", "\"\"", true},
      {"submission", "5202", "doc_ref", "\"\xff\"", false},   // not UTF-8
      {"submission", "5202", "doc_ref", "\"a\x01\"", false},  // a raw control character
      {"submission", "5202", "doc_ref", "\"a\"b\"", false},
      {"submission", "5202", "doc_ref", "\"abc", false},
      {"submission", "5202", "doc_ref", "\"", false},
      {"submission", "5202", "doc_ref", "7", false},
      {"submission", "5202", "doc_ref", "null", true},
      {"task", "province", "due", "\"2026-12-01\"", true},
      {"task", "province", "due", "\"2026-12-0\\u0031\"", true},
      {"task", "province", "due", "\"2026-12-32\"", false},
      {"task", "province", "districts", "[\"5201\"]", true},
      {"task", "province", "districts", "\"5201\"", false},
      {"measurement", "5202", "_deleted", "true", true},
      {"measurement", "5202", "_deleted", "false", true},
      {"measurement", "5202", "_deleted", "1", false},
      {"measurement", "5202", "_deleted", "\"true\"", false},
      {"measurement", "5202", "_deleted", "tru", false},
  };
  for (const Case& c : cases) {
    INFO(c.table << "." << c.field << " = " << c.value);
    Status s = validate_change(make(c.table, c.scope, c.field, c.value), kProvince);
    CHECK(s.ok() == c.ok);
    if (!c.ok) CHECK(s.code() == Code::kInvalidArgument);
  }
}

TEST_CASE("read filter: a district sees its own and province rows only", "[model][jurisdiction]") {
  ScopeFilter f = read_filter(kMaeMo);
  CHECK(f.allows("5202"));
  CHECK(f.allows("province"));
  CHECK_FALSE(f.allows("5201"));
  CHECK(read_filter(kExecutive).allows("5213"));
}

TEST_CASE("verification binds to the version it judged", "[model]") {
  Row row{"measurement", new_id(), "5202", {}};
  auto set = [&](std::string f, std::string v, Hlc h) {
    for (auto& [name, fv] : row.fields) {
      if (name == f) {
        fv = FieldVersion{v, h, "d", {}};
        return;
      }
    }
    row.fields.emplace_back(f, FieldVersion{v, h, "d", {}});
  };
  set("state", "\"draft\"", Hlc::from_parts(1, 0));
  set("value", "100", Hlc::from_parts(10, 0));
  CHECK(verification_state(row, {"value"}) == Verification::kDraft);
  set("state", "\"submitted\"", Hlc::from_parts(11, 0));
  CHECK(verification_state(row, {"value"}) == Verification::kSubmitted);
  set("review", "\"verified\"", Hlc::from_parts(20, 0));
  set("review_version", std::to_string(reviewed_version(row, {"value"}).packed),
      Hlc::from_parts(20, 1));
  CHECK(verification_state(row, {"value"}) == Verification::kVerified);
  // The district edits the figure after verification: it is no longer verified.
  set("value", "140", Hlc::from_parts(30, 0));
  CHECK(verification_state(row, {"value"}) == Verification::kSubmitted);
  set("review", "\"returned\"", Hlc::from_parts(40, 0));
  set("review_version", std::to_string(Hlc::from_parts(30, 0).packed), Hlc::from_parts(40, 1));
  CHECK(verification_state(row, {"value"}) == Verification::kReturned);
}

namespace {
// The table of docs/protocol.md §3 as the schema says it: one row per table, its fields in schema
// order, runs of the same type and writer written as `a` `b` (type, W).
std::string schema_table() {
  auto type = [](FieldType t) {
    switch (t) {
      case FieldType::kString:
        return "string";
      case FieldType::kInteger:
        return "integer";
      case FieldType::kNumber:
        return "number";
      case FieldType::kBool:
        return "bool";
      case FieldType::kStringList:
        return "string list";
      case FieldType::kTime:
        return "time";
      case FieldType::kDate:
        return "date";
    }
    return "?";
  };
  auto writer = [](Writer w) {
    return w == Writer::kProvince ? "P" : w == Writer::kOwner ? "O" : "S";
  };
  std::string out = "| table | scope | fields (type, writer) |\n|---|---|---|\n";
  for (const TableSpec& t : schema()) {
    out += "| `" + std::string(t.name) + "` | " + (t.district_scoped ? "district" : "`province`") +
           " | ";
    for (size_t i = 0; i < t.fields.size(); ++i) {
      const FieldSpec& f = t.fields[i];
      out += "`" + std::string(f.name) + "` ";
      const bool run_ends = i + 1 == t.fields.size() || t.fields[i + 1].type != f.type ||
                            t.fields[i + 1].writer != f.writer;
      if (run_ends) {
        out += "(" + std::string(type(f.type)) + ", " + writer(f.writer) + ")";
        if (i + 1 != t.fields.size()) out += "; ";
      }
    }
    out += " |\n";
  }
  return out;
}
}  // namespace

TEST_CASE("model: the table of fields in docs/protocol.md is the schema the hub checks",
          "[model]") {
  const std::string path = std::string(LWC_SOURCE_DIR) + "/docs/protocol.md";
  std::ifstream in(path);
  REQUIRE(in);
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string begin = "<!-- schema table: tests/test_model.cpp -->\n", end = "<!-- end -->";
  const size_t from = doc.find(begin), to = doc.find(end, from);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  const std::string expected = schema_table();
  if (std::getenv("LWC_UPDATE_DOCS")) {  // LWC_UPDATE_DOCS=1 rewrites the table in place
    doc.replace(from + begin.size(), to - from - begin.size(), expected);
    std::ofstream(path) << doc;
    return;
  }
  CHECK(doc.substr(from + begin.size(), to - from - begin.size()) == expected);
}
