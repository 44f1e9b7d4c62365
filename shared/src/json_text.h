// Writing JSON text directly into a string, for the bodies that hold thousands of items (a pull
// page, a push batch, the canonical export): no document is built. Internal to lwc_core.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace lwc::json_text {

// Appends `s` as a JSON string: '"' and '\' escaped, control characters as \u00XX; UTF-8 passes
// through unchanged. Any JSON parser reads back exactly `s`.
inline void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t plain = 0;  // start of the run of characters that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c != '"' && c != '\\' && c >= 0x20) continue;
    out.append(s, plain, i - plain);
    plain = i + 1;
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else {
      static const char* kHex = "0123456789abcdef";
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  out.append(s, plain, s.size() - plain);
  out.push_back('"');
}

inline void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// Appends `"name":` (name must need no escaping: the protocol's own member names).
inline void append_key(std::string& out, std::string_view name) {
  out.push_back('"');
  out += name;
  out += "\":";
}

}  // namespace lwc::json_text
