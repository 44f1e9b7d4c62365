#include "lwc/entries.h"

#include <cmath>

#include "lwc/id.h"

namespace lwc {

namespace {
using nlohmann::json;
using FW = Store::FieldWrite;

FW field(const char* name, const json& value) {
  return FW{name, to_value(value)};
}

Status check_district(const std::string& d) {
  if (!is_district_code(d)) {
    return Status(Code::kInvalidArgument, "'" + d + "' is not a Lampang district code (5201-5213)");
  }
  return {};
}
}  // namespace

std::string district_row_id(const std::string& code) {
  return name_id({"district", code});
}
std::string work_group_row_id(const std::string& key) {
  return name_id({"work_group", key});
}
std::string indicator_row_id(const std::string& key) {
  return name_id({"indicator", key});
}
std::string measurement_row_id(const std::string& indicator_key, const std::string& district,
                               const std::string& work_group_key, const std::string& as_of_date) {
  return name_id({"measurement", indicator_key, district, work_group_key, as_of_date});
}
std::string target_row_id(const std::string& indicator_key, const std::string& district,
                          const std::string& work_group_key, const std::string& period) {
  return name_id({"target", indicator_key, district, work_group_key, period});
}
std::string submission_row_id(const std::string& task_id, const std::string& district) {
  return name_id({"submission", task_id, district});
}
std::string ack_row_id(const std::string& warning_id, const std::string& user) {
  return name_id({"ack", warning_id, user});
}

json field_json(const Row& row, const std::string& name) {
  const FieldVersion* v = row.find(name);
  if (!v) return nullptr;
  json j = json::parse(v->value, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

int64_t int_field(const Row& row, const std::string& name) {
  json j = field_json(row, name);
  return j.is_number() ? j.get<int64_t>() : 0;
}

double number_field(const Row& row, const std::string& name) {
  json j = field_json(row, name);
  return j.is_number() ? j.get<double>() : 0.0;
}

std::string text_field(const Row& row, const std::string& name) {
  const FieldVersion* v = row.find(name);
  if (!v) return "";
  json j = json::parse(v->value, nullptr, false);
  return j.is_string() ? j.get<std::string>() : "";
}

Result<RowWrite> budget_entry(const BudgetEntry& e) {
  LWC_RETURN_IF_ERROR(check_district(e.district));
  auto date = parse_date(e.as_of);
  if (!date.ok()) return date.status();
  if (!std::isfinite(e.amount_baht) || e.amount_baht < 0) {
    return Status(Code::kInvalidArgument, "the disbursed amount cannot be negative");
  }
  if (e.work_group.empty()) return Status(Code::kInvalidArgument, "name the work group");
  RowWrite w{"measurement",
             measurement_row_id(kBudgetIndicator, e.district, e.work_group, e.as_of),
             e.district,
             {}};
  w.fields = {field("indicator_id", indicator_row_id(kBudgetIndicator)),
              field("district", e.district),
              field("work_group_id", work_group_row_id(e.work_group)),
              field("period", std::to_string(fiscal_year_be(*date))),
              field("value", e.amount_baht),
              field("as_of", thai_midnight_ms(*date)),
              field("source", e.source),
              field("entered_by", e.user),
              field("state", "submitted")};
  return w;
}

Status check_as_of(const Date& as_of, const Date& today, Lang lang) {
  if (as_of.year >= today.year + 400) {  // 543 years ahead: a BE year typed as CE
    return Status(Code::kInvalidArgument,
                  fmt("entry.as_of_be", lang,
                      {std::to_string(as_of.year), std::to_string(as_of.year - 543)}));
  }
  if (days_from_civil(as_of) > days_from_civil(today)) {
    return Status(Code::kInvalidArgument,
                  fmt("entry.as_of_future", lang, {format_date(as_of), format_date(today)}));
  }
  return {};
}

Result<RowWrite> bmn_entry(const BmnEntry& e) {
  LWC_RETURN_IF_ERROR(check_district(e.district));
  auto date = parse_date(e.as_of);
  if (!date.ok()) return date.status();
  if (e.collected < 0 || e.entered < 0 || e.updated < 0) {
    return Status(Code::kInvalidArgument, "household counts cannot be negative");
  }
  if (e.entered > e.collected) {
    return Status(Code::kInvalidArgument, "households entered (" + std::to_string(e.entered) +
                                              ") cannot exceed households collected (" +
                                              std::to_string(e.collected) + ")");
  }
  if (e.updated > e.entered) {
    return Status(Code::kInvalidArgument, "households updated (" + std::to_string(e.updated) +
                                              ") cannot exceed households entered (" +
                                              std::to_string(e.entered) + ")");
  }
  RowWrite w{
      "measurement", measurement_row_id(kBmnIndicator, e.district, "", e.as_of), e.district, {}};
  w.fields = {field("indicator_id", indicator_row_id(kBmnIndicator)),
              field("district", e.district),
              field("period", std::to_string(fiscal_year_be(*date))),
              field("collected", e.collected),
              field("entered", e.entered),
              field("updated", e.updated),
              field("as_of", thai_midnight_ms(*date)),
              field("source", "entered by hand"),
              field("entered_by", e.user),
              field("state", "submitted")};
  return w;
}

Result<RowWrite> submission_entry(const Row& task, const std::string& district,
                                  const std::string& user, int64_t now_ms,
                                  const std::string& doc_ref) {
  if (task.table != "task" || task.deleted()) {
    return Status(Code::kNotFound, "no task " + task.id);
  }
  LWC_RETURN_IF_ERROR(check_district(district));
  bool assigned = false;
  if (const FieldVersion* list = task.find("districts")) {
    json districts = json::parse(list->value, nullptr, false);
    if (districts.is_array()) {
      for (const json& d : districts) assigned |= d == district;
    }
  }
  if (!assigned) {
    return Status(Code::kPermissionDenied, "task " + task.id + " is not assigned to " + district);
  }
  RowWrite w{"submission", submission_row_id(task.id, district), district, {}};
  w.fields = {field("task_id", task.id), field("district", district), field("submitted_at", now_ms),
              field("submitted_by", user), field("doc_ref", doc_ref)};
  return w;
}

Result<RowWrite> task_entry(const TaskEntry& e) {
  if (e.kind != "directive" && e.kind != "monthly_report") {
    return Status(Code::kInvalidArgument, "a task is a directive or a monthly_report");
  }
  if (e.title.empty()) return Status(Code::kInvalidArgument, "a task needs a title");
  auto issued = parse_date(e.issued);
  if (!issued.ok()) return issued.status();
  auto due = parse_date(e.due);
  if (!due.ok()) return due.status();
  if (*due < *issued)
    return Status(Code::kInvalidArgument, "the due date is before the issue date");
  if (e.districts.empty()) return Status(Code::kInvalidArgument, "assign the task to a district");
  for (const std::string& d : e.districts) LWC_RETURN_IF_ERROR(check_district(d));
  RowWrite w{"task", new_id(), kProvinceScope, {}};
  w.fields = {field("kind", e.kind),
              field("letter_no", e.letter_no),
              field("title", e.title),
              field("issued", e.issued),
              field("due", e.due),
              field("districts", e.districts),
              field("work_group_id", e.work_group.empty() ? "" : work_group_row_id(e.work_group))};
  return w;
}

Result<RowWrite> target_entry(const TargetEntry& e) {
  if (e.indicator != kBudgetIndicator && e.indicator != kBmnIndicator) {
    return Status(Code::kInvalidArgument, "indicator is budget_disbursement or bmn_progress");
  }
  LWC_RETURN_IF_ERROR(check_district(e.district));
  if (!std::isfinite(e.value) || e.value < 0) {
    return Status(Code::kInvalidArgument, "a target cannot be negative");
  }
  if (e.period.size() < 4)
    return Status(Code::kInvalidArgument, "period is a BE fiscal year, e.g. 2570");
  RowWrite w{
      "target", target_row_id(e.indicator, e.district, e.work_group, e.period), kProvinceScope, {}};
  w.fields = {field("indicator_id", indicator_row_id(e.indicator)), field("district", e.district),
              field("period", e.period), field("value", e.value)};
  if (!e.work_group.empty())
    w.fields.push_back(field("work_group_id", work_group_row_id(e.work_group)));
  return w;
}

std::initializer_list<std::string_view> reviewed_fields(const Row& row) {
  static const std::initializer_list<std::string_view> kSubmission = {"submitted_at", "doc_ref"};
  static const std::initializer_list<std::string_view> kBmn = {"collected", "entered", "updated"};
  static const std::initializer_list<std::string_view> kBudget = {"value"};
  if (row.table == "submission") return kSubmission;
  if (row.find("collected")) return kBmn;
  return kBudget;
}

Result<RowWrite> review_entry(const Row& row, bool verified, const std::string& user,
                              int64_t now_ms, const std::string& note) {
  if (row.table != "measurement" && row.table != "submission") {
    return Status(Code::kInvalidArgument, "only measurements and submissions are reviewed");
  }
  const Hlc version = reviewed_version(row, reviewed_fields(row));
  if (version.is_zero()) return Status(Code::kInvalidArgument, "nothing to review in " + row.id);
  if (!verified && note.empty()) {
    return Status(Code::kInvalidArgument, "say why the data is returned (a note is required)");
  }
  RowWrite w{row.table, row.id, row.scope, {}};
  w.fields = {field("review", verified ? "verified" : "returned"),
              field("review_version", version.packed), field("reviewed_by", user),
              field("reviewed_at", now_ms), field("review_note", note)};
  return w;
}

Result<RowWrite> ack_entry(const Row& warning, const std::string& user, int64_t now_ms,
                           bool dispute, const std::string& reason) {
  if (warning.table != "warning") return Status(Code::kNotFound, "no warning " + warning.id);
  return ack_entry(warning.id, warning.scope, user, now_ms, dispute, reason);
}

Result<RowWrite> ack_entry(const std::string& warning_id, const std::string& district,
                           const std::string& user, int64_t now_ms, bool dispute,
                           const std::string& reason) {
  if (!is_valid_id(warning_id)) return Status(Code::kNotFound, "no warning " + warning_id);
  LWC_RETURN_IF_ERROR(check_district(district));
  if (dispute && reason.empty()) {
    return Status(Code::kInvalidArgument,
                  "a dispute needs a reason (e.g. the data is out of date)");
  }
  RowWrite w{"ack", ack_row_id(warning_id, user), district, {}};
  w.fields = {field("warning_id", warning_id), field("kind", dispute ? "dispute" : "ack"),
              field("by", user), field("at", now_ms), field("reason", reason)};
  return w;
}

Result<RowWrite> resolve_entry(const Row& ack, const std::string& user, int64_t now_ms,
                               const std::string& resolution) {
  if (ack.table != "ack" || text_field(ack, "kind") != "dispute") {
    return Status(Code::kInvalidArgument, ack.id + " is not a dispute");
  }
  if (resolution.empty()) {
    return Status(Code::kInvalidArgument, "say how the dispute was resolved (e.g. data corrected)");
  }
  RowWrite w{"ack", ack.id, ack.scope, {}};
  w.fields = {field("resolution", resolution), field("resolved_by", user),
              field("resolved_at", now_ms)};
  return w;
}

Result<RowWrite> silence_entry(const SilenceEntry& e, int64_t now_ms) {
  LWC_RETURN_IF_ERROR(check_district(e.district));
  if (e.reason.empty()) {
    return Status(Code::kInvalidArgument,
                  "a silence needs a reason (e.g. the approved extension letter)");
  }
  constexpr int64_t kMaxMs = 180LL * 86'400'000;
  if (e.until_ms <= now_ms || e.until_ms - now_ms > kMaxMs) {
    return Status(Code::kInvalidArgument, "a silence ends in the future, within 180 days");
  }
  RowWrite w{"silence", new_id(), e.district, {}};
  w.fields = {field("district", e.district),
              field("rule", e.rule),
              field("subject", e.subject),
              field("until", e.until_ms),
              field("reason", e.reason),
              field("by", e.user),
              field("at", now_ms)};
  return w;
}

std::string setting_row_id(const std::string& key) {
  return name_id({"setting", key});
}

RowWrite setting_entry(const std::string& key, const std::string& value) {
  return RowWrite{
      "setting", setting_row_id(key), kProvinceScope, {field("key", key), field("value", value)}};
}

}  // namespace lwc
