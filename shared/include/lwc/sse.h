// Incremental parser of a Server-Sent-Events stream (the hub's /v1/events, WHATWG format subset):
// "event:" and "data:" lines, a blank line ends an event, lines starting with ':' are comments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lwc {

struct SseEvent {
  std::string event = "message";
  std::string data;  // data lines joined with '\n'
};

class SseParser {
 public:
  // Feeds bytes as they arrive (any split); returns the events completed by them.
  std::vector<SseEvent> feed(std::string_view bytes);

 private:
  std::string line_;
  SseEvent current_;
  bool has_data_ = false;
};

}  // namespace lwc
