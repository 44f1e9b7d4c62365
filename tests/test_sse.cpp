#include <catch2/catch.hpp>

#include "lwc/sse.h"

using namespace lwc;

TEST_CASE("sse: events split anywhere are reassembled, comments are skipped", "[sse]") {
  const std::string stream =
      "retry: 3000\n\n: heartbeat\n\nevent: changes\ndata: {\"seq\":5}\n\n"
      "data: line one\r\ndata: line two\n\n";
  for (size_t split = 0; split <= stream.size(); ++split) {
    SseParser p;
    auto events = p.feed(stream.substr(0, split));
    auto more = p.feed(stream.substr(split));
    events.insert(events.end(), more.begin(), more.end());
    REQUIRE(events.size() == 2);
    CHECK(events[0].event == "changes");
    CHECK(events[0].data == "{\"seq\":5}");
    CHECK(events[1].event == "message");
    CHECK(events[1].data == "line one\nline two");
  }
}
