// The hub's request handling: a function from Request to Response (STYLE.md §2), plus the event bus
// that feeds the Server-Sent-Events streams. No sockets here; server.h moves the bytes.
//
// Endpoints (docs/protocol.md has examples of every body):
//   GET  /v1/health            liveness, no auth
//   GET  /v1/version           protocol version window, no auth
//   POST /v1/login             user + password + device id -> bearer token
//   POST /v1/logout            revokes the presented token
//   GET  /v1/me                who the token belongs to
//   POST /v1/push              a batch of numbered mutations -> per-mutation verdicts
//   GET  /v1/pull?after=N&limit=M   changes in the caller's jurisdiction after cursor N
//   GET  /v1/events            text/event-stream (handled by the server with authenticate())
//   GET  /v1/conflicts         losing concurrent values (province, executive, admin)
//   GET  /v1/status[?lang=]    province status for the web page (public or login: hub.json "web")
//   GET  /v1/status/events     debounced "status" events (handled by the server, see StatusFeed)
//   GET  /v1/letters[/ID]      warning / demand letters (province, executive, admin)
//   GET  /, /status, /letters[/ID], /web/FILE   the page files (assets/web, built into the hub)
//
// Thread-safety: handle() may be called from any thread. The Store is guarded by store_mu_
// (one writer); pulls and the rules read through connections of their own (pull_mu_, rules_mu_);
// Accounts and EventBus lock themselves.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lwc/clock.h"
#include "lwc/hub/accounts.h"
#include "lwc/hub/config.h"
#include "lwc/hub/http.h"
#include "lwc/store.h"
#include "lwc/warnings.h"

namespace lwc::hub {

// Fan-out of events to SSE subscribers. A sink is called on the publishing thread with a complete
// SSE message ("event: ...\ndata: ...\n\n"); it must not block (the server posts to the session's
// executor). Thread-safe.
class EventBus {
 public:
  using Sink = std::function<void(const std::string&)>;
  uint64_t subscribe(ScopeFilter filter, Sink sink);
  void unsubscribe(uint64_t id);
  // Delivers to every subscriber allowed to see any of `scopes` (empty: everyone).
  void publish(const std::vector<std::string>& scopes, const std::string& message);
  size_t size() const;

 private:
  struct Subscriber {
    ScopeFilter filter;
    Sink sink;
  };
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;                 // guarded by mu_
  std::map<uint64_t, Subscriber> subs_;  // guarded by mu_
};

// The public status feed: listens to `source` and publishes "event: status\ndata: {}\n\n" on its
// own bus at most once per min_interval_ms — the first change at once, a storm of changes as one
// more event when the interval has passed. Carries no row data (the page re-fetches /v1/status).
// Own thread; the destructor stops and joins it.
class StatusFeed {
 public:
  StatusFeed(EventBus& source, int64_t min_interval_ms);
  ~StatusFeed();
  EventBus& events() { return out_; }
  uint64_t published() const;

 private:
  void loop();
  EventBus& source_;
  EventBus out_;
  const int64_t min_interval_ms_;
  uint64_t subscription_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false, stopping_ = false;  // guarded by mu_
  uint64_t published_ = 0;                   // guarded by mu_
  std::thread thread_;
};

class HubService {
 public:
  // Opens DATA_DIR/hub.db and DATA_DIR/accounts.db.
  static Result<std::unique_ptr<HubService>> open(const HubConfig& config, const Clock& clock);

  Response handle(const Request& request);
  // Checks the bearer token of a request (401 response on failure, as handle() would answer).
  Result<Session> authenticate(const Request& request);
  // For an event stream opened by `session` with `bearer_token`: true while the stream may go on
  // receiving, false from the moment its token expires or is revoked (logout), its device is
  // revoked or its account disabled — by this process or by the command line. Re-checks the token
  // only when the accounts changed (Accounts::generation). Thread-safe.
  std::function<bool()> stream_guard(const Session& session, const std::string& bearer_token);
  EventBus& events() { return events_; }
  // The debounced "status" events of the web page's stream (GET /v1/status/events).
  EventBus& status_events() { return status_feed_->events(); }
  Accounts& accounts() { return *accounts_; }
  const HubConfig& config() const { return config_; }

  // Evaluates the warning rules at the clock's time and brings the warning rows in line: new
  // verdicts are written (and announced on the event stream as "warning" events ahead of the
  // "changes" event), changed ones updated, ended ones get cleared_at. Returns the newly raised
  // warnings, which also go to the warning sink (the Notifier). Thread-safe; the store lock is held
  // only to read the inputs and to write the result, not while the rules run.
  Result<std::vector<Warning>> run_rules();
  // Writes the rules configuration into the synced "setting" row, so offline clients evaluate the
  // same rules (done by open()).
  Status publish_rules_setting();
  using WarningSink = std::function<void(const std::vector<Warning>&)>;
  void set_warning_sink(WarningSink sink);
  // Hands the sink every warning raised after the last hand-off the store recorded (meta
  // "warnings_notified_seq"): a hub that stopped between writing a warning and handing it on
  // delivers it at the next start. Call once after set_warning_sink(). Returns how many.
  Result<size_t> hand_off_unnotified();
  // png: the status chart (empty when no Thai font is installed).
  using SummarySink = std::function<void(const std::string& office, const std::string& text_th,
                                         const std::string& text_en, const std::string& png,
                                         const std::string& period)>;
  void set_summary_sink(SummarySink sink);

  // Called (on the handler thread, after the commit) whenever a push applied a change; the rule
  // scheduler uses it to re-run the rules. Set before serving.
  void set_change_listener(std::function<void()> listener) { on_change_ = std::move(listener); }

  // Runs f with the store locked (CLI export, demo seeding, tests).
  template <typename F>
  auto with_store(F&& f) {
    std::lock_guard lock(store_mu_);
    return f(*store_);
  }

 private:
  HubService(HubConfig config, const Clock& clock, std::unique_ptr<Store> store,
             std::unique_ptr<Accounts> accounts);
  // handle() after the body's Content-Encoding was undone: dispatches to the endpoints.
  Response route(const Request& r);
  Response login(const Request& r);
  Response logout(const Request& r);
  Response fork_device(const Request& r, const Session& s);
  // A refused read (403), audited as "read_refused" with the path and the reason.
  Response refuse_read(const Session& s, const std::string& path, const Status& why);
  Response me(const Session& s);
  Response push(const Request& r, const Session& s);
  Response pull(const Request& r, const Session& s);
  Status ack_in_jurisdiction(const Change& c);
  // 409 hub_restored with the device's last counter (from `store`), audited.
  Response restored_response(Store& store, const Session& s, const Status& why);
  Response conflicts(const Session& s);
  // The web page, its data and the letters (hub/src/web.cpp); nullopt when `path` is not theirs.
  std::optional<Response> web(const Request& r, const std::string& path);
  Response fleet(const Session& s);
  void audit_sensitive_writes(const Session& s, const std::vector<Mutation>& batch,
                              const std::vector<MutationResult>& results);

  const HubConfig config_;
  const Clock& clock_;
  std::mutex store_mu_;
  std::unique_ptr<Store> store_;  // guarded by store_mu_
  // Pulls read through a connection of their own (a WAL snapshot of committed changes), so a page
  // is built while a push is being applied.
  std::mutex pull_mu_;
  std::unique_ptr<Store> pull_reader_;  // guarded by pull_mu_
  std::unique_ptr<Accounts> accounts_;
  EventBus events_;
  std::function<void()> on_change_;
  std::mutex sink_mu_;
  WarningSink warning_sink_;  // guarded by sink_mu_
  SummarySink summary_sink_;  // guarded by sink_mu_
  std::mutex rules_mu_;       // one rules run at a time
  // A second connection to hub.db, for the rules' reads only (guarded by rules_mu_): reading every
  // task, figure and acknowledgement takes a while at scale, and through its own snapshot (WAL)
  // it never holds up pushes and pulls. Writing the verdicts still goes through store_.
  std::unique_ptr<Store> rules_reader_;
  Result<RuleInputs> read_rule_inputs();
  // The weekly Monday summary: on a Monday at or after the digest hour (Thai time), once per
  // Monday, writes DATA_DIR/summaries/YYYY-MM-DD.json (Thai and English text per office) and
  // YYYY-MM-DD.png (the chart, hub/include/lwc/hub/chart.h), and hands each office's text to the
  // summary sink. Only run_rules() calls it (rules_mu_ held); true when it produced one.
  Result<bool> produce_weekly_summary(int64_t now_ms);
  std::unique_ptr<StatusFeed> status_feed_;  // after events_: stops before the bus goes
  // GET /v1/status answers by language and caller kind, with the store seq and time they were
  // computed at: many browsers fetching after one status event cost one computation (web.cpp).
  struct StatusAnswer {
    int64_t seq = -1, at_ms = 0;
    std::string body;
  };
  std::mutex status_cache_mu_;
  std::map<std::string, StatusAnswer> status_cache_;  // guarded by status_cache_mu_
  // What each device last said about itself: its outbox size at its last pull (?pending=N), and
  // when. In memory only (GET /v1/fleet shows "not reported" after a hub restart until it pulls).
  struct DeviceReport {
    int64_t pending = 0, at_ms = 0;
  };
  std::mutex reports_mu_;
  std::map<std::string, DeviceReport> reports_;  // guarded by reports_mu_: device id -> report
};

// Runs HubService::run_rules(): once in start(), before it returns (so the hub serves with current
// warnings), then on its own thread every `interval_ms`, and shortly (debounce_ms) after poke() —
// which the service's change listener calls on every applied push. Never runs on the network
// thread; stop() (or the destructor) joins.
class RuleScheduler {
 public:
  RuleScheduler(HubService& service, int64_t interval_ms, int64_t debounce_ms = 200);
  ~RuleScheduler();
  void start();
  void poke();
  void stop();
  uint64_t runs() const;

 private:
  void run_once();
  void loop();
  HubService& service_;
  const int64_t interval_ms_, debounce_ms_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ = false, stopping_ = false;  // guarded by mu_
  uint64_t runs_ = 0;                      // guarded by mu_
  std::thread thread_;
};

// The JSON error response for a Status, with the HTTP status that matches its code.
Response error_response(const Status& s);
int http_status(Code code);

}  // namespace lwc::hub
