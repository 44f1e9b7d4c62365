// What the sync benchmarks share: a hub in the benchmark's own process (HubService and the Beast
// server on 127.0.0.1:0, on a thread of their own, exactly as `lwc-hub serve` runs them but
// without the warning-rule runner) and a login over the real transport.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "lwc/client/transport.h"
#include "lwc/hub/pki.h"
#include "lwc/hub/server.h"
#include "lwc/id.h"

namespace lwc::bench {

inline void check(const Status& s) {
  if (!s.ok()) throw std::runtime_error(s.to_string());
}

struct Login {
  std::string token, device;
};
// Logs in as a new device of `user`.
inline Login login(client::Transport& t, const std::string& user, const std::string& password) {
  Login l{"", new_id()};
  auto r = t.request(
      "POST", "/v1/login",
      nlohmann::json{{"user", user}, {"password", password}, {"device_id", l.device}}.dump(), "");
  if (!r.ok() || r->status != 200) throw std::runtime_error("login failed");
  l.token = nlohmann::json::parse(r->body)["token"];
  return l;
}

// A hub with a fresh data directory and development CA under the temp directory, removed at the
// end. Accounts are added through `service->accounts()`.
struct Hub {
  std::filesystem::path dir;
  hub::HubConfig config;
  hub::PkiFiles pki;
  std::unique_ptr<hub::HubService> service;
  std::unique_ptr<hub::Server> server;
  std::thread io;
  std::string url;

  explicit Hub(const std::string& name) {
    dir = std::filesystem::temp_directory_path() / ("lwc-bench-" + name + "-" + new_id());
    std::filesystem::create_directories(dir / "tls");
    config.data_dir = dir.string();
    config.listen = "127.0.0.1:0";
    check(hub::generate_dev_pki((dir / "tls").string(), {"127.0.0.1"}, 2, &pki));
    auto s = hub::HubService::open(config, process_clock());
    check(s.status());
    service = std::move(s).value();
    auto srv = hub::Server::create(*service, config);
    check(srv.status());
    server = std::move(srv).value();
    io = std::thread([this] { server->run(); });
    url = "https://127.0.0.1:" + std::to_string(server->port());
  }
  ~Hub() {
    server->stop();
    io.join();
    server.reset();
    service.reset();
    std::filesystem::remove_all(dir);
  }
  void add_user(const std::string& user, Role role, const std::string& district,
                const std::string& password) {
    check(service->accounts().add_user(user, role, district, "", password));
  }
};

}  // namespace lwc::bench
