// The client's enrolment: DATA_DIR/client.json (written by `lwc-client enroll`) and the pinned hub
// CA copied to DATA_DIR/hub-ca.pem. The local store is DATA_DIR/client.db.
#pragma once

#include <cstdint>
#include <string>

#include "lwc/model.h"
#include "lwc/status.h"
#include "lwc/store.h"

namespace lwc::client {

struct ClientConfig {
  std::string data_dir;  // not in the file
  std::string hub_url;   // "https://127.0.0.1:8443"
  std::string user;
  Role role = Role::kDistrict;
  std::string district;  // district role: its code
  std::string token;
  int64_t token_expires_ms = 0;
  int64_t max_drift_ms = 300'000;  // the hub's, learned at login

  std::string ca_file() const { return data_dir + "/hub-ca.pem"; }
  std::string store_path() const { return data_dir + "/client.db"; }
  // How every part of the client opens the store: durable (an entry the officer saw saved
  // survives a power cut, not only a crash) with the hub's drift bound.
  StoreOptions store_options() const {
    StoreOptions o{store_path()};
    o.max_drift_ms = max_drift_ms;
    o.durable = true;
    return o;
  }
  Principal principal() const { return Principal{role, district, user}; }
};

// kNotFound (with the enroll command to run) when the directory holds no enrolment.
Result<ClientConfig> load_client_config(const std::string& data_dir);
Status save_client_config(const ClientConfig& config);

}  // namespace lwc::client
