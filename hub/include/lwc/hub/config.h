// The hub's configuration: DATA_DIR/hub.json, written by `lwc-hub init`, read by `serve`.
// Every member has a default; unknown members are refused so a typo is noticed.
#pragma once

#include <cstdint>
#include <string>

#include "lwc/award.h"
#include "lwc/hub/notify_config.h"
#include "lwc/status.h"
#include "lwc/warnings.h"

namespace lwc::hub {

// "web": the status page and letters (hub/src/web.cpp). Unknown members are refused.
struct WebConfig {
  bool public_page = true;             // "public": /v1/status and its event stream without login
  int64_t debounce_ms = 500;           // at most one "status" event per this interval
  size_t max_streams = 1000;           // open /v1/status/events streams; more are refused (429)
  std::string letter_ref = "ลป 0020";  // the office's letter-number prefix ("ที่ ลป 0020/…")
};

struct HubConfig {
  std::string data_dir;  // not in the file: where the file is
  std::string listen = "127.0.0.1:8443";
  std::string tls_cert = "tls/server.pem";  // relative paths are relative to data_dir
  std::string tls_key = "tls/server.key";
  std::string tls_ca = "tls/ca.pem";  // handed to clients for pinning (`lwc-client enroll --ca`)
  size_t max_body_bytes = 8 * 1024 * 1024;
  size_t max_batch = 5000;  // mutations per push
  size_t max_page = 10000;  // changes per pull page
  int64_t token_ttl_s = 30 * 24 * 3600;
  int64_t max_drift_s = 300;            // a change's HLC may be at most this far ahead of the hub
  int64_t claim_tolerance_s = 300;      // a claimed time counts this far before the last contact
  int64_t read_timeout_s = 30;          // to read one request
  int64_t idle_timeout_s = 120;         // keep-alive connection with no request
  size_t max_event_queue = 256;         // pending SSE messages per subscriber before it is dropped
  int64_t heartbeat_s = 15;             // SSE comment line to keep links and proxies open
  size_t max_connections = 4000;        // at once (lowered to fit the open-file limit); then 503
  size_t max_streams_per_address = 64;  // event streams (/v1/events, /v1/status/events) per address
  int login_max_failures = 5;           // per account and address (accounts.h LoginLimits)
  int login_address_max_failures = 50;  // per address, over all accounts
  int64_t login_window_s = 300;
  int worker_threads = 2;         // handler threads (SQLite work), apart from the IO thread
  int64_t rules_interval_s = 60;  // warning rules run this often, and after every change
  RulesConfig rules;              // "rules": the warning rules (docs/warnings.md)
  AwardConfig award;              // "award": Report Award points (docs/award.md)
  NotifyConfig channels;          // "channels": outgoing LINE / e-mail / webhook (notify_config.h)
  WebConfig web;                  // "web": status page and letters

  std::string path(const std::string& relative) const;  // resolves against data_dir
};

Result<HubConfig> load_config(const std::string& data_dir);
Status save_config(const HubConfig& config);

}  // namespace lwc::hub
