// The HTTPS front of the hub (Boost.Beast over OpenSSL, TLS 1.2+ only).
//
// Threads: one IO thread runs accept, TLS and all socket work; handlers (HubService::handle, which
// does the SQLite work) run on a pool of config.worker_threads, so a slow commit never blocks the
// accept loop. Each connection has a header and body limit, read/idle timeouts, and — for an event
// stream — a bounded queue (a subscriber that falls max_event_queue messages behind is disconnected
// and catches up by pulling). SIGINT/SIGTERM: stop accepting, let running handlers finish (a push
// is then either committed or not acknowledged), exit.
#pragma once

#include <cstdint>
#include <memory>

#include "lwc/hub/config.h"
#include "lwc/hub/service.h"
#include "lwc/status.h"

namespace lwc::hub {

class Server {
 public:
  // Loads the certificate and key, binds config.listen ("ADDR:PORT"; port 0 picks a free one).
  static Result<std::unique_ptr<Server>> create(HubService& service, const HubConfig& config);
  ~Server();

  uint16_t port() const;
  // Serves until stop() or SIGINT/SIGTERM; returns when in-flight handlers are done.
  void run();
  // Thread-safe.
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lwc::hub
