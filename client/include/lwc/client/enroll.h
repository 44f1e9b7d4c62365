// Enrolment of this device with the hub: POST /v1/login with the account's password, then
// DATA_DIR/client.json (0600) and the pinned CA in DATA_DIR/hub-ca.pem. Used by `lwc-client enroll`
// and the GUI's first-run screen (which calls it off the UI thread: it blocks on the network),
// and logging in again on an enrolled folder.
#pragma once

#include <string>

#include "lwc/client/config.h"
#include "lwc/status.h"

namespace lwc::client {

struct EnrollRequest {
  std::string data_dir, hub_url, ca_file, user, password;
  std::string device_name = "lwc-client";
  long connect_timeout_ms = 5000;
};

// On success the directory holds client.json, hub-ca.pem and client.db (device id created).
// Failures: kIo (directory, CA file, no link), kUnauthenticated (wrong password), kRateLimited, …
// with the hub's message; nothing is written to client.json unless the login succeeded.
Result<ClientConfig> enroll(const EnrollRequest& request);

// Logging in again on an enrolled folder (its token lapsed or was revoked, the password changed,
// the device was re-admitted): the same hub, pinned CA and account; the folder keeps its device id,
// its entries and its outbox, and client.json gets the new token. kPermissionDenied (nothing saved)
// when the hub now gives the account another role or district than the folder's work belongs to;
// otherwise the failures of enroll. Used by the window's log-in dialog and `lwc-client login`.
Result<ClientConfig> log_in_again(const ClientConfig& current, const std::string& password,
                                  long connect_timeout_ms = 5000);

}  // namespace lwc::client
