// Row and device ids: 128 random bits as 32 lower-case hex digits.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace lwc {

// A fresh id from the operating system's random source. Thread-safe.
std::string new_id();
// An id greater than `old` (byte-wise) made from the random id `random` (32 hex digits): old's
// prefix, then a greater digit, then random's digits. A data folder that turns out to be a copy
// takes such an id, so that each of its versions beats the twin the other folder holds under
// `old` (same clock, same value) on every replica alike. `random` itself when no greater id of 32
// hex digits exists.
std::string id_after(std::string_view old, std::string random);
// id_after(old, new_id()).
std::string new_id_after(std::string_view old);
// True for exactly 32 lower-case hex digits.
bool is_valid_id(std::string_view id);
// A name-based id for a row with a natural key (the first 128 bits of SHA-256 over the parts,
// NUL-separated): two offline devices that create "the 5202 budget figure as of 2026-11-20" address
// one row, so their edits meet in the per-field merge instead of becoming duplicate rows.
std::string name_id(std::initializer_list<std::string_view> parts);
// Hex of n random bytes (tokens, salts).
std::string random_hex(size_t n_bytes);

}  // namespace lwc
