// The outgoing channels' settings: the "channels" member of hub.json (docs/ARCHITECTURE.md,
// "Outgoing channels"). Every member is optional; an absent channel is off.
//
//   "channels": {
//     "line":    {"base_url": "https://api.line.me", "channel_token": "...",
//                 "to": {"5201": "Uxxxx", "province": "Cxxxx", "executive": "Uyyyy"}},
//     "email":   {"smtp_url": "smtps://mail.example.org:465", "from": "lwc@example.org",
//                 "username": "", "password": "", "to": {"5201": "a@example.org"}},
//     "webhook": {"url": "https://example.org/hook"},
//     "digest":  true
//   }
//
// Offices (the keys of "to") are district codes 5201..5213, "province" and "executive". An office
// with no entry in a channel's "to" gets nothing on that channel. Unknown members are refused.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "lwc/status.h"

namespace lwc::hub {

struct LineChannelConfig {
  std::string base_url = "https://api.line.me";  // tests point it at a local fake
  std::string channel_token;                     // long-lived channel access token (bearer)
  std::map<std::string, std::string> to;         // office -> user, group or room id
};

struct EmailChannelConfig {
  std::string smtp_url;  // smtp://host:port (STARTTLS when offered; required with a username)
                         // or smtps://host:port (implicit TLS)
  std::string from;      // envelope and header sender address
  std::string username, password;         // empty: no SMTP AUTH
  std::map<std::string, std::string> to;  // office -> address
};

struct WebhookChannelConfig {
  std::string url;  // every notification is POSTed here as JSON
};

struct NotifyConfig {
  std::optional<LineChannelConfig> line;
  std::optional<EmailChannelConfig> email;
  std::optional<WebhookChannelConfig> webhook;
  bool digest = true;  // warn-stage warnings grouped per office per day; false: sent at once

  bool any_channel() const { return line || email || webhook; }
};

// True for "5201".."5213", "province" and "executive".
bool is_office(const std::string& office);

// Parses the "channels" member; kInvalidArgument names the offending member.
Result<NotifyConfig> parse_notify_config(const nlohmann::json& j);
// The JSON form parse_notify_config reads back (absent channels are left out).
nlohmann::json notify_config_json(const NotifyConfig& c);

}  // namespace lwc::hub
