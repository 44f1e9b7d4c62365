#include "lwc/sse.h"

namespace lwc {

std::vector<SseEvent> SseParser::feed(std::string_view bytes) {
  std::vector<SseEvent> out;
  for (char c : bytes) {
    if (c == '\r') continue;
    if (c != '\n') {
      line_.push_back(c);
      continue;
    }
    if (line_.empty()) {  // end of an event
      if (has_data_) out.push_back(std::move(current_));
      current_ = SseEvent{};
      has_data_ = false;
    } else if (line_[0] != ':') {
      const size_t colon = line_.find(':');
      std::string field = line_.substr(0, colon);
      std::string value = colon == std::string::npos ? "" : line_.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      if (field == "event") {
        current_.event = value;
      } else if (field == "data") {
        if (has_data_) current_.data.push_back('\n');
        current_.data += value;
        has_data_ = true;
      }
    }
    line_.clear();
  }
  return out;
}

}  // namespace lwc
