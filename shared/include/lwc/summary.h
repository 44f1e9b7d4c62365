// Province status: every district's figures against the curve, its submission record and its open
// warnings, at a moment — what the weekly Monday summary, the province view and the web status page
// show. Pure functions of the synced rows (RuleInputs) and the time.
#pragma once

#include <string>
#include <vector>

#include "lwc/i18n.h"
#include "lwc/warnings.h"

namespace lwc {

// A district's answers to the tasks assigned to it whose deadline (after the holiday policy) falls
// in the fiscal year up to now.
struct SubmissionRecord {
  int on_time = 0;   // submitted by the end of the deadline day, not returned
  int late = 0;      // submitted after it, not returned
  int returned = 0;  // returned for quality (whenever submitted)
  int missing = 0;   // deadline passed, nothing submitted
  int pending = 0;   // deadline still ahead, nothing submitted yet
  int due() const { return on_time + late + returned + missing; }
};

struct DistrictStatus {
  std::string code, name_th, name_en;
  IndicatorFigure budget, bmn;
  double budget_expected_pct = 0, bmn_expected_pct = 0;  // this week's curve (at its Monday)
  SubmissionRecord submissions;
  // Open subjects (a task, an indicator's week or checkpoint) by their highest stage: a task at
  // demand counts once, under demand. index = Stage; [0] unused.
  int open_by_stage[5] = {0, 0, 0, 0, 0};
  int worst_stage = 0;                     // highest open Stage, 0 when none
  int open_warnings() const;
  const std::string& name(Lang lang) const { return lang == Lang::kTh ? name_th : name_en; }
};

struct ProvinceStatus {
  int64_t at_ms = 0;
  int fiscal_year = 0;  // BE
  int week = 0;         // fiscal week
  Date monday;
  std::vector<DistrictStatus> districts;  // by code
};

SubmissionRecord submission_record(const RuleInputs& in, const RulesConfig& config,
                                   const std::string& district, int64_t now_ms);

// `warnings`: the open, not silenced warnings to count (e.g. evaluate_rules at now_ms).
ProvinceStatus province_status(const RuleInputs& in, const RulesConfig& config,
                               const std::vector<Warning>& warnings, int64_t now_ms);

// The weekly summary as text: for "province" (and "executive") every district, for a district code
// its own line and its open warnings, most urgent first.
std::string weekly_summary_text(const ProvinceStatus& status, const std::vector<Warning>& warnings,
                                const std::string& office, Lang lang);

}  // namespace lwc
