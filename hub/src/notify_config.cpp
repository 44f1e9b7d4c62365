#include "lwc/hub/notify_config.h"

#include <initializer_list>

#include "lwc/model.h"

namespace lwc::hub {

namespace {
using nlohmann::json;

Status bad(const std::string& where, const std::string& what) {
  return Status(Code::kInvalidArgument, "hub.json: channels." + where + " " + what);
}

Status only_members(const json& j, const std::string& where,
                    std::initializer_list<const char*> names) {
  if (!j.is_object()) return bad(where, "must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (const char* n : names) known |= it.key() == n;
    if (!known) return bad(where, "has an unknown member '" + it.key() + "'");
  }
  return {};
}

Status read_string(const json& j, const std::string& where, const char* name, std::string* out) {
  if (!j.contains(name)) return {};
  if (!j[name].is_string()) return bad(where + "." + name, "must be a string");
  *out = j[name].get<std::string>();
  return {};
}

Status read_to(const json& j, const std::string& where, std::map<std::string, std::string>* out) {
  if (!j.contains("to")) return {};
  const json& to = j["to"];
  if (!to.is_object()) return bad(where + ".to", "must be an object of office -> recipient");
  for (auto it = to.begin(); it != to.end(); ++it) {
    if (!is_office(it.key())) {
      return bad(where + ".to",
                 "has '" + it.key() + "', not an office (5201..5213, province, executive)");
    }
    if (!it.value().is_string() || it.value().get<std::string>().empty()) {
      return bad(where + ".to." + it.key(), "must be a non-empty string");
    }
    (*out)[it.key()] = it.value().get<std::string>();
  }
  return {};
}

bool has_scheme(const std::string& url, std::initializer_list<const char*> schemes) {
  for (const char* s : schemes) {
    if (url.rfind(s, 0) == 0 && url.size() > std::string(s).size()) return true;
  }
  return false;
}

}  // namespace

bool is_office(const std::string& office) {
  return office == "province" || office == "executive" || is_district_code(office);
}

Result<NotifyConfig> parse_notify_config(const json& j) {
  NotifyConfig c;
  LWC_RETURN_IF_ERROR(only_members(j, "", {"line", "email", "webhook", "digest"}));
  if (j.contains("digest")) {
    if (!j["digest"].is_boolean()) return bad("digest", "must be true or false");
    c.digest = j["digest"].get<bool>();
  }
  if (j.contains("line")) {
    const json& l = j["line"];
    LWC_RETURN_IF_ERROR(only_members(l, "line", {"base_url", "channel_token", "to"}));
    LineChannelConfig line;
    LWC_RETURN_IF_ERROR(read_string(l, "line", "base_url", &line.base_url));
    LWC_RETURN_IF_ERROR(read_string(l, "line", "channel_token", &line.channel_token));
    LWC_RETURN_IF_ERROR(read_to(l, "line", &line.to));
    if (line.channel_token.empty()) return bad("line.channel_token", "is required");
    if (!has_scheme(line.base_url, {"https://", "http://"})) {
      return bad("line.base_url", "must start with https:// (http:// only for local tests)");
    }
    while (!line.base_url.empty() && line.base_url.back() == '/') line.base_url.pop_back();
    c.line = std::move(line);
  }
  if (j.contains("email")) {
    const json& e = j["email"];
    LWC_RETURN_IF_ERROR(
        only_members(e, "email", {"smtp_url", "from", "username", "password", "to"}));
    EmailChannelConfig email;
    LWC_RETURN_IF_ERROR(read_string(e, "email", "smtp_url", &email.smtp_url));
    LWC_RETURN_IF_ERROR(read_string(e, "email", "from", &email.from));
    LWC_RETURN_IF_ERROR(read_string(e, "email", "username", &email.username));
    LWC_RETURN_IF_ERROR(read_string(e, "email", "password", &email.password));
    LWC_RETURN_IF_ERROR(read_to(e, "email", &email.to));
    if (!has_scheme(email.smtp_url, {"smtp://", "smtps://"})) {
      return bad("email.smtp_url", "must be smtp://HOST:PORT or smtps://HOST:PORT");
    }
    if (email.from.find('@') == std::string::npos) return bad("email.from", "must be an address");
    c.email = std::move(email);
  }
  if (j.contains("webhook")) {
    const json& w = j["webhook"];
    LWC_RETURN_IF_ERROR(only_members(w, "webhook", {"url"}));
    WebhookChannelConfig hook;
    LWC_RETURN_IF_ERROR(read_string(w, "webhook", "url", &hook.url));
    if (!has_scheme(hook.url, {"https://", "http://"})) {
      return bad("webhook.url", "must start with https:// (http:// only for local tests)");
    }
    c.webhook = std::move(hook);
  }
  return c;
}

json notify_config_json(const NotifyConfig& c) {
  json j = json::object();
  j["digest"] = c.digest;
  if (c.line) {
    j["line"] = {{"base_url", c.line->base_url},
                 {"channel_token", c.line->channel_token},
                 {"to", c.line->to}};
  }
  if (c.email) {
    j["email"] = {{"smtp_url", c.email->smtp_url},
                  {"from", c.email->from},
                  {"username", c.email->username},
                  {"password", c.email->password},
                  {"to", c.email->to}};
  }
  if (c.webhook) j["webhook"] = {{"url", c.webhook->url}};
  return j;
}

}  // namespace lwc::hub
