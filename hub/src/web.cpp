// The web status page's data, the printable letters, the page files and the debounced status feed
// (hub/include/lwc/hub/web.h; the endpoints are in docs/protocol.md, section 4).
#include "lwc/hub/web.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "lwc/entries.h"
#include "lwc/hub/service.h"
#include "lwc/model.h"
#include "lwc/protocol.h"

namespace lwc::hub {

using json = nlohmann::json;

namespace {

Response json_ok(const json& body) {
  Response r;
  r.body = body.dump();
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// A figure's as-of moment: the date alone when it is a midnight (figures are "as of a day"),
// otherwise date and time.
std::string as_of_text(int64_t ms, Lang lang) {
  if (ms <= 0) return std::string(tr("web.no_data", lang));
  const Date d = thai_date(ms);
  return ms == thai_midnight_ms(d) ? format_date_long(d, lang) : format_time_long(ms, lang);
}

json figure_json(const IndicatorFigure& f, double expected_pct, Lang lang, bool with_sources) {
  json j = {{"any", f.any},
            {"value", f.value},
            {"target", f.target},
            {"pct", f.pct},
            {"expected_pct", expected_pct},
            {"verified", f.any && f.verified},
            {"as_of", f.as_of > 0 ? json(f.as_of) : json(nullptr)},
            {"as_of_text", as_of_text(f.any ? f.as_of : 0, lang)}};
  if (with_sources) j["sources"] = f.sources;  // free text an officer typed: not for the public
  return j;
}

const char* status_name(const DistrictStatus& d) {
  if (d.worst_stage > 0) return stage_name(static_cast<Stage>(d.worst_stage));
  if (!d.budget.any && !d.bmn.any) return "no_data";
  return "ok";
}

std::optional<Lang> parse_lang(const std::map<std::string, std::string>& query) {
  auto it = query.find("lang");
  if (it == query.end() || it->second == "th") return Lang::kTh;
  if (it->second == "en") return Lang::kEn;
  return std::nullopt;
}

// "/v1/status?lang=en" -> path and query (no percent-decoding: the values used here are plain).
std::map<std::string, std::string> query_of(const std::string& target) {
  std::map<std::string, std::string> q;
  const size_t start = target.find('?');
  if (start == std::string::npos) return q;
  size_t pos = start + 1;
  while (pos <= target.size()) {
    size_t amp = target.find('&', pos);
    if (amp == std::string::npos) amp = target.size();
    const std::string part = target.substr(pos, amp - pos);
    const size_t eq = part.find('=');
    if (!part.empty()) q[part.substr(0, eq)] = eq == std::string::npos ? "" : part.substr(eq + 1);
    pos = amp + 1;
  }
  return q;
}

bool is_row_id(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

bool is_open(const Row& row) {
  const FieldVersion* cleared = row.find("cleared_at");
  return !row.deleted() && (!cleared || cleared->value == "null");
}

// Security headers of every page file: nothing from elsewhere, no inline script.
void page_headers(Response& r) {
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; style-src 'self'; "
                         "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                         "base-uri 'none'; form-action 'self'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control", "no-cache");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
std::string pick_language(const std::string& text, Lang lang) {
  const size_t sep = text.find(" / ");
  if (sep == std::string::npos) return text;
  return lang == Lang::kTh ? text.substr(0, sep) : text.substr(sep + 3);
}

std::string format_date_full(const Date& d, Lang lang) {
  const std::string month(tr("web.month." + std::to_string(d.month), lang));
  const int year = lang == Lang::kTh ? be_year(d.year) : d.year;
  return std::to_string(d.day) + " " + month + " " + std::to_string(year);
}

json status_json(const ProvinceStatus& p, const Leaderboard* award, Lang lang, bool with_sources) {
  json districts = json::array();
  for (const DistrictStatus& d : p.districts) {
    const SubmissionRecord& s = d.submissions;
    districts.push_back(
        json{{"code", d.code},
             {"name", d.name(lang)},
             {"status", status_name(d)},
             {"budget", figure_json(d.budget, d.budget_expected_pct, lang, with_sources)},
             {"bmn", figure_json(d.bmn, d.bmn_expected_pct, lang, with_sources)},
             {"reports",
              {{"on_time", s.on_time},
               {"late", s.late},
               {"returned", s.returned},
               {"missing", s.missing},
               {"pending", s.pending},
               {"due", s.due()}}},
             {"warnings",
              {{"warn", d.open_by_stage[1]},
               {"follow", d.open_by_stage[2]},
               {"demand", d.open_by_stage[3]},
               {"escalated", d.open_by_stage[4]},
               {"open", d.open_warnings()}}}});
  }
  json out = {{"lang", lang == Lang::kTh ? "th" : "en"},
              {"at_ms", p.at_ms},
              {"at_text", format_time_long(p.at_ms, lang)},
              {"fiscal_year", lang == Lang::kTh ? p.fiscal_year : p.fiscal_year - 543},
              {"week", p.week},
              {"monday", format_date(p.monday)},
              {"monday_text", format_date_long(p.monday, lang)},
              {"districts", std::move(districts)},
              {"award", nullptr}};
  if (!p.districts.empty()) {
    out["expected"] = {{"budget_pct", p.districts.front().budget_expected_pct},
                       {"bmn_pct", p.districts.front().bmn_expected_pct}};
  }
  if (award) {
    json scores = json::array();
    for (const AwardScore& s : award->scores) {  // figures only: never the breakdown's submitters
      scores.push_back(json{{"rank", s.ranked() ? json(s.rank) : json(nullptr)},
                            {"medal", s.medal},
                            {"nothing_due", !s.ranked()},
                            {"code", s.district},
                            {"name", lang == Lang::kTh ? s.name_th : s.name_en},
                            {"percent", s.percent},
                            {"points", s.points},
                            {"max_points", s.max_points},
                            {"on_time", s.on_time},
                            {"late", s.late + s.very_late},
                            {"missing", s.missing},
                            {"returned", s.returned},
                            {"pending", s.pending}});
    }
    Date month{2000, 1, 1};
    if (auto m = parse_date(award->month + "-01"); m.ok()) month = *m;
    const std::string month_name(tr("web.month." + std::to_string(month.month), lang));
    out["award"] = {
        {"month", award->month},
        {"month_text",
         month_name + " " + std::to_string(lang == Lang::kTh ? be_year(month.year) : month.year)},
        {"final", award->final},
        {"at_ms", award->at_ms},
        {"at_text", format_time_long(award->at_ms, lang)},
        {"scores", std::move(scores)}};
  }
  return out;
}

const char* letter_kind(Stage stage) {
  return stage == Stage::kWarn || stage == Stage::kFollow ? "warning" : "demand";
}

json letter_json(const Warning& w, const LetterContext& ctx, Lang lang) {
  const std::string kind = letter_kind(w.stage);
  const std::string district = ctx.district_name.empty() ? w.district : ctx.district_name;
  std::string topic, para1;
  std::string fiscal = "";
  {  // curve subjects are "indicator/FY/…"
    const size_t a = w.subject.find('/');
    const size_t b = a == std::string::npos ? a : w.subject.find('/', a + 1);
    if (a != std::string::npos) fiscal = w.subject.substr(a + 1, b - a - 1);
    if (lang == Lang::kEn && !fiscal.empty()) {
      try {
        fiscal = std::to_string(std::stoi(fiscal) - 543);
      } catch (...) {
      }
    }
  }
  std::string due_text = w.due;
  if (auto due = parse_date(w.due); due.ok()) due_text = format_date_full(*due, lang);
  if (w.rule == kRuleTaskDeadline) {
    topic = pick_language(ctx.task_title.empty() ? w.title : ctx.task_title, lang);
    para1 = fmt("web.letter.para1.task", lang, {district, topic, due_text});
  } else {
    topic = pick_language(w.title, lang);
    para1 = fmt(w.rule == kRuleBmnCurve ? "web.letter.para1.bmn" : "web.letter.para1.budget", lang,
                {district, fiscal});
  }
  // The rule's verdict without its "title: " prefix (the first paragraph names the topic).
  std::string finding = lang == Lang::kTh ? w.message_th : w.message_en;
  if (finding.rfind(w.title + ": ", 0) == 0) {
    finding = finding.substr(w.title.size() + 2);
    if (w.rule != kRuleTaskDeadline) finding = topic + " " + finding;
  }
  if (w.unverified) finding += tr("web.letter.unverified", lang);
  const std::string source = w.data_source.empty() ? std::string(tr("web.source.unknown", lang))
                             : w.data_source == "submission"
                                 ? std::string(tr("web.source.submission", lang))
                                 : w.data_source;
  const int64_t as_of =
      w.data_as_of > 0 ? w.data_as_of : (w.rule == kRuleTaskDeadline ? ctx.now_ms : 0);
  std::string reference;
  if (!ctx.task_letter_no.empty()) {
    std::string issued = ctx.task_issued;
    if (auto d = parse_date(ctx.task_issued); d.ok()) issued = format_date_full(*d, lang);
    reference = fmt("web.letter.ref", lang, {ctx.task_letter_no, issued});
  }
  return json{{"id", w.id},
              {"kind", kind},
              {"kind_text", tr("web.letter.kind." + kind, lang)},
              {"stage", stage_name(w.stage)},
              {"stage_text", tr(std::string("stage.") + stage_name(w.stage), lang)},
              {"lang", lang == Lang::kTh ? "th" : "en"},
              {"district", w.district},
              {"district_name", district},
              {"heading", tr("web.letter.heading", lang)},
              {"office", tr("notify.office.province", lang)},
              {"ref", ctx.letter_ref + "/"},
              {"date_text", format_date_full(thai_date(ctx.now_ms), lang)},
              {"subject", fmt("web.letter.subject." + kind, lang, {topic})},
              {"to", fmt("web.letter.to", lang, {district})},
              {"reference", reference},
              {"body",
               {para1, fmt("web.letter.para2", lang, {finding, as_of_text(as_of, lang), source}),
                fmt("web.letter.para3." + kind, lang, {district})}},
              {"closing", tr("web.letter.close." + kind, lang)},
              {"signer_position", tr("web.letter.signer", lang)},
              {"due", w.due},
              {"due_text", due_text},
              {"raised_at", w.raised_at},
              {"data_as_of", w.data_as_of > 0 ? json(w.data_as_of) : json(nullptr)},
              {"cleared", ctx.cleared}};
}

// ---------------------------------------------------------------------------------------------
StatusFeed::StatusFeed(EventBus& source, int64_t min_interval_ms)
    : source_(source), min_interval_ms_(min_interval_ms) {
  subscription_ = source_.subscribe(ScopeFilter::everything(), [this](const std::string&) {
    {
      std::lock_guard lock(mu_);
      pending_ = true;
    }
    cv_.notify_one();
  });
  thread_ = std::thread([this] { loop(); });
}

StatusFeed::~StatusFeed() {
  source_.unsubscribe(subscription_);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

uint64_t StatusFeed::published() const {
  std::lock_guard lock(mu_);
  return published_;
}

void StatusFeed::loop() {
  using clock = std::chrono::steady_clock;
  const auto interval = std::chrono::milliseconds(min_interval_ms_);
  clock::time_point last = clock::now() - interval;
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return pending_ || stopping_; });
    if (stopping_) return;
    // Throttle: the first change goes at once; changes within the interval wait for its end and
    // then go out as one event.
    if (cv_.wait_until(lock, last + interval, [&] { return stopping_; })) return;
    pending_ = false;
    ++published_;
    last = clock::now();
    lock.unlock();
    out_.publish({}, "event: status\ndata: {}\n\n");
    lock.lock();
  }
}

// ---------------------------------------------------------------------------------------------
std::optional<Response> HubService::web(const Request& r, const std::string& path) {
  // The page files: no data in them, so no login.
  std::string asset;
  if (path == "/" || path == "/status") asset = "index.html";
  if (path == "/letters" || path.rfind("/letters/", 0) == 0) asset = "letter.html";
  if (path.rfind("/web/", 0) == 0) asset = path.substr(5);
  if (!asset.empty()) {
    const WebAsset* file = find_web_asset(asset);
    if (r.method != "GET" || !file) {
      return error_response(Status(Code::kNotFound, "no such endpoint"));
    }
    Response resp;
    resp.content_type = std::string(file->content_type);
    resp.body = std::string(file->body);
    page_headers(resp);
    return resp;
  }

  const bool status = path == "/v1/status";
  const bool letters = path == "/v1/letters" || path.rfind("/v1/letters/", 0) == 0;
  if (path == "/v1/status/events") {
    return error_response(Status(
        Code::kUnsupported, "/v1/status/events is a stream; the server answers it, not handle()"));
  }
  if (!status && !letters) return std::nullopt;
  if (r.method != "GET") return error_response(Status(Code::kNotFound, "use GET"));
  const auto query = query_of(r.target);
  const std::optional<Lang> lang = parse_lang(query);
  if (!lang) return error_response(Status(Code::kInvalidArgument, "lang must be th or en"));

  // Who asks: public status needs nobody; a bad token on a public page is the same as none.
  std::optional<Session> session;
  if (!r.header("authorization").empty() || !status || !config_.web.public_page) {
    auto s = authenticate(r);
    if (s.ok()) {
      session = *s;
      (void)accounts_->touch_device(s->device_id);
    } else if (!status || !config_.web.public_page) {
      return error_response(s.status());
    }
  }
  const int64_t now = clock_.now_ms();

  if (status) {
    // One computation per store change (or kStatusMaxAgeMs) however many browsers ask.
    constexpr int64_t kStatusMaxAgeMs = 5000;
    const std::string key =
        std::string(*lang == Lang::kTh ? "th" : "en") + (session ? "+sources" : "");
    Result<RuleInputs> inputs = Status(Code::kInternal, "unset");
    int64_t seq = 0;
    {
      std::lock_guard lock(store_mu_);
      seq = store_->last_seq();
      {
        std::lock_guard cache_lock(status_cache_mu_);
        auto it = status_cache_.find(key);
        if (it != status_cache_.end() && it->second.seq == seq && now >= it->second.at_ms &&
            now - it->second.at_ms < kStatusMaxAgeMs) {
          Response cached;
          cached.body = it->second.body;
          cached.headers.emplace_back("Cache-Control", "no-store");
          return cached;
        }
      }
      inputs = load_rule_inputs(*store_, ScopeFilter::everything());
    }
    if (!inputs.ok()) return error_response(inputs.status());
    std::vector<Warning> open;
    for (Warning& w : evaluate_rules(*inputs, config_.rules, now)) {
      if (w.silenced_by.empty()) open.push_back(std::move(w));
    }
    const ProvinceStatus ps = province_status(*inputs, config_.rules, open, now);
    const Date today = thai_date(now);
    char month[8];
    std::snprintf(month, sizeof month, "%04d-%02d", today.year, today.month);
    const Leaderboard award = monthly_award(*inputs, config_.rules, config_.award, month, now);
    json out = status_json(ps, &award, *lang, session.has_value());
    if (out.contains("expected")) {
      out["expected"]["budget_tolerance_pct"] = config_.rules.budget.tolerance_pct;
      out["expected"]["bmn_tolerance_pct"] = config_.rules.bmn.tolerance_pct;
    }
    Response resp = json_ok(out);
    std::lock_guard cache_lock(status_cache_mu_);
    status_cache_[key] = StatusAnswer{seq, now, resp.body};
    return resp;
  }

  // Letters: official documents of the province, so province, executive and admin accounts only.
  if (session->principal.role == Role::kDistrict) {
    return refuse_read(*session, path,
                       Status(Code::kPermissionDenied, "letters are issued by the province"));
  }
  const std::string id = path.size() > 12 ? path.substr(12) : "";
  if (path != "/v1/letters" && !is_row_id(id)) {
    return error_response(Status(Code::kNotFound, "no warning " + id));
  }
  std::map<std::string, std::string> names;  // district code -> name in lang
  std::vector<Row> warnings;
  std::optional<Row> row, task;
  {
    std::lock_guard lock(store_mu_);
    auto districts = store_->rows("district", ScopeFilter::everything());
    if (!districts.ok()) return error_response(districts.status());
    for (const Row& d : *districts) {
      names[text_field(d, "code")] = text_field(d, *lang == Lang::kTh ? "name_th" : "name_en");
    }
    if (id.empty()) {
      auto all = store_->rows("warning", ScopeFilter::everything());
      if (!all.ok()) return error_response(all.status());
      warnings = std::move(all).value();
    } else {
      auto found = store_->get_row("warning", id);
      if (!found.ok()) return error_response(found.status());
      row = std::move(found).value();
      if (row) {
        auto w = warning_from_row(*row);
        if (w.ok() && w->rule == kRuleTaskDeadline) {
          auto t = store_->get_row("task", w->subject);
          if (t.ok()) task = std::move(t).value();
        }
      }
    }
  }
  if (id.empty()) {  // the index: every open warning, most urgent first
    std::vector<Warning> open;
    for (const Row& w : warnings) {
      if (!is_open(w)) continue;
      auto parsed = warning_from_row(w);
      if (parsed.ok()) open.push_back(std::move(parsed).value());
    }
    std::sort(open.begin(), open.end(), more_urgent);
    json list = json::array();
    std::set<std::string> subjects;  // one letter per subject: its highest open stage
    for (const Warning& w : open) {
      if (!subjects.insert(w.rule + "\n" + w.subject + "\n" + w.district).second) continue;
      std::string due_text = w.due;
      if (auto d = parse_date(w.due); d.ok()) due_text = format_date_long(*d, *lang);
      list.push_back(
          json{{"id", w.id},
               {"kind", letter_kind(w.stage)},
               {"kind_text", tr(std::string("web.letter.kind.") + letter_kind(w.stage), *lang)},
               {"stage", stage_name(w.stage)},
               {"stage_text", tr(std::string("stage.") + stage_name(w.stage), *lang)},
               {"district", w.district},
               {"district_name", names[w.district]},
               {"title", pick_language(w.title, *lang)},
               {"due", w.due},
               {"due_text", due_text}});
    }
    return json_ok(json{
        {"letters", std::move(list)}, {"at_ms", now}, {"at_text", format_time_long(now, *lang)}});
  }
  if (!row || row->deleted()) return error_response(Status(Code::kNotFound, "no warning " + id));
  auto w = warning_from_row(*row);
  if (!w.ok()) return error_response(w.status());
  LetterContext ctx;
  ctx.district_name = names[w->district];
  ctx.letter_ref = config_.web.letter_ref;
  ctx.now_ms = now;
  ctx.cleared = !is_open(*row);
  if (task) {
    ctx.task_title = text_field(*task, "title");
    ctx.task_letter_no = text_field(*task, "letter_no");
    ctx.task_issued = text_field(*task, "issued");
  }
  return json_ok(letter_json(*w, ctx, *lang));
}

}  // namespace lwc::hub
