// The client's view of the network: HTTPS requests to the hub and its event stream, behind a small
// interface (STYLE.md §4) so tests can inject faults. CurlTransport is the real one (libcurl, TLS
// 1.2+, the hub's CA pinned: only certificates issued by that CA are accepted).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "lwc/status.h"

namespace lwc::client {

struct HttpResponse {
  long status = 0;
  std::string body;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // One request; `path` is relative to the hub ("/v1/pull?after=3"). A transport failure (no
  // route, TLS, timeout) is kIo; any HTTP status is a successful HttpResponse.
  virtual Result<HttpResponse> request(const std::string& method, const std::string& path,
                                       const std::string& body, const std::string& token) = 0;
  // Holds a streaming GET open, handing every received chunk to on_data, until on_data returns
  // false, `stop` becomes true (checked at least every 200 ms, and at once after wake()), or the
  // connection ends. Returns kIo on a transport failure, kUnauthenticated on 401, ok when stopped
  // or ended cleanly.
  virtual Status stream(const std::string& path, const std::string& token,
                        const std::function<bool(std::string_view)>& on_data,
                        const std::atomic<bool>& stop) = 0;
  // Makes a running stream() look at `stop` now. The only method another thread may call.
  virtual void wake() {}
};

struct CurlOptions {
  std::string base_url;  // "https://127.0.0.1:8443"
  std::string ca_file;   // PEM of the hub's CA (pinned)
  long connect_timeout_ms = 5000;
  long request_timeout_ms = 60000;
  std::string user_agent = "lwc-client/0.1.0";
  // Request bodies of at least kGzipMinBytes go as Content-Encoding: gzip. A hub that answers such
  // a body 400 or 415 (one older than gzip support) gets it again uncompressed, and no more gzip
  // bodies from this transport. Responses are always accepted gzipped (Accept-Encoding).
  bool gzip_requests = true;
};

// One libcurl easy handle (keep-alive across requests). Not thread-safe: one per thread.
std::unique_ptr<Transport> make_curl_transport(const CurlOptions& options);

}  // namespace lwc::client
