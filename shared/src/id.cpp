#include "lwc/id.h"

#include <openssl/sha.h>

#include <algorithm>
#include <mutex>
#include <random>

namespace lwc {

std::string random_hex(size_t n_bytes) {
  static std::mutex mu;
  static std::random_device rd;  // /dev/urandom on Linux
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n_bytes * 2);
  std::lock_guard lock(mu);
  for (size_t i = 0; i < n_bytes; i += 4) {
    uint32_t r = rd();
    for (size_t b = 0; b < 4 && i + b < n_bytes; ++b) {
      uint8_t byte = static_cast<uint8_t>(r >> (8 * b));
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

std::string new_id() {
  return random_hex(16);
}

std::string name_id(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (std::string_view p : parts) {
    joined.append(p);
    joined.push_back('\0');
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string id_after(std::string_view old, std::string random) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  for (size_t i = 0; i < random.size(); ++i) {
    const char o = i < old.size() ? old[i] : '\0';
    if (o < 'f') {  // some digit is greater than o: keep the prefix, take one of them
      const auto not_greater =
          std::count_if(kDigits.begin(), kDigits.end(), [o](char d) { return d <= o; });
      const std::string_view greater = kDigits.substr(static_cast<size_t>(not_greater));
      const size_t pick = kDigits.find(random[i]) % greater.size();
      random.replace(0, i, old.substr(0, i));
      random[i] = greater[pick];
      return random;
    }
    if (o != 'f') break;  // not a digit, and above every digit
  }
  return random;
}

std::string new_id_after(std::string_view old) {
  return id_after(old, new_id());
}

bool is_valid_id(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace lwc
