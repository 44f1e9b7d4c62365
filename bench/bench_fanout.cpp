// Benchmark: event fan-out. S Server-Sent-Events subscribers (one libcurl multi handle in this
// process, each stream its own TLS connection) hold GET /v1/events on an in-process hub over
// HTTPS; another connection pushes one change P times. For every push: the time from just before
// the push request is sent until each subscriber has received its "event: changes" (p50/p99 over
// all deliveries), and until the LAST subscriber has it (p50/p99 over the pushes).
//
// Usage: lwc_bench_fanout OUT.json [subscribers=1000] [pushes=30]
#include <curl/curl.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "bench_hub.h"
#include "lwc/client/transport.h"
#include "lwc/hub/pki.h"
#include "lwc/hub/server.h"
#include "lwc/id.h"
#include "lwc/protocol.h"

using namespace lwc;
using SteadyClock = std::chrono::steady_clock;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using bench::check;

struct Subscriber {
  CURL* easy = nullptr;
  std::string buffer;   // unparsed bytes
  int events_seen = 0;  // "event: changes" received so far
  bool hello = false;
  std::vector<SteadyClock::time_point> received;  // one per changes event
};

size_t on_data(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Subscriber*>(user);
  const auto now = SteadyClock::now();
  s->buffer.append(data, size * n);
  size_t pos;
  while ((pos = s->buffer.find("\n\n")) != std::string::npos) {
    const std::string event = s->buffer.substr(0, pos);
    s->buffer.erase(0, pos + 2);
    if (event.find("event: hello") != std::string::npos) s->hello = true;
    if (event.find("event: changes") != std::string::npos) {
      ++s->events_seen;
      s->received.push_back(now);
    }
  }
  return size * n;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i =
      std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: lwc_bench_fanout OUT.json [subscribers] [pushes]\n");
    return 2;
  }
  const int subscribers = argc > 2 ? std::stoi(argv[2]) : 1000;
  const int pushes = argc > 3 ? std::stoi(argv[3]) : 30;
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);  // two sockets per subscriber in this process
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);

  auto hub = std::make_unique<bench::Hub>("fanout");
  hub->add_user("maemo", Role::kDistrict, "5202", "maemo-password");
  const std::string& url = hub->url;
  const auto& pki = hub->pki;

  auto pusher = client::make_curl_transport({url, pki.ca_cert});
  const std::string token = bench::login(*pusher, "maemo", "maemo-password").token;
  const std::string auth = "Authorization: Bearer " + token;

  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
  std::vector<Subscriber> subs(static_cast<size_t>(subscribers));
  curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
  headers = curl_slist_append(headers, "Accept: text/event-stream");
  for (Subscriber& s : subs) {
    s.easy = curl_easy_init();
    curl_easy_setopt(s.easy, CURLOPT_URL, (url + "/v1/events").c_str());
    curl_easy_setopt(s.easy, CURLOPT_CAINFO, pki.ca_cert.c_str());
    curl_easy_setopt(s.easy, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(s.easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(s.easy, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(s.easy, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(s.easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(s.easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(s.easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_multi_add_handle(multi, s.easy);
  }
  auto pump = [&](int timeout_ms) {
    int running = 0;
    curl_multi_perform(multi, &running);
    curl_multi_poll(multi, nullptr, 0, timeout_ms, nullptr);
    curl_multi_perform(multi, &running);
    return running;
  };

  // Connect everyone (TLS handshakes) and wait for every hello.
  const auto c0 = SteadyClock::now();
  while (true) {
    pump(50);
    int hellos = 0;
    for (const Subscriber& s : subs) hellos += s.hello;
    if (hellos == subscribers) break;
    if (SteadyClock::now() - c0 > std::chrono::seconds(120))
      throw std::runtime_error("subscribers did not connect");
  }
  const double connect_s = std::chrono::duration<double>(SteadyClock::now() - c0).count();
  if (hub->service->events().size() < static_cast<size_t>(subscribers)) {
    throw std::runtime_error("the hub holds fewer streams than subscribers");
  }

  std::vector<double> all_ms, last_ms;
  const std::string row = new_id();
  for (int p = 0; p < pushes; ++p) {
    std::atomic<bool> done{false};
    SteadyClock::time_point t0;
    std::thread push([&] {
      std::vector<Mutation> m = {
          {p + 1,
           Change{"measurement", row, "5202", "value",
                  FieldVersion{
                      std::to_string(p), Hlc::from_parts(process_clock().now_ms(), 0), "", {}}}}};
      const std::string body = protocol::push_request(m);
      t0 = SteadyClock::now();
      auto resp = pusher->request("POST", "/v1/push", body, token);
      if (!resp.ok() || resp->status != 200) std::fprintf(stderr, "push failed\n");
      done = true;
    });
    const auto deadline = SteadyClock::now() + std::chrono::seconds(30);
    while (SteadyClock::now() < deadline) {
      pump(5);
      int got = 0;
      for (const Subscriber& s : subs) got += s.events_seen > p;
      if (got == subscribers && done) break;
    }
    push.join();
    double worst = 0;
    int missing = 0;
    for (const Subscriber& s : subs) {
      if (s.events_seen <= p) {
        ++missing;
        continue;
      }
      const double ms =
          std::chrono::duration<double, std::milli>(s.received[static_cast<size_t>(p)] - t0)
              .count();
      all_ms.push_back(ms);
      worst = std::max(worst, ms);
    }
    if (missing > 0)
      throw std::runtime_error(std::to_string(missing) + " subscribers missed push " +
                               std::to_string(p + 1));
    last_ms.push_back(worst);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // pushes apart, not a storm
  }

  for (Subscriber& s : subs) {
    curl_multi_remove_handle(multi, s.easy);
    curl_easy_cleanup(s.easy);
  }
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  hub.reset();

  const double p50 = percentile(all_ms, 0.5), p99 = percentile(all_ms, 0.99);
  const double last_p50 = percentile(last_ms, 0.5), last_p99 = percentile(last_ms, 0.99);
  std::ofstream(argv[1]) << json{{"benchmark", "sse_fanout"},
                                 {"subscribers", subscribers},
                                 {"pushes", pushes},
                                 {"connect_s", connect_s},
                                 {"delivery_ms",
                                  {{"p50", p50}, {"p99", p99}, {"max", percentile(all_ms, 1.0)}}},
                                 {"last_subscriber_ms", {{"p50", last_p50}, {"p99", last_p99}}},
                                 {"goal", {{"last_subscriber_p99_ms", 250}}},
                                 {"goal_met", last_p99 < 250}}
                                .dump()
                         << "\n";
  std::printf(
      "(c) fan-out to %d event streams (connected in %.1f s), %d pushes: each delivery "
      "p50 %.1f ms, p99 %.1f ms; last subscriber p50 %.1f ms, p99 %.1f ms (goal p99 < 250 ms: "
      "%s)\n",
      subscribers, connect_s, pushes, p50, p99, last_p50, last_p99,
      last_p99 < 250 ? "met" : "NOT met");
  return 0;
}
