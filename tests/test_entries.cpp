#include <catch2/catch.hpp>

#include "lwc/entries.h"
#include "lwc/id.h"

using namespace lwc;

namespace {
std::string value_of(const RowWrite& w, const std::string& field) {
  for (auto& f : w.fields) {
    if (f.field == field) return f.value;
  }
  return "";
}
}  // namespace

TEST_CASE("entries: a budget figure is one row per district, work group and as-of day",
          "[entries]") {
  auto a = budget_entry({"5202", "strategy", 125000.5, "2026-11-20", "maemo"});
  REQUIRE(a.ok());
  CHECK(a->table == "measurement");
  CHECK(a->scope == "5202");
  CHECK(value_of(*a, "period") == "\"2570\"");
  CHECK(value_of(*a, "value") == "125000.5");
  // A second device entering the same figure addresses the same row; another day is another row.
  auto b = budget_entry({"5202", "strategy", 99, "2026-11-20", "other"});
  CHECK(b->id == a->id);
  CHECK(budget_entry({"5202", "strategy", 99, "2026-11-21", "maemo"})->id != a->id);
  // Every field passes the schema for the district itself.
  Principal maemo{Role::kDistrict, "5202", "maemo"};
  for (auto& f : a->fields) {
    CHECK(
        validate_change(
            {a->table, a->id, a->scope, f.field, {f.value, Hlc::from_parts(1, 0), "d", {}}}, maemo)
            .ok());
  }
}

TEST_CASE("entries: refusals explain themselves", "[entries]") {
  CHECK(budget_entry({"5202", "strategy", -1, "2026-11-20", "u"}).status().message() ==
        "the disbursed amount cannot be negative");
  CHECK(budget_entry({"5299", "strategy", 1, "2026-11-20", "u"}).status().code() ==
        Code::kInvalidArgument);
  CHECK(budget_entry({"5202", "strategy", 1, "20/11/2569", "u"}).status().code() ==
        Code::kInvalidArgument);
  CHECK(bmn_entry({"5202", 100, 120, 0, "2026-11-20", "u"}).status().message() ==
        "households entered (120) cannot exceed households collected (100)");
  CHECK(bmn_entry({"5202", 100, 90, 95, "2026-11-20", "u"}).status().code() ==
        Code::kInvalidArgument);
  CHECK(bmn_entry({"5202", 100, 90, 80, "2026-11-20", "u"}).ok());
  CHECK(task_entry({"directive", "ลป 1", "t", "2026-11-20", "2026-11-19", {"5201"}, ""})
            .status()
            .message() == "the due date is before the issue date");
}

TEST_CASE("entries: a submission needs a task assigned to the district", "[entries]") {
  auto task = task_entry(
      {"monthly_report", "", "รายงานประจำเดือน", "2026-11-01", "2026-11-28", {"5202"}, ""});
  REQUIRE(task.ok());
  Row row{"task", task->id, "province", {}};
  for (auto& f : task->fields)
    row.fields.emplace_back(f.field, FieldVersion{f.value, Hlc::from_parts(1, 0), "h", {}});
  std::sort(row.fields.begin(), row.fields.end(),
            [](auto& a, auto& b) { return a.first < b.first; });
  auto sub = submission_entry(row, "5202", "maemo", 1000, "ลป 0020/55");
  REQUIRE(sub.ok());
  CHECK(sub->id == submission_row_id(task->id, "5202"));
  CHECK(submission_entry(row, "5201", "mueang", 1000, "").status().code() ==
        Code::kPermissionDenied);
}

TEST_CASE("entries: a review binds to the judged version and a return needs a reason",
          "[entries]") {
  Row row{"measurement", new_id(), "5202", {}};
  row.fields.emplace_back("value", FieldVersion{"100", Hlc::from_parts(50, 1), "d", {}});
  auto ok = review_entry(row, true, "planner", 7, "");
  REQUIRE(ok.ok());
  CHECK(value_of(*ok, "review_version") == std::to_string(Hlc::from_parts(50, 1).packed));
  CHECK(review_entry(row, false, "planner", 7, "").status().code() == Code::kInvalidArgument);
  CHECK(review_entry(row, false, "planner", 7, "figure does not match GFMIS").ok());
}

TEST_CASE("entries: a typed as-of date is in the Common Era and not after today", "[entries]") {
  const Date today{2026, 11, 26};
  CHECK(check_as_of({2026, 11, 26}, today, Lang::kEn).ok());
  CHECK(check_as_of({2025, 10, 1}, today, Lang::kEn).ok());
  Status tomorrow = check_as_of({2026, 11, 27}, today, Lang::kEn);
  CHECK(tomorrow.code() == Code::kInvalidArgument);
  CHECK(tomorrow.message() == "the as-of date 2026-11-27 is after today (2026-11-26)");
  Status be = check_as_of({2569, 11, 20}, today, Lang::kTh);  // 20 Nov 2569 BE, typed as CE
  CHECK(be.code() == Code::kInvalidArgument);
  CHECK(be.message() == "ปี 2569 เป็นปี พ.ศ. กรุณากรอกเป็นปี ค.ศ. (2026)");
  CHECK(check_as_of({2569, 11, 20}, today, Lang::kEn).message() ==
        "2569 looks like a Buddhist-Era year: type the Common Era year (2026)");
}
