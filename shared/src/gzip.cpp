#include "lwc/gzip.h"

#include <libdeflate.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <vector>

namespace lwc {

namespace {

struct FreeCompressor {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
struct FreeDecompressor {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

// One compressor per thread and level, one decompressor per thread: they hold tables worth
// allocating once, and are not safe to share between threads.
libdeflate_compressor* compressor(int level) {
  thread_local std::unique_ptr<libdeflate_compressor, FreeCompressor> kept[13];
  if (level < 0 || level > 12) throw std::invalid_argument("gzip level must be 0..12");
  auto& c = kept[level];
  if (!c) c.reset(libdeflate_alloc_compressor(level));
  if (!c) throw std::bad_alloc();
  return c.get();
}

libdeflate_decompressor* decompressor() {
  thread_local std::unique_ptr<libdeflate_decompressor, FreeDecompressor> kept;
  if (!kept) kept.reset(libdeflate_alloc_decompressor());
  if (!kept) throw std::bad_alloc();
  return kept.get();
}

}  // namespace

std::string gzip_compress(std::string_view data, int level) {
  libdeflate_compressor* c = compressor(level);
  std::string out(libdeflate_gzip_compress_bound(c, data.size()), '\0');
  const size_t produced =
      libdeflate_gzip_compress(c, data.data(), data.size(), out.data(), out.size());
  if (produced == 0) throw std::runtime_error("gzip compression did not fit its bound");
  out.resize(produced);
  return out;
}

Result<std::string> gzip_decompress(std::string_view data, size_t max_out) {
  // A gzip member is at least a 10-byte header, a 2-byte empty deflate block and an 8-byte trailer.
  if (data.size() < 20) return Status(Code::kMalformed, "the body is not valid gzip");
  // The trailer's last 4 bytes give the inflated size (mod 2^32), which the sender may get wrong:
  // the first buffer only. The second and last attempt has max_out + 1 bytes, so a small "zip
  // bomb" never allocates more than that.
  const auto* tail = reinterpret_cast<const unsigned char*>(data.data() + data.size() - 4);
  const size_t hint = tail[0] | tail[1] << 8 | tail[2] << 16 | static_cast<size_t>(tail[3]) << 24;
  const size_t limit = max_out + 1;
  const Status too_large(Code::kTooLarge, "the body is larger than " + std::to_string(max_out) +
                                              " bytes once decompressed");
  std::string out;
  for (const size_t capacity : {std::min(std::max<size_t>(hint, 4096), limit), limit}) {
    out.resize(capacity);
    size_t used_in = 0, produced = 0;
    const libdeflate_result r = libdeflate_gzip_decompress_ex(
        decompressor(), data.data(), data.size(), out.data(), out.size(), &used_in, &produced);
    if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
      if (capacity == limit) return too_large;
      continue;
    }
    if (r != LIBDEFLATE_SUCCESS) return Status(Code::kMalformed, "the body is not valid gzip");
    if (produced > max_out) return too_large;
    if (used_in != data.size()) {
      return Status(Code::kMalformed, "bytes after the end of the gzip body");
    }
    out.resize(produced);
    return out;
  }
  return too_large;  // not reached: the last attempt returns
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
    item.erase(
        std::remove_if(item.begin(), item.end(), [](unsigned char c) { return std::isspace(c); }),
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
