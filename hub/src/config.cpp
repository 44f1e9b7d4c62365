#include "lwc/hub/config.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace lwc::hub {

namespace {
using nlohmann::json;

template <typename T>
Status read_member(const json& j, const char* name, T* out) {
  if (!j.contains(name)) return {};
  try {
    *out = j.at(name).get<T>();
  } catch (const json::exception&) {
    return Status(Code::kInvalidArgument,
                  std::string("hub.json: '") + name + "' has the wrong type");
  }
  return {};
}
}  // namespace

std::string HubConfig::path(const std::string& relative) const {
  std::filesystem::path p(relative);
  return p.is_absolute() ? p.string() : (std::filesystem::path(data_dir) / p).string();
}

#define LWC_CONFIG_MEMBERS(X)                                                                    \
  X(listen)                                                                                      \
  X(tls_cert)                                                                                    \
  X(tls_key) X(tls_ca) X(max_body_bytes) X(max_batch) X(max_page) X(token_ttl_s) X(max_drift_s)  \
      X(claim_tolerance_s) X(read_timeout_s) X(idle_timeout_s) X(max_event_queue) X(heartbeat_s) \
          X(max_connections) X(max_streams_per_address) X(login_max_failures)                    \
              X(login_address_max_failures) X(login_window_s) X(worker_threads)                  \
                  X(rules_interval_s)

Result<HubConfig> load_config(const std::string& data_dir) {
  HubConfig c;
  c.data_dir = data_dir;
  const std::string file = c.path("hub.json");
  std::ifstream in(file);
  if (!in) {
    return Status(Code::kNotFound,
                  file + " not found — run `lwc-hub --data " + data_dir + " init`");
  }
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status(Code::kMalformed, file + " is not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
#define X(m) known |= it.key() == #m;
    LWC_CONFIG_MEMBERS(X)
#undef X
    known |= it.key() == "channels";
    known |= it.key() == "rules";
    known |= it.key() == "award";
    known |= it.key() == "web";
    if (!known)
      return Status(Code::kInvalidArgument, file + ": unknown setting '" + it.key() + "'");
  }
#define X(m) LWC_RETURN_IF_ERROR(read_member(j, #m, &c.m));
  LWC_CONFIG_MEMBERS(X)
#undef X
  if (c.claim_tolerance_s < 0 || c.claim_tolerance_s > 24 * 3600) {
    return Status(Code::kInvalidArgument, "claim_tolerance_s must be 0 to 86400");
  }
  if (c.worker_threads < 1) return Status(Code::kInvalidArgument, "worker_threads must be >= 1");
  if (c.rules_interval_s < 1)
    return Status(Code::kInvalidArgument, "rules_interval_s must be >= 1");
  if (j.contains("award")) {
    auto award = parse_award_config(j["award"]);
    if (!award.ok()) return Status(award.status().code(), file + ": " + award.status().message());
    c.award = *award;
  }
  if (j.contains("rules")) {
    auto rules = parse_rules_config(j["rules"]);
    if (!rules.ok()) return Status(rules.status().code(), file + ": " + rules.status().message());
    c.rules = std::move(rules).value();
  }
  if (j.contains("channels")) {
    auto channels = parse_notify_config(j["channels"]);
    if (!channels.ok()) return channels.status();
    c.channels = std::move(channels).value();
  }
  if (j.contains("web")) {
    const json& w = j["web"];
    if (!w.is_object()) return Status(Code::kInvalidArgument, file + ": 'web' must be an object");
    for (auto it = w.begin(); it != w.end(); ++it) {
      if (it.key() != "public" && it.key() != "debounce_ms" && it.key() != "letter_ref" &&
          it.key() != "max_streams") {
        return Status(Code::kInvalidArgument, file + ": unknown setting 'web." + it.key() + "'");
      }
    }
    LWC_RETURN_IF_ERROR(read_member(w, "public", &c.web.public_page));
    LWC_RETURN_IF_ERROR(read_member(w, "debounce_ms", &c.web.debounce_ms));
    LWC_RETURN_IF_ERROR(read_member(w, "letter_ref", &c.web.letter_ref));
    LWC_RETURN_IF_ERROR(read_member(w, "max_streams", &c.web.max_streams));
    if (c.web.debounce_ms < 0 || c.web.debounce_ms > 60'000) {
      return Status(Code::kInvalidArgument, "web.debounce_ms must be 0..60000");
    }
  }
  return c;
}

Status save_config(const HubConfig& c) {
  json j;
#define X(m) j[#m] = c.m;
  LWC_CONFIG_MEMBERS(X)
#undef X
  j["rules"] = rules_config_json(c.rules);
  j["award"] = award_config_json(c.award);
  j["web"] = {{"public", c.web.public_page},
              {"debounce_ms", c.web.debounce_ms},
              {"letter_ref", c.web.letter_ref},
              {"max_streams", c.web.max_streams}};
  if (c.channels.any_channel() || !c.channels.digest)
    j["channels"] = notify_config_json(c.channels);
  std::ofstream out(c.path("hub.json"));
  out << j.dump(2) << "\n";
  if (!out) return Status(Code::kIo, "cannot write " + c.path("hub.json"));
  return {};
}

}  // namespace lwc::hub
