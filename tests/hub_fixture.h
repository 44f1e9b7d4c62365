// A hub service on a temporary directory with a fake clock and a few accounts, for handler tests.
#pragma once

#include <nlohmann/json.hpp>

#include "lwc/hub/demo.h"
#include "lwc/hub/service.h"
#include "temp_dir.h"

namespace lwc::test {

inline constexpr int64_t kHubT0 = 1'795'600'000'000;  // 2026-11-25

struct HubFixture {
  TempDir dir;
  FakeClock clock{kHubT0};
  hub::HubConfig config;
  std::unique_ptr<hub::HubService> hub;

  HubFixture() {
    config.data_dir = dir.path().string();
    config.login_max_failures = 3;
    config.max_batch = 100;
    config.max_page = 50;
    config.max_body_bytes = 64 * 1024;
    auto h = hub::HubService::open(config, clock);
    if (!h.ok()) throw std::runtime_error(h.status().to_string());
    hub = std::move(h).value();
    Status s = hub->with_store([&](Store& st) { return hub::seed_reference(st, LWC_ASSETS_DIR); });
    if (!s.ok()) throw std::runtime_error(s.to_string());
    add("maemo", Role::kDistrict, "5202");
    add("thoen", Role::kDistrict, "5208");
    add("planner", Role::kProvince, "");
  }

  void add(const std::string& user, Role role, const std::string& district) {
    Status s = hub->accounts().add_user(user, role, district, "", "password-" + user);
    if (!s.ok()) throw std::runtime_error(s.to_string());
  }

  hub::Response call(const std::string& method, const std::string& target,
                     const std::string& body = "", const std::string& token = "",
                     const std::string& content_type = "application/json") {
    hub::Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.remote_address = "127.0.0.1";
    if (!content_type.empty()) r.headers["content-type"] = content_type;
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return hub->handle(r);
  }

  // Logs in and returns the token (throws on failure).
  std::string login(const std::string& user, const std::string& device) {
    auto r = call("POST", "/v1/login",
                  nlohmann::json{{"user", user}, {"password", "password-" + user}, {"device_id", device}}
                      .dump());
    if (r.status != 200) throw std::runtime_error("login failed: " + r.body);
    return nlohmann::json::parse(r.body)["token"].get<std::string>();
  }
};

inline nlohmann::json body_of(const hub::Response& r) { return nlohmann::json::parse(r.body); }

}  // namespace lwc::test
