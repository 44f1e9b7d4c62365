#include "lwc/warnings.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "lwc/claims.h"
#include "lwc/entries.h"
#include "lwc/i18n.h"
#include "lwc/id.h"
#include "lwc/model.h"

namespace lwc {

namespace {
using nlohmann::json;
constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;

Date add_days(const Date& d, int64_t n) {
  return civil_from_days(days_from_civil(d) + n);
}

// "12-31" in fiscal year fy_be: months Oct–Dec belong to the CE year before.
Result<Date> fiscal_date(int fy_be, const std::string& month_day) {
  int ce_end = fy_be - 543;
  if (month_day.size() != 5 || month_day[2] != '-') {
    return Status(Code::kInvalidArgument, "'" + month_day + "' is not a month-day MM-DD");
  }
  int month = std::atoi(month_day.substr(0, 2).c_str());
  return parse_date(std::to_string(month >= 10 ? ce_end - 1 : ce_end) + "-" + month_day);
}

std::string pct(double v) {
  return format_number(v, 1);
}

}  // namespace

// --- stages ---

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::kWarn:
      return "warn";
    case Stage::kFollow:
      return "follow";
    case Stage::kDemand:
      return "demand";
    case Stage::kEscalated:
      return "escalated";
  }
  return "?";
}

Result<Stage> parse_stage(std::string_view s) {
  for (Stage st : {Stage::kWarn, Stage::kFollow, Stage::kDemand, Stage::kEscalated}) {
    if (s == stage_name(st)) return st;
  }
  return Status(Code::kInvalidArgument, "unknown stage '" + std::string(s) + "'");
}

uint32_t stage_colour(Stage s) {
  switch (s) {
    case Stage::kWarn:
      return 0xF2C230;  // yellow
    case Stage::kFollow:
      return 0xF2892A;  // orange
    case Stage::kDemand:
      return 0xD93636;  // red
    case Stage::kEscalated:
      return 0x7B2C8F;  // purple
  }
  return 0x808080;
}

const char* stage_name_th(Stage s) {
  static std::string names[5];
  std::string& n = names[static_cast<int>(s)];
  if (n.empty()) n = std::string(tr(std::string("stage.") + stage_name(s), Lang::kTh));
  return n.c_str();
}

// --- calendar ---

int iso_weekday(const Date& d) {
  // 1970-01-01 was a Thursday (ISO 4).
  int64_t w = (days_from_civil(d) + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}

Date week_monday(const Date& d) {
  return add_days(d, 1 - iso_weekday(d));
}

Date fiscal_year_start(int fy_be) {
  return Date{fy_be - 544, 10, 1};
}

int fiscal_week(const Date& d) {
  Date first = week_monday(fiscal_year_start(fiscal_year_be(d)));
  return static_cast<int>((days_from_civil(week_monday(d)) - days_from_civil(first)) / 7) + 1;
}

bool OfficeCalendar::is_working_day(const Date& d) const {
  if (std::find(weekend_days.begin(), weekend_days.end(), iso_weekday(d)) != weekend_days.end()) {
    return false;
  }
  return std::find(holidays.begin(), holidays.end(), format_date(d)) == holidays.end();
}

Date OfficeCalendar::effective_deadline(const Date& due) const {
  if (deadline_policy == HolidayPolicy::kKeep) return due;
  const int step = deadline_policy == HolidayPolicy::kNextWorkingDay ? 1 : -1;
  Date d = due;
  for (int i = 0; i < 60 && !is_working_day(d); ++i) d = add_days(d, step);
  return d;
}

// --- configuration ---

const TaskRule& RulesConfig::task_rule(const std::string& kind) const {
  auto it = task_rules.find(kind);
  return it == task_rules.end() ? default_task_rule : it->second;
}

namespace {

Status unknown_members(const json& j, std::initializer_list<const char*> known, const char* where) {
  if (!j.is_object())
    return Status(Code::kInvalidArgument, std::string(where) + " must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) {
      return Status(Code::kInvalidArgument,
                    std::string("unknown member '") + it.key() + "' in " + where);
    }
  }
  return {};
}

template <typename T>
Status read(const json& j, const char* key, T* out, const char* where) {
  if (!j.contains(key)) return {};
  try {
    *out = j.at(key).get<T>();
  } catch (const json::exception&) {
    return Status(Code::kInvalidArgument, std::string(where) + "." + key + " has the wrong type");
  }
  return {};
}

Result<TaskRule> parse_task_rule(const json& j, const TaskRule& base, const char* where) {
  LWC_RETURN_IF_ERROR(
      unknown_members(j, {"warn_days_before", "demand_after_days", "escalate_after_hours"}, where));
  TaskRule r = base;
  LWC_RETURN_IF_ERROR(read(j, "warn_days_before", &r.warn_days_before, where));
  LWC_RETURN_IF_ERROR(read(j, "demand_after_days", &r.demand_after_days, where));
  LWC_RETURN_IF_ERROR(read(j, "escalate_after_hours", &r.escalate_after_hours, where));
  if (r.warn_days_before < 0 || r.demand_after_days < 1 || r.escalate_after_hours < 1) {
    return Status(Code::kInvalidArgument,
                  std::string(where) +
                      ": warn_days_before >= 0, demand_after_days >= 1, escalate_after_hours >= 1");
  }
  return r;
}

Result<CurveRule> parse_curve(const json& j, const CurveRule& base, const char* where) {
  LWC_RETURN_IF_ERROR(unknown_members(
      j, {"checkpoints", "start", "tolerance_pct", "follow_weeks_before", "escalate_after_hours"},
      where));
  CurveRule c = base;
  LWC_RETURN_IF_ERROR(read(j, "start", &c.start, where));
  LWC_RETURN_IF_ERROR(read(j, "tolerance_pct", &c.tolerance_pct, where));
  LWC_RETURN_IF_ERROR(read(j, "follow_weeks_before", &c.follow_weeks_before, where));
  LWC_RETURN_IF_ERROR(read(j, "escalate_after_hours", &c.escalate_after_hours, where));
  if (j.contains("checkpoints")) {
    if (!j["checkpoints"].is_object() || j["checkpoints"].empty()) {
      return Status(Code::kInvalidArgument,
                    std::string(where) + ".checkpoints is an object {\"MM-DD\": percent}");
    }
    c.checkpoints.clear();
    for (auto it = j["checkpoints"].begin(); it != j["checkpoints"].end(); ++it) {
      if (!it->is_number()) {
        return Status(Code::kInvalidArgument,
                      std::string(where) + ".checkpoints values are numbers");
      }
      c.checkpoints.emplace_back(it.key(), it->get<double>());
    }
  }
  // Checkpoints in fiscal-year order (October first) with rising percentages.
  auto order = [](const std::string& md) {
    return (std::atoi(md.c_str()) + 2) % 12 * 100 + std::atoi(md.c_str() + 3);
  };
  std::sort(c.checkpoints.begin(), c.checkpoints.end(),
            [&](auto& a, auto& b) { return order(a.first) < order(b.first); });
  double last = 0;
  for (auto& [md, p] : c.checkpoints) {
    if (!fiscal_date(2570, md).ok() || p < last || p > 100) {
      return Status(Code::kInvalidArgument,
                    std::string(where) + ": checkpoint " + md +
                        " must be a valid MM-DD with a rising percentage 0..100");
    }
    last = p;
  }
  if (!fiscal_date(2570, c.start).ok() || c.tolerance_pct < 0 || c.follow_weeks_before < 0 ||
      c.escalate_after_hours < 1) {
    return Status(Code::kInvalidArgument, std::string(where) + ": bad start, tolerance or weeks");
  }
  return c;
}

json curve_json(const CurveRule& c) {
  json cps = json::object();
  for (auto& [md, p] : c.checkpoints) cps[md] = p;
  return {{"checkpoints", cps},
          {"start", c.start},
          {"tolerance_pct", c.tolerance_pct},
          {"follow_weeks_before", c.follow_weeks_before},
          {"escalate_after_hours", c.escalate_after_hours}};
}

json task_rule_json(const TaskRule& r) {
  return {{"warn_days_before", r.warn_days_before},
          {"demand_after_days", r.demand_after_days},
          {"escalate_after_hours", r.escalate_after_hours}};
}

const char* policy_name(HolidayPolicy p) {
  switch (p) {
    case HolidayPolicy::kNextWorkingDay:
      return "next_working_day";
    case HolidayPolicy::kPreviousWorkingDay:
      return "previous_working_day";
    case HolidayPolicy::kKeep:
      return "keep";
  }
  return "?";
}

}  // namespace

Result<RulesConfig> parse_rules_config(const json& j) {
  RulesConfig c;
  LWC_RETURN_IF_ERROR(unknown_members(j,
                                      {"calendar", "task_rules", "default_task_rule", "budget",
                                       "bmn", "unverified_max_age_days", "digest_hour"},
                                      "rules"));
  if (j.contains("calendar")) {
    const json& cal = j["calendar"];
    LWC_RETURN_IF_ERROR(
        unknown_members(cal, {"weekend_days", "holidays", "deadline_policy"}, "rules.calendar"));
    LWC_RETURN_IF_ERROR(read(cal, "weekend_days", &c.calendar.weekend_days, "rules.calendar"));
    LWC_RETURN_IF_ERROR(read(cal, "holidays", &c.calendar.holidays, "rules.calendar"));
    for (int d : c.calendar.weekend_days) {
      if (d < 1 || d > 7)
        return Status(Code::kInvalidArgument, "weekend_days are 1 (Mon)..7 (Sun)");
    }
    for (const std::string& h : c.calendar.holidays) LWC_RETURN_IF_ERROR(parse_date(h).status());
    std::string policy = policy_name(c.calendar.deadline_policy);
    LWC_RETURN_IF_ERROR(read(cal, "deadline_policy", &policy, "rules.calendar"));
    bool found = false;
    for (HolidayPolicy p : {HolidayPolicy::kNextWorkingDay, HolidayPolicy::kPreviousWorkingDay,
                            HolidayPolicy::kKeep}) {
      if (policy == policy_name(p)) c.calendar.deadline_policy = p, found = true;
    }
    if (!found) {
      return Status(Code::kInvalidArgument,
                    "deadline_policy is next_working_day, previous_working_day or keep");
    }
  }
  if (j.contains("default_task_rule")) {
    auto r =
        parse_task_rule(j["default_task_rule"], c.default_task_rule, "rules.default_task_rule");
    if (!r.ok()) return r.status();
    c.default_task_rule = *r;
  }
  if (j.contains("task_rules")) {
    if (!j["task_rules"].is_object()) {
      return Status(Code::kInvalidArgument, "rules.task_rules is an object by task kind");
    }
    for (auto it = j["task_rules"].begin(); it != j["task_rules"].end(); ++it) {
      auto r = parse_task_rule(*it, c.task_rule(it.key()), "rules.task_rules");
      if (!r.ok()) return r.status();
      c.task_rules[it.key()] = *r;
    }
  }
  for (auto [key, curve] : {std::pair{"budget", &c.budget}, std::pair{"bmn", &c.bmn}}) {
    if (!j.contains(key)) continue;
    auto r = parse_curve(j[key], *curve, key);
    if (!r.ok()) return r.status();
    *curve = *r;
  }
  LWC_RETURN_IF_ERROR(read(j, "unverified_max_age_days", &c.unverified_max_age_days, "rules"));
  LWC_RETURN_IF_ERROR(read(j, "digest_hour", &c.digest_hour, "rules"));
  if (c.unverified_max_age_days < 0 || c.digest_hour < 0 || c.digest_hour > 23) {
    return Status(Code::kInvalidArgument, "unverified_max_age_days >= 0, digest_hour 0..23");
  }
  return c;
}

json rules_config_json(const RulesConfig& c) {
  json tasks = json::object();
  for (auto& [kind, r] : c.task_rules) tasks[kind] = task_rule_json(r);
  return {{"calendar",
           {{"weekend_days", c.calendar.weekend_days},
            {"holidays", c.calendar.holidays},
            {"deadline_policy", policy_name(c.calendar.deadline_policy)}}},
          {"task_rules", tasks},
          {"default_task_rule", task_rule_json(c.default_task_rule)},
          {"budget", curve_json(c.budget)},
          {"bmn", curve_json(c.bmn)},
          {"unverified_max_age_days", c.unverified_max_age_days},
          {"digest_hour", c.digest_hour}};
}

// --- warning records ---

std::string warning_id(const std::string& rule, const std::string& subject,
                       const std::string& district, Stage stage) {
  return name_id({"warning", rule, subject, district, stage_name(stage)});
}

std::vector<Store::FieldWrite> warning_fields(const Warning& w) {
  auto f = [](const char* name, const json& v) { return Store::FieldWrite{name, to_value(v)}; };
  return {f("rule", w.rule),
          f("subject", w.subject),
          f("district", w.district),
          f("stage", stage_name(w.stage)),
          f("raised_at", w.raised_at),
          f("due", w.due),
          f("title", w.title),
          f("message_th", w.message_th),
          f("message_en", w.message_en),
          f("data_as_of", w.data_as_of == 0 ? json(nullptr) : json(w.data_as_of)),
          f("data_source", w.data_source),
          f("verified_by", w.verified_by),
          f("unverified", w.unverified)};
}

Result<Warning> warning_from_row(const Row& row) {
  if (row.table != "warning") return Status(Code::kInvalidArgument, row.id + " is not a warning");
  Warning w;
  w.id = row.id;
  w.rule = text_field(row, "rule");
  w.subject = text_field(row, "subject");
  w.district = text_field(row, "district");
  auto stage = parse_stage(text_field(row, "stage"));
  if (!stage.ok()) return stage.status();
  w.stage = *stage;
  w.raised_at = int_field(row, "raised_at");
  w.due = text_field(row, "due");
  w.title = text_field(row, "title");
  w.message_th = text_field(row, "message_th");
  w.message_en = text_field(row, "message_en");
  w.data_as_of = int_field(row, "data_as_of");
  w.data_source = text_field(row, "data_source");
  w.verified_by = text_field(row, "verified_by");
  w.unverified = field_json(row, "unverified") == json(true);
  return w;
}

json warning_json(const Warning& w) {
  json j = {{"id", w.id},
            {"rule", w.rule},
            {"subject", w.subject},
            {"district", w.district},
            {"stage", stage_name(w.stage)},
            {"raised_at", w.raised_at},
            {"due", w.due},
            {"title", w.title},
            {"message_th", w.message_th},
            {"message_en", w.message_en},
            {"data_as_of", w.data_as_of == 0 ? json(nullptr) : json(w.data_as_of)},
            {"data_source", w.data_source},
            {"verified_by", w.verified_by},
            {"unverified", w.unverified}};
  if (!w.silenced_by.empty()) j["silenced_by"] = w.silenced_by;
  return j;
}

bool more_urgent(const Warning& a, const Warning& b) {
  if (a.stage != b.stage) return a.stage > b.stage;
  if (a.due != b.due) return a.due < b.due;
  if (a.district != b.district) return a.district < b.district;
  return a.id < b.id;
}

AckState ack_state(const std::vector<Row>& acks, const std::string& warning_id,
                   const std::string& district) {
  AckState s;
  for (const Row& a : acks) {
    if (a.deleted() || a.scope != district || text_field(a, "warning_id") != warning_id) continue;
    const std::string kind = text_field(a, "kind");
    if (kind == "ack") {
      const int64_t at = counted_time(a);
      if (!s.acknowledged || at < s.acknowledged_at) {
        s.acknowledged = true;
        s.acknowledged_at = at;
        s.acknowledged_by = text_field(a, "by");
      }
    } else if (kind == "dispute") {
      int64_t resolved = int_field(a, "resolved_at");
      if (resolved == 0) {
        s.disputed_open = true;
      } else {
        s.last_resolved_at = std::max(s.last_resolved_at, resolved);
      }
    }
  }
  return s;
}

Result<RuleInputs> load_rule_inputs(Store& store, const ScopeFilter& filter) {
  RuleInputs in;
  for (auto [table, out] :
       {std::pair{"task", &in.tasks}, std::pair{"submission", &in.submissions},
        std::pair{"target", &in.targets}, std::pair{"measurement", &in.measurements},
        std::pair{"ack", &in.acks}, std::pair{"silence", &in.silences},
        std::pair{"district", &in.districts}, std::pair{"work_group", &in.work_groups}}) {
    auto rows = store.rows(table, filter);
    if (!rows.ok()) return rows.status();
    for (Row& r : *rows) {
      if (!r.deleted()) out->push_back(std::move(r));
    }
  }
  return in;
}

// --- figures and curves ---

std::vector<std::pair<Date, double>> curve_points(const CurveRule& rule, int fy_be) {
  std::vector<std::pair<Date, double>> points;
  auto start = fiscal_date(fy_be, rule.start);
  if (!start.ok()) return points;
  points.emplace_back(*start, 0.0);
  for (auto& [md, p] : rule.checkpoints) {
    auto d = fiscal_date(fy_be, md);
    if (d.ok() && *d > points.back().first) points.emplace_back(*d, p);
  }
  return points;
}

double curve_expected_pct(const CurveRule& rule, int fy_be, const Date& d) {
  const auto points = curve_points(rule, fy_be);
  if (points.empty() || d <= points.front().first) return 0.0;
  for (size_t i = 1; i < points.size(); ++i) {
    if (d <= points[i].first) {
      double span = double(days_from_civil(points[i].first) - days_from_civil(points[i - 1].first));
      double into = double(days_from_civil(d) - days_from_civil(points[i - 1].first));
      return points[i - 1].second + (points[i].second - points[i - 1].second) * into / span;
    }
  }
  return points.back().second;
}

IndicatorFigure indicator_figure(const RuleInputs& in, const std::string& indicator_key,
                                 const std::string& district, int fy_be, int64_t now_ms) {
  const std::string indicator = indicator_row_id(indicator_key);
  const std::string period = std::to_string(fy_be);
  IndicatorFigure f;
  for (const Row& t : in.targets) {
    if (text_field(t, "indicator_id") == indicator && text_field(t, "district") == district &&
        text_field(t, "period") == period && text_field(t, "work_group_id").empty()) {
      f.target = number_field(t, "value");
    }
  }
  std::map<std::string, const Row*> latest;  // work group id -> row
  for (const Row& m : in.measurements) {
    if (m.scope != district || text_field(m, "indicator_id") != indicator ||
        text_field(m, "period") != period || text_field(m, "state") == "draft") {
      continue;
    }
    const int64_t as_of = int_field(m, "as_of");
    if (as_of > now_ms || counted_time(m) > now_ms) continue;  // counts from when it could be known
    const Row*& best = latest[text_field(m, "work_group_id")];
    if (!best || int_field(*best, "as_of") < as_of) best = &m;
  }
  for (auto& [group, row] : latest) {
    f.any = true;
    f.value += indicator_key == kBmnIndicator ? double(int_field(*row, "entered"))
                                              : number_field(*row, "value");
    const int64_t as_of = int_field(*row, "as_of");
    f.as_of = f.as_of == 0 ? as_of : std::min(f.as_of, as_of);
    f.sources.insert(text_field(*row, "source"));
    if (verification_state(*row, reviewed_fields(*row)) == Verification::kVerified) {
      f.verifiers.insert(text_field(*row, "reviewed_by"));
    } else {
      f.verified = false;
      f.unverified_as_of = f.unverified_as_of == 0 ? as_of : std::min(f.unverified_as_of, as_of);
      const int64_t entered = reviewed_version(*row, reviewed_fields(*row)).wall_ms();
      f.unverified_since =
          f.unverified_since == 0 ? entered : std::min(f.unverified_since, entered);
    }
  }
  if (!f.any) f.verified = false;
  f.pct = f.target > 0 ? 100.0 * f.value / f.target : 0.0;
  return f;
}

// --- the rules ---

namespace {

struct Evaluation {
  const RuleInputs& in;
  const RulesConfig& config;
  int64_t now;
  Date today;
  std::string only_district;  // "" = every district
  std::vector<Warning> out;

  bool wanted(const std::string& district) const {
    return only_district.empty() || district == only_district;
  }

  std::string district_name(const std::string& code, Lang lang) const {
    for (const Row& d : in.districts) {
      if (text_field(d, "code") == code) {
        return text_field(d, lang == Lang::kTh ? "name_th" : "name_en");
      }
    }
    return code;
  }

  // Adds the escalated stage of a subject whose demand began at demand_start, unless the demand
  // was acknowledged or a dispute of any of its stages is open (which pauses escalation); after a
  // dispute is resolved the full escalation time runs again from the resolution.
  void maybe_escalate(const Warning& demand, int64_t demand_start, int escalate_after_hours) {
    AckState demand_ack = ack_state(in.acks, demand.id, demand.district);
    if (demand_ack.acknowledged) return;
    int64_t resumed = demand_start;
    for (Stage s : {Stage::kWarn, Stage::kFollow, Stage::kDemand}) {
      AckState st = ack_state(in.acks, warning_id(demand.rule, demand.subject, demand.district, s),
                              demand.district);
      if (st.disputed_open) return;
      resumed = std::max(resumed, st.last_resolved_at);
    }
    const int64_t at = resumed + escalate_after_hours * kHourMs;
    if (now < at) return;
    Warning e = demand;
    e.stage = Stage::kEscalated;
    e.id = warning_id(e.rule, e.subject, e.district, e.stage);
    e.raised_at = at;
    const std::string hours = std::to_string(escalate_after_hours);
    e.message_th = fmt("warn.escalated", Lang::kTh, {demand.message_th, hours});
    e.message_en = fmt("warn.escalated", Lang::kEn, {demand.message_en, hours});
    out.push_back(std::move(e));
  }

  Warning make(const std::string& rule, const std::string& subject, const std::string& district,
               Stage stage, int64_t raised_at) const {
    Warning w;
    w.rule = rule;
    w.subject = subject;
    w.district = district;
    w.stage = stage;
    w.id = warning_id(rule, subject, district, stage);
    w.raised_at = raised_at;
    return w;
  }

  void tasks() {
    std::map<std::string, const Row*> submissions;
    for (const Row& s : in.submissions) submissions[s.id] = &s;
    for (const Row& task : in.tasks) {
      auto due = parse_date(text_field(task, "due"));
      if (!due.ok()) continue;
      const TaskRule& rule = config.task_rule(text_field(task, "kind"));
      const Date deadline = config.calendar.effective_deadline(*due);
      // Warn on the last working day on or before (deadline - N days), never before the issue date.
      Date warn_day = add_days(deadline, -rule.warn_days_before);
      for (int i = 0; i < 60 && !config.calendar.is_working_day(warn_day); ++i) {
        warn_day = add_days(warn_day, -1);
      }
      auto issued = parse_date(text_field(task, "issued"));
      if (issued.ok() && *issued > warn_day) warn_day = std::min(*issued, deadline);
      const int64_t starts[] = {thai_midnight_ms(warn_day), thai_midnight_ms(deadline),
                                thai_midnight_ms(add_days(deadline, rule.demand_after_days))};
      if (now < starts[0]) continue;
      const std::string title = text_field(task, "title");
      const std::string letter = text_field(task, "letter_no");
      const std::string label = letter.empty() ? title : letter + " " + title;
      json districts = field_json(task, "districts");
      if (!districts.is_array()) continue;
      for (const json& d : districts) {
        if (!d.is_string()) continue;
        const std::string district = d.get<std::string>();
        if (!wanted(district)) continue;
        bool returned = false;
        auto sub = submissions.find(submission_row_id(task.id, district));
        if (sub != submissions.end() && int_field(*sub->second, "submitted_at") != 0) {
          if (verification_state(*sub->second, reviewed_fields(*sub->second)) !=
              Verification::kReturned) {
            continue;  // submitted: no warning (a late submission clears it too)
          }
          returned = true;
        }
        Warning demand;
        for (Stage stage : {Stage::kWarn, Stage::kFollow, Stage::kDemand}) {
          const int64_t start = starts[static_cast<int>(stage) - 1];
          if (now < start) break;
          Warning w = make(kRuleTaskDeadline, task.id, district, stage, start);
          w.due = format_date(deadline);
          w.title = label;
          w.data_source = "submission";
          const char* key = stage == Stage::kWarn     ? "warn.task.warn"
                            : stage == Stage::kFollow ? "warn.task.follow"
                                                      : "warn.task.demand";
          for (Lang lang : {Lang::kTh, Lang::kEn}) {
            std::string m = fmt(key, lang, {label, format_date_long(deadline, lang)});
            if (returned) m += tr("warn.task.returned", lang);
            (lang == Lang::kTh ? w.message_th : w.message_en) = m;
          }
          if (stage == Stage::kDemand) demand = w;
          out.push_back(std::move(w));
        }
        if (!demand.id.empty()) maybe_escalate(demand, starts[2], rule.escalate_after_hours);
      }
    }
  }

  static std::string join(const std::set<std::string>& s) {
    std::string out;
    for (const std::string& e : s) {
      if (e.empty()) continue;
      out += (out.empty() ? "" : ", ") + e;
    }
    return out;
  }

  void curve(const char* rule_name, const char* indicator_key, const char* name_key,
             const CurveRule& rule) {
    const int fy = fiscal_year_be(today);
    auto start = fiscal_date(fy, rule.start);
    if (!start.ok()) return;
    const std::vector<std::pair<Date, double>> points = curve_points(rule, fy);
    // Evaluated at this week's Monday, which in week 1 may still lie in the previous fiscal year.
    auto expected = [&](const Date& d) { return curve_expected_pct(rule, fy, d); };
    const Date monday = week_monday(today);
    const int week = fiscal_week(today);
    const std::string indicator = indicator_row_id(indicator_key);
    for (const Row& target : in.targets) {
      if (text_field(target, "indicator_id") != indicator ||
          text_field(target, "period") != std::to_string(fy) ||
          !text_field(target, "work_group_id").empty()) {
        continue;
      }
      const std::string district = text_field(target, "district");
      const double goal = number_field(target, "value");
      if (!is_district_code(district) || goal <= 0 || !wanted(district)) continue;
      const IndicatorFigure f = indicator_figure(in, indicator_key, district, fy, now);
      const double actual = 100.0 * f.value / goal;
      // Verification gate for follow and demand: verified data, or unverified data (or none)
      // older than the configured age, which the warning then says.
      const bool stale = now - (f.any ? f.unverified_since : thai_midnight_ms(*start)) >
                         int64_t(config.unverified_max_age_days) * kDayMs;
      const bool gate_open = f.verified || stale;
      // Title, data and bilingual message of w; when(lang) names the week or the checkpoint date.
      auto fill = [&](Warning& w, const char* key, double target_pct, auto when) {
        w.title =
            std::string(tr(name_key, Lang::kTh)) + " / " + std::string(tr(name_key, Lang::kEn));
        w.data_as_of = f.as_of;
        w.data_source = join(f.sources);
        w.verified_by = f.verified ? join(f.verifiers) : "";
        w.unverified = !f.verified && w.stage != Stage::kWarn;
        for (Lang lang : {Lang::kTh, Lang::kEn}) {
          std::string m = fmt(key, lang,
                              {std::string(tr(name_key, lang)), pct(actual), pct(target_pct),
                               when(lang), pct(rule.tolerance_pct)});
          if (!f.any) {
            m += tr("warn.nodata", lang);
          } else if (w.unverified) {
            m += fmt("warn.unverified", lang,
                     {format_date_long(thai_date(f.unverified_as_of), lang)});
          }
          (lang == Lang::kTh ? w.message_th : w.message_en) = m;
        }
      };
      // Demand: a checkpoint already passed whose target the district still has not reached.
      for (size_t i = 1; i < points.size(); ++i) {
        const auto& [cp_date, cp_pct] = points[i];
        if (!(cp_date < today) || actual >= cp_pct - rule.tolerance_pct) continue;
        const std::string subject =
            std::string(indicator_key) + "/" + std::to_string(fy) + "/" + format_date(cp_date);
        const int64_t start_ms = thai_midnight_ms(add_days(cp_date, 1));
        Stage stage = gate_open ? Stage::kDemand : Stage::kWarn;
        Warning w = make(rule_name, subject, district, stage, start_ms);
        w.due = format_date(cp_date);
        fill(w, "warn.curve.missed", cp_pct,
             [&, date = cp_date](Lang l) { return format_date_long(date, l); });
        out.push_back(w);
        if (stage == Stage::kDemand) maybe_escalate(w, start_ms, rule.escalate_after_hours);
      }
      // Warn (and follow in the last weeks before the next checkpoint): behind this week's curve.
      const double expect = expected(monday);
      if (actual >= expect - rule.tolerance_pct) continue;
      const std::string subject = std::string(indicator_key) + "/" + std::to_string(fy) + "/W" +
                                  (week < 10 ? "0" : "") + std::to_string(week);
      const int64_t start_ms = thai_midnight_ms(monday);
      const Date* next_cp = nullptr;
      for (size_t i = 1; i < points.size(); ++i) {
        if (!(points[i].first < today)) {
          next_cp = &points[i].first;
          break;
        }
      }
      Warning w = make(rule_name, subject, district, Stage::kWarn, start_ms);
      w.due = format_date(next_cp ? *next_cp : points.back().first);
      fill(w, "warn.curve.below", expect, [&](Lang) { return std::to_string(week); });
      out.push_back(w);
      const bool near_checkpoint = next_cp && days_from_civil(*next_cp) - days_from_civil(today) <
                                                  7 * rule.follow_weeks_before;
      if (near_checkpoint && gate_open) {
        double cp_pct = 0;
        for (auto& p : points) {
          if (p.first == *next_cp) cp_pct = p.second;
        }
        Warning fw = make(rule_name, subject, district, Stage::kFollow, start_ms);
        fw.due = format_date(*next_cp);
        fill(fw, "warn.curve.checkpoint", cp_pct,
             [&](Lang l) { return format_date_long(*next_cp, l); });
        out.push_back(fw);
      }
    }
  }

  void apply_silences() {
    for (Warning& w : out) {
      for (const Row& s : in.silences) {
        if (s.scope != w.district || text_field(s, "reason").empty()) continue;
        const int64_t until = int_field(s, "until"), at = int_field(s, "at");
        if (until <= now || at > now) continue;
        const std::string rule = text_field(s, "rule"), subject = text_field(s, "subject");
        if ((rule.empty() || rule == w.rule) && (subject.empty() || subject == w.subject)) {
          w.silenced_by = s.id;
          break;
        }
      }
    }
  }
};

}  // namespace

std::vector<Warning> evaluate_rules(const RuleInputs& in, const RulesConfig& config, int64_t now_ms,
                                    const std::string& only_district) {
  Evaluation e{in, config, now_ms, thai_date(now_ms), only_district, {}};
  e.tasks();
  e.curve(kRuleBudgetCurve, kBudgetIndicator, "indicator.budget", config.budget);
  e.curve(kRuleBmnCurve, kBmnIndicator, "indicator.bmn", config.bmn);
  e.apply_silences();
  std::sort(e.out.begin(), e.out.end(), [](auto& a, auto& b) { return a.id < b.id; });
  return std::move(e.out);
}

RulesConfig rules_from_store(Store& store) {
  auto row = store.get_row("setting", setting_row_id("rules"));
  if (row.ok() && row->has_value()) {
    json j = json::parse(text_field(**row, "value"), nullptr, false);
    if (!j.is_discarded()) {
      auto c = parse_rules_config(j);
      if (c.ok()) return *c;
    }
  }
  return RulesConfig{};
}

bool WarningItem::needs_attention() const {
  return raised_locally && warning.silenced_by.empty() && !acked_by_me;
}

Result<std::vector<WarningItem>> current_warnings(Store& store, const Principal& who,
                                                  int64_t now_ms) {
  const ScopeFilter filter = read_filter(who);
  auto in = load_rule_inputs(store, filter);
  if (!in.ok()) return in.status();
  const std::string only = who.role == Role::kDistrict ? who.district : "";
  std::map<std::string, WarningItem> items;
  for (Warning& w : evaluate_rules(*in, rules_from_store(store), now_ms, only)) {
    WarningItem item;
    item.raised_locally = true;
    item.warning = std::move(w);
    items[item.warning.id] = std::move(item);
  }
  auto stored = store.rows("warning", filter);
  if (!stored.ok()) return stored.status();
  for (const Row& r : *stored) {
    const FieldVersion* cleared = r.find("cleared_at");
    if (r.deleted() || (cleared && cleared->value != "null")) continue;
    auto w = warning_from_row(r);
    if (!w.ok()) continue;
    WarningItem& item = items[r.id];
    if (!item.raised_locally) item.warning = std::move(*w);  // else: the fresher local verdict
    item.from_hub = true;
  }
  std::vector<WarningItem> out;
  for (auto& [id, item] : items) {
    if (!only.empty() && item.warning.district != only) continue;
    item.ack = ack_state(in->acks, id, item.warning.district);
    for (const Row& a : in->acks) {
      item.acked_by_me |= a.scope == item.warning.district && text_field(a, "warning_id") == id &&
                          text_field(a, "by") == who.user;
    }
    out.push_back(std::move(item));
  }
  std::sort(out.begin(), out.end(), [](const WarningItem& a, const WarningItem& b) {
    return more_urgent(a.warning, b.warning);
  });
  return out;
}

}  // namespace lwc
