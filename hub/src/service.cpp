#include "lwc/hub/service.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "lwc/claims.h"
#include "lwc/entries.h"
#include "lwc/gzip.h"
#include "lwc/id.h"
#include "lwc/model.h"
#include "lwc/protocol.h"
#include "lwc/sync.h"

namespace lwc::hub {

using json = nlohmann::json;

int http_status(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kMalformed:
      return 400;
    case Code::kInvalidArgument:
      return 422;
    case Code::kClockSkew:
      return 422;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kHubRestored:
    case Code::kDeviceForked:
      return 409;
    case Code::kTooLarge:
      return 413;
    case Code::kUnsupported:
      return 415;
    case Code::kRateLimited:
      return 429;
    case Code::kDiskFull:
      return 507;  // Insufficient Storage
    case Code::kUnavailable:
      return 503;
    case Code::kSchemaTooNew:
    case Code::kIo:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

Response error_response(const Status& s) {
  Response r;
  r.status = http_status(s.code());
  r.body = protocol::error_body(s).dump();
  if (s.code() == Code::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

namespace {

// A login holds a name of at most 64 characters, a password and a device: no more is read.
constexpr size_t kMaxLoginBody = 4096;

Response json_response(const json& body, int status = 200) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

// Splits "/v1/pull?after=1&limit=2" into the path and its query parameters.
std::string split_target(const std::string& target, std::map<std::string, std::string>* query) {
  const size_t q = target.find('?');
  if (q == std::string::npos) return target;
  std::string rest = target.substr(q + 1);
  size_t pos = 0;
  while (pos <= rest.size()) {
    size_t amp = rest.find('&', pos);
    if (amp == std::string::npos) amp = rest.size();
    std::string part = rest.substr(pos, amp - pos);
    const size_t eq = part.find('=');
    if (!part.empty()) {
      (*query)[part.substr(0, eq)] = eq == std::string::npos ? "" : part.substr(eq + 1);
    }
    pos = amp + 1;
  }
  return target.substr(0, q);
}

Result<int64_t> query_int(const std::map<std::string, std::string>& query, const char* name,
                          int64_t fallback, int64_t lo, int64_t hi) {
  auto it = query.find(name);
  if (it == query.end()) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || end != it->second.data() + it->second.size()) {
    return Status(Code::kMalformed,
                  std::string("query parameter '") + name + "' must be an integer");
  }
  if (v < lo || v > hi) {
    return Status(Code::kInvalidArgument, std::string("query parameter '") + name +
                                              "' must be in " + std::to_string(lo) + ".." +
                                              std::to_string(hi));
  }
  return v;
}

Status require_json(const Request& r) {
  const std::string type = r.header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    return Status(Code::kUnsupported, "send the body as Content-Type: application/json");
  }
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
uint64_t EventBus::subscribe(ScopeFilter filter, Sink sink) {
  std::lock_guard lock(mu_);
  const uint64_t id = next_id_++;
  subs_.emplace(id, Subscriber{std::move(filter), std::move(sink)});
  return id;
}

void EventBus::unsubscribe(uint64_t id) {
  std::lock_guard lock(mu_);
  subs_.erase(id);
}

void EventBus::publish(const std::vector<std::string>& scopes, const std::string& message) {
  std::lock_guard lock(mu_);
  for (auto& [id, sub] : subs_) {
    bool allowed = scopes.empty();
    for (const std::string& s : scopes) allowed = allowed || sub.filter.allows(s);
    if (allowed) sub.sink(message);
  }
}

size_t EventBus::size() const {
  std::lock_guard lock(mu_);
  return subs_.size();
}

// ---------------------------------------------------------------------------------------------
HubService::HubService(HubConfig config, const Clock& clock, std::unique_ptr<Store> store,
                       std::unique_ptr<Accounts> accounts)
    : config_(std::move(config)),
      clock_(clock),
      store_(std::move(store)),
      accounts_(std::move(accounts)) {}

Result<std::unique_ptr<HubService>> HubService::open(const HubConfig& config, const Clock& clock) {
  StoreOptions options;
  options.path = config.path("hub.db");
  options.device_id = "hub";
  options.max_drift_ms = config.max_drift_s * 1000;
  options.durable = true;
  auto store = Store::open(options, clock);
  if (!store.ok()) return store.status();
  auto accounts =
      Accounts::open(config.path("accounts.db"), clock, config.token_ttl_s * 1000,
                     LoginLimits{.max_failures = config.login_max_failures,
                                 .max_address_failures = config.login_address_max_failures,
                                 .window_ms = config.login_window_s * 1000});
  if (!accounts.ok()) return accounts.status();
  auto reader = Store::open(options, clock);
  if (!reader.ok()) return reader.status();
  auto puller = Store::open(options, clock);
  if (!puller.ok()) return puller.status();
  std::unique_ptr<HubService> service(
      new HubService(config, clock, std::move(store).value(), std::move(accounts).value()));
  service->rules_reader_ = std::move(reader).value();
  service->pull_reader_ = std::move(puller).value();
  service->status_feed_ = std::make_unique<StatusFeed>(service->events_, config.web.debounce_ms);
  // A new segment per run: a cursor read in a run this file does not hold (it was restored from
  // an older copy) is told apart from one it does (docs/protocol.md, epochs).
  auto segment = service->store_->open_segment();
  if (!segment.ok()) return segment.status();
  LWC_RETURN_IF_ERROR(service->publish_rules_setting());
  return service;
}

Result<Session> HubService::authenticate(const Request& r) {
  const std::string auth = r.header("authorization");
  const std::string prefix = "Bearer ";
  if (auth.rfind(prefix, 0) != 0) {
    return Status(Code::kUnauthenticated, "send Authorization: Bearer <token> (from /v1/login)");
  }
  return accounts_->authenticate(auth.substr(prefix.size()));
}

std::function<bool()> HubService::stream_guard(const Session& session,
                                               const std::string& bearer_token) {
  struct State {
    std::mutex mu;
    uint64_t generation = 0;  // guarded by mu: accounts generation of the last check (0: none)
    int64_t expires_ms = 0;   // guarded by mu: the token's end as last read
    bool valid = true;        // guarded by mu
  };
  auto state = std::make_shared<State>();  // the first check authenticates again
  state->expires_ms = session.expires_ms;
  return [this, state, token = bearer_token] {
    std::lock_guard lock(state->mu);
    if (!state->valid) return false;
    auto g = accounts_->generation();
    // Past the end it read, the token may have been renewed by the device's syncs: read it again.
    if (g.ok() && *g == state->generation && clock_.now_ms() < state->expires_ms) return true;
    if (g.ok()) state->generation = *g;
    auto again = accounts_->authenticate(token, Accounts::Renewal::kCheck);
    if (again.ok()) state->expires_ms = again->expires_ms;
    return state->valid = again.ok();
  };
}

// Content-Encoding: a gzip body is inflated before routing, limited to max_body_bytes once inflated
// (413 too_large: a small "zip bomb" costs at most that much memory). A response of at least
// kGzipMinBytes goes out gzipped when the client accepts gzip (Accept-Encoding), on this handler
// thread, never on the IO thread.
Response HubService::handle(const Request& r) {
  std::string encoding = r.header("content-encoding");
  for (char& c : encoding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Response out;
  if (encoding.empty() || encoding == "identity") {
    out = route(r);
  } else if (encoding != "gzip" && encoding != "x-gzip") {
    out = error_response(Status(Code::kUnsupported, "Content-Encoding must be gzip or identity"));
  } else if (auto body = gzip_decompress(r.body, config_.max_body_bytes); !body.ok()) {
    out = error_response(body.status());
  } else {
    Request plain = r;
    plain.body = std::move(body).value();
    plain.headers.erase("content-encoding");
    out = route(plain);
  }
  const std::string& type = out.content_type;
  const bool compressible = type.rfind("application/json", 0) == 0 || type.rfind("text/", 0) == 0 ||
                            type.rfind("application/javascript", 0) == 0 ||
                            type.rfind("image/svg", 0) == 0;
  if (compressible && out.body.size() >= kGzipMinBytes) {
    out.headers.emplace_back("Vary", "Accept-Encoding");
    if (accepts_gzip(r.header("accept-encoding"))) {
      out.body = gzip_compress(out.body);
      out.headers.emplace_back("Content-Encoding", "gzip");
    }
  }
  return out;
}

Response HubService::route(const Request& r) {
  try {
    if (r.body.size() > config_.max_body_bytes) {
      return error_response(
          Status(Code::kTooLarge,
                 "the body is larger than " + std::to_string(config_.max_body_bytes) + " bytes"));
    }
    const std::string version = r.header(protocol::kVersionHeader);
    if (!version.empty()) {
      int v = 0;
      auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), v);
      if (ec != std::errc() || v < protocol::kMinVersion || v > protocol::kVersion) {
        Response resp = json_response(
            json{{"code", "unsupported_protocol"},
                 {"message", "this hub speaks protocol " + std::to_string(protocol::kMinVersion) +
                                 ".." + std::to_string(protocol::kVersion) + "; update LWC"}},
            400);
        return resp;
      }
    }
    std::map<std::string, std::string> query;
    const std::string path = split_target(r.target, &query);

    if (path == "/v1/health") {
      if (r.method != "GET") return error_response(Status(Code::kNotFound, "use GET"));
      return json_response(json{{"status", "ok"}, {"time_ms", clock_.now_ms()}});
    }
    if (path == "/v1/version") {
      return json_response(json{{"protocol_min", protocol::kMinVersion},
                                {"protocol_max", protocol::kVersion},
                                {"server", "lwc-hub 0.1.0"}});
    }
    if (path == "/v1/login" && r.method == "POST") return login(r);
    if (auto page = web(r, path)) return std::move(*page);

    static const std::set<std::pair<std::string, std::string>> kAuthed = {
        {"POST", "/v1/logout"}, {"GET", "/v1/me"},           {"POST", "/v1/push"},
        {"GET", "/v1/pull"},    {"GET", "/v1/conflicts"},    {"GET", "/v1/events"},
        {"GET", "/v1/fleet"},   {"POST", "/v1/devices/fork"}};
    if (!kAuthed.count({r.method, path})) {
      return error_response(Status(Code::kNotFound, "no such endpoint"));
    }
    auto session = authenticate(r);
    if (!session.ok()) return error_response(session.status());
    (void)accounts_->touch_device(session->device_id);
    if (path == "/v1/logout") return logout(r);
    if (path == "/v1/me") return me(*session);
    if (path == "/v1/push") return push(r, *session);
    if (path == "/v1/pull") return pull(r, *session);
    if (path == "/v1/conflicts") return conflicts(*session);
    if (path == "/v1/fleet") return fleet(*session);
    if (path == "/v1/devices/fork") return fork_device(r, *session);
    return error_response(
        Status(Code::kUnsupported, "/v1/events is a stream; the server answers it, not handle()"));
  } catch (const std::exception& e) {  // a broken invariant: answer, log, keep serving
    return error_response(Status(Code::kInternal, e.what()));
  }
}

Response HubService::login(const Request& r) {
  if (Status s = require_json(r); !s.ok()) return error_response(s);
  if (r.body.size() > kMaxLoginBody) {
    return error_response(Status(
        Code::kTooLarge, "a login body has at most " + std::to_string(kMaxLoginBody) + " bytes"));
  }
  auto body = protocol::parse_json(r.body);
  if (!body.ok()) return error_response(body.status());
  const json& j = *body;
  for (const char* name : {"user", "password", "device_id"}) {
    if (!j.is_object() || !j.contains(name) || !j[name].is_string()) {
      return error_response(
          Status(Code::kInvalidArgument, std::string("login needs string member '") + name + "'"));
    }
  }
  auto opt = [&](const char* name) {
    return j.contains(name) && j[name].is_string() ? j[name].get<std::string>() : std::string();
  };
  auto result = accounts_->login(j["user"].get<std::string>(), j["password"].get<std::string>(),
                                 j["device_id"].get<std::string>(), opt("device_name"),
                                 opt("client_version"), r.remote_address);
  if (!result.ok()) {
    Response resp = error_response(result.status());
    if (result.status().code() == Code::kRateLimited) {
      resp.headers.emplace_back("Retry-After", std::to_string(config_.login_window_s));
    }
    return resp;
  }
  const Principal& p = result->principal;
  return json_response(json{{"token", result->token},
                            {"expires_ms", result->expires_ms},
                            {"device_id", j["device_id"]},
                            {"user", p.user},
                            {"role", role_name(p.role)},
                            {"district", p.district},
                            {"hub_time_ms", clock_.now_ms()},
                            {"max_drift_ms", config_.max_drift_s * 1000}});
}

// A copy of a data folder was found pushing as its original's device (device_forked): the copy
// enrols as a new device of the same account, with the token it holds instead of a password.
Response HubService::fork_device(const Request& r, const Session& s) {
  if (Status st = require_json(r); !st.ok()) return error_response(st);
  auto body = protocol::parse_json(r.body);
  if (!body.ok()) return error_response(body.status());
  const json& j = *body;
  if (!j.is_object() || j.size() != 1 || !j.contains("device_id") || !j["device_id"].is_string()) {
    return error_response(
        Status(Code::kInvalidArgument, "fork needs exactly one string member 'device_id'"));
  }
  auto result = accounts_->fork_device(s, j["device_id"].get<std::string>());
  if (!result.ok()) return error_response(result.status());
  const Principal& p = result->principal;
  return json_response(json{{"token", result->token},
                            {"expires_ms", result->expires_ms},
                            {"device_id", j["device_id"]},
                            {"forked_from", s.device_id},
                            {"user", p.user},
                            {"role", role_name(p.role)},
                            {"district", p.district}});
}

Response HubService::logout(const Request& r) {
  Status s = accounts_->revoke_token(r.header("authorization").substr(7));
  if (!s.ok()) return error_response(s);
  return json_response(json{{"status", "logged_out"}});
}

Response HubService::refuse_read(const Session& s, const std::string& path, const Status& why) {
  (void)accounts_->audit(s.principal.user, s.device_id, "read_refused",
                         json{{"path", path}, {"reason", why.message()}}.dump());
  return error_response(why);
}

Response HubService::me(const Session& s) {
  return json_response(json{{"user", s.principal.user},
                            {"role", role_name(s.principal.role)},
                            {"district", s.principal.district},
                            {"device_id", s.device_id},
                            {"expires_ms", s.expires_ms},
                            {"hub_time_ms", clock_.now_ms()}});
}

namespace {
// The optional acked / acked_epoch query parameters: the client's latest HubMark.
Result<HubMark> acked_mark(const std::map<std::string, std::string>& query) {
  if (!query.count("acked")) return HubMark{};
  auto seq = query_int(query, "acked", 0, 0, INT64_MAX);
  if (!seq.ok()) return seq.status();
  const auto e = query.find("acked_epoch");
  if (e == query.end() || !is_valid_id(e->second)) {
    return Status(Code::kMalformed,
                  "query parameter 'acked_epoch' must be 32 hex digits with 'acked'");
  }
  return HubMark{*seq, e->second};
}
}  // namespace

// An ack row (acknowledgement or dispute) lives in the scope of the warning it names: a district
// naming another district's warning (ids are predictable) would clear or pause that district's
// escalation. Called inside accept_push, under store_mu_. A warning the hub does not hold (yet) is
// let through: the rules count only acks in the warning's own district (ack_state).
Status HubService::ack_in_jurisdiction(const Change& c) {
  json id = json::parse(c.version.value, nullptr, false);
  if (!id.is_string()) return {};  // the type was checked by validate_change
  auto warning = store_->get_row("warning", id.get<std::string>());
  if (!warning.ok()) return {};  // never refuse (and consume) an ack for a failed lookup
  if (*warning && (*warning)->scope != c.scope) {
    return Status(Code::kPermissionDenied,
                  "warning " + id.get<std::string>() + " belongs to district " + (*warning)->scope +
                      ", not " + c.scope + ": acknowledge or dispute only your own warnings");
  }
  return {};
}

namespace {
// The stamps one push's claims call for (claims.h).
class ClaimStamps {
 public:
  ClaimStamps(Store& store, const ClaimWindow& window) : store_(store), window_(window) {}

  // The hub's writes for the changes that became current (inside accept_push): a row whose
  // claimed value changed is stamped with its receipt and the time that counts, unless the claim
  // is live; a row whose claimed versions changed but not their values (a resend, a copy's
  // renamed versions) gets its stamp again, later than them — when the stamp still judged it.
  Result<std::vector<RowWrite>> stamps(const std::vector<Store::AppliedChange>& applied) {
    struct Touched {
      const Change* any = nullptr;     // one of its changes: table, id, scope
      bool changed = false;            // a claimed field took another value
      std::map<std::string, Hlc> was;  // the claimed fields' clock values before the batch
    };
    std::map<std::pair<std::string, std::string>, Touched> rows;
    for (const Store::AppliedChange& a : applied) {
      const Change& c = *a.change;
      const auto& fields = claim_fields(c.table);
      if (std::find(fields.begin(), fields.end(), c.field) == fields.end()) continue;
      Touched& t = rows[{c.table, c.row_id}];
      t.any = &c;
      t.changed |= !a.replaced || a.replaced->value != c.version.value;
      t.was.try_emplace(c.field, a.replaced ? a.replaced->hlc : Hlc{});
    }
    std::vector<RowWrite> out;
    for (const auto& [key, t] : rows) {
      const Change& c = *t.any;
      RowWrite w{c.table, c.row_id, c.scope, {}};
      if (t.changed) {
        auto v = store_.get_field(c.table, c.row_id, std::string(claimed_field(c.table)));
        if (!v.ok()) return v.status();
        const json value = *v ? json::parse((*v)->value, nullptr, false) : json();
        const int64_t claimed = value.is_number_integer() ? value.get<int64_t>() : 0;
        const int64_t counted = counted_claim(c.table, claimed, window_);
        // A live claim counts as itself: its new versions outdate any older stamp.
        if (claim_kind(c.table, claimed, counted, window_.received_ms) == ClaimKind::kLive) {
          continue;
        }
        w.fields.push_back({std::string(kReceivedAt), std::to_string(window_.received_ms)});
        w.fields.push_back({std::string(kCountedAt), std::to_string(counted)});
        if (counted != claimed) {
          refused_.push_back({{"table", c.table},
                              {"id", c.row_id},
                              {"scope", c.scope},
                              {"claimed", claimed},
                              {"last_contact", window_.contact_ms},
                              {"counted", counted}});
        }
      } else {
        auto row = store_.get_row(c.table, c.row_id);
        if (!row.ok()) return row.status();
        if (!*row) continue;
        Row before = **row;  // as the stamp saw it: the claimed fields' earlier clock values
        for (auto& [field, version] : before.fields) {
          if (auto it = t.was.find(field); it != t.was.end()) version.hlc = it->second;
        }
        if (!has_current_stamp(before)) continue;  // the claim counted as itself
        for (std::string_view f : {kReceivedAt, kCountedAt}) {
          const FieldVersion* stamp = before.find(std::string(f));
          w.fields.push_back({std::string(f), stamp ? stamp->value : "null"});
        }
      }
      out.push_back(std::move(w));
    }
    return out;
  }

  // The claims that counted at their receipt instead (for the audit log).
  const std::vector<json>& refused() const { return refused_; }

 private:
  Store& store_;
  const ClaimWindow window_;
  std::vector<json> refused_;
};
}  // namespace

Response HubService::push(const Request& r, const Session& s) {
  if (Status st = require_json(r); !st.ok()) return error_response(st);
  auto batch = protocol::parse_push_request(r.body, s.device_id, config_.max_batch);
  if (!batch.ok()) return error_response(batch.status());
  std::map<std::string, std::string> query;
  split_target(r.target, &query);
  auto acked = acked_mark(query);
  if (!acked.ok()) return error_response(acked.status());
  auto contact = accounts_->last_contact_ms(s.device_id);
  if (!contact.ok()) return error_response(contact.status());

  // Used only inside accept_push, under store_mu_.
  ClaimStamps claims(*store_,
                     ClaimWindow{*contact, clock_.now_ms(), config_.claim_tolerance_s * 1000});
  auto validate = [&](const Change& c) {
    Status v = validate_change(c, s.principal);
    if (v.ok() && c.table == "ack" && c.field == "warning_id") v = ack_in_jurisdiction(c);
    return v;
  };
  auto stamp = [&](const std::vector<Store::AppliedChange>& applied) {
    return claims.stamps(applied);
  };
  std::vector<MutationResult> results;
  int64_t counter_before = 0, last_counter = 0, seq_before = 0, seq_after = 0;
  HubMark mark;
  {
    std::lock_guard lock(store_mu_);
    // A mark this hub never gave: it was restored, and the numbers may have been taken again.
    if (Status st = check_hub_mark(*store_, *acked); st.code() == Code::kHubRestored) {
      return restored_response(*store_, s, st);
    } else if (!st.ok()) {
      return error_response(st);
    }
    seq_before = store_->last_seq();
    auto before = store_->device_progress(s.device_id);
    if (!before.ok()) return error_response(before.status());
    counter_before = *before;
    auto accepted = store_->accept_push(s.device_id, *batch, validate, stamp);
    if (!accepted.ok()) return error_response(accepted.status());
    results = std::move(accepted).value();
    auto progress = store_->device_progress(s.device_id);
    if (!progress.ok()) return error_response(progress.status());
    last_counter = *progress;
    seq_after = store_->last_seq();
    auto marked = hub_mark(*store_);
    if (!marked.ok()) return error_response(marked.status());
    mark = std::move(marked).value();
  }
  audit_sensitive_writes(s, *batch, results);
  if (!claims.refused().empty()) {  // one line per push: a backlog of figures is one event
    constexpr size_t kListed = 100;
    const std::vector<json>& all = claims.refused();
    json listed(std::vector<json>(all.begin(), all.begin() + std::min(all.size(), kListed)));
    (void)accounts_->audit(s.principal.user, s.device_id, "claimed_time_refused",
                           json{{"count", all.size()}, {"claims", std::move(listed)}}.dump());
  }
  // Every write refused for jurisdiction, whether by the checks above or by the store (a row that
  // exists in another scope), once: a resent batch's old verdicts are not audited again.
  for (size_t i = 0; i < results.size() && i < batch->size(); ++i) {
    const MutationResult& m = results[i];
    if (m.kind != MutationResult::Kind::kRejected || m.counter <= counter_before ||
        m.reason.code() != Code::kPermissionDenied) {
      continue;
    }
    const Change& c = (*batch)[i].change;
    (void)accounts_->audit(s.principal.user, s.device_id, "write_rejected",
                           json{{"table", c.table},
                                {"id", c.row_id},
                                {"scope", c.scope},
                                {"field", c.field},
                                {"reason", m.reason.message()}}
                               .dump());
  }
  if (seq_after > seq_before) {
    std::set<std::string> scopes;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].kind == MutationResult::Kind::kApplied)
        scopes.insert((*batch)[i].change.scope);
    }
    events_.publish({scopes.begin(), scopes.end()},
                    "event: changes\ndata: " + json{{"seq", seq_after}}.dump() + "\n\n");
    if (on_change_) on_change_();
  }
  Response out;
  out.body = protocol::push_response(results, last_counter, mark);
  return out;
}

Response HubService::restored_response(Store& store, const Session& s, const Status& why) {
  // Never skip silently: last_counter says from which counter on the client sends again.
  auto progress = store.device_progress(s.device_id);
  if (!progress.ok()) return error_response(progress.status());
  (void)accounts_->audit(s.principal.user, s.device_id, "hub_restore_detected", why.message());
  Response r = error_response(why);
  json body = protocol::error_body(why);
  body["last_counter"] = *progress;
  r.body = body.dump();
  return r;
}

Response HubService::pull(const Request& r, const Session& s) {
  std::map<std::string, std::string> query;
  split_target(r.target, &query);
  auto after = query_int(query, "after", 0, 0, INT64_MAX);
  if (!after.ok()) return error_response(after.status());
  auto limit = query_int(query, "limit", static_cast<int64_t>(config_.max_page), 1,
                         static_cast<int64_t>(config_.max_page));
  if (!limit.ok()) return error_response(limit.status());
  if (query.count("pending")) {  // optional: the client's outbox size, for GET /v1/fleet
    auto pending = query_int(query, "pending", 0, 0, INT64_MAX);
    if (!pending.ok()) return error_response(pending.status());
    std::lock_guard lock(reports_mu_);
    reports_[s.device_id] = {*pending, clock_.now_ms()};
  }
  const auto epoch = query.find("epoch");
  if (epoch != query.end() && !is_valid_id(epoch->second)) {
    return error_response(
        Status(Code::kMalformed, "query parameter 'epoch' must be 32 hex digits"));
  }
  auto acked = acked_mark(query);
  if (!acked.ok()) return error_response(acked.status());
  Result<PullPage> page = Status(Code::kInternal, "unset");
  {
    std::lock_guard lock(pull_mu_);
    page = serve_pull(*pull_reader_, s.device_id, *after,
                      epoch != query.end() ? std::string_view(epoch->second) : std::string_view(),
                      read_filter(s.principal), static_cast<size_t>(*limit), *acked);
    if (page.status().code() == Code::kHubRestored) {
      return restored_response(*pull_reader_, s, page.status());
    }
  }
  if (!page.ok()) return error_response(page.status());
  // The device's last contact: what it wrote before now has been pushed (a client pushes its
  // outbox before it pulls), so a claim it sends later dates from here at the earliest.
  (void)accounts_->note_pull(s.device_id);
  Response out;
  out.body = protocol::pull_response(*page);
  return out;
}

Response HubService::conflicts(const Session& s) {
  Result<std::vector<ConflictRecord>> list = Status(Code::kInternal, "unset");
  {
    std::lock_guard lock(store_mu_);
    list = store_->conflicts();
  }
  if (!list.ok()) return error_response(list.status());
  json out = json::array();
  auto version = [](const FieldVersion& v) {
    return json{{"value", json::parse(v.value)}, {"hlc", v.hlc.packed}, {"device", v.device}};
  };
  for (const ConflictRecord& c : *list) {
    // A district sees the concurrent edits of its own figures; the province reviews them all.
    if (s.principal.role == Role::kDistrict && c.scope != s.principal.district) continue;
    out.push_back(json{{"id", c.id},
                       {"table", c.table},
                       {"row_id", c.row_id},
                       {"scope", c.scope},
                       {"field", c.field},
                       {"winner", version(c.conflict.winner)},
                       {"loser", version(c.conflict.loser)},
                       {"detected_ms", c.detected_ms}});
  }
  return json_response(json{{"conflicts", std::move(out)}});
}

// GET /v1/fleet (province and admin): every enrolled device with its account, last contact, client
// version, the highest mutation applied and the outbox size it last reported.
Response HubService::fleet(const Session& s) {
  if (s.principal.role != Role::kProvince && s.principal.role != Role::kAdmin) {
    return refuse_read(
        s, "/v1/fleet",
        Status(Code::kPermissionDenied, "fleet health is for province and admin accounts"));
  }
  auto devices = accounts_->devices();
  if (!devices.ok()) return error_response(devices.status());
  json out = json::array();
  for (const Accounts::DeviceInfo& d : *devices) {
    int64_t last_counter = 0;
    {
      std::lock_guard lock(store_mu_);
      auto progress = store_->device_progress(d.device_id);
      if (!progress.ok()) return error_response(progress.status());
      last_counter = *progress;
    }
    json j{{"device_id", d.device_id},
           {"user", d.user},
           {"role", d.role},
           {"district", d.district},
           {"name", d.name},
           {"client_version", d.client_version},
           {"enrolled_ms", d.enrolled_ms},
           {"last_seen_ms", d.last_seen_ms},
           {"revoked", d.revoked},
           {"last_counter", last_counter}};
    std::lock_guard lock(reports_mu_);
    if (auto it = reports_.find(d.device_id); it != reports_.end()) {
      j["pending"] = it->second.pending;
      j["pending_at_ms"] = it->second.at_ms;
    }
    out.push_back(std::move(j));
  }
  return json_response(json{{"devices", std::move(out)}, {"hub_time_ms", clock_.now_ms()}});
}

}  // namespace lwc::hub
