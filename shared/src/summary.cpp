#include "lwc/summary.h"

#include <algorithm>
#include <map>

#include "lwc/award.h"
#include "lwc/entries.h"
#include "lwc/model.h"

namespace lwc {

namespace {
using nlohmann::json;

Date add_days(const Date& d, int64_t n) { return civil_from_days(days_from_civil(d) + n); }

std::string pct(double v) { return format_number(v, 1) + "%"; }
}  // namespace

int DistrictStatus::open_warnings() const {
  return open_by_stage[1] + open_by_stage[2] + open_by_stage[3] + open_by_stage[4];
}

SubmissionRecord submission_record(const RuleInputs& in, const RulesConfig& config,
                                   const std::string& district, int64_t now_ms) {
  SubmissionRecord r;
  const int fy = fiscal_year_be(thai_date(now_ms));
  const Date from = fiscal_year_start(fy), to = add_days(fiscal_year_start(fy + 1), -1);
  for (const DistrictTaskOutcome& t : task_outcomes(in, config, AwardConfig{}, from, to, now_ms)) {
    if (t.district != district) continue;
    switch (t.outcome.outcome) {
      case Outcome::kOnTime: r.on_time++; break;
      case Outcome::kLate:
      case Outcome::kVeryLate: r.late++; break;
      case Outcome::kReturned: r.returned++; break;
      case Outcome::kMissing: r.missing++; break;
      case Outcome::kPending: r.pending++; break;
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
    std::map<std::pair<std::string, std::string>, int> subjects;  // (rule, subject) -> top stage
    for (const Warning& w : warnings) {
      if (w.district != d.code || !w.silenced_by.empty()) continue;
      int& top = subjects[{w.rule, w.subject}];
      top = std::max(top, static_cast<int>(w.stage));
    }
    for (const auto& [subject, stage] : subjects) {
      d.open_by_stage[stage]++;
      d.worst_stage = std::max(d.worst_stage, stage);
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
