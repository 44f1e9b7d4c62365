#include "lwc/client/enroll.h"

#include <filesystem>

#include "lwc/client/transport.h"
#include "lwc/protocol.h"
#include "lwc/store.h"

namespace lwc::client {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// POST /v1/login for the folder's device (created on first use); the config is not saved.
Result<ClientConfig> log_in(const EnrollRequest& req) {
  if (req.hub_url.rfind("https://", 0) != 0) {
    return Status(Code::kInvalidArgument, "the hub address starts with https://");
  }
  if (req.user.empty()) return Status(Code::kInvalidArgument, "enter the account name");
  std::error_code ec;
  fs::create_directories(req.data_dir, ec);
  if (ec) return Status(Code::kIo, "cannot create " + req.data_dir + ": " + ec.message());
  ClientConfig config;
  config.data_dir = fs::absolute(req.data_dir).string();
  config.hub_url = req.hub_url;
  config.user = req.user;
  if (fs::absolute(req.ca_file) != fs::absolute(config.ca_file())) {
    fs::copy_file(req.ca_file, config.ca_file(), fs::copy_options::overwrite_existing, ec);
    if (ec) return Status(Code::kIo, "cannot read the hub CA " + req.ca_file + ": " + ec.message());
  }
  auto store = Store::open(config.store_options(), process_clock());
  if (!store.ok()) return store.status();
  auto transport = make_curl_transport({req.hub_url, config.ca_file(), req.connect_timeout_ms});
  json body{{"user", req.user},
            {"password", req.password},
            {"device_id", (*store)->device_id()},
            {"device_name", req.device_name},
            {"client_version", "0.1.0"}};
  auto r = transport->request("POST", "/v1/login", body.dump(), "");
  if (!r.ok()) return r.status();
  auto reply = protocol::parse_json(r->body);
  if (!reply.ok()) return reply.status();
  if (r->status != 200) return protocol::parse_error_body(*reply, Code::kUnauthenticated);
  try {
    auto role = parse_role(reply->at("role").get<std::string>());
    if (!role.ok()) return role.status();
    config.role = *role;
    const json& district = (*reply)["district"];
    config.district = district.is_string() ? district.get<std::string>() : "";
    config.token = reply->at("token").get<std::string>();
    config.token_expires_ms = reply->at("expires_ms").get<int64_t>();
    config.max_drift_ms = reply->at("max_drift_ms").get<int64_t>();
  } catch (const json::exception& e) {
    return Status(Code::kMalformed, std::string("login answer: ") + e.what());
  }
  return config;
}

Result<ClientConfig> saved(Result<ClientConfig> config) {
  if (!config.ok()) return config;
  LWC_RETURN_IF_ERROR(save_client_config(*config));
  std::error_code ec;
  fs::permissions(config->data_dir + "/client.json", fs::perms::owner_read | fs::perms::owner_write,
                  ec);
  return config;
}

}  // namespace

Result<ClientConfig> enroll(const EnrollRequest& req) {
  return saved(log_in(req));
}

Result<ClientConfig> log_in_again(const ClientConfig& current, const std::string& password,
                                  long connect_timeout_ms) {
  EnrollRequest req{current.data_dir, current.hub_url, current.ca_file(), current.user, password};
  req.connect_timeout_ms = connect_timeout_ms;
  auto next = log_in(req);
  if (!next.ok()) return next;
  if (next->role != current.role || next->district != current.district) {
    // The folder's entries and outbox belong to the old role and district: a token for another
    // would have every queued change refused. Nothing is saved.
    return Status(Code::kPermissionDenied,
                  "the hub now gives " + current.user + " the role " + role_name(next->role) +
                      (next->district.empty() ? "" : " " + next->district) +
                      "; this folder holds the work of " + role_name(current.role) +
                      (current.district.empty() ? "" : " " + current.district) +
                      ": enrol a new folder for the new role");
  }
  return saved(std::move(next));
}

}  // namespace lwc::client
