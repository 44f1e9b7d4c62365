#include "lwc/client/config.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace lwc::client {

using nlohmann::json;

Result<ClientConfig> load_client_config(const std::string& data_dir) {
  const std::string file = data_dir + "/client.json";
  std::ifstream in(file);
  if (!in) {
    return Status(Code::kNotFound, "this client is not enrolled (" + file +
                                       " missing): run `lwc-client --data " + data_dir +
                                       " enroll --hub URL --ca FILE --user NAME`");
  }
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status(Code::kMalformed, file + " is not JSON");
  ClientConfig c;
  c.data_dir = data_dir;
  try {
    c.hub_url = j.at("hub_url").get<std::string>();
    c.user = j.at("user").get<std::string>();
    auto role = parse_role(j.at("role").get<std::string>());
    if (!role.ok()) return role.status();
    c.role = *role;
    c.district = j.value("district", "");
    c.token = j.value("token", "");
    c.token_expires_ms = j.value("token_expires_ms", int64_t{0});
    c.max_drift_ms = j.value("max_drift_ms", int64_t{300'000});
  } catch (const json::exception& e) {
    return Status(Code::kInvalidArgument, file + ": " + e.what());
  }
  return c;
}

Status save_client_config(const ClientConfig& c) {
  json j{{"hub_url", c.hub_url},   {"user", c.user},
         {"role", role_name(c.role)}, {"district", c.district},
         {"token", c.token},       {"token_expires_ms", c.token_expires_ms},
         {"max_drift_ms", c.max_drift_ms}};
  const std::string file = c.data_dir + "/client.json";
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp);
    out << j.dump(2) << "\n";
    if (!out) return Status(Code::kIo, "cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), file.c_str()) != 0) return Status(Code::kIo, "cannot write " + file);
  return {};
}

}  // namespace lwc::client
