// The hub's side of the warning rules (shared/include/lwc/warnings.h): evaluating them against the
// store, writing the verdicts as warning rows, announcing new ones, and the scheduler thread.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include <filesystem>
#include <fstream>

#include "lwc/entries.h"
#include "lwc/hub/chart.h"
#include "lwc/hub/service.h"
#include "lwc/model.h"
#include "lwc/summary.h"

namespace lwc::hub {

using json = nlohmann::json;

namespace {

// The fields of `w` whose stored value differs from `row` (all of them for a new row), plus
// cleared_at = null when a cleared warning is raised again.
std::vector<Store::FieldWrite> changed_fields(const Warning& w, const std::optional<Row>& row) {
  std::vector<Store::FieldWrite> out;
  for (Store::FieldWrite& f : warning_fields(w)) {
    const FieldVersion* now = row ? row->find(f.field) : nullptr;
    if (!now || now->value != f.value) out.push_back(std::move(f));
  }
  if (row) {
    const FieldVersion* cleared = row->find("cleared_at");
    if (cleared && cleared->value != "null") out.push_back({"cleared_at", "null"});
  }
  return out;
}

bool is_open(const Row& row) {
  const FieldVersion* cleared = row.find("cleared_at");
  return !row.deleted() && (!cleared || cleared->value == "null");
}

}  // namespace

void HubService::set_warning_sink(WarningSink sink) {
  std::lock_guard lock(sink_mu_);
  warning_sink_ = std::move(sink);
}

Result<RuleInputs> HubService::read_rule_inputs() {
  // One read transaction: every table from the same snapshot.
  LWC_RETURN_IF_ERROR(rules_reader_->db().exec("BEGIN"));
  auto inputs = load_rule_inputs(*rules_reader_, ScopeFilter::everything());
  (void)rules_reader_->db().exec("COMMIT");
  return inputs;
}

Result<std::vector<Warning>> HubService::run_rules() {
  std::lock_guard run_lock(rules_mu_);
  const int64_t now = clock_.now_ms();
  Result<RuleInputs> inputs = read_rule_inputs();
  if (!inputs.ok()) return inputs.status();
  std::vector<Warning> verdicts = evaluate_rules(*inputs, config_.rules, now);

  std::vector<Warning> raised;
  std::set<std::string> scopes;
  int64_t seq_after = 0;
  {
    std::lock_guard lock(store_mu_);
    const int64_t seq_before = store_->last_seq();
    auto stored = store_->rows("warning", ScopeFilter::everything());
    if (!stored.ok()) return stored.status();
    std::map<std::string, const Row*> by_id;
    for (const Row& r : *stored) by_id[r.id] = &r;
    std::set<std::string> active;
    for (const Warning& w : verdicts) {
      if (!w.silenced_by.empty()) continue;  // a silenced verdict is not raised (and clears below)
      active.insert(w.id);
      auto it = by_id.find(w.id);
      std::optional<Row> row;
      if (it != by_id.end()) row = *it->second;
      std::vector<Store::FieldWrite> fields = changed_fields(w, row);
      if (fields.empty()) continue;
      auto written = store_->write_local("warning", w.id, w.district, fields, Store::Queue::kNone);
      if (!written.ok()) return written.status();
      scopes.insert(w.district);
      if (!row || !is_open(*row)) raised.push_back(w);
    }
    for (const Row& r : *stored) {
      if (active.count(r.id) || !is_open(r)) continue;
      auto written = store_->write_local(
          "warning", r.id, r.scope, {{"cleared_at", std::to_string(now)}}, Store::Queue::kNone);
      if (!written.ok()) return written.status();
      scopes.insert(r.scope);
    }
    if (store_->last_seq() > seq_before) seq_after = store_->last_seq();
  }
  // New warnings travel ahead of the bulk data: the event carries the whole warning.
  std::sort(raised.begin(), raised.end(), more_urgent);
  for (const Warning& w : raised) {
    events_.publish({w.district}, "event: warning\ndata: " + warning_json(w).dump() + "\n\n");
  }
  if (seq_after > 0) {
    events_.publish({scopes.begin(), scopes.end()},
                    "event: changes\ndata: " + json{{"seq", seq_after}}.dump() + "\n\n");
  }
  if (!raised.empty()) {
    std::lock_guard lock(sink_mu_);
    if (warning_sink_) warning_sink_(raised);
  }
  if (seq_after > 0) {  // handed on (or no sink): a restart need not offer these again
    std::lock_guard lock(store_mu_);
    LWC_RETURN_IF_ERROR(store_->set_meta("warnings_notified_seq", std::to_string(seq_after)));
  }
  if (auto summary = produce_weekly_summary(now); !summary.ok()) return summary.status();
  return raised;
}

Result<size_t> HubService::hand_off_unnotified() {
  std::lock_guard run_lock(rules_mu_);
  std::vector<Warning> pending;
  int64_t through = 0;
  {
    std::lock_guard lock(store_mu_);
    auto meta = store_->get_meta("warnings_notified_seq");
    if (!meta.ok()) return meta.status();
    int64_t after = meta->empty() ? 0 : std::stoll(*meta);
    std::set<std::string> ids;  // rows raised (written with a stage, or reopened) since then
    for (;;) {
      auto page = store_->changes_after(after, ScopeFilter::everything(), 5000);
      if (!page.ok()) return page.status();
      if (page->empty()) break;
      for (const SeqChange& c : *page) {
        after = c.seq;
        if (c.change.table != "warning") continue;
        if (c.change.field == "stage" ||
            (c.change.field == "cleared_at" && c.change.version.value == "null")) {
          ids.insert(c.change.row_id);
        }
      }
    }
    through = after;
    for (const std::string& id : ids) {
      auto row = store_->get_row("warning", id);
      if (!row.ok()) return row.status();
      if (!*row || !is_open(**row)) continue;
      auto w = warning_from_row(**row);
      if (w.ok()) pending.push_back(std::move(*w));
    }
  }
  if (!pending.empty()) {
    std::sort(pending.begin(), pending.end(), more_urgent);
    std::lock_guard lock(sink_mu_);
    if (warning_sink_) warning_sink_(pending);
  }
  if (through > 0) {
    std::lock_guard lock(store_mu_);
    LWC_RETURN_IF_ERROR(store_->set_meta("warnings_notified_seq", std::to_string(through)));
  }
  return pending.size();
}

void HubService::set_summary_sink(SummarySink sink) {
  std::lock_guard lock(sink_mu_);
  summary_sink_ = std::move(sink);
}

Result<bool> HubService::produce_weekly_summary(int64_t now) {
  const Date today = thai_date(now);
  const int64_t hour = (now - thai_midnight_ms(today)) / 3'600'000;
  if (iso_weekday(today) != 1 || hour < config_.rules.digest_hour) return false;
  namespace fs = std::filesystem;
  const fs::path dir = config_.path("summaries");
  const fs::path file = dir / (format_date(today) + ".json");
  std::error_code ec;
  if (fs::exists(file, ec)) return false;  // produced already (also before a restart)

  Result<RuleInputs> inputs = read_rule_inputs();
  if (!inputs.ok()) return inputs.status();
  std::vector<Warning> open;
  for (Warning& w : evaluate_rules(*inputs, config_.rules, now)) {
    if (w.silenced_by.empty()) open.push_back(std::move(w));
  }
  const ProvinceStatus status = province_status(*inputs, config_.rules, open, now);
  std::vector<std::string> offices = {"province", "executive"};
  for (const DistrictStatus& d : status.districts) offices.push_back(d.code);
  json archive = {{"monday", format_date(today)},
                  {"fiscal_year", status.fiscal_year},
                  {"week", status.week},
                  {"at_ms", now},
                  {"offices", json::object()}};
  for (const std::string& office : offices) {
    archive["offices"][office] = {{"th", weekly_summary_text(status, open, office, Lang::kTh)},
                                  {"en", weekly_summary_text(status, open, office, Lang::kEn)}};
  }
  fs::create_directories(dir, ec);
  std::string png;
  if (auto chart = render_status_chart(status, Lang::kTh, chart_font_path()); chart.ok()) {
    png = std::move(*chart);
    std::ofstream(dir / (format_date(today) + ".png"), std::ios::binary) << png;
  } else {
    std::fprintf(stderr, "lwc-hub: weekly summary without a chart: %s\n",
                 chart.status().message().c_str());
  }
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << archive.dump(2) << "\n";
    if (!out) return Status(Code::kIo, "cannot write " + tmp.string());
  }
  fs::rename(tmp, file, ec);
  if (ec) return Status(Code::kIo, "cannot write " + file.string() + ": " + ec.message());
  std::lock_guard lock(sink_mu_);
  if (summary_sink_) {
    for (const std::string& office : offices) {
      const json& text = archive["offices"][office];
      summary_sink_(office, text["th"], text["en"], png, format_date(today));
    }
  }
  return true;
}

Status HubService::publish_rules_setting() {
  const RowWrite w = setting_entry("rules", rules_config_json(config_.rules).dump());
  std::lock_guard lock(store_mu_);
  auto row = store_->get_row("setting", w.id);
  if (!row.ok()) return row.status();
  if (*row) {
    const FieldVersion* value = (*row)->find("value");
    if (value && value->value == w.fields[1].value) return {};
  }
  auto written = store_->write_local(w.table, w.id, w.scope, w.fields, Store::Queue::kNone);
  return written.ok() ? Status{} : written.status();
}

// Writes that change who gets warned go to the audit log: silences, and resolutions of disputes.
void HubService::audit_sensitive_writes(const Session& s, const std::vector<Mutation>& batch,
                                        const std::vector<MutationResult>& results) {
  std::map<std::string, json> silences, resolutions;
  for (size_t i = 0; i < batch.size() && i < results.size(); ++i) {
    if (results[i].kind != MutationResult::Kind::kApplied) continue;
    const Change& c = batch[i].change;
    json value = json::parse(c.version.value, nullptr, false);
    if (c.table == "silence") {
      json& entry = silences[c.row_id];
      entry["id"] = c.row_id;
      entry["district"] = c.scope;
      entry[c.field] = value;
    } else if (c.table == "ack" && (c.field == "resolution" || c.field == "resolved_at")) {
      json& entry = resolutions[c.row_id];
      entry["ack_id"] = c.row_id;
      entry["district"] = c.scope;
      entry[c.field] = value;
    }
  }
  for (auto& [id, detail] : silences) {
    (void)accounts_->audit(s.principal.user, s.device_id, "silence", detail.dump());
  }
  for (auto& [id, detail] : resolutions) {
    (void)accounts_->audit(s.principal.user, s.device_id, "dispute_resolved", detail.dump());
  }
}

// ---------------------------------------------------------------------------------------------
RuleScheduler::RuleScheduler(HubService& service, int64_t interval_ms, int64_t debounce_ms)
    : service_(service), interval_ms_(interval_ms), debounce_ms_(debounce_ms) {}

RuleScheduler::~RuleScheduler() {
  stop();
}

void RuleScheduler::start() {
  run_once();  // the hub serves with its warnings current, not a moment later
  thread_ = std::thread([this] { loop(); });
}

void RuleScheduler::run_once() {
  auto result = service_.run_rules();
  if (!result.ok()) {
    std::fprintf(stderr, "lwc-hub: warning rules failed: %s\n", result.status().message().c_str());
  }
  std::lock_guard lock(mu_);
  ++runs_;
}

void RuleScheduler::poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_one();
}

void RuleScheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

uint64_t RuleScheduler::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void RuleScheduler::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    // Sleep until the interval ends or a change arrives; then let a burst of pushes settle.
    cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_),
                 [&] { return poked_ || stopping_; });
    if (poked_ && !stopping_) {
      cv_.wait_for(lock, std::chrono::milliseconds(debounce_ms_), [&] { return stopping_; });
    }
    poked_ = false;
    if (stopping_) break;
    lock.unlock();
    run_once();
    lock.lock();
  }
}

}  // namespace lwc::hub
