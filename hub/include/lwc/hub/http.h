// Transport-neutral HTTP request and response values: handlers map one to the other and never see a
// socket (STYLE.md §2). The Beast server (server.h) converts to and from these.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lwc::hub {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query: "/v1/pull?after=10"
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote_address;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace lwc::hub
