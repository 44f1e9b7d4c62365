// The warning rules: pure functions of the synced state and the time, so the hub and an offline
// client raise the same warnings with the same ids (docs/warnings.md explains every rule).
//
// Three stages and one more (BRIEF §2):
//   warn      เตือน    before a deadline (default 3 days before)            yellow
//   follow    ตาม      at the deadline / in the last weeks of a period      orange
//   demand    ทวงถาม   after the deadline has passed                        red
//   escalated ยกระดับ  a demand neither acknowledged nor disputed in time   purple
//
// Rules:
//   task_deadline  a task (directive letter or monthly report) that an assigned district has not
//                  submitted (a submission returned for quality counts as not submitted).
//   budget_curve   cumulative disbursed % of the district's FY allocation below the cumulative
//   target
//                  curve (quarter checkpoints) for the current week, minus a tolerance.
//   bmn_curve      BMN households entered, as % of the district's target, below the weekly
//                  expectation of the survey window, minus a tolerance.
//
// A warning's id is name_id("warning", rule, subject, district, stage): the same verdict reached on
// two machines is one row. Every stage reached stays raised (warn, then follow, then demand) until
// the condition ends; the UI shows the highest stage of a subject.
//
// Verification gate: an indicator warning at follow or demand stage is raised only on data the
// province has verified. While a figure has waited less than `unverified_max_age_days` for
// verification (counted from when it was entered) the rule falls back to the warn stage; a figure
// left unverified longer (or no figure at all, counted from the start of the curve) raises the
// stage with `unverified = true`, and the message says so.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lwc/calendar.h"
#include "lwc/model.h"
#include "lwc/status.h"
#include "lwc/store.h"

namespace lwc {

enum class Stage { kWarn = 1, kFollow = 2, kDemand = 3, kEscalated = 4 };
const char* stage_name(Stage s);  // "warn" | "follow" | "demand" | "escalated"
Result<Stage> parse_stage(std::string_view s);
// 0xRRGGBB of a stage: warn yellow, follow orange, demand red, escalated purple.
uint32_t stage_colour(Stage s);
const char* stage_name_th(Stage s);  // เตือน | ตาม | ทวงถาม | ยกระดับ

inline constexpr const char* kRuleTaskDeadline = "task_deadline";
inline constexpr const char* kRuleBudgetCurve = "budget_curve";
inline constexpr const char* kRuleBmnCurve = "bmn_curve";

// What to do with a deadline that falls on a non-working day.
enum class HolidayPolicy { kNextWorkingDay, kPreviousWorkingDay, kKeep };

// The office calendar: weekends and holidays (Thai dates), weeks from Monday, fiscal year Oct–Sep.
struct OfficeCalendar {
  std::vector<int> weekend_days = {6, 7};  // ISO weekday numbers: 1 = Monday … 7 = Sunday
  std::vector<std::string> holidays;       // "YYYY-MM-DD"
  HolidayPolicy deadline_policy = HolidayPolicy::kNextWorkingDay;

  bool is_working_day(const Date& d) const;
  // The deadline as the office keeps it, after the holiday policy.
  Date effective_deadline(const Date& due) const;
};
int iso_weekday(const Date& d);     // 1 = Monday … 7 = Sunday
Date week_monday(const Date& d);    // the Monday on or before d
Date fiscal_year_start(int fy_be);  // 1 October of CE year fy_be - 544
// Week of the fiscal year as the office counts it: week 1 is the Monday-week containing 1 October.
int fiscal_week(const Date& d);

struct TaskRule {
  int warn_days_before = 3;       // warn stage starts this many days before the deadline
  int demand_after_days = 1;      // demand starts this many days after the deadline day begins
  int escalate_after_hours = 48;  // a demand not acknowledged this long escalates
};

// A cumulative target curve: (month-day in the fiscal year, cumulative %) checkpoints, rising.
struct CurveRule {
  std::vector<std::pair<std::string, double>> checkpoints;  // {"12-31", 30.0} …
  std::string start = "10-01";                              // the curve is 0 % here
  double tolerance_pct = 5.0;   // percentage points below the curve before it warns
  int follow_weeks_before = 2;  // follow stage in the last N weeks before a checkpoint
  int escalate_after_hours = 72;
};

struct RulesConfig {
  OfficeCalendar calendar;
  std::map<std::string, TaskRule> task_rules = {{"directive", {}}, {"monthly_report", {}}};
  TaskRule default_task_rule;  // for task kinds not listed
  CurveRule budget{{{"12-31", 30}, {"03-31", 52}, {"06-30", 75}, {"09-30", 100}}};
  CurveRule bmn{{{"09-30", 100}}};
  int unverified_max_age_days = 7;
  int digest_hour = 8;  // stage-1 digests per office are sent daily at this Thai hour

  const TaskRule& task_rule(const std::string& kind) const;
};
// JSON form (hub.json "rules", and the synced setting row). Unknown members are refused.
Result<RulesConfig> parse_rules_config(const nlohmann::json& j);
nlohmann::json rules_config_json(const RulesConfig& c);

struct Warning {
  std::string id;  // warning_id(rule, subject, district, stage)
  std::string rule, subject, district;
  Stage stage = Stage::kWarn;
  int64_t raised_at = 0;  // when the stage began (deterministic: from the deadline, not the clock)
  std::string due;        // the deadline behind it, "YYYY-MM-DD"
  std::string title;      // the task title or indicator name as stored (may be bilingual)
  std::string message_th, message_en;
  int64_t data_as_of = 0;   // the figure's as-of time (0: no data)
  std::string data_source;  // "submission", "GFMIS (demo import)", "entered by hand", …
  std::string verified_by;  // who verified the data behind it ("" when not verified)
  bool unverified = false;  // raised on data the province has not verified in time
  std::string silenced_by;  // id of the active silence row covering it ("" when none)
};
std::string warning_id(const std::string& rule, const std::string& subject,
                       const std::string& district, Stage stage);

// The warning table's fields for `w` (what the hub writes; clients only read them).
std::vector<Store::FieldWrite> warning_fields(const Warning& w);
// A stored warning row read back (stage and times parsed).
Result<Warning> warning_from_row(const Row& row);
// JSON of a warning for the CLI, the event stream and the channels.
nlohmann::json warning_json(const Warning& w);

// A snapshot of the rows the rules read. Fill with load_rule_inputs() or by hand in tests.
struct RuleInputs {
  std::vector<Row> tasks, submissions, targets, measurements, acks, silences, districts,
      work_groups;
};
Result<RuleInputs> load_rule_inputs(Store& store, const ScopeFilter& filter);

// The cumulative target curve of a fiscal year: (start, 0 %), then the checkpoints as dates.
std::vector<std::pair<Date, double>> curve_points(const CurveRule& rule, int fy_be);
// The expected cumulative % of fiscal year fy_be's curve at date d (0 before the curve's start,
// linear between checkpoints, the last checkpoint's % after it).
double curve_expected_pct(const CurveRule& rule, int fy_be, const Date& d);

// A district's figure for an indicator in a fiscal year: the latest measurement as of now_ms or
// before, per work group, summed (budget: baht disbursed; BMN: households entered), against the
// district's FY target (work group ""). What the rules judge, and what every view shows.
struct IndicatorFigure {
  double value = 0, target = 0, pct = 0;  // pct = 100 × value / target (0 without a target)
  bool any = false;                       // at least one measurement
  bool verified = true;                   // every contributing measurement verified (false if none)
  int64_t as_of = 0;                      // oldest as-of among the contributing measurements
  int64_t unverified_as_of = 0;           // oldest as-of among the unverified ones
  int64_t unverified_since = 0;  // earliest entry time (HLC wall clock) of an unverified one
  std::set<std::string> sources, verifiers;
};
IndicatorFigure indicator_figure(const RuleInputs& in, const std::string& indicator_key,
                                 const std::string& district, int fy_be, int64_t now_ms);

// Every warning the rules raise at `now_ms`, sorted by id; with only_district, those of that
// district (a district client sees every task and target, but its warnings are its own). Silenced
// ones are included with silenced_by set (the hub does not raise them; the province view lists
// them).
std::vector<Warning> evaluate_rules(const RuleInputs& in, const RulesConfig& config, int64_t now_ms,
                                    const std::string& only_district = "");

// Most urgent first: higher stage, then earlier deadline, then district, then id.
bool more_urgent(const Warning& a, const Warning& b);

// The acknowledgement state of a warning from the ack rows.
struct AckState {
  bool acknowledged = false;
  int64_t acknowledged_at = 0;
  std::string acknowledged_by;
  bool disputed_open = false;    // a dispute nobody has resolved yet (pauses escalation)
  int64_t last_resolved_at = 0;  // latest resolution of a dispute
};
// Only ack rows of the warning's own district (`district`, the ack row's scope) count: a district
// can write ack rows in its own scope only, and must not clear or pause another's warning by naming
// its id (ids are predictable).
AckState ack_state(const std::vector<Row>& acks, const std::string& warning_id,
                   const std::string& district);

// The rules configuration a replica holds: the hub's shared setting row, defaults when absent.
RulesConfig rules_from_store(Store& store);

// One line of a client's warning inbox.
struct WarningItem {
  Warning warning;
  bool from_hub = false;         // the hub has raised it (a synced warning row, still open)
  bool raised_locally = false;   // the local rules raise it now (perhaps before the hub knows)
  AckState ack;                  // everyone's acknowledgements and disputes
  bool acked_by_me = false;      // this user has acknowledged or disputed it
  bool needs_attention() const;  // open here, not silenced, not yet answered by this user
};
// What `who` sees at now_ms: the local rules' verdicts (the same ids as the hub's) together with
// the hub's open warning rows; a hub warning the local data no longer raises (e.g. submitted
// offline, not yet synced) stays listed with raised_locally = false, so nothing vanishes
// unexplained. A district sees its own district only. Most urgent first.
Result<std::vector<WarningItem>> current_warnings(Store& store, const Principal& who,
                                                  int64_t now_ms);

}  // namespace lwc
