// The outbox (notify.db), the message templates and the Notifier's delivery thread. The channels
// themselves (libcurl) are in channels.cpp.
#include "lwc/hub/notify.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>

#include "lwc/calendar.h"
#include "lwc/i18n.h"

namespace lwc::hub {

namespace {
using nlohmann::json;

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS outbox(
  key TEXT PRIMARY KEY, channel TEXT NOT NULL, recipient TEXT NOT NULL, office TEXT NOT NULL,
  kind TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL, sent_ms INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_ms);
CREATE TABLE IF NOT EXISTS digest_items(
  office TEXT NOT NULL, day TEXT NOT NULL, warning_id TEXT NOT NULL, due_ms INTEGER NOT NULL,
  line_th TEXT NOT NULL, line_en TEXT NOT NULL, warning TEXT NOT NULL,
  PRIMARY KEY(office, day, warning_id));
PRAGMA user_version=1;
)sql";

constexpr const char* kColumns =
    "key,channel,recipient,office,kind,body,state,attempts,created_ms,next_attempt_ms,sent_ms,"
    "last_error";

std::string body_json(const OutMessage& m) {
  json b{{"subject", m.subject},
         {"text_th", m.text_th},
         {"text_en", m.text_en},
         {"warnings", m.warnings}};
  if (!m.png.empty()) b["png_base64"] = base64(m.png);
  return b.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string unbase64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return {};
  }
  out.resize(len);
  return out;
}

OutboxEntry read_entry(const sql::Stmt& st) {
  OutboxEntry e;
  e.message.key = st.col_text(0);
  e.message.channel = st.col_text(1);
  e.message.recipient = st.col_text(2);
  e.message.office = st.col_text(3);
  e.message.kind = st.col_text(4);
  json b = json::parse(st.col_view(5), nullptr, false);
  if (b.is_object()) {
    e.message.subject = b.value("subject", "");
    e.message.text_th = b.value("text_th", "");
    e.message.text_en = b.value("text_en", "");
    if (b.contains("warnings")) e.message.warnings = b["warnings"];
    if (b.contains("png_base64")) e.message.png = unbase64(b.value("png_base64", ""));
  }
  const std::string state = st.col_text(6);
  e.state = state == "sent"     ? OutState::kSent
            : state == "failed" ? OutState::kFailed
                                : OutState::kPending;
  e.attempts = static_cast<int>(st.col_int(7));
  e.created_ms = st.col_int(8);
  e.next_attempt_ms = st.col_int(9);
  e.sent_ms = st.col_int(10);
  e.last_error = st.col_text(11);
  return e;
}

// FNV-1a, 64 bits, as 16 hex digits: a short stable name for a set of warning ids.
std::string short_hash(const std::vector<std::string>& parts) {
  uint64_t h = 1469598103934665603ULL;
  for (const std::string& p : parts) {
    for (unsigned char c : p) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;  // separator
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

uint64_t splitmix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string date_long(const std::string& ymd, Lang lang) {
  auto d = parse_date(ymd);
  return d.ok() ? format_date_long(*d, lang) : ymd;
}

// The Thai date whose digest a warning raised at now_ms joins: today if today's digest hour is
// still ahead, else tomorrow. Returns the date and the moment that digest goes out.
std::pair<Date, int64_t> digest_slot(int64_t now_ms, int hour) {
  Date d = thai_date(now_ms);
  int64_t due = thai_midnight_ms(d) + int64_t(hour) * 3'600'000;
  if (now_ms >= due) {
    d = civil_from_days(days_from_civil(d) + 1);
    due = thai_midnight_ms(d) + int64_t(hour) * 3'600'000;
  }
  return {d, due};
}

}  // namespace

const char* out_state_name(OutState s) {
  switch (s) {
    case OutState::kPending:
      return "pending";
    case OutState::kSent:
      return "sent";
    case OutState::kFailed:
      return "failed";
  }
  return "pending";
}

std::string base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// ---------------------------------------------------------------------------------------------
// Outbox

Result<std::unique_ptr<Outbox>> Outbox::open(const std::string& path) {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium failed to initialise");
  auto db = sql::Db::open(path, /*durable=*/true);
  if (!db.ok()) return db.status();
  {
    auto v = db->prepare("PRAGMA user_version");
    if (!v.ok()) return v.status();
    if (v->step() && v->col_int(0) > 1) {
      return Status(Code::kSchemaTooNew, path + " was written by a newer LWC (schema " +
                                             std::to_string(v->col_int(0)) + ")");
    }
  }
  LWC_RETURN_IF_ERROR(db->exec(kSchema));
  return std::unique_ptr<Outbox>(new Outbox(std::move(db).value()));
}

Status Outbox::enqueue_locked(const std::vector<OutMessage>& messages, int64_t now_ms, int* added) {
  auto st = db_.prepare(
      "INSERT OR IGNORE INTO outbox(key,channel,recipient,office,kind,body,created_ms,"
      "next_attempt_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?7)");
  if (!st.ok()) return st.status();
  for (const OutMessage& m : messages) {
    st->reset();
    st->bind(1, m.key).bind(2, m.channel).bind(3, m.recipient).bind(4, m.office).bind(5, m.kind);
    st->bind(6, body_json(m)).bind(7, now_ms);
    LWC_RETURN_IF_ERROR(st->run());
    *added += static_cast<int>(db_.changes());
  }
  return {};
}

Result<int> Outbox::enqueue(const std::vector<OutMessage>& messages, int64_t now_ms) {
  std::lock_guard lock(db_mu_);
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  int added = 0;
  LWC_RETURN_IF_ERROR(enqueue_locked(messages, now_ms, &added));
  LWC_RETURN_IF_ERROR(txn.commit());
  return added;
}

Result<std::vector<OutboxEntry>> Outbox::select_locked(const std::string& where_sql, int64_t arg,
                                                       int limit) {
  auto st =
      db_.prepare(std::string("SELECT ") + kColumns + " FROM outbox " + where_sql + " LIMIT ?2");
  if (!st.ok()) return st.status();
  st->bind(1, arg).bind(2, int64_t(limit));
  std::vector<OutboxEntry> out;
  while (st->step()) out.push_back(read_entry(*st));
  LWC_RETURN_IF_ERROR(st->last_status());
  return out;
}

Result<std::vector<OutboxEntry>> Outbox::due(int64_t now_ms, int limit) {
  std::lock_guard lock(db_mu_);
  return select_locked(
      "WHERE state='pending' AND next_attempt_ms<=?1 ORDER BY next_attempt_ms, created_ms, key",
      now_ms, limit);
}

Result<std::vector<OutboxEntry>> Outbox::list(int limit) {
  std::lock_guard lock(db_mu_);
  return select_locked("WHERE ?1=?1 ORDER BY created_ms DESC, rowid DESC", 0, limit);
}

Result<std::optional<OutboxEntry>> Outbox::get(const std::string& key) {
  std::lock_guard lock(db_mu_);
  auto st = db_.prepare(std::string("SELECT ") + kColumns + " FROM outbox WHERE key=?1");
  if (!st.ok()) return st.status();
  st->bind(1, key);
  if (st->step()) return std::optional<OutboxEntry>(read_entry(*st));
  LWC_RETURN_IF_ERROR(st->last_status());
  return std::optional<OutboxEntry>();
}

Result<std::optional<int64_t>> Outbox::next_attempt_ms() {
  std::lock_guard lock(db_mu_);
  auto st = db_.prepare("SELECT min(next_attempt_ms) FROM outbox WHERE state='pending'");
  if (!st.ok()) return st.status();
  if (st->step() && !st->col_is_null(0)) return std::optional<int64_t>(st->col_int(0));
  LWC_RETURN_IF_ERROR(st->last_status());
  return std::optional<int64_t>();
}

Status Outbox::mark_sent(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(db_mu_);
  auto st =
      db_.prepare("UPDATE outbox SET state='sent', attempts=attempts+1, sent_ms=?2 WHERE key=?1");
  if (!st.ok()) return st.status();
  st->bind(1, key).bind(2, now_ms);
  return st->run();
}

Status Outbox::mark_retry(const std::string& key, const std::string& error,
                          int64_t next_attempt_ms) {
  std::lock_guard lock(db_mu_);
  auto st = db_.prepare(
      "UPDATE outbox SET attempts=attempts+1, last_error=?2, next_attempt_ms=?3 WHERE key=?1");
  if (!st.ok()) return st.status();
  st->bind(1, key).bind(2, error).bind(3, next_attempt_ms);
  return st->run();
}

Status Outbox::mark_failed(const std::string& key, const std::string& error, int64_t now_ms) {
  std::lock_guard lock(db_mu_);
  auto st = db_.prepare(
      "UPDATE outbox SET state='failed', attempts=attempts+1, last_error=?2, next_attempt_ms=?3 "
      "WHERE key=?1");
  if (!st.ok()) return st.status();
  st->bind(1, key).bind(2, error).bind(3, now_ms);
  return st->run();
}

Status Outbox::add_digest_items(const std::vector<DigestItem>& items) {
  std::lock_guard lock(db_mu_);
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  auto st = db_.prepare(
      "INSERT OR IGNORE INTO digest_items(office,day,warning_id,due_ms,line_th,line_en,warning) "
      "VALUES(?1,?2,?3,?4,?5,?6,?7)");
  if (!st.ok()) return st.status();
  for (const DigestItem& i : items) {
    st->reset();
    st->bind(1, i.office).bind(2, i.day).bind(3, i.warning_id).bind(4, i.due_ms);
    st->bind(5, i.line_th).bind(6, i.line_en).bind(7, i.warning.dump());
    LWC_RETURN_IF_ERROR(st->run());
  }
  return txn.commit();
}

Result<std::vector<std::vector<DigestItem>>> Outbox::due_digests(int64_t now_ms) {
  std::lock_guard lock(db_mu_);
  auto st = db_.prepare(
      "SELECT office,day,warning_id,due_ms,line_th,line_en,warning FROM digest_items "
      "WHERE (office,day) IN (SELECT office,day FROM digest_items WHERE due_ms<=?1) "
      "ORDER BY office, day, warning_id");
  if (!st.ok()) return st.status();
  st->bind(1, now_ms);
  std::vector<std::vector<DigestItem>> groups;
  while (st->step()) {
    DigestItem i{st->col_text(0),
                 st->col_text(1),
                 st->col_text(2),
                 st->col_int(3),
                 st->col_text(4),
                 st->col_text(5),
                 json::parse(st->col_view(6), nullptr, false)};
    if (groups.empty() || groups.back().front().office != i.office ||
        groups.back().front().day != i.day) {
      groups.emplace_back();
    }
    groups.back().push_back(std::move(i));
  }
  LWC_RETURN_IF_ERROR(st->last_status());
  return groups;
}

Result<std::optional<int64_t>> Outbox::next_digest_ms() {
  std::lock_guard lock(db_mu_);
  auto st = db_.prepare("SELECT min(due_ms) FROM digest_items");
  if (!st.ok()) return st.status();
  if (st->step() && !st->col_is_null(0)) return std::optional<int64_t>(st->col_int(0));
  LWC_RETURN_IF_ERROR(st->last_status());
  return std::optional<int64_t>();
}

Status Outbox::flush_digest(const std::vector<DigestItem>& items,
                            const std::vector<OutMessage>& messages, int64_t now_ms) {
  std::lock_guard lock(db_mu_);
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  int added = 0;
  LWC_RETURN_IF_ERROR(enqueue_locked(messages, now_ms, &added));
  auto del = db_.prepare("DELETE FROM digest_items WHERE office=?1 AND day=?2 AND warning_id=?3");
  if (!del.ok()) return del.status();
  for (const DigestItem& i : items) {
    del->reset();
    del->bind(1, i.office).bind(2, i.day).bind(3, i.warning_id);
    LWC_RETURN_IF_ERROR(del->run());
  }
  return txn.commit();
}

size_t Outbox::digest_size() {
  std::lock_guard lock(db_mu_);
  auto st = db_.prepare("SELECT count(*) FROM digest_items");
  if (!st.ok() || !st->step()) return 0;
  return static_cast<size_t>(st->col_int(0));
}

Result<std::map<std::string, OfficeName>> office_names_from_store(Store& store) {
  auto rows = store.rows("district", ScopeFilter::everything());
  if (!rows.ok()) return rows.status();
  auto text = [](const Row& r, const char* field) -> std::string {
    const FieldVersion* v = r.find(field);
    if (!v) return {};
    json j = json::parse(v->value, nullptr, false);
    return j.is_string() ? j.get<std::string>() : std::string();
  };
  std::map<std::string, OfficeName> out;
  for (const Row& r : *rows) {
    if (r.deleted()) continue;
    std::string code = text(r, "code");
    if (!code.empty()) out[code] = OfficeName{text(r, "name_th"), text(r, "name_en")};
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Templates (strings in shared/src/strings.cpp, section "notifications")

namespace {

struct Rendered {
  std::string subject, text_th, text_en;
};

std::string stage_label(Stage s, Lang lang) {
  return std::string(tr(std::string("stage.") + stage_name(s), lang));
}

// The data behind a warning: the figure's as-of time and source; for a task (nothing to measure)
// the moment the hub found it unsubmitted; for an indicator without a figure, says so.
std::string as_of_line(const Warning& w, int64_t now_ms, Lang lang) {
  if (w.data_as_of <= 0 && w.rule == kRuleTaskDeadline) {
    return fmt("notify.checked_at", lang, {format_time_long(now_ms, lang)});
  }
  if (w.data_as_of <= 0) return std::string(tr("notify.no_data", lang));
  return fmt("notify.as_of", lang,
             {format_time_long(w.data_as_of, lang), w.data_source.empty() ? "-" : w.data_source});
}

std::string message_of(const Warning& w, Lang lang) {
  const std::string& m = lang == Lang::kTh ? w.message_th : w.message_en;
  return m.empty() ? w.title : m;
}

}  // namespace

OfficeName Notifier::district_name(const std::string& code) const {
  auto it = options_.district_names.find(code);
  if (it != options_.district_names.end() && !it->second.th.empty()) return it->second;
  return OfficeName{code, code};
}

// ---------------------------------------------------------------------------------------------
// Notifier

Notifier::Notifier(NotifyConfig config, std::unique_ptr<Outbox> outbox, const Clock& clock,
                   NotifierOptions options)
    : config_(std::move(config)),
      outbox_(std::move(outbox)),
      clock_(clock),
      options_(std::move(options)),
      digest_hour_(options_.digest_hour),
      rng_(options_.jitter_seed ? options_.jitter_seed : std::random_device{}()) {
  if (config_.line) channels_["line"] = make_line_channel(*config_.line, &abort_);
  if (config_.email) channels_["email"] = make_email_channel(*config_.email, clock_, &abort_);
  if (config_.webhook) channels_["webhook"] = make_webhook_channel(*config_.webhook, &abort_);
}

Result<std::unique_ptr<Notifier>> Notifier::open(const NotifyConfig& config,
                                                 const std::string& outbox_path, const Clock& clock,
                                                 NotifierOptions options) {
  if (options.digest_hour < 0 || options.digest_hour > 23) {
    return Status(Code::kInvalidArgument, "digest_hour must be 0..23");
  }
  auto outbox = Outbox::open(outbox_path);
  if (!outbox.ok()) return outbox.status();
  return std::unique_ptr<Notifier>(
      new Notifier(config, std::move(outbox).value(), clock, std::move(options)));
}

Notifier::~Notifier() {
  stop();
}

void Notifier::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  abort_ = false;
  thread_ = std::thread([this] { run(); });
}

void Notifier::stop() {
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    abort_ = true;
  }
  cv_.notify_all();
  thread_.join();
  thread_ = std::thread();
}

void Notifier::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Notifier::set_digest_hour(int hour) {
  if (hour >= 0 && hour <= 23) digest_hour_ = hour;
}

std::vector<OutMessage> Notifier::fan_out(const std::string& key_prefix, const std::string& office,
                                          const OutMessage& content) const {
  std::vector<OutMessage> out;
  auto add = [&](const char* channel, const std::string& recipient) {
    OutMessage m = content;
    m.key = key_prefix + ":" + channel;
    m.channel = channel;
    m.recipient = recipient;
    m.office = office;
    out.push_back(std::move(m));
  };
  if (config_.line) {
    if (auto it = config_.line->to.find(office); it != config_.line->to.end())
      add("line", it->second);
  }
  if (config_.email) {
    if (auto it = config_.email->to.find(office); it != config_.email->to.end()) {
      add("email", it->second);
    }
  }
  if (config_.webhook) add("webhook", "");
  return out;
}

Status Notifier::notify_warnings(const std::vector<Warning>& newly_raised) {
  const int64_t now = clock_.now_ms();
  const std::string today = format_date(thai_date(now));
  std::vector<OutMessage> messages;
  std::vector<DigestItem> items;
  for (const Warning& w : newly_raised) {
    if (!w.silenced_by.empty()) continue;
    const OfficeName district = district_name(w.district);
    const std::string due_th = date_long(w.due, Lang::kTh), due_en = date_long(w.due, Lang::kEn);
    if (w.stage == Stage::kWarn && config_.digest) {
      auto [day, due_ms] = digest_slot(now, digest_hour_);
      DigestItem item;
      item.office = w.district;
      item.day = format_date(day);
      item.warning_id = w.id;
      item.due_ms = due_ms;
      item.line_th = fmt("notify.digest.item", Lang::kTh,
                         {message_of(w, Lang::kTh), due_th, as_of_line(w, now, Lang::kTh)});
      item.line_en = fmt("notify.digest.item", Lang::kEn,
                         {message_of(w, Lang::kEn), due_en, as_of_line(w, now, Lang::kEn)});
      item.warning = warning_json(w);
      items.push_back(std::move(item));
      continue;
    }
    OutMessage content;
    content.kind = "warning";
    const std::string place_th = fmt("notify.district", Lang::kTh, {district.th});
    const std::string place_en = fmt("notify.district", Lang::kEn, {district.en});
    content.subject = fmt("notify.warning.title", Lang::kTh,
                          {stage_label(w.stage, Lang::kTh), place_th, w.title});
    auto body = [&](Lang lang, const std::string& place, const std::string& due) {
      return fmt("notify.warning.title", lang,
                 {stage_label(w.stage, lang), place, message_of(w, lang)}) +
             "\n" + fmt("notify.due", lang, {due}) + "\n" + as_of_line(w, now, lang) + "\n" +
             std::string(tr("notify.ack", lang));
    };
    content.text_th = body(Lang::kTh, place_th, due_th);
    content.text_en = body(Lang::kEn, place_en, due_en);
    content.warnings = json::array({warning_json(w)});
    std::vector<std::string> offices{w.district};
    if (w.stage == Stage::kEscalated) {
      offices.push_back("executive");
      offices.push_back("province");
    }
    for (const std::string& office : offices) {
      auto fan = fan_out("w:" + w.id + ":" + office + ":" + today, office, content);
      messages.insert(messages.end(), fan.begin(), fan.end());
    }
  }
  if (!items.empty()) LWC_RETURN_IF_ERROR(outbox_->add_digest_items(items));
  if (!messages.empty()) {
    auto added = outbox_->enqueue(messages, now);
    if (!added.ok()) return added.status();
  }
  if (!items.empty() || !messages.empty()) wake();
  return {};
}

Status Notifier::enqueue_summary(const std::string& office, const std::string& text_th,
                                 const std::string& text_en, const std::string& png,
                                 const std::string& period) {
  if (!is_office(office)) {
    return Status(Code::kInvalidArgument, "'" + office + "' is not an office");
  }
  const int64_t now = clock_.now_ms();
  const std::string day = period.empty() ? format_date(thai_date(now)) : period;
  std::string name_th;
  if (office == "province" || office == "executive") {
    name_th = std::string(tr("notify.office." + office, Lang::kTh));
  } else {
    name_th = fmt("notify.district", Lang::kTh, {district_name(office).th});
  }
  OutMessage content;
  content.kind = "summary";
  content.subject = fmt("notify.summary.title", Lang::kTh, {name_th, date_long(day, Lang::kTh)});
  content.text_th = text_th;
  content.text_en = text_en;
  content.png = png;
  auto added = outbox_->enqueue(fan_out("s:" + office + ":" + day, office, content), now);
  if (!added.ok()) return added.status();
  wake();
  return {};
}

int64_t Notifier::backoff_ms(int attempts) {
  int64_t d = options_.first_retry_ms;
  for (int i = 1; i < attempts && d < options_.max_retry_ms; ++i) d *= 2;
  d = std::min(d, options_.max_retry_ms);
  const int64_t half = d / 2;
  return half + static_cast<int64_t>(splitmix64(&rng_) % static_cast<uint64_t>(d - half + 1));
}

void Notifier::deliver(const OutboxEntry& e) {
  const OutMessage& m = e.message;
  auto it = channels_.find(m.channel);
  Status sent = it == channels_.end()
                    ? Status(Code::kInvalidArgument,
                             "channel '" + m.channel + "' is not configured in hub.json any more")
                    : it->second->send(m);
  if (!sent.ok() && abort_) return;  // stopped mid-transfer: not an attempt; stays due
  const int64_t now = clock_.now_ms();
  Status s;
  if (sent.ok()) {
    s = outbox_->mark_sent(m.key, now);
  } else if (is_permanent_failure(sent)) {
    s = outbox_->mark_failed(m.key, sent.to_string(), now);
  } else if (now - e.created_ms >= options_.give_up_after_ms) {
    s = outbox_->mark_failed(
        m.key, "gave up after " + std::to_string(e.attempts + 1) + " attempts: " + sent.to_string(),
        now);
  } else {
    s = outbox_->mark_retry(m.key, sent.to_string(), now + backoff_ms(e.attempts + 1));
  }
  if (!s.ok())
    std::cerr << "lwc-hub notify: cannot record " << m.key << ": " << s.to_string() << "\n";
}

int64_t Notifier::work_once() {
  const int64_t now = clock_.now_ms();
  auto groups = outbox_->due_digests(now);
  if (!groups.ok()) {
    std::cerr << "lwc-hub notify: " << groups.status().to_string() << "\n";
    return now + options_.poll_ms;
  }
  for (const std::vector<DigestItem>& items : *groups) {
    const std::string& office = items.front().office;
    const std::string& day = items.front().day;
    const OfficeName district = district_name(office);
    std::vector<std::string> ids;
    OutMessage content;
    content.kind = "digest";
    const std::string count = std::to_string(items.size());
    const std::string place_th = fmt("notify.district", Lang::kTh, {district.th});
    const std::string place_en = fmt("notify.district", Lang::kEn, {district.en});
    content.subject =
        fmt("notify.digest.title", Lang::kTh,
            {stage_label(Stage::kWarn, Lang::kTh), place_th, date_long(day, Lang::kTh), count});
    content.text_th = content.subject;
    content.text_en =
        fmt("notify.digest.title", Lang::kEn,
            {stage_label(Stage::kWarn, Lang::kEn), place_en, date_long(day, Lang::kEn), count});
    for (size_t i = 0; i < items.size(); ++i) {
      ids.push_back(items[i].warning_id);
      content.text_th += "\n" + std::to_string(i + 1) + ". " + items[i].line_th;
      content.text_en += "\n" + std::to_string(i + 1) + ". " + items[i].line_en;
      content.warnings.push_back(items[i].warning);
    }
    content.text_th += "\n" + std::string(tr("notify.ack", Lang::kTh));
    content.text_en += "\n" + std::string(tr("notify.ack", Lang::kEn));
    auto messages = fan_out("d:" + office + ":" + day + ":" + short_hash(ids), office, content);
    Status s = outbox_->flush_digest(items, messages, now);
    if (!s.ok())
      std::cerr << "lwc-hub notify: digest " << office << " " << day << ": " << s.to_string()
                << "\n";
  }

  constexpr int kBatch = 50;
  auto due = outbox_->due(now, kBatch);
  if (!due.ok()) {
    std::cerr << "lwc-hub notify: " << due.status().to_string() << "\n";
    return now + options_.poll_ms;
  }
  for (const OutboxEntry& e : *due) {
    if (abort_) return now;
    deliver(e);
  }
  if (due->size() == kBatch) return clock_.now_ms();  // more are due
  int64_t next = now + options_.poll_ms;
  if (auto n = outbox_->next_attempt_ms(); n.ok() && *n) next = std::min(next, **n);
  if (auto n = outbox_->next_digest_ms(); n.ok() && *n) next = std::min(next, **n);
  return next;
}

void Notifier::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    const int64_t next = work_once();
    lock.lock();
    if (stopping_ || woken_) continue;
    // The clock may be fake (tests) or jump: never sleep longer than poll_ms without re-reading it.
    const int64_t wait = std::clamp<int64_t>(next - clock_.now_ms(), 1, options_.poll_ms);
    cv_.wait_for(lock, std::chrono::milliseconds(wait), [&] { return stopping_ || woken_; });
  }
}

}  // namespace lwc::hub
