#include "lwc/award.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "lwc/entries.h"
#include "lwc/model.h"

namespace lwc {

namespace {
using nlohmann::json;
constexpr int64_t kDayMs = 86'400'000;

Date add_days(const Date& d, int64_t n) {
  return civil_from_days(days_from_civil(d) + n);
}

std::vector<std::string> assigned_districts(const Row& task) {
  std::vector<std::string> out;
  const FieldVersion* v = task.find("districts");
  if (!v) return out;
  json j = json::parse(v->value, nullptr, false);
  if (!j.is_array()) return out;
  for (const json& d : j) {
    if (d.is_string()) out.push_back(d.get<std::string>());
  }
  return out;
}

std::string task_label(const Row& task) {
  const std::string letter = text_field(task, "letter_no"), title = text_field(task, "title");
  return letter.empty() ? title : letter + " " + title;
}

// The outcome of one task for one district as of now_ms.
TaskOutcome outcome_of(const Row& task, const Date& deadline, const Row* submission,
                       const AwardConfig& award, int64_t now_ms) {
  TaskOutcome o;
  o.task_id = task.id;
  o.title = task_label(task);
  o.deadline = format_date(deadline);
  const int64_t end_of_deadline = thai_midnight_ms(add_days(deadline, 1));
  const Claim claim = submission ? claim_of(*submission) : Claim{};
  const int64_t submitted = claim.counted;  // the time that counts, not the device's word
  if (submitted == 0 || submitted > now_ms) {
    o.outcome = now_ms >= end_of_deadline ? Outcome::kMissing : Outcome::kPending;
    o.points = o.outcome == Outcome::kMissing ? award.missing : 0;
    if (o.outcome == Outcome::kMissing) o.days_late = int((now_ms - end_of_deadline) / kDayMs) + 1;
    return o;
  }
  o.submitted_at = submitted;
  o.claimed_at = claim.claimed;
  o.received_at = claim.received;
  o.claim = claim.kind;
  o.submitted_by = text_field(*submission, "submitted_by");
  if (submitted >= end_of_deadline) o.days_late = int((submitted - end_of_deadline) / kDayMs) + 1;
  if (verification_state(*submission, reviewed_fields(*submission)) == Verification::kReturned) {
    o.outcome = Outcome::kReturned;
    o.points = award.returned;
  } else if (o.days_late == 0) {
    o.outcome = Outcome::kOnTime;
    o.points = award.on_time;
  } else if (o.days_late <= award.late_grace_days) {
    o.outcome = Outcome::kLate;
    o.points = award.late;
  } else {
    o.outcome = Outcome::kVeryLate;
    o.points = award.very_late;
  }
  return o;
}

using Assignment = DistrictTaskOutcome;

}  // namespace

std::vector<DistrictTaskOutcome> task_outcomes(const RuleInputs& in, const RulesConfig& rules,
                                               const AwardConfig& award, const Date& from,
                                               const Date& to, int64_t now_ms) {
  std::map<std::string, const Row*> submissions;
  for (const Row& s : in.submissions) submissions[s.id] = &s;
  std::vector<Assignment> out;
  for (const Row& task : in.tasks) {
    auto due = parse_date(text_field(task, "due"));
    if (!due.ok()) continue;
    const Date deadline = rules.calendar.effective_deadline(*due);
    if (deadline < from || to < deadline) continue;
    for (const std::string& district : assigned_districts(task)) {
      auto it = submissions.find(submission_row_id(task.id, district));
      out.push_back(
          {district, outcome_of(task, deadline, it == submissions.end() ? nullptr : it->second,
                                award, now_ms)});
    }
  }
  return out;
}

namespace {

Status unknown_members(const json& j, std::initializer_list<const char*> known) {
  if (!j.is_object()) return Status(Code::kInvalidArgument, "award must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) {
      return Status(Code::kInvalidArgument, "unknown member '" + it.key() + "' in award");
    }
  }
  return {};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number(double v, int decimals) {
  if (v < 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

double median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kOnTime:
      return "on_time";
    case Outcome::kLate:
      return "late";
    case Outcome::kVeryLate:
      return "very_late";
    case Outcome::kMissing:
      return "missing";
    case Outcome::kReturned:
      return "returned";
    case Outcome::kPending:
      return "pending";
  }
  return "?";
}

Result<AwardConfig> parse_award_config(const json& j) {
  LWC_RETURN_IF_ERROR(unknown_members(
      j, {"on_time", "late", "late_grace_days", "very_late", "missing", "returned"}));
  AwardConfig c;
  for (auto [key, out] :
       {std::pair{"on_time", &c.on_time}, std::pair{"late", &c.late},
        std::pair{"late_grace_days", &c.late_grace_days}, std::pair{"very_late", &c.very_late},
        std::pair{"missing", &c.missing}, std::pair{"returned", &c.returned}}) {
    if (!j.contains(key)) continue;
    if (!j[key].is_number_integer()) {
      return Status(Code::kInvalidArgument, std::string("award.") + key + " must be an integer");
    }
    *out = j[key].get<int>();
  }
  if (c.on_time <= 0 || c.late_grace_days < 0 || c.late > c.on_time || c.very_late > c.late ||
      c.missing > c.very_late || c.returned > c.on_time) {
    return Status(Code::kInvalidArgument,
                  "award points must rank on_time (> 0) >= late >= very_late >= missing, and "
                  "returned <= on_time");
  }
  return c;
}

json award_config_json(const AwardConfig& c) {
  return {
      {"on_time", c.on_time},     {"late", c.late},       {"late_grace_days", c.late_grace_days},
      {"very_late", c.very_late}, {"missing", c.missing}, {"returned", c.returned}};
}

Leaderboard monthly_award(const RuleInputs& in, const RulesConfig& rules, const AwardConfig& award,
                          const std::string& month, int64_t now_ms) {
  Leaderboard board;
  board.month = month;
  board.at_ms = now_ms;
  auto first = parse_date(month + "-01");
  if (!first.ok()) return board;
  const Date next =
      first->month == 12 ? Date{first->year + 1, 1, 1} : Date{first->year, first->month + 1, 1};
  const Date last = add_days(next, -1);
  board.final = now_ms >= thai_midnight_ms(next);

  std::map<std::string, AwardScore> scores;
  for (const Row& d : in.districts) {
    const std::string code = text_field(d, "code");
    if (!is_district_code(code)) continue;
    AwardScore& s = scores[code];
    s.district = code;
    s.name_th = text_field(d, "name_th");
    s.name_en = text_field(d, "name_en");
  }
  std::map<std::string, std::vector<double>> early_days;
  for (Assignment& a : task_outcomes(in, rules, award, *first, last, now_ms)) {
    auto it = scores.find(a.district);
    if (it == scores.end()) continue;
    AwardScore& s = it->second;
    const TaskOutcome& o = a.outcome;
    switch (o.outcome) {
      case Outcome::kOnTime:
        s.on_time++;
        break;
      case Outcome::kLate:
        s.late++;
        break;
      case Outcome::kVeryLate:
        s.very_late++;
        break;
      case Outcome::kMissing:
        s.missing++;
        break;
      case Outcome::kReturned:
        s.returned++;
        break;
      case Outcome::kPending:
        s.pending++;
        break;
    }
    if (o.outcome != Outcome::kPending) {
      s.points += o.points;
      s.max_points += award.on_time;
    }
    if (o.submitted_at != 0) {
      auto deadline = parse_date(o.deadline);
      const int64_t end = thai_midnight_ms(add_days(*deadline, 1));
      early_days[a.district].push_back(double(end - o.submitted_at) / kDayMs);
    }
    s.breakdown.push_back(std::move(a.outcome));
  }
  for (auto& [code, s] : scores) {
    s.percent = s.max_points > 0 ? 100.0 * s.points / s.max_points : 0.0;
    const auto& e = early_days[code];
    if (!e.empty()) {
      double sum = 0;
      for (double d : e) sum += d;
      s.mean_days_early = sum / double(e.size());
    }
    std::sort(s.breakdown.begin(), s.breakdown.end(),
              [](const TaskOutcome& a, const TaskOutcome& b) {
                return std::tie(a.deadline, a.task_id) < std::tie(b.deadline, b.task_id);
              });
    board.scores.push_back(std::move(s));
  }
  // Ranked (something was due) before unranked; among the ranked the documented tie-breakers;
  // the unranked by district code.
  std::sort(board.scores.begin(), board.scores.end(), [](const AwardScore& a, const AwardScore& b) {
    if (a.ranked() != b.ranked()) return a.ranked();
    if (!a.ranked()) return a.district < b.district;
    if (a.percent != b.percent) return a.percent > b.percent;
    if (a.on_time != b.on_time) return a.on_time > b.on_time;
    if (a.returned != b.returned) return a.returned < b.returned;
    if (a.mean_days_early != b.mean_days_early) return a.mean_days_early > b.mean_days_early;
    return a.district < b.district;
  });
  for (size_t i = 0; i < board.scores.size(); ++i) {
    AwardScore& s = board.scores[i];
    s.rank = s.ranked() ? int(i) + 1 : 0;
    s.medal = s.rank >= 1 && s.rank <= 3 && s.points > 0 ? s.rank : 0;
  }
  return board;
}

json leaderboard_json(const Leaderboard& b) {
  json scores = json::array();
  for (const AwardScore& s : b.scores) {
    json breakdown = json::array();
    for (const TaskOutcome& o : s.breakdown) {
      breakdown.push_back(
          {{"task_id", o.task_id},
           {"title", o.title},
           {"deadline", o.deadline},
           {"outcome", outcome_name(o.outcome)},
           {"days_late", o.days_late},
           {"points", o.points},
           {"submitted_at", o.submitted_at == 0 ? json(nullptr) : json(o.submitted_at)},
           {"claimed_at", o.claimed_at == 0 ? json(nullptr) : json(o.claimed_at)},
           {"received_at", o.received_at == 0 ? json(nullptr) : json(o.received_at)},
           {"claim", claim_kind_name(o.claim)},
           {"submitted_by", o.submitted_by}});
    }
    scores.push_back({{"rank", s.ranked() ? json(s.rank) : json(nullptr)},
                      {"medal", s.medal},
                      {"nothing_due", !s.ranked()},
                      {"district", s.district},
                      {"name_th", s.name_th},
                      {"name_en", s.name_en},
                      {"points", s.points},
                      {"max_points", s.max_points},
                      {"percent", s.percent},
                      {"on_time", s.on_time},
                      {"late", s.late},
                      {"very_late", s.very_late},
                      {"missing", s.missing},
                      {"returned", s.returned},
                      {"pending", s.pending},
                      {"mean_days_early", s.mean_days_early},
                      {"breakdown", breakdown}});
  }
  return {{"month", b.month}, {"at_ms", b.at_ms}, {"final", b.final}, {"scores", scores}};
}

std::string leaderboard_text(const Leaderboard& b, Lang lang) {
  auto first = parse_date(b.month + "-01");
  std::string month = b.month;
  if (first.ok()) {
    month = std::string(tr("month." + std::to_string(first->month), lang)) + " " +
            std::to_string(lang == Lang::kTh ? be_year(first->year) : first->year);
  }
  std::string out = fmt("award.title", lang, {month}) +
                    (b.final ? std::string() : std::string(tr("award.provisional", lang))) + "\n";
  for (const AwardScore& s : b.scores) {
    const std::string& name = lang == Lang::kTh ? s.name_th : s.name_en;
    if (!s.ranked()) {
      out += fmt("award.line.nothing_due", lang, {name, std::to_string(s.pending)}) + "\n";
      continue;
    }
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.1f", s.percent);
    out += fmt("award.line", lang,
               {std::to_string(s.rank), name, pct, std::to_string(s.points),
                std::to_string(s.max_points), std::to_string(s.on_time),
                std::to_string(s.late + s.very_late), std::to_string(s.missing),
                std::to_string(s.returned)}) +
           "\n";
  }
  return out;
}

std::vector<Leaderboard> award_history(const RuleInputs& in, const RulesConfig& rules,
                                       const AwardConfig& award, int fy_be, int64_t now_ms) {
  std::vector<Leaderboard> out;
  Date month = fiscal_year_start(fy_be);
  const Date today = thai_date(now_ms);
  for (int i = 0; i < 12; ++i) {
    if (Date{today.year, today.month, 1} < month) break;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d-%02d", month.year, month.month);
    out.push_back(monthly_award(in, rules, award, buf, now_ms));
    month = month.month == 12 ? Date{month.year + 1, 1, 1} : Date{month.year, month.month + 1, 1};
  }
  return out;
}

std::vector<Kpi> compute_kpis(const RuleInputs& in, const std::vector<Row>& warnings,
                              const RulesConfig& rules, const std::string& from_text,
                              const std::string& to_text, int64_t now_ms) {
  std::vector<Kpi> out;
  auto from = parse_date(from_text), to = parse_date(to_text);
  if (!from.ok() || !to.ok()) return out;
  const AwardConfig award;  // outcomes only; points do not enter the KPIs
  const std::vector<Assignment> all = task_outcomes(in, rules, award, *from, *to, now_ms);
  const int64_t from_ms = thai_midnight_ms(*from), to_ms = thai_midnight_ms(add_days(*to, 1));

  // Time to acknowledge: each warning raised in the period, its first acknowledgement.
  std::map<std::string, std::pair<std::string, int64_t>>
      raised;  // warning id -> district, raised_at
  for (const Row& w : warnings) {
    const int64_t at = int_field(w, "raised_at");
    if (at >= from_ms && at < to_ms) raised[w.id] = {w.scope, at};
  }
  struct AckTime {
    std::string district, user;
    double hours;
  };
  std::vector<AckTime> ack_times;
  std::map<std::string, std::pair<int64_t, const Row*>> first_ack;  // warning id -> earliest ack
  for (const Row& a : in.acks) {
    if (a.deleted() || text_field(a, "kind") != "ack") continue;
    const std::string id = text_field(a, "warning_id");
    auto it = raised.find(id);
    if (it == raised.end() || it->second.first != a.scope) continue;  // only its district answers
    const int64_t at = counted_time(a);
    auto& f = first_ack[id];
    if (!f.second || at < f.first) f = {at, &a};
  }
  for (auto& [id, ack] : first_ack) {
    auto it = raised.find(id);
    ack_times.push_back({it->second.first, text_field(*ack.second, "by"),
                         std::max(0.0, double(ack.first - it->second.second) / 3'600'000.0)});
  }

  auto finish = [](Kpi& k, int submitted) {
    k.on_time_rate = k.tasks_due > 0 ? double(k.on_time) / k.tasks_due : 0.0;
    k.returned_rate = submitted > 0 ? double(k.returned) / submitted : 0.0;
  };
  auto count = [](Kpi& k, const TaskOutcome& o, int* submitted) {
    if (o.outcome == Outcome::kPending) return;
    k.tasks_due++;
    if (o.outcome == Outcome::kOnTime) k.on_time++;
    if (o.outcome == Outcome::kReturned) k.returned++;
    if (o.submitted_at != 0) ++*submitted;
  };

  // Per district.
  const int fy = fiscal_year_be(*to);
  std::vector<const Row*> districts;
  for (const Row& d : in.districts) districts.push_back(&d);
  std::sort(districts.begin(), districts.end(),
            [](auto* a, auto* b) { return text_field(*a, "code") < text_field(*b, "code"); });
  const int64_t as_of = std::min(now_ms, to_ms - 1);
  for (const Row* d : districts) {
    Kpi k;
    k.kind = "district";
    k.key = text_field(*d, "code");
    if (!is_district_code(k.key)) continue;
    k.name_th = text_field(*d, "name_th");
    k.name_en = text_field(*d, "name_en");
    int submitted = 0;
    for (const Assignment& a : all) {
      if (a.district == k.key) count(k, a.outcome, &submitted);
    }
    finish(k, submitted);
    std::vector<double> hours;
    for (const AckTime& t : ack_times) {
      if (t.district == k.key) hours.push_back(t.hours);
    }
    k.acks = int(hours.size());
    k.median_ack_hours = median(hours);
    const IndicatorFigure budget = indicator_figure(in, kBudgetIndicator, k.key, fy, as_of);
    const IndicatorFigure bmn = indicator_figure(in, kBmnIndicator, k.key, fy, as_of);
    k.budget_attainment = budget.target > 0 ? budget.value / budget.target : -1;
    k.bmn_attainment = bmn.target > 0 ? bmn.value / bmn.target : -1;
    out.push_back(std::move(k));
  }

  // Per work group: the tasks the group issued; budget disbursed against work-group targets.
  std::map<std::string, Kpi> groups;  // work group row id -> KPI
  std::map<std::string, int> group_submitted;
  for (const Row& t : in.tasks) {
    const std::string group = text_field(t, "work_group_id");
    if (group.empty()) continue;
    for (const Assignment& a : all) {
      if (a.outcome.task_id == t.id) count(groups[group], a.outcome, &group_submitted[group]);
    }
  }
  for (auto& [id, k] : groups) {
    k.kind = "work_group";
    k.key = id;
    for (const Row& g : in.work_groups) {
      if (g.id == id) {
        k.key = text_field(g, "key");
        k.name_th = text_field(g, "name_th");
        k.name_en = text_field(g, "name_en");
      }
    }
    finish(k, group_submitted[id]);
    out.push_back(k);
  }

  // Per person: submissions they made, acknowledgements they gave.
  std::map<std::string, Kpi> people;
  std::map<std::string, int> person_submitted;
  for (const Assignment& a : all) {
    if (a.outcome.submitted_by.empty()) continue;
    Kpi& k = people[a.outcome.submitted_by];
    count(k, a.outcome, &person_submitted[a.outcome.submitted_by]);
  }
  std::map<std::string, std::vector<double>> person_hours;
  for (const AckTime& t : ack_times) {
    if (!t.user.empty()) person_hours[t.user].push_back(t.hours);
  }
  for (auto& [user, hours] : person_hours) people[user];
  for (auto& [user, k] : people) {
    k.kind = "person";
    k.key = user;
    finish(k, person_submitted[user]);
    auto h = person_hours.find(user);
    if (h != person_hours.end()) {
      k.acks = int(h->second.size());
      k.median_ack_hours = median(h->second);
    }
    out.push_back(k);
  }
  return out;
}

std::string kpi_csv(const std::vector<Kpi>& kpis) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte-order mark: spreadsheets then read Thai correctly
  out +=
      "kind,key,name_th,name_en,tasks_due,on_time,returned,on_time_rate,returned_rate,acks,"
      "median_ack_hours,budget_attainment,bmn_attainment\r\n";
  for (const Kpi& k : kpis) {
    out += csv_field(k.kind) + "," + csv_field(k.key) + "," + csv_field(k.name_th) + "," +
           csv_field(k.name_en) + "," + std::to_string(k.tasks_due) + "," +
           std::to_string(k.on_time) + "," + std::to_string(k.returned) + "," +
           number(k.on_time_rate, 3) + "," + number(k.returned_rate, 3) + "," +
           std::to_string(k.acks) + "," + number(k.median_ack_hours, 1) + "," +
           number(k.budget_attainment, 3) + "," + number(k.bmn_attainment, 3) + "\r\n";
  }
  return out;
}

}  // namespace lwc
