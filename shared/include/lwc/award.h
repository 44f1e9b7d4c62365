// The Lampang Report Award and the KPIs: pure, configurable scoring of the synced rows
// (docs/award.md explains the default scheme in Thai and English).
//
// Award: every task assigned to a district whose deadline (after the holiday policy) falls in a
// Thai calendar month earns points by outcome — on time, late by up to `late_grace_days`, later,
// missing, returned for quality. The monthly score is points ÷ the most a district could have
// earned that month (percent), so districts with different numbers of tasks compare fairly. Ties
// break on more on-time submissions, then fewer returned, then the earlier mean submission (days
// before the deadline), then the district code. A district with nothing due (yet) that month is not
// ranked at all: it is listed apart, after the ranked ones ("no reports due"), so a district that
// missed a report never stands above one that had nothing to send, nor below it. Medals go to ranks
// 1–3 with a positive score only.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "lwc/claims.h"
#include "lwc/i18n.h"
#include "lwc/warnings.h"

namespace lwc {

struct AwardConfig {
  int on_time = 3;  // submitted by the end of the deadline day
  int late = 1;     // up to late_grace_days after it
  int late_grace_days = 3;
  int very_late = 0;  // later than that
  int missing = -1;   // deadline passed, nothing submitted
  int returned = 0;   // returned for quality (whenever submitted)
};
Result<AwardConfig> parse_award_config(const nlohmann::json& j);
nlohmann::json award_config_json(const AwardConfig& c);

enum class Outcome { kOnTime, kLate, kVeryLate, kMissing, kReturned, kPending };
const char* outcome_name(
    Outcome o);  // "on_time", "late", "very_late", "missing", "returned", "pending"

// One task's part in a district's score.
struct TaskOutcome {
  std::string task_id, title, deadline;  // deadline "YYYY-MM-DD" after the holiday policy
  Outcome outcome = Outcome::kPending;
  int days_late = 0;  // whole days after the deadline day (0 when on time)
  int points = 0;
  int64_t submitted_at = 0;  // the time that counts (claims.h); 0 when not submitted
  int64_t claimed_at = 0;    // the time the district's device gave
  int64_t received_at = 0;   // when the hub received it (0: not stamped)
  ClaimKind claim = ClaimKind::kLive;
  std::string submitted_by;
};

// Every task assigned to a district whose deadline (after the holiday policy) lies in [from, to],
// with its outcome as of now_ms — the one classification the award, the KPIs and the summaries use.
struct DistrictTaskOutcome {
  std::string district;
  TaskOutcome outcome;
};
std::vector<DistrictTaskOutcome> task_outcomes(const RuleInputs& in, const RulesConfig& rules,
                                               const AwardConfig& award, const Date& from,
                                               const Date& to, int64_t now_ms);

struct AwardScore {
  std::string district, name_th, name_en;
  int points = 0, max_points = 0;
  double percent = 0;  // 100 × points / max_points (0 when nothing was due)
  int on_time = 0, late = 0, very_late = 0, missing = 0, returned = 0, pending = 0;
  double mean_days_early = 0;  // mean over submitted tasks of (deadline end − submitted), in days
  int rank = 0;                // 1 = the award; equal inputs never share a rank (ties are broken);
                               // 0 = not ranked: nothing was due (max_points == 0)
  int medal = 0;               // 1 gold, 2 silver, 3 bronze: rank 1–3 with points > 0; else 0
  bool ranked() const { return max_points > 0; }
  std::vector<TaskOutcome> breakdown;  // by deadline, then task id
};

struct Leaderboard {
  std::string month;   // "2026-11" (CE year-month of the deadlines scored)
  int64_t at_ms = 0;   // the moment it was computed (a month still running is provisional)
  bool final = false;  // the month has ended
  std::vector<AwardScore> scores;  // ranked ones best first, then the unranked (nothing due) by
                                   // code; every district with a row in `districts`
};

// The leaderboard of a month ("YYYY-MM") as of now_ms: deadlines in that month up to now count;
// a deadline still ahead is pending (scores nothing, counts nothing).
Leaderboard monthly_award(const RuleInputs& in, const RulesConfig& rules, const AwardConfig& award,
                          const std::string& month, int64_t now_ms);
// JSON of a leaderboard (every score with its breakdown) for the CLI, the web page and archives.
nlohmann::json leaderboard_json(const Leaderboard& b);
// The leaderboard as text, best first: rank, district, score, points, outcome counts.
std::string leaderboard_text(const Leaderboard& b, Lang lang);

// The leaderboards of every month of fiscal year fy_be from October up to the month of now_ms.
std::vector<Leaderboard> award_history(const RuleInputs& in, const RulesConfig& rules,
                                       const AwardConfig& award, int fy_be, int64_t now_ms);

// --- KPIs for team and individual evaluation ---

struct Kpi {
  std::string kind;  // "district" | "work_group" | "person"
  std::string key;   // district code, work group key or user name
  std::string name_th, name_en;
  int tasks_due = 0, on_time = 0, returned = 0;
  double on_time_rate = 0;        // on_time / tasks_due (0..1; 0 when nothing due)
  double returned_rate = 0;       // returned / submitted
  int acks = 0;                   // warnings acknowledged (by the district / the person)
  double median_ack_hours = -1;   // from raising to acknowledgement; -1 when none
  double budget_attainment = -1;  // disbursed ÷ target (district; work group when it has targets)
  double bmn_attainment = -1;     // households entered ÷ target (district)
};

// KPIs over deadlines from `from` to `to` (inclusive, "YYYY-MM-DD"), as of now_ms. `warnings` are
// the warning rows (for the time to acknowledge). Districts first, then work groups, then persons.
std::vector<Kpi> compute_kpis(const RuleInputs& in, const std::vector<Row>& warnings,
                              const RulesConfig& rules, const std::string& from,
                              const std::string& to, int64_t now_ms);
// CSV (UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting) that a spreadsheet opens with Thai
// intact.
std::string kpi_csv(const std::vector<Kpi>& kpis);

}  // namespace lwc
