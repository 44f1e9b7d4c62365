// The GUI's view model: everything the windows show, computed by plain functions from the local
// store and the time, with no ImGui — so colours, urgency order, dates and numbers are unit-tested
// without a window (tests/test_view_model.cpp).
//
// load_snapshot() reads the store (a few SQLite queries, tens of milliseconds with the full demo
// data): the GUI calls it on its data thread, never on the UI thread, and swaps the finished
// Snapshot in. Everything else here is pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lwc/award.h"
#include "lwc/calendar.h"
#include "lwc/entries.h"
#include "lwc/i18n.h"
#include "lwc/model.h"
#include "lwc/store.h"
#include "lwc/summary.h"
#include "lwc/warnings.h"

namespace lwc::client {

// --- colours and status ---

// The status of a tile or a matrix cell, read at a glance.
enum class TileStatus { kGood, kWatch, kBehind, kNoData };
// 0xRRGGBB: good green, watch amber, behind red, no data grey.
uint32_t tile_colour(TileStatus s);
// i18n key of the status word ("gui.status.good" …).
const char* tile_status_key(TileStatus s);
// An indicator against its expected cumulative %: at or above → good; below by at most the
// tolerance → watch; further below → behind; no figure (nullopt) → no data.
TileStatus indicator_status(std::optional<double> actual_pct, double expected_pct,
                            double tolerance_pct);
// Tasks: any overdue (or returned) → behind; any in a warning stage → watch; else good.
TileStatus tasks_status(int overdue, int in_stage);
// Open warnings: demand/escalated → behind; warn/follow → watch; none → good.
TileStatus warnings_status(std::optional<Stage> worst_open);

// This week's expected cumulative % of a curve: warnings.h curve_expected_pct at the Monday of the
// week of `today` — what the rules judge and the weekly summary prints.
double expected_pct_this_week(const CurveRule& curve, const Date& today);

// --- formatting (Thai mode: Buddhist Era, Thai words) ---

std::string format_pct(double pct);               // "18.5%"
std::string format_baht(double baht, Lang lang);  // "412,500 บาท" / "THB 412,500"
std::string format_count(int64_t n);              // "12,345"
// "ข้อมูล ณ 20 พ.ย. 2569" / "as of 20 Nov 2026"; "ยังไม่มีข้อมูล" / "no data" for 0.
std::string format_as_of(int64_t ms, Lang lang);
// The last successful sync: "never" for 0, else the date and time.
std::string format_last_sync(int64_t ms, Lang lang);
// "ปีงบประมาณ 2570 · สัปดาห์ที่ 9" / "FY 2570 · week 9" (the fiscal year keeps its BE name).
std::string format_fiscal(const Date& d, Lang lang);
// Days until a due date, in words: "อีก 3 วัน" / "in 3 days", "วันนี้" / "today", "เลย 4 วัน" / "4 days
// late".
std::string format_days_left(int days, Lang lang);
std::string district_label(const std::string& name_th, const std::string& name_en, Lang lang);

// --- tasks ---

struct TaskItem {
  std::string id, kind, letter_no, title, due;  // due: "YYYY-MM-DD" (after the holiday policy)
  bool submitted = false;
  bool returned = false;  // the submission was returned for quality: counts as not submitted
  bool late = false;      // submitted after the deadline
  int64_t submitted_at = 0;
  int days_left = 0;           // due - today
  std::optional<Stage> stage;  // urgency now; nullopt when submitted or not yet in a stage
  Row row;                     // the task row (submission_entry needs it)
};
// The stage a task is in today: warn from `warn_days_before` days before the deadline, follow on
// it, demand after it; nullopt when done or earlier.
std::optional<Stage> task_stage(const Date& deadline, const Date& today, bool done,
                                const TaskRule& rule);
// Most urgent first: open before done, higher stage, earlier due, then title.
bool task_more_urgent(const TaskItem& a, const TaskItem& b);

// --- warnings ---

// One subject (rule, subject, district) of the warnings inbox: the highest stage reached, as
// warnings.h current_warnings() reports it, and the ids of every stage raised for the subject (the
// officer answers them together: one pop-up per subject, not one per stage).
struct InboxItem {
  lwc::WarningItem top;
  std::vector<std::string> stage_ids;
  // Waits for this user's answer (pop-up, inbox button).
  bool needs_answer() const { return top.needs_attention(); }
  // Nobody has acknowledged it and no dispute is open (province counts, colours).
  bool unanswered() const { return !top.ack.acknowledged && !top.ack.disputed_open; }
};
// Groups per subject keeping the highest stage; most urgent first, unanswered before answered.
std::vector<InboxItem> group_by_subject(const std::vector<lwc::WarningItem>& items);

// --- figures ---

// The figures below come from the shared computations (warnings.h indicator_figure, summary.h
// province_status / submission_record), so the window shows the numbers of the hub's weekly summary
// and web page; the flat members repeat them for the views.
struct DistrictFigures {
  std::string code, name_th, name_en;
  IndicatorFigure budget, bmn;
  SubmissionRecord record;  // deadlines of this fiscal year up to now
  // Budget: cumulative disbursed (latest figure per work group, summed) vs the FY allocation.
  double budget_disbursed = 0, budget_allocation = 0;
  bool budget_any = false, budget_verified = false;
  int64_t budget_as_of = 0;                       // oldest contributing as-of
  std::map<std::string, double> budget_by_group;  // work group key -> latest figure
  // BMN: households collected / entered / updated (latest figure) vs the household target.
  int64_t bmn_collected = 0, bmn_entered = 0, bmn_updated = 0, bmn_target = 0;
  bool bmn_any = false, bmn_verified = false;
  int64_t bmn_as_of = 0;
  std::string budget_verified_by, bmn_verified_by;
  // Reports: tasks of this fiscal year assigned to the district (record; total adds pending).
  int tasks_total = 0, tasks_on_time = 0, tasks_late = 0, tasks_missing = 0, tasks_returned = 0,
      tasks_in_stage = 0;
  int64_t tasks_as_of = 0;  // latest submission time
  int open_warnings = 0;
  std::optional<Stage> worst_warning;

  std::optional<double> budget_pct() const;
  std::optional<double> bmn_pct() const;  // entered / target
};

struct ReviewItem {  // a measurement or submission waiting for the province's verification
  std::string table, id, district;
  std::string what_th, what_en;  // indicator or task
  std::string value;             // "412,500" / "collected 5,000 · entered 4,200 · updated 3,900"
  int64_t as_of = 0;
  std::string entered_by;
  std::string claim_th, claim_en;  // "submitted offline at …" (claims.h claim_text), or ""
  Row row;
};

struct WorkGroupFigure {
  std::string key, name_th, name_en;
  double disbursed = 0, target = 0;  // target 0: none set
};

// --- report-submission matrix (district × report) ---

enum class ReportCell { kNotAssigned, kPending, kOnTime, kLate, kMissing, kReturned };
uint32_t report_cell_colour(
    ReportCell c);  // on time green, late amber, missing red, returned purple
const char* report_cell_key(ReportCell c);  // "gui.report.on_time" …
struct ReportColumn {
  std::string task_id, kind, letter_no, title, deadline;  // deadline after the holiday policy
};
struct SubmissionMatrix {
  std::vector<ReportColumn> columns;  // tasks due in this fiscal year, by deadline then letter
  // district code -> one cell per column. Counting a row gives summary.h submission_record's
  // numbers (the same classification: end of the deadline day, returned first).
  std::map<std::string, std::vector<ReportCell>> cells;
};
SubmissionMatrix submission_matrix(const RuleInputs& in, const RulesConfig& rules,
                                   const std::vector<std::string>& districts, int64_t now_ms);
SubmissionRecord count_row(const std::vector<ReportCell>& row);

// --- this client's changes the hub refused (shown to their author, never dropped) ---

struct RejectedItem {
  int64_t counter = 0, rejected_ms = 0;
  std::string table, row_id, scope, field;
  std::string value;          // what this client wrote (canonical JSON)
  std::string current;        // the value this replica holds now ("" when none)
  std::string code, message;  // the hub's reason
};

struct Snapshot {
  int64_t now_ms = 0;
  Date today;
  int fiscal_year = 0;  // BE
  double budget_expected_pct = 0, bmn_expected_pct = 0, tolerance_pct = 5;
  RulesConfig rules;
  std::vector<DistrictFigures> districts;  // all 13 (province) or the officer's own (district)
  std::vector<TaskItem> tasks;             // district role: its own, most urgent first
  std::vector<InboxItem> warnings;         // most urgent first
  std::vector<ReviewItem> review_queue;    // province: submitted, not yet verified
  std::vector<WorkGroupFigure> work_groups;
  int64_t last_data_ms = 0;            // latest as-of of any figure
  SubmissionMatrix reports;            // province: every district; district: its own row
  std::vector<RejectedItem> rejected;  // newest first
  int64_t pending_rows = 0;            // distinct rows with changes waiting in the outbox
  // This month's Report Award (award.h monthly_award, default points). A district client holds
  // only its own submissions, so only the province's leaderboard ranks districts.
  Leaderboard award;
  // Province roles: the KPIs of the fiscal year to date as CSV (award.h kpi_csv), ready to export.
  std::string kpi_csv, kpi_from, kpi_to;
};
// Award tile status: nothing due → no data; ≥ 80 % good; ≥ 50 % watch; else behind.
TileStatus award_status(const AwardScore& score);

// Reads everything a view shows. District role: its own district; other roles: all 13.
Result<Snapshot> load_snapshot(Store& store, const Principal& who, int64_t now_ms);

// --- the hub's lists for the province (GET /v1/conflicts, GET /v1/fleet) ---

struct ConflictItem {
  int64_t id = 0, detected_ms = 0;
  std::string table, row_id, scope, field;
  std::string winner_value, loser_value;  // canonical JSON
  std::string winner_device, loser_device;
  int64_t winner_ms = 0, loser_ms = 0;  // wall clock of each version's HLC
};
// Parses a GET /v1/conflicts body; newest first.
Result<std::vector<ConflictItem>> parse_conflicts(const std::string& body);

struct FleetDevice {
  std::string device_id, user, role, district, name, client_version;
  int64_t enrolled_ms = 0, last_seen_ms = 0;
  bool revoked = false;
  int64_t last_counter = 0;  // the device's highest mutation the hub applied
  int64_t pending = -1;      // outbox size it reported at its last pull (-1: never reported)
  int64_t pending_at_ms = 0;
};
// Parses a GET /v1/fleet body; district offices first (by code), then the others, by user.
Result<std::vector<FleetDevice>> parse_fleet(const std::string& body);
// Last contact: within a day good, within 3 days watch, older behind, never no data.
TileStatus contact_status(int64_t last_seen_ms, int64_t now_ms);
// "5 นาทีที่แล้ว" / "5 min ago", hours, days; "ไม่เคย" / "never" for 0.
std::string format_ago(int64_t ms, int64_t now_ms, Lang lang);
// A field value for people: strings without quotes, numbers grouped, times (field as_of, *_at,
// *_ms) as dates, lists joined; "—" for none.
std::string format_value(const std::string& field, const std::string& json_value, Lang lang);
// "measurement · value" with the district name when the scope is a district.
std::string describe_change(const std::string& table, const std::string& field,
                            const std::string& scope, const Snapshot& s, Lang lang);

// --- tiles (district dashboard) ---

struct Tile {
  std::string title;
  std::string value;   // the big figure
  std::string detail;  // target, counts
  std::string as_of;   // "ข้อมูล ณ …"
  TileStatus status = TileStatus::kNoData;
  double fraction = -1;  // progress 0..1 (with a target marker at marker), -1 none
  double marker = -1;
};
std::vector<Tile> district_tiles(const Snapshot& s, const DistrictFigures& d, Lang lang);

// --- entry checks (explained in the officer's language, before entries.h builds the write) ---

struct FormCheck {
  std::string error;    // non-empty: refuse, and say why
  std::string confirm;  // non-empty: ask "are you sure?" with this text before saving
  bool ok() const { return error.empty(); }
};
// A figure is "far above" the last one when it is more than twice it (the last being > 0).
bool far_above(double value, double last);
FormCheck check_budget_form(double amount, std::optional<double> last_amount, double allocation,
                            Lang lang);
FormCheck check_bmn_form(int64_t collected, int64_t entered, int64_t updated,
                         std::optional<int64_t> last_collected, int64_t target, Lang lang);

// --- province forms ---

// A new task: a title, a valid due date not before issued, at least one district; a due date in
// the past asks for confirmation.
FormCheck check_task_form(const TaskEntry& e, const Date& today, Lang lang);
// A target: a number > 0; more than 10× the current one asks for confirmation.
FormCheck check_target_form(double value, std::optional<double> current, Lang lang);

}  // namespace lwc::client
