// Benchmark: push and pull throughput over real HTTPS (in-process hub on 127.0.0.1, libcurl
// client). Pushes N field changes in batches of 1,000 from one district device, then pulls them all
// as a fresh province client in pages of 10,000. Usage: lwc_bench_sync OUT.json [changes]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "bench_hub.h"
#include "lwc/client/transport.h"
#include "lwc/hub/demo.h"
#include "lwc/hub/pki.h"
#include "lwc/hub/server.h"
#include "lwc/id.h"
#include "lwc/protocol.h"

using namespace lwc;
using Seconds = std::chrono::duration<double>;
using nlohmann::json;

using bench::check;
using bench::login;

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const int64_t n = argc > 2 ? std::stoll(argv[2]) : 200'000;
  auto hub = std::make_unique<bench::Hub>("sync");
  hub->add_user("bench", Role::kDistrict, "5202", "bench-password");
  hub->add_user("reader", Role::kProvince, "", "reader-password");
  auto t = client::make_curl_transport({hub->url, hub->pki.ca_cert});
  const std::string token = login(*t, "bench", "bench-password").token;

  // Prepare the bodies first: the clock stamps are what a client would send.
  std::vector<std::string> bodies;
  const int64_t wall = process_clock().now_ms();
  for (int64_t i = 0; i < n; i += 1000) {
    std::vector<Mutation> batch;
    for (int64_t j = i; j < std::min(n, i + 1000); ++j) {
      batch.push_back(
          {j + 1, Change{"measurement", name_id({"bench", std::to_string(j / 5)}), "5202",
                         j % 5 == 0   ? "value"
                         : j % 5 == 1 ? "collected"
                         : j % 5 == 2 ? "entered"
                         : j % 5 == 3 ? "updated"
                                      : "source",
                         FieldVersion{j % 5 == 4 ? "\"bench\"" : std::to_string(j),
                                      Hlc::from_parts(wall, static_cast<uint32_t>(j % 60000)),
                                      "",
                                      {}}}});
    }
    bodies.push_back(protocol::push_request(batch));
  }
  auto t0 = std::chrono::steady_clock::now();
  for (const std::string& b : bodies) {
    auto r = t->request("POST", "/v1/push", b, token);
    if (!r.ok() || r->status != 200)
      throw std::runtime_error("push failed: " + (r.ok() ? r->body : r.status().to_string()));
  }
  const double push_s = Seconds(std::chrono::steady_clock::now() - t0).count();

  auto reader = client::make_curl_transport({hub->url, hub->pki.ca_cert});
  const std::string reader_token = login(*reader, "reader", "reader-password").token;
  int64_t cursor = 0, pulled = 0;
  t0 = std::chrono::steady_clock::now();
  while (true) {
    auto r = reader->request("GET", "/v1/pull?after=" + std::to_string(cursor) + "&limit=10000", "",
                             reader_token);
    if (!r.ok() || r->status != 200) throw std::runtime_error("pull failed");
    auto page = protocol::parse_pull_response(r->body);
    check(page.status());
    pulled += static_cast<int64_t>(page->changes.size());
    cursor = page->next_cursor;
    if (!page->more) break;
  }
  const double pull_s = Seconds(std::chrono::steady_clock::now() - t0).count();
  hub.reset();

  const double push_rate = n / push_s, pull_rate = pulled / pull_s;
  std::ofstream(argv[1]) << json{{"benchmark", "https_push_pull"},
                                 {"changes", n},
                                 {"push_batch", 1000},
                                 {"push_s", push_s},
                                 {"push_changes_per_s", push_rate},
                                 {"pulled", pulled},
                                 {"pull_page", 10000},
                                 {"pull_s", pull_s},
                                 {"pull_changes_per_s", pull_rate},
                                 {"goal", {{"push_changes_per_s", 100000}}},
                                 {"goal_met", push_rate >= 100000}}
                                .dump()
                         << "\n";
  std::printf("push over HTTPS: %lld changes in %.2f s = %.0f changes/s (goal >= 100000: %s)\n",
              static_cast<long long>(n), push_s, push_rate,
              push_rate >= 100000 ? "met" : "NOT met");
  std::printf("pull over HTTPS: %lld changes in %.2f s = %.0f changes/s\n",
              static_cast<long long>(pulled), pull_s, pull_rate);
  return 0;
}
