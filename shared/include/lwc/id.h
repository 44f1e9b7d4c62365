// Row and device ids: 128 random bits as 32 lower-case hex digits.
#pragma once

#include <string>
#include <string_view>

namespace lwc {

// A fresh id from the operating system's random source. Thread-safe.
std::string new_id();
// True for exactly 32 lower-case hex digits.
bool is_valid_id(std::string_view id);
// Hex of n random bytes (tokens, salts).
std::string random_hex(size_t n_bytes);

}  // namespace lwc
