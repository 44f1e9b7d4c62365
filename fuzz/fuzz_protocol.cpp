// libFuzzer target: the decoders of bytes a remote party sends to a client or the hub, without a
// hub: a push batch, a push answer, a pull page, any JSON (the login body), a gzip body, and the
// event-stream parser fed in two pieces. The first byte picks the decoder. Every decoder must
// return a value or a Status, never crash, hang or read out of bounds (ASan, UBSan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lwc/gzip.h"
#include "lwc/protocol.h"
#include "lwc/sse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      auto r = lwc::protocol::parse_push_request(body, "dev", 5000);
      if (r.ok()) (void)lwc::protocol::push_request(*r);  // what was read can be written
      break;
    }
    case 1: {
      int64_t last = 0;
      lwc::HubMark mark;
      (void)lwc::protocol::parse_push_response(body, &last, &mark);
      break;
    }
    case 2: {
      auto page = lwc::protocol::parse_pull_response(body);
      if (page.ok()) {
        auto again = lwc::protocol::parse_pull_response(lwc::protocol::pull_response(*page));
        if (!again.ok()) __builtin_trap();  // a page read must survive its own round trip
      }
      break;
    }
    case 3:
      (void)lwc::protocol::parse_json(body);
      break;
    case 4:
      (void)lwc::gzip_decompress(body, 1 << 20);
      break;
    case 5: {
      lwc::SseParser parser;
      const size_t cut = body.empty() ? 0 : static_cast<unsigned char>(body[0]) % body.size();
      (void)parser.feed(body.substr(0, cut));
      (void)parser.feed(body.substr(cut));
      break;
    }
  }
  return 0;
}
