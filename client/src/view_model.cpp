#include "lwc/client/view_model.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

#include "lwc/entries.h"

namespace lwc::client {

namespace {
using nlohmann::json;

json field_json(const Row& row, const std::string& name) {
  const FieldVersion* v = row.find(name);
  if (!v) return json();
  return json::parse(v->value, nullptr, false);
}
int64_t int_field(const Row& row, const std::string& name) {
  json j = field_json(row, name);
  return j.is_number() ? j.get<int64_t>() : 0;
}
double number_field(const Row& row, const std::string& name) {
  json j = field_json(row, name);
  return j.is_number() ? j.get<double>() : 0.0;
}
int days_between(const Date& from, const Date& to) {
  return static_cast<int>(days_from_civil(to) - days_from_civil(from));
}
// "MM-DD" in fiscal year fy (BE): October..December fall in the CE year fy - 544.
std::optional<Date> fiscal_day(int fy_be, const std::string& md) {
  auto d = parse_date("2000-" + md);
  if (!d.ok()) return std::nullopt;
  Date out = *d;
  out.year = fy_be - 543 - (out.month >= 10 ? 1 : 0);
  return out;
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

double curve_target_pct(const CurveRule& curve, const Date& d) {
  const int fy = fiscal_year_be(d);
  auto start = fiscal_day(fy, curve.start);
  if (!start) return 0;
  std::vector<std::pair<Date, double>> points = {{*start, 0.0}};
  for (const auto& [md, pct] : curve.checkpoints) {
    auto p = fiscal_day(fy, md);
    if (p && *p > points.back().first) points.emplace_back(*p, pct);
  }
  if (d <= points.front().first) return 0;
  for (size_t i = 1; i < points.size(); ++i) {
    if (d <= points[i].first) {
      const double span = double(days_between(points[i - 1].first, points[i].first));
      const double into = double(days_between(points[i - 1].first, d));
      return points[i - 1].second + (points[i].second - points[i - 1].second) * into / span;
    }
  }
  return points.back().second;
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
  s.budget_expected_pct = curve_target_pct(s.rules.budget, s.today);
  s.bmn_expected_pct = curve_target_pct(s.rules.bmn, s.today);
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
    if (as_of > now_ms) continue;
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
      r.row = m;
      if (!district_role) s.review_queue.push_back(std::move(r));
    }
  }
  for (auto& [key, row] : latest_budget) {
    const double v = number_field(*row, "value");
    const int64_t as_of = int_field(*row, "as_of");
    s.last_data_ms = std::max(s.last_data_ms, as_of);
    auto g = group_index.find(key.second);
    if (g != group_index.end()) s.work_groups[g->second].disbursed += v;
    auto it = figures.find(key.first);
    if (it == figures.end()) continue;
    DistrictFigures& f = it->second;
    const bool verified =
        verification_state(*row, reviewed_fields(*row)) == Verification::kVerified;
    f.budget_verified = f.budget_any ? f.budget_verified && verified : verified;
    if (verified) f.budget_verified_by = text_field(*row, "reviewed_by");
    f.budget_any = true;
    f.budget_disbursed += v;
    f.budget_as_of = f.budget_as_of == 0 ? as_of : std::min(f.budget_as_of, as_of);
    f.budget_by_group[g != group_index.end() ? s.work_groups[g->second].key : key.second] = v;
  }
  for (auto& [district, row] : latest_bmn) {
    auto it = figures.find(district);
    if (it == figures.end()) continue;
    DistrictFigures& f = it->second;
    f.bmn_any = true;
    f.bmn_collected = int_field(*row, "collected");
    f.bmn_entered = int_field(*row, "entered");
    f.bmn_updated = int_field(*row, "updated");
    f.bmn_as_of = int_field(*row, "as_of");
    s.last_data_ms = std::max(s.last_data_ms, f.bmn_as_of);
    f.bmn_verified = verification_state(*row, reviewed_fields(*row)) == Verification::kVerified;
    if (f.bmn_verified) f.bmn_verified_by = text_field(*row, "reviewed_by");
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
        item.submitted_at = int_field(*sub->second, "submitted_at");
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
          r.row = *sub->second;
          s.review_queue.push_back(std::move(r));
        }
      }
      item.days_left = days_between(s.today, deadline);
      item.stage = task_stage(deadline, s.today, item.submitted && !item.returned, rule);
      ++f.tasks_total;
      if (item.returned) {
        ++f.tasks_returned;
      } else if (item.submitted) {
        ++(item.late ? f.tasks_late : f.tasks_on_time);
      } else if (item.days_left < 0) {
        ++f.tasks_missing;
      }
      if (item.stage && (item.days_left >= 0 || item.returned)) ++f.tasks_in_stage;
      if (district_role) s.tasks.push_back(std::move(item));
    }
  }
  std::sort(s.tasks.begin(), s.tasks.end(), task_more_urgent);

  // Warnings: the hub's rows and the local rules' verdicts (same ids), one item per subject.
  auto current = current_warnings(store, who, now_ms);
  if (!current.ok()) return current.status();
  s.warnings = group_by_subject(*current);
  for (const InboxItem& item : s.warnings) {
    const Warning& w = item.top.warning;
    if (!item.unanswered() || !item.top.raised_locally || !w.silenced_by.empty()) continue;
    auto it = figures.find(w.district);
    if (it == figures.end()) continue;
    ++it->second.open_warnings;
    if (rank(w.stage) > rank(it->second.worst_warning)) it->second.worst_warning = w.stage;
  }

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
