#include "lwc/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace lwc {

std::string gzip_compress(std::string_view data, int level) {
  z_stream z{};
  // windowBits 15 + 16: a gzip wrapper instead of zlib's; memLevel 8 is zlib's default.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const size_t produced = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  out.resize(produced);
  return out;
}

Result<std::string> gzip_decompress(std::string_view data, size_t max_out) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return Status(Code::kInternal, "inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  // Grow with the output actually produced, never to max_out up front.
  out.resize(std::min<size_t>(std::max<size_t>(data.size() * 4, 4096), max_out + 1));
  int rc = Z_OK;
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
    z.avail_out = static_cast<uInt>(out.size() - z.total_out);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && !(rc == Z_BUF_ERROR && z.avail_out == 0)) {
      inflateEnd(&z);
      return Status(Code::kMalformed, "the body is not valid gzip");
    }
    if (z.total_out > max_out) break;
    if (z.avail_out == 0) {
      out.resize(std::min(out.size() * 2, max_out + 1));
    } else if (z.avail_in == 0) {  // input ended before the gzip trailer
      inflateEnd(&z);
      return Status(Code::kMalformed, "the gzip body is truncated");
    }
  }
  const size_t produced = z.total_out;
  const bool trailing = z.avail_in != 0;
  inflateEnd(&z);
  if (produced > max_out) {
    return Status(Code::kTooLarge, "the body is larger than " + std::to_string(max_out) +
                                       " bytes once decompressed");
  }
  if (trailing) return Status(Code::kMalformed, "bytes after the end of the gzip body");
  out.resize(produced);
  return out;
}

bool accepts_gzip(std::string_view header) {
  bool gzip = false, gzip_refused = false, star = false;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    std::string item(header.substr(pos, comma - pos));
    pos = comma + 1;
    std::transform(item.begin(), item.end(), item.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    item.erase(std::remove_if(item.begin(), item.end(), [](unsigned char c) { return std::isspace(c); }),
               item.end());
    const size_t semi = item.find(';');
    const std::string coding = item.substr(0, semi);
    bool zero = false;
    if (semi != std::string::npos) {
      const std::string param = item.substr(semi + 1);
      if (param.rfind("q=", 0) == 0) {
        const std::string q = param.substr(2);
        zero = !q.empty() && q.find_first_not_of("0.") == std::string::npos;
      }
    }
    if (coding == "gzip" || coding == "x-gzip") (zero ? gzip_refused : gzip) = true;
    if (coding == "*" && !zero) star = true;
  }
  return gzip || (star && !gzip_refused);
}

}  // namespace lwc
