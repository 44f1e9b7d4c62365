// Handler tests of gzip bodies (HubService::handle, no network): gzip push bodies, the limit on the
// inflated size (a zip bomb is 413), and gzip pull responses only for clients that accept them.
#include <catch2/catch.hpp>

#include "hub_fixture.h"
#include "lwc/gzip.h"
#include "lwc/id.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;

namespace {
hub::Response call(HubFixture& f, const std::string& method, const std::string& target,
                   const std::string& body, const std::string& token,
                   std::map<std::string, std::string> headers) {
  hub::Request r{method, target, std::move(headers), body, "127.0.0.1"};
  r.headers["content-type"] = "application/json";
  r.headers["authorization"] = "Bearer " + token;
  return f.hub->handle(r);
}
std::string header(const hub::Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}
std::string push_body(int n, int first_counter = 1) {
  json ms = json::array();
  for (int i = 0; i < n; ++i) {
    ms.push_back(json{{"counter", first_counter + i},
                      {"table", "measurement"},
                      {"id", new_id()},
                      {"scope", "5202"},
                      {"field", "value"},
                      {"value", i},
                      {"hlc", Hlc::from_parts(kHubT0, static_cast<uint32_t>(i)).packed},
                      {"base", 0}});
  }
  return json{{"mutations", ms}}.dump();
}
}  // namespace

TEST_CASE("service gzip: a gzip push body is applied like a plain one", "[service][gzip]") {
  HubFixture f;
  const std::string token = f.login("maemo", new_id());
  const std::string body = push_body(50);
  auto r = call(f, "POST", "/v1/push", gzip_compress(body), token, {{"content-encoding", "gzip"}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  json answer = body_of(r);
  CHECK(answer["last_counter"] == 50);
  for (const json& m : answer["results"]) CHECK(m["status"] == "applied");
  // Sent again, plain: duplicates (the same mutations, exactly once).
  auto again = call(f, "POST", "/v1/push", body, token, {});
  REQUIRE(again.status == 200);
  const json repeated = body_of(again);
  REQUIRE(repeated["results"].size() == answer["results"].size());
  for (const json& m : repeated["results"]) CHECK(m["status"] == "duplicate");
}

TEST_CASE("service gzip: a zip bomb is 413, broken gzip 400, another encoding 415, nothing applied",
          "[service][gzip]") {
  HubFixture f;  // max_body_bytes = 64 KiB
  const std::string token = f.login("maemo", new_id());
  // 16 MiB of spaces after a valid start: ~16 KiB on the wire, far above the limit inflated.
  const std::string bomb = gzip_compress("{\"mutations\":[" + std::string(16 << 20, ' ') + "]}", 9);
  REQUIRE(bomb.size() < f.config.max_body_bytes);
  auto big = call(f, "POST", "/v1/push", bomb, token, {{"content-encoding", "gzip"}});
  CHECK(big.status == 413);
  CHECK(body_of(big)["code"] == "too_large");
  CHECK_THAT(body_of(big)["message"].get<std::string>(), Catch::Contains("decompressed"));

  auto broken = call(f, "POST", "/v1/push", push_body(3), token, {{"content-encoding", "gzip"}});
  CHECK(broken.status == 400);
  CHECK(body_of(broken)["code"] == "malformed");
  auto other = call(f, "POST", "/v1/push", push_body(3), token, {{"content-encoding", "br"}});
  CHECK(other.status == 415);
  CHECK(body_of(other)["code"] == "unsupported");
  // None of them consumed a counter: mutation 1 is still the next one.
  auto first = call(f, "POST", "/v1/push", push_body(1), token, {});
  REQUIRE(first.status == 200);
  CHECK(body_of(first)["results"][0]["status"] == "applied");
}

TEST_CASE("service gzip: pull responses are gzipped only when the client accepts gzip",
          "[service][gzip]") {
  HubFixture f;
  const std::string token = f.login("maemo", new_id());
  REQUIRE(call(f, "POST", "/v1/push", push_body(50), token, {}).status == 200);
  auto plain = call(f, "GET", "/v1/pull?after=0", "", token, {});
  REQUIRE(plain.status == 200);
  CHECK(header(plain, "Content-Encoding").empty());
  CHECK(header(plain, "Vary") == "Accept-Encoding");
  auto packed =
      call(f, "GET", "/v1/pull?after=0", "", token, {{"accept-encoding", "deflate, gzip"}});
  REQUIRE(packed.status == 200);
  CHECK(header(packed, "Content-Encoding") == "gzip");
  CHECK(packed.body.size() < plain.body.size() / 3);
  auto inflated = gzip_decompress(packed.body, 1 << 24);
  REQUIRE(inflated.ok());
  CHECK(*inflated == plain.body);
  // Small answers stay plain even when gzip is accepted.
  auto health = call(f, "GET", "/v1/health", "", token, {{"accept-encoding", "gzip"}});
  CHECK(header(health, "Content-Encoding").empty());
  CHECK(body_of(health)["status"] == "ok");
}
