// libFuzzer target: HubService::handle, the hub's handlers as a remote party reaches them, on a
// real store in a temporary directory: the first byte picks the request — a login body, a push
// body (plain or gzip-encoded), a pull query string, a status query — the rest is the input.
// A district account's token is used for the authenticated ones.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "lwc/clock.h"
#include "lwc/hub/demo.h"
#include "lwc/hub/service.h"
#include "lwc/id.h"
#include "lwc/protocol.h"

namespace {

struct World {
  lwc::FakeClock clock{1'795'600'000'000};
  std::unique_ptr<lwc::hub::HubService> hub;
  std::string token;

  World() {
    char tmpl[] = "/tmp/lwc-fuzz-hub-XXXXXX";
    const char* dir = mkdtemp(tmpl);
    if (!dir) std::abort();
    lwc::hub::HubConfig config;
    config.data_dir = dir;
    config.max_body_bytes = 64 * 1024;
    config.login_max_failures = 1'000'000'000;  // the fuzzer guesses; keep answering
    config.login_address_max_failures = 1'000'000'000;
    auto h = lwc::hub::HubService::open(config, clock);
    if (!h.ok()) std::abort();
    hub = std::move(h).value();
    if (!hub->with_store([&](lwc::Store& st) {
              return lwc::hub::seed_reference(st, LWC_ASSETS_DIR);
            }).ok() ||
        !hub->accounts().add_user("maemo", lwc::Role::kDistrict, "5202", "", "password-maemo").ok()) {
      std::abort();
    }
    auto r = call("POST", "/v1/login",
                  R"({"user":"maemo","password":"password-maemo","device_id":")" + lwc::new_id() +
                      "\"}",
                  "");
    auto j = lwc::protocol::parse_json(r.body);
    if (r.status != 200 || !j.ok()) std::abort();
    token = (*j)["token"].get<std::string>();
  }

  lwc::hub::Response call(const std::string& method, const std::string& target, std::string body,
                          const std::string& bearer, bool gzip = false) {
    lwc::hub::Request r;
    r.method = method;
    r.target = target;
    r.headers["lwc-protocol"] = "1";
    if (!body.empty()) r.headers["content-type"] = "application/json";
    if (gzip) r.headers["content-encoding"] = "gzip";
    if (!bearer.empty()) r.headers["authorization"] = "Bearer " + bearer;
    r.body = std::move(body);
    r.remote_address = "127.0.0.1";
    return hub->handle(r);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World;  // one hub for the whole run (its rows accumulate)
  if (size == 0) return 0;
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  lwc::hub::Response resp;
  switch (data[0] % 5) {
    case 0: resp = world->call("POST", "/v1/login", input, ""); break;
    case 1: resp = world->call("POST", "/v1/push", input, world->token); break;
    case 2: resp = world->call("POST", "/v1/push", input, world->token, /*gzip=*/true); break;
    case 3: resp = world->call("GET", "/v1/pull?" + input, "", world->token); break;
    case 4: resp = world->call("GET", "/v1/status?" + input, "", ""); break;
  }
  // Every answer is a status the protocol names, and an error answer is {code, message} JSON.
  if (resp.status < 200 || resp.status > 599) __builtin_trap();
  if (resp.status >= 400 && !lwc::protocol::parse_json(resp.body).ok()) __builtin_trap();
  return 0;
}
