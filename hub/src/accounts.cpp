#include "lwc/hub/accounts.h"

#include <sodium.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "lwc/id.h"

namespace lwc::hub {

namespace {

const char* const kCommandLineActor = "lwc-hub";  // accounts and devices are managed there

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS users(
  name TEXT PRIMARY KEY, role TEXT NOT NULL, district TEXT NOT NULL, work_group TEXT NOT NULL,
  pw_hash TEXT NOT NULL, created_ms INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS devices(
  device_id TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name), name TEXT NOT NULL,
  client_version TEXT NOT NULL, enrolled_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0, last_pull_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens(
  hash TEXT PRIMARY KEY, user TEXT NOT NULL, device_id TEXT NOT NULL, issued_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS audit(
  id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, user TEXT NOT NULL, device_id TEXT NOT NULL,
  action TEXT NOT NULL, detail TEXT NOT NULL);
)sql";
// Version 2 added devices.last_pull_ms (a device's last contact, claims.h).
constexpr int kAccountsVersion = 2;

std::string token_hash(const std::string& token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

const Status kBadCredentials(Code::kUnauthenticated, "wrong user name or password");

}  // namespace

Accounts::Accounts(sql::Db db, const Clock& clock, int64_t ttl, LoginLimits limits)
    : db_(std::move(db)), clock_(clock), ttl_ms_(ttl), limits_(limits) {}

Result<std::unique_ptr<Accounts>> Accounts::open(const std::string& path, const Clock& clock,
                                                 int64_t token_ttl_ms, LoginLimits limits) {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium failed to initialise");
  auto db = sql::Db::open(path, /*durable=*/true);
  if (!db.ok()) return db.status();
  LWC_RETURN_IF_ERROR(db->exec(kSchema));
  auto has_pull =
      db->prepare("SELECT 1 FROM pragma_table_info('devices') WHERE name='last_pull_ms'");
  if (!has_pull.ok()) return has_pull.status();
  if (!has_pull->step()) {
    LWC_RETURN_IF_ERROR(has_pull->last_status());
    LWC_RETURN_IF_ERROR(
        db->exec("ALTER TABLE devices ADD COLUMN last_pull_ms INTEGER NOT NULL DEFAULT 0"));
  }
  LWC_RETURN_IF_ERROR(db->exec("PRAGMA user_version=" + std::to_string(kAccountsVersion)));
  std::unique_ptr<Accounts> accounts(
      new Accounts(std::move(db).value(), clock, token_ttl_ms, limits));
  char dummy[crypto_pwhash_STRBYTES];
  const std::string random = random_hex(16);
  if (crypto_pwhash_str(dummy, random.data(), random.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status(Code::kInternal, "out of memory while hashing");
  }
  accounts->dummy_hash_ = dummy;
  return accounts;
}

namespace {

// argon2id (libsodium's interactive limits) of a new password of at least 8 characters.
Result<std::string> password_hash(const std::string& password) {
  if (password.size() < 8)
    return Status(Code::kInvalidArgument, "a password has at least 8 characters");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status(Code::kInternal, "out of memory while hashing the password");
  }
  return std::string(hash);
}

}  // namespace

Status Accounts::set_password(const std::string& name, const std::string& password) {
  auto hash = password_hash(password);
  if (!hash.ok()) return hash.status();
  std::lock_guard lock(mu_);
  sql::Txn txn(db_);  // the password, the end of its tokens and the audit entry together
  LWC_RETURN_IF_ERROR(txn.status());
  auto st = db_.prepare("UPDATE users SET pw_hash=?2 WHERE name=?1");
  if (!st.ok()) return st.status();
  st->bind(1, name).bind(2, *hash);
  LWC_RETURN_IF_ERROR(st->run());
  if (db_.changes() == 0) return Status(Code::kNotFound, "no user '" + name + "'");
  auto t = db_.prepare("UPDATE tokens SET revoked=1 WHERE user=?1 AND revoked=0");
  if (!t.ok()) return t.status();
  t->bind(1, name);
  LWC_RETURN_IF_ERROR(t->run());
  const int64_t ended = db_.changes();
  LWC_RETURN_IF_ERROR(audit_locked(kCommandLineActor, "", "password_changed",
                                   nlohmann::json{{"name", name}, {"tokens_ended", ended}}.dump()));
  ++revocations_;
  return txn.commit();
}

Status Accounts::add_user(const std::string& name, Role role, const std::string& district,
                          const std::string& work_group, const std::string& password) {
  if (name.empty() || name.size() > 64) {
    return Status(Code::kInvalidArgument, "a user name has 1 to 64 characters");
  }
  if (role == Role::kDistrict && !is_district_code(district)) {
    return Status(Code::kInvalidArgument, "a district account needs --district 5201..5213");
  }
  if (role != Role::kDistrict && !district.empty()) {
    return Status(Code::kInvalidArgument, "only district accounts have a district");
  }
  auto hash = password_hash(password);
  if (!hash.ok()) return hash.status();
  std::lock_guard lock(mu_);
  sql::Txn txn(db_);  // the account and its audit entry together
  LWC_RETURN_IF_ERROR(txn.status());
  auto st = db_.prepare(
      "INSERT INTO users(name,role,district,work_group,pw_hash,created_ms) "
      "VALUES(?1,?2,?3,?4,?5,?6)");
  if (!st.ok()) return st.status();
  st->bind(1, name).bind(2, role_name(role)).bind(3, district).bind(4, work_group).bind(5, *hash);
  st->bind(6, clock_.now_ms());
  Status s = st->run();
  if (!s.ok() && s.message().find("UNIQUE") != std::string::npos) {
    return Status(Code::kAlreadyExists, "user '" + name + "' already exists");
  }
  if (!s.ok()) return s;
  LWC_RETURN_IF_ERROR(audit_locked(
      kCommandLineActor, "", "user_added",
      nlohmann::json{{"name", name}, {"role", role_name(role)}, {"district", district}}.dump()));
  return txn.commit();
}

int Accounts::failures(const std::string& key, int64_t now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  auto& times = it->second;
  times.erase(std::remove_if(times.begin(), times.end(),
                             [&](int64_t t) { return t <= now - limits_.window_ms; }),
              times.end());
  if (times.empty()) {
    failures_.erase(it);
    return 0;
  }
  return static_cast<int>(times.size());
}

void Accounts::record_failure(const std::string& key, int64_t now) {
  if (failures_.size() >= limits_.max_keys && !failures_.count(key)) {
    // Full: drop what has expired, then, if need be, the key whose last failure is oldest.
    for (auto it = failures_.begin(); it != failures_.end();) {
      it = it->second.back() <= now - limits_.window_ms ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= limits_.max_keys) {
      failures_.erase(std::min_element(failures_.begin(), failures_.end(), [](auto& a, auto& b) {
        return a.second.back() < b.second.back();
      }));
    }
  }
  failures_[key].push_back(now);
}

size_t Accounts::tracked_failures() {
  std::lock_guard lock(mu_);
  return failures_.size();
}

size_t Accounts::tracked_failure_bytes() {
  std::lock_guard lock(mu_);
  size_t bytes = 0;
  for (const auto& [key, times] : failures_) bytes += key.size();
  return bytes;
}

void Accounts::forget_failure(const std::string& key) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return;
  it->second.pop_back();
  if (it->second.empty()) failures_.erase(it);
}

Status Accounts::issue_token_locked(const std::string& user, const std::string& device_id,
                                    int64_t now, LoginResult& out) {
  out.token = random_hex(32);
  out.expires_ms = now + ttl_ms_;
  auto tok = db_.prepare(
      "INSERT INTO tokens(hash,user,device_id,issued_ms,expires_ms) VALUES(?1,?2,?3,?4,?5)");
  if (!tok.ok()) return tok.status();
  tok->bind(1, token_hash(out.token)).bind(2, user).bind(3, device_id).bind(4, now);
  tok->bind(5, out.expires_ms);
  return tok->run();
}

Result<LoginResult> Accounts::login(const std::string& user, const std::string& password,
                                    const std::string& device_id, const std::string& device_name,
                                    const std::string& client_version, const std::string& address) {
  if (!is_valid_id(device_id)) {
    return Status(Code::kInvalidArgument, "device_id must be 32 lower-case hex digits");
  }
  const int64_t now = clock_.now_ms();
  // No account has a longer name (add_user): such a name is not kept in the table, only counted
  // against its address. The keys are bounded in length and in number (max_keys).
  const bool possible_name = !user.empty() && user.size() <= 64 && address.size() <= 64;
  const std::string pair_key = "pair:" + user + "\n" + address, addr_key = "addr:" + address;
  std::string pw_hash, role, district;
  {
    std::lock_guard lock(mu_);
    if ((possible_name && failures(pair_key, now) >= limits_.max_failures) ||
        failures(addr_key, now) >= limits_.max_address_failures) {
      return Status(Code::kRateLimited, "too many failed logins; wait " +
                                            std::to_string(limits_.window_ms / 60000) +
                                            " minutes and try again");
    }
    // Counted as failed before the password is checked, so that parallel guesses cannot all pass
    // the limit at once; a good password takes the count back.
    if (possible_name) record_failure(pair_key, now);
    record_failure(addr_key, now);
    if (!possible_name) return kBadCredentials;
    auto st = db_.prepare("SELECT pw_hash, role, district FROM users WHERE name=?1 AND disabled=0");
    if (!st.ok()) return st.status();
    st->bind(1, user);
    if (st->step()) {
      pw_hash = st->col_text(0);
      role = st->col_text(1);
      district = st->col_text(2);
    }
  }
  // Hash outside the lock: argon2id is slow on purpose. An unknown user is checked against a
  // dummy hash, so that the answer takes as long and a name cannot be probed by timing.
  const bool known = !pw_hash.empty();
  const bool verified = crypto_pwhash_str_verify(known ? pw_hash.c_str() : dummy_hash_.c_str(),
                                                 password.data(), password.size()) == 0;
  const bool good = known && verified;
  std::lock_guard lock(mu_);
  if (!good) return kBadCredentials;
  forget_failure(addr_key);   // this attempt was not a failure after all
  failures_.erase(pair_key);  // and the pair starts again
  bool enrolled_before = false;
  {
    auto existing = db_.prepare("SELECT user, revoked FROM devices WHERE device_id=?1");
    if (!existing.ok()) return existing.status();
    existing->bind(1, device_id);
    if (existing->step()) {
      enrolled_before = true;
      if (existing->col_text(0) != user) {
        return Status(Code::kConflict, "this device is enrolled by another account");
      }
      if (existing->col_int(1) != 0) {
        return Status(Code::kPermissionDenied, "this device was revoked; ask the administrator");
      }
    }
  }
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  auto dev = db_.prepare(
      "INSERT INTO devices(device_id,user,name,client_version,enrolled_ms,last_seen_ms) "
      "VALUES(?1,?2,?3,?4,?5,?5) ON CONFLICT(device_id) DO UPDATE SET name=excluded.name, "
      "client_version=excluded.client_version, last_seen_ms=excluded.last_seen_ms");
  if (!dev.ok()) return dev.status();
  dev->bind(1, device_id).bind(2, user).bind(3, device_name).bind(4, client_version).bind(5, now);
  LWC_RETURN_IF_ERROR(dev->run());
  if (!enrolled_before) {
    LWC_RETURN_IF_ERROR(audit_locked(
        user, device_id, "device_enrolled",
        nlohmann::json{
            {"name", device_name}, {"client_version", client_version}, {"address", address}}
            .dump()));
  }
  LoginResult out;
  LWC_RETURN_IF_ERROR(issue_token_locked(user, device_id, now, out));
  LWC_RETURN_IF_ERROR(txn.commit());
  auto r = parse_role(role);
  if (!r.ok()) return r.status();
  out.principal = Principal{*r, district, user};
  return out;
}

Result<LoginResult> Accounts::fork_device(const Session& from, const std::string& device_id) {
  if (!is_valid_id(device_id)) {
    return Status(Code::kInvalidArgument, "device_id must be 32 lower-case hex digits");
  }
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  auto existing = db_.prepare("SELECT 1 FROM devices WHERE device_id=?1");
  if (!existing.ok()) return existing.status();
  existing->bind(1, device_id);
  if (existing->step()) return Status(Code::kAlreadyExists, "that device id is enrolled already");
  if (!existing->last_status().ok()) return existing->last_status();
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  auto dev = db_.prepare(
      "INSERT INTO devices(device_id,user,name,client_version,enrolled_ms,last_seen_ms,"
      "last_pull_ms) SELECT ?1, user, name || ' (copy)', client_version, ?3, ?3, "
      "MAX(last_pull_ms, enrolled_ms, ?4) FROM devices WHERE device_id=?2");
  if (!dev.ok()) return dev.status();
  // The copy's last contact is its original's: a fork never dates a claim further back.
  auto known = last_pull_.find(from.device_id);
  dev->bind(1, device_id).bind(2, from.device_id).bind(3, now);
  dev->bind(4, known == last_pull_.end() ? int64_t{0} : known->second);
  LWC_RETURN_IF_ERROR(dev->run());
  if (db_.changes() != 1) return Status(Code::kNotFound, "the device to fork is not enrolled");
  LWC_RETURN_IF_ERROR(audit_locked(from.principal.user, device_id, "device_forked",
                                   nlohmann::json{{"from", from.device_id}}.dump()));
  LoginResult out;
  LWC_RETURN_IF_ERROR(issue_token_locked(from.principal.user, device_id, now, out));
  LWC_RETURN_IF_ERROR(txn.commit());
  out.principal = from.principal;
  return out;
}

Result<Session> Accounts::authenticate(const std::string& bearer_token, Renewal renewal) {
  std::lock_guard lock(mu_);
  auto st = db_.prepare(
      "SELECT t.user, t.device_id, t.expires_ms, t.revoked, d.revoked, u.role, u.district, "
      "u.disabled FROM tokens t JOIN devices d ON d.device_id=t.device_id "
      "JOIN users u ON u.name=t.user WHERE t.hash=?1");
  if (!st.ok()) return st.status();
  st->bind(1, token_hash(bearer_token));
  if (!st->step()) return Status(Code::kUnauthenticated, "unknown token; log in again");
  if (st->col_int(2) <= clock_.now_ms()) {
    return Status(Code::kUnauthenticated, "the token expired; log in again");
  }
  if (st->col_int(4) != 0) {  // logging in again would not help
    return Status(Code::kUnauthenticated,
                  "this device was revoked; ask the administrator (a new enrolment needs a new "
                  "data folder)");
  }
  if (st->col_int(3) != 0)
    return Status(Code::kUnauthenticated, "the token was revoked; log in again");
  if (st->col_int(7) != 0) return Status(Code::kUnauthenticated, "the account is disabled");
  auto role = parse_role(st->col_view(5));
  if (!role.ok()) return role.status();
  Session session{Principal{*role, st->col_text(6), st->col_text(0)}, st->col_text(1),
                  st->col_int(2)};
  const int64_t now = clock_.now_ms();
  if (renewal == Renewal::kSlide && session.expires_ms - now < ttl_ms_ / 2) {
    // In use past half its life: the token lives a full lifetime from now (one write per half
    // lifetime), so an office that syncs at least once per lifetime never meets an expiry.
    auto up = db_.prepare("UPDATE tokens SET expires_ms=?2 WHERE hash=?1");
    if (!up.ok()) return up.status();
    up->bind(1, token_hash(bearer_token)).bind(2, now + ttl_ms_);
    LWC_RETURN_IF_ERROR(up->run());
    session.expires_ms = now + ttl_ms_;
  }
  return session;
}

Status Accounts::revoke_token(const std::string& bearer_token) {
  std::lock_guard lock(mu_);
  auto st = db_.prepare("UPDATE tokens SET revoked=1 WHERE hash=?1");
  if (!st.ok()) return st.status();
  st->bind(1, token_hash(bearer_token));
  ++revocations_;
  return st->run();
}

Result<uint64_t> Accounts::generation() {
  std::lock_guard lock(mu_);
  auto st = db_.prepare("PRAGMA data_version");
  if (!st.ok()) return st.status();
  if (!st->step()) return Status(Code::kIo, "PRAGMA data_version returned nothing");
  return (static_cast<uint64_t>(st->col_int(0)) << 32) + revocations_;
}

Status Accounts::revoke_device(const std::string& device_id) {
  std::lock_guard lock(mu_);
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  auto d = db_.prepare("UPDATE devices SET revoked=1 WHERE device_id=?1");
  if (!d.ok()) return d.status();
  d->bind(1, device_id);
  LWC_RETURN_IF_ERROR(d->run());
  if (db_.changes() == 0) return Status(Code::kNotFound, "no device " + device_id);
  auto t = db_.prepare("UPDATE tokens SET revoked=1 WHERE device_id=?1");
  if (!t.ok()) return t.status();
  t->bind(1, device_id);
  LWC_RETURN_IF_ERROR(t->run());
  LWC_RETURN_IF_ERROR(audit_locked(kCommandLineActor, device_id, "device_revoked", "{}"));
  ++revocations_;
  return txn.commit();
}

Status Accounts::readmit_device(const std::string& device_id) {
  std::lock_guard lock(mu_);
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  auto d = db_.prepare("UPDATE devices SET revoked=0 WHERE device_id=?1 AND revoked=1");
  if (!d.ok()) return d.status();
  d->bind(1, device_id);
  LWC_RETURN_IF_ERROR(d->run());
  if (db_.changes() == 0) {
    auto known = db_.prepare("SELECT 1 FROM devices WHERE device_id=?1");
    if (!known.ok()) return known.status();
    known->bind(1, device_id);
    if (!known->step()) return Status(Code::kNotFound, "no device " + device_id);
    return Status(Code::kInvalidArgument, "device " + device_id + " is not revoked");
  }
  LWC_RETURN_IF_ERROR(audit_locked(kCommandLineActor, device_id, "device_readmitted", "{}"));
  return txn.commit();
}

Status Accounts::audit(const std::string& user, const std::string& device_id,
                       const std::string& action, const std::string& detail) {
  std::lock_guard lock(mu_);
  return audit_locked(user, device_id, action, detail);
}

Status Accounts::audit_locked(const std::string& user, const std::string& device_id,
                              const std::string& action, const std::string& detail) {
  auto st =
      db_.prepare("INSERT INTO audit(at_ms,user,device_id,action,detail) VALUES(?1,?2,?3,?4,?5)");
  if (!st.ok()) return st.status();
  st->bind(1, clock_.now_ms()).bind(2, user).bind(3, device_id).bind(4, action).bind(5, detail);
  return st->run();
}

Result<std::vector<AuditEntry>> Accounts::audit_log() {
  std::lock_guard lock(mu_);
  auto st = db_.prepare("SELECT id,at_ms,user,device_id,action,detail FROM audit ORDER BY id");
  if (!st.ok()) return st.status();
  std::vector<AuditEntry> out;
  while (st->step()) {
    out.push_back({st->col_int(0), st->col_int(1), st->col_text(2), st->col_text(3),
                   st->col_text(4), st->col_text(5)});
  }
  if (!st->last_status().ok()) return st->last_status();
  return out;
}

Result<std::vector<Accounts::DeviceInfo>> Accounts::devices() {
  std::lock_guard lock(mu_);
  auto st = db_.prepare(
      "SELECT d.device_id,d.user,d.name,d.client_version,d.enrolled_ms,d.last_seen_ms,d.revoked,"
      "u.role,u.district,d.last_pull_ms FROM devices d LEFT JOIN users u ON u.name=d.user "
      "ORDER BY d.user, d.device_id");
  if (!st.ok()) return st.status();
  std::vector<DeviceInfo> out;
  while (st->step()) {
    out.push_back({st->col_text(0), st->col_text(1), st->col_text(2), st->col_text(3),
                   st->col_int(4), st->col_int(5), st->col_int(6) != 0, st->col_text(7),
                   st->col_text(8), st->col_int(9)});
    if (auto it = last_pull_.find(out.back().device_id); it != last_pull_.end()) {
      out.back().last_pull_ms = it->second;
    }
  }
  if (!st->last_status().ok()) return st->last_status();
  return out;
}

Status Accounts::note_pull(const std::string& device_id) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.now_ms();
  last_pull_[device_id] = now;
  int64_t& persisted = persisted_pull_[device_id];
  if (now - persisted < kTouchIntervalMs)
    return {};  // a restart dates claims back a minute at most
  persisted = now;
  auto st = db_.prepare("UPDATE devices SET last_pull_ms=?2 WHERE device_id=?1");
  if (!st.ok()) return st.status();
  st->bind(1, device_id).bind(2, now);
  return st->run();
}

Result<int64_t> Accounts::last_contact_ms(const std::string& device_id) {
  std::lock_guard lock(mu_);
  if (auto it = last_pull_.find(device_id); it != last_pull_.end()) return it->second;
  auto st = db_.prepare(
      "SELECT CASE WHEN last_pull_ms > 0 THEN last_pull_ms ELSE enrolled_ms END FROM devices "
      "WHERE device_id=?1");
  if (!st.ok()) return st.status();
  st->bind(1, device_id);
  if (!st->step()) {
    LWC_RETURN_IF_ERROR(st->last_status());
    return Status(Code::kNotFound, "device " + device_id + " is not enrolled");
  }
  return st->col_int(0);
}

Status Accounts::touch_device(const std::string& device_id) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.now_ms();
  int64_t& last = last_touch_[device_id];
  if (now - last < kTouchIntervalMs) return {};  // a durable write per request would cost an fsync
  last = now;
  auto st = db_.prepare("UPDATE devices SET last_seen_ms=?2 WHERE device_id=?1");
  if (!st.ok()) return st.status();
  st->bind(1, device_id).bind(2, now);
  return st->run();
}

}  // namespace lwc::hub
