// Outgoing notifications from the hub: LINE Messaging API push, e-mail over SMTP and a generic JSON
// webhook, through a persistent outbox with retries and backoff (docs/ARCHITECTURE.md, "Outgoing
// channels").
//
// Flow: the rule runner hands newly raised warnings to Notifier::notify_warnings(). Follow, demand
// and escalated warnings become one message per warning per office per channel at once (escalated
// ones also go to "executive" and "province"); warn-stage warnings wait in a per-office digest that
// is sent as ONE message per office per day at the digest hour (Thai time). Every message is first
// written to the outbox (DATA_DIR/notify.db, synchronous=FULL) and only then sent, by the
// Notifier's own thread — never the network thread, never under the hub store lock.
//
// Outbox file format (SQLite, PRAGMA user_version = 1):
//   outbox(key TEXT PRIMARY KEY,        -- idempotency key: enqueueing the same key again is a
//   no-op
//          channel, recipient, office, kind,
//          body TEXT,                   -- JSON {subject, text_th, text_en, warnings[],
//          png_base64?} state TEXT,                  -- 'pending' | 'sent' | 'failed' (permanent,
//          see last_error) attempts, created_ms, next_attempt_ms, sent_ms, last_error)
//   digest_items(office, day, warning_id, due_ms, line_th, line_en, warning TEXT,
//                PRIMARY KEY(office, day, warning_id))
//     -- warn-stage warnings waiting for the office's digest of `day` (Thai date, sent at due_ms)
//
// Keys: "w:<warning id>:<office>:<Thai date>:<channel>" (the same warning offered twice in a day is
// sent once; raised again on a later day — cleared, then back — it is sent again),
// "d:<office>:<day>:<hash of warning ids>:<channel>", "s:<office>:<period>:<channel>".
// Delivery is at least once; LINE pushes carry X-Line-Retry-Key and webhook posts an
// Idempotency-Key header derived from the key, so a retry after a lost answer is recognised by
// the receiver.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lwc/clock.h"
#include "lwc/hub/notify_config.h"
#include "lwc/sqlite.h"
#include "lwc/status.h"
#include "lwc/store.h"
#include "lwc/warnings.h"

namespace lwc::hub {

// One message to one recipient on one channel.
struct OutMessage {
  std::string key;        // idempotency key, unique in the outbox
  std::string channel;    // "line" | "email" | "webhook"
  std::string recipient;  // LINE id or e-mail address; "" for the webhook (its URL is configured)
  std::string office;     // "5201".."5213" | "province" | "executive"
  std::string kind;       // "warning" | "digest" | "summary"
  std::string subject;    // one line, Thai first (the e-mail subject)
  std::string text_th, text_en;
  nlohmann::json warnings = nlohmann::json::array();  // warning_json() of each warning behind it
  std::string png;  // optional image bytes (weekly summary chart); e-mail and webhook only
};

enum class OutState { kPending, kSent, kFailed };
const char* out_state_name(OutState s);  // "pending" | "sent" | "failed"

struct OutboxEntry {
  OutMessage message;
  OutState state = OutState::kPending;
  int attempts = 0;
  int64_t created_ms = 0, next_attempt_ms = 0, sent_ms = 0;
  std::string last_error;
};

// A warn-stage warning waiting for its office's daily digest.
struct DigestItem {
  std::string office, day;  // day: the Thai date the digest goes out, "YYYY-MM-DD"
  std::string warning_id;
  int64_t due_ms = 0;  // the digest hour of `day`
  std::string line_th, line_en;
  nlohmann::json warning;  // warning_json()
};

// The persistent outbox. Every write is one durable transaction (synchronous=FULL): when a call
// returns ok, the change survives a crash. Thread-safe (one connection behind db_mu_).
class Outbox {
 public:
  static Result<std::unique_ptr<Outbox>> open(const std::string& path);

  // Adds the messages whose key is not there yet (a known key is left as it is), pending and due
  // at now_ms. Returns how many were new.
  Result<int> enqueue(const std::vector<OutMessage>& messages, int64_t now_ms);
  // Pending messages due at now_ms, earliest first, at most `limit`.
  Result<std::vector<OutboxEntry>> due(int64_t now_ms, int limit);
  // The earliest next_attempt_ms of any pending message.
  Result<std::optional<int64_t>> next_attempt_ms();
  Status mark_sent(const std::string& key, int64_t now_ms);
  // Counts a failed attempt; the message stays pending until next_attempt_ms.
  Status mark_retry(const std::string& key, const std::string& error, int64_t next_attempt_ms);
  // Counts a failed attempt and gives the message up for good (state 'failed').
  Status mark_failed(const std::string& key, const std::string& error, int64_t now_ms);
  // Every message, newest first (the officers' view: `lwc-hub notify list`).
  Result<std::vector<OutboxEntry>> list(int limit);
  Result<std::optional<OutboxEntry>> get(const std::string& key);

  // Adds digest items (an item already waiting is left as it is).
  Status add_digest_items(const std::vector<DigestItem>& items);
  // The (office, day) groups with due_ms <= now_ms, each with all its items sorted by warning id.
  Result<std::vector<std::vector<DigestItem>>> due_digests(int64_t now_ms);
  // The earliest due_ms of any waiting item.
  Result<std::optional<int64_t>> next_digest_ms();
  // In one transaction: enqueue the digest messages and remove the items they carry.
  Status flush_digest(const std::vector<DigestItem>& items, const std::vector<OutMessage>& messages,
                      int64_t now_ms);
  size_t digest_size();

 private:
  explicit Outbox(sql::Db db) : db_(std::move(db)) {}
  Status enqueue_locked(const std::vector<OutMessage>& messages, int64_t now_ms, int* added);
  Result<std::vector<OutboxEntry>> select_locked(const std::string& where_sql, int64_t arg,
                                                 int limit);

  std::mutex db_mu_;
  sql::Db db_;  // guarded by db_mu_
};

// One delivery channel. send() is called from the Notifier's thread only, one message at a time.
// Ok: delivered (or already delivered, as the receiver says). A failed Status is permanent when
// is_permanent_failure() says so (bad request, refused credentials, unknown recipient); otherwise
// (5xx, 408, 429, timeouts, connection errors) the message is retried later.
class Channel {
 public:
  virtual ~Channel() = default;
  virtual Status send(const OutMessage& message) = 0;
};
bool is_permanent_failure(const Status& s);

// `abort` is polled during a transfer; when it turns true the transfer stops with kIo.
std::unique_ptr<Channel> make_line_channel(const LineChannelConfig& c,
                                           const std::atomic<bool>* abort);
std::unique_ptr<Channel> make_email_channel(const EmailChannelConfig& c, const Clock& clock,
                                            const std::atomic<bool>* abort);
std::unique_ptr<Channel> make_webhook_channel(const WebhookChannelConfig& c,
                                              const std::atomic<bool>* abort);

// Helpers of the channels, exposed for tests.
// The longest prefix of valid UTF-8 `s` that is at most max_units UTF-16 code units (LINE counts
// text length that way); "…" replaces the cut part. Never splits a character.
std::string truncate_utf16(const std::string& s, size_t max_units);
// An RFC 2047 header value: ASCII-only text as is, otherwise "=?UTF-8?B?...?=" words of at most 75
// characters, split on character boundaries, folded with CRLF SP.
std::string encode_header_rfc2047(const std::string& text);
std::string base64(const std::string& bytes);
// A UUID-shaped hex string derived from `key` (the same key gives the same UUID).
std::string uuid_from_key(const std::string& key);

struct OfficeName {
  std::string th, en;  // "เมืองลำปาง" / "Mueang Lampang"
};
// District names from the store's district rows (code -> names).
Result<std::map<std::string, OfficeName>> office_names_from_store(Store& store);

struct NotifierOptions {
  int digest_hour = 8;                          // RulesConfig::digest_hour; Thai hour 0..23
  int64_t first_retry_ms = 5'000;               // backoff: first delay, doubling per attempt,
  int64_t max_retry_ms = 3'600'000;             //   capped here; each delay is jittered to [d/2, d]
  int64_t give_up_after_ms = 7LL * 86'400'000;  // retrying stops this long after enqueueing
  int64_t poll_ms = 1'000;  // the longest the thread sleeps before reading the clock again
  std::map<std::string, OfficeName> district_names;  // for the templates; code when missing
  uint64_t jitter_seed = 0;                          // 0: random
};

// Owns the outbox, the channels and the delivery thread.
//
// Thread-safety: notify_warnings(), enqueue_summary(), set_digest_hour() and wake() may be called
// from any thread (they touch only the outbox, which locks itself, and atomics). The delivery
// thread never takes the hub store lock. start()/stop() from the owning thread.
class Notifier {
 public:
  // Opens (creating) the outbox at outbox_path and a channel for each configured one.
  static Result<std::unique_ptr<Notifier>> open(const NotifyConfig& config,
                                                const std::string& outbox_path, const Clock& clock,
                                                NotifierOptions options = {});
  ~Notifier();  // stop()
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Starts the delivery thread (no-op when running).
  void start();
  // Stops the thread promptly (a transfer in flight is aborted and its message stays pending,
  // without counting an attempt) and joins it. Pending messages stay in the outbox for the next
  // start, in this or another process.
  void stop();
  // Makes the thread look at the outbox and the clock now (after a FakeClock moves, in tests).
  void wake();

  // Queues notifications for newly raised warnings (see the top of this file); durable when it
  // returns ok. Warnings with silenced_by set are skipped. Giving the same warning again on the
  // same Thai day is a no-op (idempotency keys). Blocks for one or two durable SQLite commits: call
  // it after releasing the hub store lock.
  Status notify_warnings(const std::vector<Warning>& newly_raised);
  // Queues a summary (the weekly Monday summary) for `office` on every channel that reaches it.
  // `period` names it for idempotency (e.g. the Monday, "2026-11-30"; default: today's Thai date),
  // so producing the same summary twice sends it once. png: optional chart, sent as an e-mail
  // attachment and as png_base64 to the webhook (a LINE push cannot carry image bytes).
  Status enqueue_summary(const std::string& office, const std::string& text_th,
                         const std::string& text_en, const std::string& png = {},
                         const std::string& period = {});
  void set_digest_hour(int hour);

  Outbox& outbox() { return *outbox_; }

 private:
  Notifier(NotifyConfig config, std::unique_ptr<Outbox> outbox, const Clock& clock,
           NotifierOptions options);
  void run();
  // One pass: due digests into the outbox, due messages out. Returns when to look again.
  int64_t work_once();
  void deliver(const OutboxEntry& entry);
  int64_t backoff_ms(int attempts);
  // One message per channel that reaches `office` (webhook: always), keys "<prefix>:<channel>".
  std::vector<OutMessage> fan_out(const std::string& key_prefix, const std::string& office,
                                  const OutMessage& content) const;
  OfficeName district_name(const std::string& code) const;

  const NotifyConfig config_;
  std::unique_ptr<Outbox> outbox_;
  const Clock& clock_;
  const NotifierOptions options_;
  std::atomic<int> digest_hour_;
  std::atomic<bool> abort_{false};  // tells a transfer in flight to stop (stop())
  std::map<std::string, std::unique_ptr<Channel>> channels_;  // used by the delivery thread only
  uint64_t rng_;                                              // delivery thread only

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool woken_ = false;     // guarded by mu_
  std::thread thread_;     // started/joined by the owner
};

}  // namespace lwc::hub
