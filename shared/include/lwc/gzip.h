// gzip (RFC 1952) for HTTP bodies: the client sends push bodies with Content-Encoding: gzip and
// accepts gzip pull responses; the hub inflates request bodies with a limit on the inflated size
// and compresses responses for clients that send Accept-Encoding: gzip (docs/protocol.md §1). Whole
// buffers, with libdeflate (faster than zlib at both ends, and standard gzip).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "lwc/status.h"

namespace lwc {

// Bodies smaller than this are sent as they are: the gzip header and the CPU would cost more than
// the bytes saved.
inline constexpr size_t kGzipMinBytes = 1024;

// One gzip member of `data` at `level` (1 = fastest .. 12 = smallest; 6 is zlib's default).
std::string gzip_compress(std::string_view data, int level = 1);

// Inflates a gzip body. kTooLarge when the output would exceed `max_out` bytes (inflation stops
// there, so a small "zip bomb" never allocates more than max_out + 1 bytes); kMalformed when `data`
// is not one complete gzip member (trailing bytes included, a wrong CRC or length).
Result<std::string> gzip_decompress(std::string_view data, size_t max_out);

// True when an Accept-Encoding header value accepts gzip: "gzip" or "x-gzip" listed without q=0, or
// "*" (not q=0) without gzip itself refused. Case-insensitive.
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace lwc
