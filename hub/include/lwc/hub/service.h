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
//
// Thread-safety: handle() may be called from any thread. The Store is guarded by store_mu_
// (one writer); Accounts and EventBus lock themselves.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "lwc/clock.h"
#include "lwc/hub/accounts.h"
#include "lwc/hub/config.h"
#include "lwc/hub/http.h"
#include "lwc/store.h"

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
  uint64_t next_id_ = 1;                     // guarded by mu_
  std::map<uint64_t, Subscriber> subs_;      // guarded by mu_
};

class HubService {
 public:
  // Opens DATA_DIR/hub.db and DATA_DIR/accounts.db.
  static Result<std::unique_ptr<HubService>> open(const HubConfig& config, const Clock& clock);

  Response handle(const Request& request);
  // Checks the bearer token of a request (401 response on failure, as handle() would answer).
  Result<Session> authenticate(const Request& request);
  EventBus& events() { return events_; }
  Accounts& accounts() { return *accounts_; }
  const HubConfig& config() const { return config_; }

  // Runs f with the store locked (CLI export, demo seeding, tests).
  template <typename F>
  auto with_store(F&& f) {
    std::lock_guard lock(store_mu_);
    return f(*store_);
  }

 private:
  HubService(HubConfig config, const Clock& clock, std::unique_ptr<Store> store,
             std::unique_ptr<Accounts> accounts);
  Response login(const Request& r);
  Response logout(const Request& r);
  Response me(const Session& s);
  Response push(const Request& r, const Session& s);
  Response pull(const Request& r, const Session& s);
  Response conflicts(const Session& s);

  const HubConfig config_;
  const Clock& clock_;
  std::mutex store_mu_;
  std::unique_ptr<Store> store_;  // guarded by store_mu_
  std::unique_ptr<Accounts> accounts_;
  EventBus events_;
};

// The JSON error response for a Status, with the HTTP status that matches its code.
Response error_response(const Status& s);
int http_status(Code code);

}  // namespace lwc::hub
