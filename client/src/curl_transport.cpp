#include <curl/curl.h>

#include <mutex>

#include "lwc/client/transport.h"
#include "lwc/gzip.h"
#include "lwc/protocol.h"

namespace lwc::client {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t append_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct StreamState {
  const std::function<bool(std::string_view)>* on_data;
  const std::atomic<bool>* stop;
  long status = 0;
  std::string error_body;
  CURL* curl;
};

size_t stream_body(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<StreamState*>(user);
  if (st->status == 0) curl_easy_getinfo(st->curl, CURLINFO_RESPONSE_CODE, &st->status);
  if (st->status != 200) {
    st->error_body.append(data, size * n);
    return size * n;
  }
  if (!(*st->on_data)(std::string_view(data, size * n))) return 0;  // aborts the transfer
  return size * n;
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlOptions options) : options_(std::move(options)) {
    global_init();
    curl_ = curl_easy_init();
  }
  ~CurlTransport() override {
    if (curl_) curl_easy_cleanup(curl_);
  }

  Result<HttpResponse> request(const std::string& method, const std::string& path,
                               const std::string& body, const std::string& token) override {
    if (method == "POST" && options_.gzip_requests && body.size() >= kGzipMinBytes) {
      const std::string packed = gzip_compress(body);
      auto r = send(method, path, packed, token, true);
      if (!r.ok() || (r->status != 400 && r->status != 415)) return r;
      options_.gzip_requests = false;  // a hub without gzip bodies: plain from now on
    }
    return send(method, path, body, token, false);
  }

  Result<HttpResponse> send(const std::string& method, const std::string& path,
                            const std::string& body, const std::string& token, bool gzipped) {
    curl_easy_reset(curl_);
    common(path, token);
    curl_slist* headers = header_list(token, !body.empty() || method == "POST");
    if (gzipped) headers = curl_slist_append(headers, "Content-Encoding: gzip");
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, options_.request_timeout_ms);
    if (method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POST, 1L);
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    } else if (method != "GET") {
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    HttpResponse out;
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &out.body);
    CURLcode rc = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) return transport_error(rc);
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &out.status);
    return out;
  }

  Status stream(const std::string& path, const std::string& token,
                const std::function<bool(std::string_view)>& on_data,
                const std::atomic<bool>& stop) override {
    curl_easy_reset(curl_);
    common(path, token);
    curl_slist* headers = header_list(token, false);
    headers = curl_slist_append(headers, "Accept: text/event-stream");
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    StreamState st{&on_data, &stop, 0, {}, curl_};
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, stream_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &st);
    // A dead link shows as no bytes (not even heartbeats) for a while.
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 45L);
    // A multi handle, so that wake() (curl_multi_wakeup) can end the wait at once; an easy
    // transfer looks at its progress callback only about once a second when no bytes flow.
    CURLM* multi = curl_multi_init();
    curl_multi_add_handle(multi, curl_);
    {
      std::lock_guard lock(wake_mu_);
      multi_ = multi;
    }
    CURLcode rc = CURLE_OK;
    while (true) {
      int running = 0;
      if (curl_multi_perform(multi, &running) != CURLM_OK) {
        rc = CURLE_RECV_ERROR;
        break;
      }
      if (running == 0) {
        int left = 0;
        while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
          if (m->msg == CURLMSG_DONE) rc = m->data.result;
        }
        break;
      }
      if (stop.load()) {
        rc = CURLE_ABORTED_BY_CALLBACK;
        break;
      }
      curl_multi_poll(multi, nullptr, 0, 200, nullptr);
    }
    {
      std::lock_guard lock(wake_mu_);
      multi_ = nullptr;
    }
    curl_multi_remove_handle(multi, curl_);
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &st.status);
    if (st.status == 401) return Status(Code::kUnauthenticated, "the hub refused the token");
    if (st.status != 0 && st.status != 200) {
      return Status(Code::kUnavailable,
                    "event stream: HTTP " + std::to_string(st.status) + " " + st.error_body);
    }
    if (rc == CURLE_OK || rc == CURLE_ABORTED_BY_CALLBACK || rc == CURLE_WRITE_ERROR) return {};
    return transport_error(rc);
  }

  void wake() override {
    std::lock_guard lock(wake_mu_);
    if (multi_) curl_multi_wakeup(multi_);
  }

 private:
  void common(const std::string& path, const std::string&) {
    const std::string url = options_.base_url + path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(curl_, CURLOPT_CAPATH, nullptr);  // only the pinned CA, not the system store
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl_, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(curl_, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(curl_, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "gzip");  // inflated by libcurl
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
  }

  curl_slist* header_list(const std::string& token, bool json_body) {
    curl_slist* h = nullptr;
    if (json_body) h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(
        h, (std::string(protocol::kVersionHeader) + ": " + std::to_string(protocol::kVersion))
               .c_str());
    if (!token.empty()) h = curl_slist_append(h, ("Authorization: Bearer " + token).c_str());
    h = curl_slist_append(h, "Expect:");  // no 100-continue round trip
    return h;
  }

  Status transport_error(CURLcode rc) {
    return Status(Code::kUnavailable, std::string("cannot reach the hub at ") + options_.base_url +
                                          ": " + curl_easy_strerror(rc));
  }

  CurlOptions options_;
  CURL* curl_ = nullptr;
  std::mutex wake_mu_;      // guards multi_ against wake() from another thread
  CURLM* multi_ = nullptr;  // while stream() runs
};

}  // namespace

std::unique_ptr<Transport> make_curl_transport(const CurlOptions& options) {
  return std::make_unique<CurlTransport>(options);
}

}  // namespace lwc::client
