// Accounts, enrolled devices, bearer tokens, login rate limits and the audit log of the hub.
//
// File accounts.db (SQLite, beside hub.db):
//   users(name, role, district, work_group, pw_hash, created_ms, disabled)
//       pw_hash: libsodium crypto_pwhash_str (argon2id) — the password itself is never stored
//   devices(device_id, user, name, client_version, enrolled_ms, last_seen_ms, revoked,
//           last_pull_ms)   (a fork starts from its original's last contact)
//   tokens(hash, user, device_id, issued_ms, expires_ms, revoked)
//       hash: SHA-256 of the bearer token; the token itself is only ever returned to the client
//   audit(id, at_ms, user, device_id, action, detail)
//
// Thread-safe: one mutex guards the connection and the rate-limit table.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lwc/clock.h"
#include "lwc/model.h"
#include "lwc/sqlite.h"
#include "lwc/status.h"

namespace lwc::hub {

// Failed logins slow the guesser without locking the rightful user out: `max_failures` per
// (account, address) pair, and a larger budget per address (one office shares one address, so a
// mistyping colleague must not block everyone behind it). No account-wide lock: an attacker at one
// address cannot keep the officer at another out. A successful login clears its pair.
struct LoginLimits {
  int max_failures = 5;           // per account and address, within the window
  int max_address_failures = 50;  // per address, over all accounts, within the window
  int64_t window_ms = 5 * 60 * 1000;
  size_t max_keys = 10'000;  // the table's size; beyond it the stalest entries go first
};

struct Session {
  Principal principal;
  std::string device_id;
  int64_t expires_ms = 0;  // of the token
};

struct LoginResult {
  std::string token;  // 64 hex digits (256 random bits)
  int64_t expires_ms = 0;
  Principal principal;
};

struct AuditEntry {
  int64_t id = 0, at_ms = 0;
  std::string user, device_id, action, detail;
};

class Accounts {
 public:
  static Result<std::unique_ptr<Accounts>> open(const std::string& path, const Clock& clock,
                                                int64_t token_ttl_ms, LoginLimits limits = {});

  // kAlreadyExists if the name is taken; kInvalidArgument for a bad role/district/password.
  Status add_user(const std::string& name, Role role, const std::string& district,
                  const std::string& work_group, const std::string& password);
  // A new password (at least 8 characters); every token of the account ends at once (its devices
  // log in again with the new one and keep their outboxes). kNotFound for an unknown name. Audited
  // as "password_changed".
  Status set_password(const std::string& name, const std::string& password);
  // Checks the password and enrolls the device for the user. Errors: kUnauthenticated (wrong user
  // or password — the same message for both), kRateLimited (too many failures for the account or
  // the address), kConflict (device enrolled by another account), kPermissionDenied (device
  // revoked).
  Result<LoginResult> login(const std::string& user, const std::string& password,
                            const std::string& device_id, const std::string& device_name,
                            const std::string& client_version, const std::string& address);
  // Enrols `device_id` as a new device of the session's account (a copy of the session's data
  // folder, found by the hub: device_forked) and issues it a token. kAlreadyExists if the id is
  // taken. Audited as "device_forked".
  Result<LoginResult> fork_device(const Session& from, const std::string& device_id);
  // kUnauthenticated: unknown, expired or revoked token, revoked device, disabled user.
  // kSlide: a token used in the second half of its lifetime is renewed for a full lifetime from
  // now (Session::expires_ms is the new end); kCheck only looks (an open event stream re-checking
  // its token does not keep it alive).
  enum class Renewal { kSlide, kCheck };
  Result<Session> authenticate(const std::string& bearer_token, Renewal renewal = Renewal::kSlide);
  Status revoke_token(const std::string& bearer_token);
  // Revokes the device and every token issued to it.
  Status revoke_device(const std::string& device_id);
  // A revoked device may log in again (its old tokens stay revoked): the folder logs in and sends
  // what it kept. kNotFound for an unknown device, kInvalidArgument when it is not revoked.
  // Audited as "device_readmitted".
  Status readmit_device(const std::string& device_id);
  // Changes whenever a token, device or account may have been revoked since the last call
  // returned the same value: by this process, or by another one writing accounts.db (the hub's
  // command line), seen through SQLite's data_version. Cheap: streams call it before each event.
  Result<uint64_t> generation();

  // Appends to the audit log. The accounts themselves record "user_added", "device_enrolled" (a
  // device's first login) and "device_revoked"; the hub adds silences, resolved disputes and
  // refused writes. `detail` is a JSON text. The hub's command line acts as user "lwc-hub".
  Status audit(const std::string& user, const std::string& device_id, const std::string& action,
               const std::string& detail);
  Result<std::vector<AuditEntry>> audit_log();

  struct DeviceInfo {
    std::string device_id, user, name, client_version;
    int64_t enrolled_ms = 0, last_seen_ms = 0;
    bool revoked = false;
    std::string role, district;  // of the account
    int64_t last_pull_ms = 0;    // 0: never pulled
  };
  Result<std::vector<DeviceInfo>> devices();
  // Entries in the failed-login table and the bytes of their keys (for /metrics and tests).
  size_t tracked_failures();
  size_t tracked_failure_bytes();

  // Records that the device was seen now; written at most once a minute per device.
  Status touch_device(const std::string& device_id);
  // Records that the device pulled now: its last contact, from which its claimed times count
  // (claims.h). Exact in memory; written at most once a minute, so after a restart a device's
  // last contact is at most a minute older than it was.
  Status note_pull(const std::string& device_id);
  // The device's last contact: its last pull, or its enrolment when it never pulled.
  Result<int64_t> last_contact_ms(const std::string& device_id);
  static constexpr int64_t kTouchIntervalMs = 60'000;

 private:
  Accounts(sql::Db db, const Clock& clock, int64_t ttl, LoginLimits limits);
  // Failures of `key` within the window (expired ones dropped). Requires mu_.
  int failures(const std::string& key, int64_t now);
  void record_failure(const std::string& key, int64_t now);  // requires mu_
  void forget_failure(const std::string& key);               // one failure, requires mu_
  // A new token for the device, stored by its hash (mu_ held, inside the caller's transaction).
  Status issue_token_locked(const std::string& user, const std::string& device_id, int64_t now,
                            LoginResult& out);
  Status audit_locked(const std::string& user, const std::string& device_id,
                      const std::string& action, const std::string& detail);  // requires mu_

  std::mutex mu_;
  sql::Db db_;  // guarded by mu_
  const Clock& clock_;
  const int64_t ttl_ms_;
  const LoginLimits limits_;
  std::map<std::string, std::vector<int64_t>> failures_;  // guarded by mu_: key -> failure times
  uint64_t revocations_ = 0;  // guarded by mu_: revocations by this process
  std::string dummy_hash_;    // verified for unknown users, so that they take as long as known ones
  std::map<std::string, int64_t> last_touch_;  // guarded by mu_: device -> last recorded sighting
  std::map<std::string, int64_t> last_pull_;   // guarded by mu_: device -> last pull
  std::map<std::string, int64_t> persisted_pull_;  // guarded by mu_: device -> last pull written
};

}  // namespace lwc::hub
