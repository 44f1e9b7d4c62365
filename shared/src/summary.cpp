#include "lwc/summary.h"

#include <algorithm>
#include <map>

#include "lwc/entries.h"
#include "lwc/model.h"

namespace lwc {

namespace {
using nlohmann::json;

int64_t int_value(const Row& row, const std::string& field) {
  const FieldVersion* v = row.find(field);
  if (!v) return 0;
  json j = json::parse(v->value, nullptr, false);
  return j.is_number_integer() ? j.get<int64_t>() : 0;
}

Date add_days(const Date& d, int64_t n) { return civil_from_days(days_from_civil(d) + n); }

std::string pct(double v) { return format_number(v, 1) + "%"; }
}  // namespace

int DistrictStatus::open_warnings() const {
  return open_by_stage[1] + open_by_stage[2] + open_by_stage[3] + open_by_stage[4];
}

SubmissionRecord submission_record(const RuleInputs& in, const RulesConfig& config,
                                   const std::string& district, int64_t now_ms) {
  SubmissionRecord r;
  const Date today = thai_date(now_ms);
  const int fy = fiscal_year_be(today);
  std::map<std::string, const Row*> submissions;
  for (const Row& s : in.submissions) submissions[s.id] = &s;
  for (const Row& task : in.tasks) {
    auto due = parse_date(text_field(task, "due"));
    if (!due.ok()) continue;
    const Date deadline = config.calendar.effective_deadline(*due);
    if (fiscal_year_be(deadline) != fy) continue;
    json districts = json::parse(task.find("districts") ? task.find("districts")->value : "[]",
                                 nullptr, false);
    if (!districts.is_array() ||
        std::find(districts.begin(), districts.end(), district) == districts.end()) {
      continue;
    }
    const int64_t end_of_deadline = thai_midnight_ms(add_days(deadline, 1));
    auto it = submissions.find(submission_row_id(task.id, district));
    const int64_t submitted = it == submissions.end() ? 0 : int_value(*it->second, "submitted_at");
    if (submitted == 0 || submitted > now_ms) {
      (now_ms >= end_of_deadline ? r.missing : r.pending)++;
    } else if (verification_state(*it->second, reviewed_fields(*it->second)) ==
               Verification::kReturned) {
      r.returned++;
    } else {
      (submitted < end_of_deadline ? r.on_time : r.late)++;
    }
  }
  return r;
}

ProvinceStatus province_status(const RuleInputs& in, const RulesConfig& config,
                               const std::vector<Warning>& warnings, int64_t now_ms) {
  ProvinceStatus p;
  p.at_ms = now_ms;
  const Date today = thai_date(now_ms);
  p.fiscal_year = fiscal_year_be(today);
  p.week = fiscal_week(today);
  p.monday = week_monday(today);
  std::vector<const Row*> rows;
  for (const Row& d : in.districts) rows.push_back(&d);
  std::sort(rows.begin(), rows.end(),
            [](auto* a, auto* b) { return text_field(*a, "code") < text_field(*b, "code"); });
  for (const Row* row : rows) {
    DistrictStatus d;
    d.code = text_field(*row, "code");
    if (!is_district_code(d.code)) continue;
    d.name_th = text_field(*row, "name_th");
    d.name_en = text_field(*row, "name_en");
    d.budget = indicator_figure(in, kBudgetIndicator, d.code, p.fiscal_year, now_ms);
    d.bmn = indicator_figure(in, kBmnIndicator, d.code, p.fiscal_year, now_ms);
    d.budget_expected_pct = curve_expected_pct(config.budget, p.fiscal_year, p.monday);
    d.bmn_expected_pct = curve_expected_pct(config.bmn, p.fiscal_year, p.monday);
    d.submissions = submission_record(in, config, d.code, now_ms);
    for (const Warning& w : warnings) {
      if (w.district != d.code || !w.silenced_by.empty()) continue;
      const int s = static_cast<int>(w.stage);
      d.open_by_stage[s]++;
      d.worst_stage = std::max(d.worst_stage, s);
    }
    p.districts.push_back(std::move(d));
  }
  return p;
}

std::string weekly_summary_text(const ProvinceStatus& p, const std::vector<Warning>& warnings,
                                const std::string& office, Lang lang) {
  std::string out = fmt("summary.title", lang,
                        {std::to_string(p.week),
                         std::to_string(lang == Lang::kTh ? p.fiscal_year : p.fiscal_year - 543),
                         format_time_long(p.at_ms, lang)}) +
                    "\n";
  const bool province = !is_district_code(office);
  for (const DistrictStatus& d : p.districts) {
    if (!province && d.code != office) continue;
    const SubmissionRecord& r = d.submissions;
    out += fmt("summary.district", lang,
               {d.name(lang), d.budget.target > 0 ? pct(d.budget.pct) : "—",
                pct(d.budget_expected_pct), d.bmn.target > 0 ? pct(d.bmn.pct) : "—",
                pct(d.bmn_expected_pct), std::to_string(r.on_time), std::to_string(r.late),
                std::to_string(r.missing), std::to_string(r.returned),
                std::to_string(d.open_warnings())});
    if (d.worst_stage > 0) {
      out += " [" + std::string(tr(std::string("stage.") +
                                       stage_name(static_cast<Stage>(d.worst_stage)),
                                   lang)) +
             "]";
    }
    out += "\n";
  }
  if (!province) {
    std::vector<Warning> mine;
    for (const Warning& w : warnings) {
      if (w.district == office && w.silenced_by.empty()) mine.push_back(w);
    }
    std::sort(mine.begin(), mine.end(), more_urgent);
    for (const Warning& w : mine) {
      out += "• [" + std::string(tr(std::string("stage.") + stage_name(w.stage), lang)) + "] " +
             (lang == Lang::kTh ? w.message_th : w.message_en) + "\n";
    }
  }
  return out;
}

}  // namespace lwc
