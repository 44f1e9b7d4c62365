#include "lwc/client/view_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

#include "lwc/claims.h"
#include "lwc/entries.h"
#include "lwc/protocol.h"

namespace lwc::client {

namespace {
using nlohmann::json;

int days_between(const Date& from, const Date& to) {
  return static_cast<int>(days_from_civil(to) - days_from_civil(from));
}
int rank(std::optional<Stage> s) {
  return s ? static_cast<int>(*s) : 0;
}
}  // namespace

// --- colours and status ---

uint32_t tile_colour(TileStatus s) {
  switch (s) {
    case TileStatus::kGood:
      return 0x2E7D32;
    case TileStatus::kWatch:
      return 0xF9A825;
    case TileStatus::kBehind:
      return 0xC62828;
    case TileStatus::kNoData:
      return 0x78909C;
  }
  return 0x78909C;
}

const char* tile_status_key(TileStatus s) {
  switch (s) {
    case TileStatus::kGood:
      return "gui.status.good";
    case TileStatus::kWatch:
      return "gui.status.watch";
    case TileStatus::kBehind:
      return "gui.status.behind";
    case TileStatus::kNoData:
      return "gui.status.nodata";
  }
  return "gui.status.nodata";
}

TileStatus indicator_status(std::optional<double> actual_pct, double expected_pct,
                            double tolerance_pct) {
  if (!actual_pct) return TileStatus::kNoData;
  if (*actual_pct >= expected_pct) return TileStatus::kGood;
  if (*actual_pct >= expected_pct - tolerance_pct) return TileStatus::kWatch;
  return TileStatus::kBehind;
}

TileStatus tasks_status(int overdue, int in_stage) {
  if (overdue > 0) return TileStatus::kBehind;
  if (in_stage > 0) return TileStatus::kWatch;
  return TileStatus::kGood;
}

TileStatus warnings_status(std::optional<Stage> worst_open) {
  if (!worst_open) return TileStatus::kGood;
  return *worst_open >= Stage::kDemand ? TileStatus::kBehind : TileStatus::kWatch;
}

double expected_pct_this_week(const CurveRule& curve, const Date& today) {
  return curve_expected_pct(curve, fiscal_year_be(today), week_monday(today));
}

// --- formatting ---

std::string format_pct(double pct) {
  return format_number(pct, 1) + "%";
}

std::string format_baht(double baht, Lang lang) {
  return fmt("gui.baht", lang, {format_number(baht, 0)});
}

std::string format_count(int64_t n) {
  return format_number(double(n), 0);
}

std::string format_as_of(int64_t ms, Lang lang) {
  if (ms == 0) return std::string(tr("gui.asof.none", lang));
  return fmt("gui.asof", lang, {format_date_long(thai_date(ms), lang)});
}

std::string format_last_sync(int64_t ms, Lang lang) {
  if (ms == 0) return std::string(tr("gui.sync.never", lang));
  return format_time_long(ms, lang);
}

std::string format_fiscal(const Date& d, Lang lang) {
  return fmt("gui.fiscal", lang,
             {std::to_string(fiscal_year_be(d)), std::to_string(fiscal_week(d))});
}

std::string format_days_left(int days, Lang lang) {
  if (days == 0) return std::string(tr("gui.days.today", lang));
  if (days > 0) return fmt("gui.days.left", lang, {std::to_string(days)});
  return fmt("gui.days.late", lang, {std::to_string(-days)});
}

std::string district_label(const std::string& name_th, const std::string& name_en, Lang lang) {
  const std::string& n = lang == Lang::kTh ? name_th : name_en;
  return n.empty() ? (name_th.empty() ? name_en : name_th) : n;
}

// --- tasks ---

std::optional<Stage> task_stage(const Date& deadline, const Date& today, bool done,
                                const TaskRule& rule) {
  if (done) return std::nullopt;
  const int days = days_between(today, deadline);
  if (days < 0 && -days >= rule.demand_after_days) return Stage::kDemand;
  if (days <= 0) return Stage::kFollow;
  if (days <= rule.warn_days_before) return Stage::kWarn;
  return std::nullopt;
}

bool task_more_urgent(const TaskItem& a, const TaskItem& b) {
  const bool a_open = !a.submitted || a.returned, b_open = !b.submitted || b.returned;
  return std::make_tuple(!a_open, -rank(a.stage), a.due, a.title, a.id) <
         std::make_tuple(!b_open, -rank(b.stage), b.due, b.title, b.id);
}

// --- warnings ---

std::vector<InboxItem> group_by_subject(const std::vector<lwc::WarningItem>& items) {
  std::map<std::tuple<std::string, std::string, std::string>, InboxItem> by_subject;
  for (const lwc::WarningItem& item : items) {
    const Warning& w = item.warning;
    InboxItem& group = by_subject[{w.rule, w.subject, w.district}];
    group.stage_ids.push_back(w.id);
    if (group.top.warning.id.empty() || w.stage > group.top.warning.stage) group.top = item;
  }
  std::vector<InboxItem> out;
  for (auto& [key, group] : by_subject) {
    std::sort(group.stage_ids.begin(), group.stage_ids.end());
    out.push_back(std::move(group));
  }
  std::sort(out.begin(), out.end(), [](const InboxItem& a, const InboxItem& b) {
    if (a.unanswered() != b.unanswered()) return a.unanswered();
    return more_urgent(a.top.warning, b.top.warning);
  });
  return out;
}

// --- figures ---

std::optional<double> DistrictFigures::budget_pct() const {
  if (!budget_any || budget_allocation <= 0) return std::nullopt;
  return 100.0 * budget_disbursed / budget_allocation;
}

std::optional<double> DistrictFigures::bmn_pct() const {
  if (!bmn_any || bmn_target <= 0) return std::nullopt;
  return 100.0 * double(bmn_entered) / double(bmn_target);
}

Result<Snapshot> load_snapshot(Store& store, const Principal& who, int64_t now_ms) {
  Snapshot s;
  s.now_ms = now_ms;
  s.today = thai_date(now_ms);
  s.fiscal_year = fiscal_year_be(s.today);
  const std::string fy = std::to_string(s.fiscal_year);
  const ScopeFilter filter = read_filter(who);
  const bool district_role = who.role == Role::kDistrict;

  s.rules = rules_from_store(store);  // the province's setting row, or the defaults
  s.budget_expected_pct = expected_pct_this_week(s.rules.budget, s.today);
  s.bmn_expected_pct = expected_pct_this_week(s.rules.bmn, s.today);
  s.tolerance_pct = s.rules.budget.tolerance_pct;

  auto in = load_rule_inputs(store, filter);
  if (!in.ok()) return in.status();
  auto groups = store.rows("work_group", filter);
  if (!groups.ok()) return groups.status();
  std::map<std::string, size_t> group_index;  // row id -> index in s.work_groups
  for (const Row& g : *groups) {
    if (g.deleted()) continue;
    group_index[g.id] = s.work_groups.size();
    s.work_groups.push_back(
        {text_field(g, "key"), text_field(g, "name_th"), text_field(g, "name_en")});
  }

  // Districts in code order; a district officer sees only their own.
  std::map<std::string, DistrictFigures> figures;
  for (const Row& d : in->districts) {
    const std::string code = text_field(d, "code");
    if (district_role && code != who.district) continue;
    figures[code] = DistrictFigures{code, text_field(d, "name_th"), text_field(d, "name_en")};
  }
  if (district_role && !figures.count(who.district)) {
    figures[who.district] = DistrictFigures{who.district, who.district, who.district};
  }

  const std::string budget_id = indicator_row_id(kBudgetIndicator);
  const std::string bmn_id = indicator_row_id(kBmnIndicator);
  for (const Row& t : in->targets) {
    if (text_field(t, "period") != fy) continue;
    auto it = figures.find(text_field(t, "district"));
    const std::string group = text_field(t, "work_group_id");
    const std::string indicator = text_field(t, "indicator_id");
    if (!group.empty()) {
      if (indicator == budget_id && group_index.count(group)) {
        s.work_groups[group_index[group]].target += number_field(t, "value");
      }
      continue;
    }
    if (it == figures.end()) continue;
    if (indicator == budget_id) it->second.budget_allocation = number_field(t, "value");
    if (indicator == bmn_id) it->second.bmn_target = int64_t(number_field(t, "value"));
  }

  // Latest figure (as of today or before, not a draft) per district and work group.
  std::map<std::pair<std::string, std::string>, const Row*> latest_budget;
  std::map<std::string, const Row*> latest_bmn;
  for (const Row& m : in->measurements) {
    if (text_field(m, "period") != fy || text_field(m, "state") == "draft") continue;
    const int64_t as_of = int_field(m, "as_of");
    if (as_of > now_ms || counted_time(m) > now_ms) continue;  // as the rules (claims.h)
    const std::string indicator = text_field(m, "indicator_id");
    const Row** best = nullptr;
    if (indicator == budget_id) best = &latest_budget[{m.scope, text_field(m, "work_group_id")}];
    if (indicator == bmn_id) best = &latest_bmn[m.scope];
    if (best && (!*best || int_field(**best, "as_of") < as_of)) *best = &m;
  }
  // The province verifies the figures that count: the latest per district and work group.
  std::vector<const Row*> latest_rows;
  for (auto& [key, row] : latest_budget) latest_rows.push_back(row);
  for (auto& [key, row] : latest_bmn) latest_rows.push_back(row);
  for (const Row* mp : latest_rows) {
    const Row& m = *mp;
    const std::string indicator = text_field(m, "indicator_id");
    const int64_t as_of = int_field(m, "as_of");
    if (verification_state(m, reviewed_fields(m)) == Verification::kSubmitted) {
      ReviewItem r{m.table, m.id, m.scope};
      if (indicator == budget_id) {
        r.what_th = std::string(tr("indicator.budget", Lang::kTh));
        r.what_en = std::string(tr("indicator.budget", Lang::kEn));
        r.value = format_number(number_field(m, "value"), 2);
        auto g = group_index.find(text_field(m, "work_group_id"));
        if (g != group_index.end()) {
          r.what_th += " · " + s.work_groups[g->second].name_th;
          r.what_en += " · " + s.work_groups[g->second].name_en;
        }
      } else {
        r.what_th = std::string(tr("indicator.bmn", Lang::kTh));
        r.what_en = std::string(tr("indicator.bmn", Lang::kEn));
        r.value = format_count(int_field(m, "collected")) + " / " +
                  format_count(int_field(m, "entered")) + " / " +
                  format_count(int_field(m, "updated"));
      }
      r.as_of = as_of;
      r.entered_by = text_field(m, "entered_by");
      r.claim_th = claim_text(claim_of(m), true, Lang::kTh);
      r.claim_en = claim_text(claim_of(m), true, Lang::kEn);
      r.row = m;
      if (!district_role) s.review_queue.push_back(std::move(r));
    }
  }
  // Work-group totals and each district's figure per work group (the province's chart).
  for (auto& [key, row] : latest_budget) {
    const double v = number_field(*row, "value");
    s.last_data_ms = std::max(s.last_data_ms, int_field(*row, "as_of"));
    auto g = group_index.find(key.second);
    if (g != group_index.end()) s.work_groups[g->second].disbursed += v;
    auto it = figures.find(key.first);
    if (it == figures.end()) continue;
    it->second.budget_by_group[g != group_index.end() ? s.work_groups[g->second].key : key.second] =
        v;
  }
  for (auto& [district, row] : latest_bmn) {
    auto it = figures.find(district);
    if (it == figures.end()) continue;
    it->second.bmn_collected = int_field(*row, "collected");
    it->second.bmn_updated = int_field(*row, "updated");
    s.last_data_ms = std::max(s.last_data_ms, int_field(*row, "as_of"));
  }

  // Tasks and submissions.
  std::map<std::string, const Row*> submissions;
  for (const Row& sub : in->submissions) submissions[sub.id] = &sub;
  std::map<std::string, std::string> task_titles;
  for (const Row& t : in->tasks) {
    auto due = parse_date(text_field(t, "due"));
    if (!due.ok()) continue;
    const Date deadline = s.rules.calendar.effective_deadline(*due);
    const TaskRule& rule = s.rules.task_rule(text_field(t, "kind"));
    json districts = field_json(t, "districts");
    if (!districts.is_array()) continue;
    task_titles[t.id] = text_field(t, "title");
    for (const json& dj : districts) {
      if (!dj.is_string()) continue;
      auto it = figures.find(dj.get<std::string>());
      if (it == figures.end()) continue;
      DistrictFigures& f = it->second;
      TaskItem item{t.id, text_field(t, "kind"), text_field(t, "letter_no"), text_field(t, "title"),
                    format_date(deadline)};
      item.row = t;
      auto sub = submissions.find(submission_row_id(t.id, f.code));
      if (sub != submissions.end() && int_field(*sub->second, "submitted_at") != 0) {
        item.submitted = true;
        item.submitted_at = counted_time(*sub->second);  // the time that counts (claims.h)
        item.returned = verification_state(*sub->second, reviewed_fields(*sub->second)) ==
                        Verification::kReturned;
        item.late = thai_date(item.submitted_at) > deadline;
        f.tasks_as_of = std::max(f.tasks_as_of, item.submitted_at);
        if (!district_role && verification_state(*sub->second, reviewed_fields(*sub->second)) ==
                                  Verification::kSubmitted) {
          ReviewItem r{"submission", sub->second->id, f.code};
          r.what_th = r.what_en = (item.letter_no.empty() ? "" : item.letter_no + " ") + item.title;
          r.value = text_field(*sub->second, "doc_ref");
          r.as_of = item.submitted_at;
          r.entered_by = text_field(*sub->second, "submitted_by");
          r.claim_th = claim_text(claim_of(*sub->second), false, Lang::kTh);
          r.claim_en = claim_text(claim_of(*sub->second), false, Lang::kEn);
          r.row = *sub->second;
          s.review_queue.push_back(std::move(r));
        }
      }
      item.days_left = days_between(s.today, deadline);
      item.stage = task_stage(deadline, s.today, item.submitted && !item.returned, rule);
      if (item.stage && (item.days_left >= 0 || item.returned)) ++f.tasks_in_stage;
      if (district_role) s.tasks.push_back(std::move(item));
    }
  }
  std::sort(s.tasks.begin(), s.tasks.end(), task_more_urgent);

  // Warnings: the hub's rows and the local rules' verdicts (same ids), one item per subject.
  auto current = current_warnings(store, who, now_ms);
  if (!current.ok()) return current.status();
  s.warnings = group_by_subject(*current);
  // Open warnings count subjects nobody has answered yet (one per subject, its highest stage).
  std::vector<Warning> open_subjects;
  for (const InboxItem& item : s.warnings) {
    const Warning& w = item.top.warning;
    if (item.unanswered() && item.top.raised_locally && w.silenced_by.empty())
      open_subjects.push_back(w);
  }

  // Figures, submission records and warnings per district: summary.h province_status, the
  // computation behind the hub's weekly summary and its web page.
  const ProvinceStatus status = province_status(*in, s.rules, open_subjects, now_ms);
  for (const DistrictStatus& ds : status.districts) {
    auto it = figures.find(ds.code);
    if (it == figures.end()) continue;
    DistrictFigures& f = it->second;
    auto join = [](const std::set<std::string>& names) {
      std::string out;
      for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
      return out;
    };
    f.budget = ds.budget;
    f.budget_disbursed = ds.budget.value;
    f.budget_allocation = ds.budget.target;
    f.budget_any = ds.budget.any;
    f.budget_verified = ds.budget.verified;
    f.budget_verified_by = join(ds.budget.verifiers);
    f.budget_as_of = ds.budget.as_of;
    f.bmn = ds.bmn;
    f.bmn_any = ds.bmn.any;
    f.bmn_entered = int64_t(ds.bmn.value);
    f.bmn_target = int64_t(ds.bmn.target);
    f.bmn_verified = ds.bmn.verified;
    f.bmn_verified_by = join(ds.bmn.verifiers);
    f.bmn_as_of = ds.bmn.as_of;
    f.record = ds.submissions;
    f.tasks_on_time = ds.submissions.on_time;
    f.tasks_late = ds.submissions.late;
    f.tasks_missing = ds.submissions.missing;
    f.tasks_returned = ds.submissions.returned;
    f.tasks_total = ds.submissions.due() + ds.submissions.pending;
    f.open_warnings = ds.open_warnings();
    if (ds.worst_stage > 0) f.worst_warning = static_cast<Stage>(ds.worst_stage);
  }
  std::vector<std::string> codes;
  for (const auto& [code, f] : figures) codes.push_back(code);
  s.reports = submission_matrix(*in, s.rules, codes, now_ms);
  s.award = monthly_award(*in, s.rules, AwardConfig{}, format_date(s.today).substr(0, 7), now_ms);
  if (!district_role) {
    auto warning_rows = store.rows("warning", filter);
    if (!warning_rows.ok()) return warning_rows.status();
    s.kpi_from = format_date(fiscal_year_start(s.fiscal_year));
    s.kpi_to = format_date(s.today);
    s.kpi_csv = kpi_csv(compute_kpis(*in, *warning_rows, s.rules, s.kpi_from, s.kpi_to, now_ms));
  }

  // This client's refused changes, beside the value it holds now.
  auto rejected = store.rejected();
  if (!rejected.ok()) return rejected.status();
  for (const RejectedMutation& r : *rejected) {
    const Change& c = r.mutation.change;
    RejectedItem item{r.mutation.counter, r.rejected_ms, c.table, c.row_id, c.scope, c.field,
                      c.version.value};
    auto current = store.get_field(c.table, c.row_id, c.field);
    if (current.ok() && current->has_value()) item.current = (*current)->value;
    item.code = code_name(r.reason.code());
    item.message = r.reason.message();
    s.rejected.push_back(std::move(item));
  }
  std::sort(s.rejected.begin(), s.rejected.end(), [](const RejectedItem& a, const RejectedItem& b) {
    return std::tie(b.rejected_ms, b.counter) < std::tie(a.rejected_ms, a.counter);
  });
  auto pending_rows = store.outbox_rows();
  if (!pending_rows.ok()) return pending_rows.status();
  s.pending_rows = *pending_rows;

  std::sort(s.review_queue.begin(), s.review_queue.end(),
            [](const ReviewItem& a, const ReviewItem& b) {
              return std::tie(a.as_of, a.district, a.id) < std::tie(b.as_of, b.district, b.id);
            });
  for (auto& [code, f] : figures) s.districts.push_back(std::move(f));
  return s;
}

// --- tiles ---

std::vector<Tile> district_tiles(const Snapshot& s, const DistrictFigures& d, Lang lang) {
  std::vector<Tile> tiles;
  {
    Tile t;
    t.title = std::string(tr("gui.tile.budget", lang));
    auto pct = d.budget_pct();
    t.status = indicator_status(pct, s.budget_expected_pct, s.tolerance_pct);
    t.value = pct ? format_pct(*pct) : std::string(tr("gui.nodata", lang));
    t.detail = fmt("gui.tile.target", lang, {format_pct(s.budget_expected_pct)}) + " · " +
               format_baht(d.budget_disbursed, lang) + " / " +
               format_number(d.budget_allocation, 0);
    t.as_of = format_as_of(d.budget_as_of, lang);
    if (d.budget_any) {
      t.as_of += " · " + (d.budget_verified ? fmt("gui.verified_by", lang, {d.budget_verified_by})
                                            : std::string(tr("gui.unverified", lang)));
    }
    if (pct) t.fraction = std::clamp(*pct / 100.0, 0.0, 1.0);
    t.marker = s.budget_expected_pct / 100.0;
    tiles.push_back(std::move(t));
  }
  {
    Tile t;
    t.title = std::string(tr("gui.tile.bmn", lang));
    auto pct = d.bmn_pct();
    t.status = indicator_status(pct, s.bmn_expected_pct, s.rules.bmn.tolerance_pct);
    t.value = pct ? format_pct(*pct) : std::string(tr("gui.nodata", lang));
    t.detail =
        fmt("gui.tile.target", lang, {format_pct(s.bmn_expected_pct)}) + " · " +
        fmt("gui.tile.households", lang, {format_count(d.bmn_entered), format_count(d.bmn_target)});
    t.as_of = format_as_of(d.bmn_as_of, lang);
    if (d.bmn_any) {
      t.as_of += " · " + (d.bmn_verified ? fmt("gui.verified_by", lang, {d.bmn_verified_by})
                                         : std::string(tr("gui.unverified", lang)));
    }
    if (pct) t.fraction = std::clamp(*pct / 100.0, 0.0, 1.0);
    t.marker = s.bmn_expected_pct / 100.0;
    tiles.push_back(std::move(t));
  }
  {
    Tile t;
    t.title = std::string(tr("gui.tile.tasks", lang));
    const int open = d.tasks_total - d.tasks_on_time - d.tasks_late;
    t.status = tasks_status(d.tasks_missing + d.tasks_returned, d.tasks_in_stage);
    t.value = std::to_string(open);
    t.detail = fmt("gui.tile.tasks_detail", lang,
                   {std::to_string(d.tasks_missing), std::to_string(d.tasks_in_stage),
                    std::to_string(d.tasks_on_time + d.tasks_late), std::to_string(d.tasks_total)});
    t.as_of = format_as_of(d.tasks_as_of ? d.tasks_as_of : s.now_ms, lang);
    if (d.tasks_total > 0) {
      t.fraction = double(d.tasks_on_time + d.tasks_late) / double(d.tasks_total);
    }
    tiles.push_back(std::move(t));
  }
  for (const AwardScore& a : s.award.scores) {
    if (a.district != d.code) continue;
    Tile t;
    t.title = std::string(tr("gui.tile.award", lang));
    t.status = award_status(a);
    t.value = a.ranked() ? format_pct(a.percent) : std::string(tr("award.nothing_due", lang));
    t.detail = fmt("gui.tile.award_detail", lang,
                   {std::to_string(a.points), std::to_string(a.max_points),
                    std::to_string(a.on_time), std::to_string(a.late + a.very_late),
                    std::to_string(a.missing), std::to_string(a.returned)});
    t.as_of = format_as_of(s.now_ms, lang);
    if (a.max_points > 0) t.fraction = std::clamp(a.percent / 100.0, 0.0, 1.0);
    tiles.push_back(std::move(t));
  }
  {
    Tile t;
    t.title = std::string(tr("gui.tile.warnings", lang));
    t.status = warnings_status(d.worst_warning);
    t.value = std::to_string(d.open_warnings);
    t.detail =
        d.worst_warning
            ? fmt("gui.tile.worst", lang,
                  {std::string(tr(std::string("stage.") + stage_name(*d.worst_warning), lang))})
            : std::string(tr("gui.tile.none_open", lang));
    t.as_of = format_as_of(s.now_ms, lang);
    tiles.push_back(std::move(t));
  }
  return tiles;
}

TileStatus award_status(const AwardScore& a) {
  if (!a.ranked()) return TileStatus::kNoData;
  if (a.percent >= 80) return TileStatus::kGood;
  if (a.percent >= 50) return TileStatus::kWatch;
  return TileStatus::kBehind;
}

// --- entry checks ---

bool far_above(double value, double last) {
  return last > 0 && value > 2 * last;
}

FormCheck check_budget_form(double amount, std::optional<double> last_amount, double allocation,
                            Lang lang) {
  FormCheck c;
  if (!std::isfinite(amount) || amount < 0) {
    c.error = std::string(tr("gui.check.negative", lang));
    return c;
  }
  if (last_amount && far_above(amount, *last_amount)) {
    c.confirm = fmt("gui.check.far_above", lang,
                    {format_number(amount, 2), format_number(*last_amount, 2)});
  } else if (last_amount && amount < *last_amount) {
    c.confirm = fmt("gui.check.below_last", lang,
                    {format_number(amount, 2), format_number(*last_amount, 2)});
  } else if (allocation > 0 && amount > allocation) {
    c.confirm = fmt("gui.check.over_allocation", lang,
                    {format_number(amount, 2), format_number(allocation, 2)});
  }
  return c;
}

FormCheck check_bmn_form(int64_t collected, int64_t entered, int64_t updated,
                         std::optional<int64_t> last_collected, int64_t target, Lang lang) {
  FormCheck c;
  if (collected < 0 || entered < 0 || updated < 0) {
    c.error = std::string(tr("gui.check.negative_households", lang));
  } else if (entered > collected) {
    c.error = fmt("gui.check.entered_gt_collected", lang,
                  {format_count(entered), format_count(collected)});
  } else if (updated > entered) {
    c.error =
        fmt("gui.check.updated_gt_entered", lang, {format_count(updated), format_count(entered)});
  } else if (last_collected && far_above(double(collected), double(*last_collected))) {
    c.confirm =
        fmt("gui.check.far_above", lang, {format_count(collected), format_count(*last_collected)});
  } else if (target > 0 && collected > target) {
    c.confirm = fmt("gui.check.over_target", lang, {format_count(collected), format_count(target)});
  }
  return c;
}

}  // namespace lwc::client

namespace lwc::client {

// --- report-submission matrix ---

uint32_t report_cell_colour(ReportCell c) {
  switch (c) {
    case ReportCell::kOnTime:
      return 0x2E7D32;
    case ReportCell::kLate:
      return 0xF9A825;
    case ReportCell::kMissing:
      return 0xC62828;
    case ReportCell::kReturned:
      return 0x6A1B9A;
    case ReportCell::kPending:
      return 0x90A4AE;
    case ReportCell::kNotAssigned:
      return 0xECEFF1;
  }
  return 0xECEFF1;
}

const char* report_cell_key(ReportCell c) {
  switch (c) {
    case ReportCell::kOnTime:
      return "gui.report.on_time";
    case ReportCell::kLate:
      return "gui.report.late";
    case ReportCell::kMissing:
      return "gui.report.missing";
    case ReportCell::kReturned:
      return "gui.report.returned";
    case ReportCell::kPending:
      return "gui.report.pending";
    case ReportCell::kNotAssigned:
      return "gui.report.not_assigned";
  }
  return "gui.report.not_assigned";
}

SubmissionMatrix submission_matrix(const RuleInputs& in, const RulesConfig& rules,
                                   const std::vector<std::string>& districts, int64_t now_ms) {
  SubmissionMatrix m;
  const int fy = fiscal_year_be(thai_date(now_ms));
  std::map<std::string, const Row*> submissions;
  for (const Row& sub : in.submissions) submissions[sub.id] = &sub;
  struct Column {
    ReportColumn head;
    std::set<std::string> assigned;
    const Row* task;
  };
  std::vector<Column> columns;
  for (const Row& t : in.tasks) {
    if (t.deleted()) continue;
    auto due = parse_date(text_field(t, "due"));
    if (!due.ok()) continue;
    const Date deadline = rules.calendar.effective_deadline(*due);
    if (fiscal_year_be(deadline) != fy) continue;
    json list = field_json(t, "districts");
    if (!list.is_array()) continue;
    Column c{{t.id, text_field(t, "kind"), text_field(t, "letter_no"), text_field(t, "title"),
              format_date(deadline)},
             {},
             &t};
    for (const json& d : list)
      if (d.is_string()) c.assigned.insert(d.get<std::string>());
    columns.push_back(std::move(c));
  }
  std::sort(columns.begin(), columns.end(), [](const Column& a, const Column& b) {
    return std::tie(a.head.deadline, a.head.letter_no, a.head.task_id) <
           std::tie(b.head.deadline, b.head.letter_no, b.head.task_id);
  });
  for (const std::string& district : districts) {
    std::vector<ReportCell>& row = m.cells[district];
    for (const Column& c : columns) {
      if (!c.assigned.count(district)) {
        row.push_back(ReportCell::kNotAssigned);
        continue;
      }
      // As summary.h submission_record: the deadline day ends at Thai midnight.
      const Date deadline = *parse_date(c.head.deadline);
      const int64_t end = thai_midnight_ms(civil_from_days(days_from_civil(deadline) + 1));
      auto it = submissions.find(submission_row_id(c.head.task_id, district));
      const int64_t at = it == submissions.end() ? 0 : counted_time(*it->second);
      if (at == 0 || at > now_ms) {
        row.push_back(now_ms >= end ? ReportCell::kMissing : ReportCell::kPending);
      } else if (verification_state(*it->second, reviewed_fields(*it->second)) ==
                 Verification::kReturned) {
        row.push_back(ReportCell::kReturned);
      } else {
        row.push_back(at < end ? ReportCell::kOnTime : ReportCell::kLate);
      }
    }
  }
  for (Column& c : columns) m.columns.push_back(std::move(c.head));
  return m;
}

SubmissionRecord count_row(const std::vector<ReportCell>& row) {
  SubmissionRecord r;
  for (ReportCell c : row) {
    switch (c) {
      case ReportCell::kOnTime:
        ++r.on_time;
        break;
      case ReportCell::kLate:
        ++r.late;
        break;
      case ReportCell::kMissing:
        ++r.missing;
        break;
      case ReportCell::kReturned:
        ++r.returned;
        break;
      case ReportCell::kPending:
        ++r.pending;
        break;
      case ReportCell::kNotAssigned:
        break;
    }
  }
  return r;
}

// --- the hub's lists ---

namespace {
std::string str(const json& j, const char* k) {
  return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
}
int64_t num(const json& j, const char* k, int64_t fallback = 0) {
  return j.contains(k) && j[k].is_number_integer() ? j[k].get<int64_t>() : fallback;
}
}  // namespace

Result<std::vector<ConflictItem>> parse_conflicts(const std::string& body) {
  json j = protocol::parse_json(body).value_or(json());
  if (!j.is_object() || !j.contains("conflicts") || !j["conflicts"].is_array())
    return Status(Code::kMalformed, "conflicts: not a {\"conflicts\": [...]} body");
  std::vector<ConflictItem> out;
  for (const json& c : j["conflicts"]) {
    if (!c.is_object() || !c.contains("winner") || !c.contains("loser")) continue;
    ConflictItem item;
    item.id = num(c, "id");
    item.detected_ms = num(c, "detected_ms");
    item.table = str(c, "table");
    item.row_id = str(c, "row_id");
    item.scope = str(c, "scope");
    item.field = str(c, "field");
    const json& w = c["winner"];
    const json& l = c["loser"];
    item.winner_value = w.contains("value") ? w["value"].dump() : "null";
    item.loser_value = l.contains("value") ? l["value"].dump() : "null";
    item.winner_device = str(w, "device");
    item.loser_device = str(l, "device");
    item.winner_ms = int64_t(uint64_t(num(w, "hlc")) >> 16);
    item.loser_ms = int64_t(uint64_t(num(l, "hlc")) >> 16);
    out.push_back(std::move(item));
  }
  std::sort(out.begin(), out.end(), [](const ConflictItem& a, const ConflictItem& b) {
    return std::tie(b.detected_ms, b.id) < std::tie(a.detected_ms, a.id);
  });
  return out;
}

Result<std::vector<FleetDevice>> parse_fleet(const std::string& body) {
  json j = protocol::parse_json(body).value_or(json());
  if (!j.is_object() || !j.contains("devices") || !j["devices"].is_array())
    return Status(Code::kMalformed, "fleet: not a {\"devices\": [...]} body");
  std::vector<FleetDevice> out;
  for (const json& d : j["devices"]) {
    if (!d.is_object()) continue;
    FleetDevice f;
    f.device_id = str(d, "device_id");
    f.user = str(d, "user");
    f.role = str(d, "role");
    f.district = str(d, "district");
    f.name = str(d, "name");
    f.client_version = str(d, "client_version");
    f.enrolled_ms = num(d, "enrolled_ms");
    f.last_seen_ms = num(d, "last_seen_ms");
    f.revoked = d.contains("revoked") && d["revoked"].is_boolean() && d["revoked"].get<bool>();
    f.last_counter = num(d, "last_counter");
    f.pending = num(d, "pending", -1);
    f.pending_at_ms = num(d, "pending_at_ms");
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const FleetDevice& a, const FleetDevice& b) {
    const bool ad = !a.district.empty(), bd = !b.district.empty();
    return std::make_tuple(!ad, a.district, a.user, a.device_id) <
           std::make_tuple(!bd, b.district, b.user, b.device_id);
  });
  return out;
}

TileStatus contact_status(int64_t last_seen_ms, int64_t now_ms) {
  if (last_seen_ms <= 0) return TileStatus::kNoData;
  const int64_t age = now_ms - last_seen_ms;
  if (age <= 86'400'000) return TileStatus::kGood;
  if (age <= 3 * 86'400'000) return TileStatus::kWatch;
  return TileStatus::kBehind;
}

std::string format_ago(int64_t ms, int64_t now_ms, Lang lang) {
  if (ms <= 0) return std::string(tr("gui.ago.never", lang));
  const int64_t s = std::max<int64_t>(0, (now_ms - ms) / 1000);
  if (s < 60) return std::string(tr("gui.ago.now", lang));
  if (s < 3600) return fmt("gui.ago.minutes", lang, {std::to_string(s / 60)});
  if (s < 86'400) return fmt("gui.ago.hours", lang, {std::to_string(s / 3600)});
  return fmt("gui.ago.days", lang, {std::to_string(s / 86'400)});
}

std::string format_value(const std::string& field, const std::string& json_value, Lang lang) {
  json j = json::parse(json_value, nullptr, false);
  if (j.is_discarded() || j.is_null()) return "—";
  if (j.is_string()) return j.get<std::string>();
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  const bool time = field == "as_of" || field == "submitted_at" || field == "reviewed_at" ||
                    field == "at" ||
                    (field.size() > 3 && field.substr(field.size() - 3) == "_at") ||
                    (field.size() > 3 && field.substr(field.size() - 3) == "_ms");
  if (j.is_number_integer() && time) return format_time_long(j.get<int64_t>(), lang);
  if (j.is_number_integer()) return format_count(j.get<int64_t>());
  if (j.is_number()) {
    const double v = j.get<double>();
    return format_number(v, std::floor(v) == v ? 0 : 2);
  }
  if (j.is_array()) {
    std::string out;
    for (const json& e : j)
      out += (out.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
    return out;
  }
  return j.dump();
}

std::string describe_change(const std::string& table, const std::string& field,
                            const std::string& scope, const Snapshot& s, Lang lang) {
  std::string where = scope;
  for (const DistrictFigures& d : s.districts) {
    if (d.code == scope) where = district_label(d.name_th, d.name_en, lang);
  }
  if (scope == kProvinceScope) where = std::string(tr("gui.scope.province", lang));
  return where + " · " + table + "." + field;
}

// --- province forms ---

FormCheck check_task_form(const TaskEntry& e, const Date& today, Lang lang) {
  FormCheck c;
  auto trimmed_empty = [](const std::string& t) {
    return t.find_first_not_of(" \t\r\n") == std::string::npos;
  };
  auto due = parse_date(e.due);
  auto issued = parse_date(e.issued);
  if (trimmed_empty(e.title)) {
    c.error = std::string(tr("gui.check.title_missing", lang));
  } else if (e.kind == "directive" && trimmed_empty(e.letter_no)) {
    c.error = std::string(tr("gui.check.letter_missing", lang));
  } else if (!due.ok()) {
    c.error = fmt("gui.check.bad_date", lang, {e.due});
  } else if (!issued.ok()) {
    c.error = fmt("gui.check.bad_date", lang, {e.issued});
  } else if (*due < *issued) {
    c.error = std::string(tr("gui.check.due_before_issued", lang));
  } else if (e.districts.empty()) {
    c.error = std::string(tr("gui.check.no_districts", lang));
  } else if (*due < today) {
    c.confirm = fmt("gui.check.due_past", lang, {format_date_long(*due, lang)});
  }
  return c;
}

FormCheck check_target_form(double value, std::optional<double> current, Lang lang) {
  FormCheck c;
  if (!std::isfinite(value) || value <= 0) {
    c.error = std::string(tr("gui.check.target_positive", lang));
  } else if (current && *current > 0 && value > 10 * *current) {
    c.confirm =
        fmt("gui.check.target_jump", lang, {format_number(value, 0), format_number(*current, 0)});
  }
  return c;
}

}  // namespace lwc::client
