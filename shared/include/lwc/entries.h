// What an officer enters, turned into row writes — one place for the GUI and the command line.
// Each builder validates its input and explains a refusal in the officer's terms.
//
// Rows with a natural key get a name-based id (id.h name_id), so two devices that enter the same
// thing offline edit one row and their edits meet in the merge:
//   district/<code>, work_group/<key>, indicator/<key>
//   measurement/<indicator>/<district>/<work group>/<as-of date>   one figure per as-of day
//   target/<indicator>/<district>/<work group>/<period>
//   submission/<task>/<district>,  ack/<warning>/<user>,  setting/<key>
// Tasks and silences are new rows with random ids; warnings have rule-derived ids (warnings.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lwc/calendar.h"
#include "lwc/i18n.h"
#include "lwc/model.h"
#include "lwc/store.h"

namespace lwc {

inline constexpr const char* kBudgetIndicator = "budget_disbursement";
inline constexpr const char* kBmnIndicator = "bmn_progress";

std::string district_row_id(const std::string& code);
std::string work_group_row_id(const std::string& key);
std::string indicator_row_id(const std::string& key);
std::string measurement_row_id(const std::string& indicator_key, const std::string& district,
                               const std::string& work_group_key, const std::string& as_of_date);
std::string target_row_id(const std::string& indicator_key, const std::string& district,
                          const std::string& work_group_key, const std::string& period);
std::string submission_row_id(const std::string& task_id, const std::string& district);
std::string ack_row_id(const std::string& warning_id, const std::string& user);

struct BudgetEntry {
  std::string district, work_group;  // work group key ("strategy")
  double amount_baht = 0;            // cumulative disbursed this fiscal year
  std::string as_of;                 // "YYYY-MM-DD"
  std::string user, source = "entered by hand";
};
Result<RowWrite> budget_entry(const BudgetEntry& e);

// An as-of date an officer typed, against today's Thai date: kInvalidArgument (message in `lang`)
// when its year looks like a Buddhist-Era year (dates are typed in the Common Era: 2569 is 2026)
// or when it lies after today (a figure cannot be known before its date).
Status check_as_of(const Date& as_of, const Date& today, Lang lang);

struct BmnEntry {
  std::string district;
  int64_t collected = 0, entered = 0, updated = 0;  // households
  std::string as_of;
  std::string user;
};
Result<RowWrite> bmn_entry(const BmnEntry& e);

Result<RowWrite> submission_entry(const Row& task, const std::string& district,
                                  const std::string& user, int64_t now_ms,
                                  const std::string& doc_ref);

struct TaskEntry {
  std::string kind;                           // "directive" | "monthly_report"
  std::string letter_no, title, issued, due;  // dates "YYYY-MM-DD"
  std::vector<std::string> districts;
  std::string work_group;
};
Result<RowWrite> task_entry(const TaskEntry& e);

struct TargetEntry {
  std::string indicator, district, work_group, period;  // period: "2570" or "2570-Q1"
  double value = 0;
};
Result<RowWrite> target_entry(const TargetEntry& e);

// A province review of a measurement or submission, bound to the version it judged.
Result<RowWrite> review_entry(const Row& row, bool verified, const std::string& user,
                              int64_t now_ms, const std::string& note);
// The fields a review of `row` judges.
std::initializer_list<std::string_view> reviewed_fields(const Row& row);

// An acknowledgement ("ack") or dispute ("dispute", reason required) of a warning row.
Result<RowWrite> ack_entry(const Row& warning, const std::string& user, int64_t now_ms,
                           bool dispute, const std::string& reason);
// The same by id: a warning the client raised offline has no row yet, but the same id as the hub's.
Result<RowWrite> ack_entry(const std::string& warning_id, const std::string& district,
                           const std::string& user, int64_t now_ms, bool dispute,
                           const std::string& reason);
// A province officer resolves a dispute (resolution text required); escalation resumes from now.
Result<RowWrite> resolve_entry(const Row& ack, const std::string& user, int64_t now_ms,
                               const std::string& resolution);

// A manual silence of a district's warnings until `until_ms`: reason required, at most 180 days.
struct SilenceEntry {
  std::string district, rule, subject;  // rule/subject "" = every rule / every subject
  int64_t until_ms = 0;
  std::string reason, user;
};
Result<RowWrite> silence_entry(const SilenceEntry& e, int64_t now_ms);

// The shared setting row holding the rules configuration (JSON text).
std::string setting_row_id(const std::string& key);
RowWrite setting_entry(const std::string& key, const std::string& value);

// Reads a string field of a row ("" when absent or not a string).
std::string text_field(const Row& row, const std::string& field);
// A field's value as JSON (null when absent or not valid JSON).
nlohmann::json field_json(const Row& row, const std::string& field);
// A numeric field (0 when absent or not a number).
int64_t int_field(const Row& row, const std::string& field);
double number_field(const Row& row, const std::string& field);

}  // namespace lwc
