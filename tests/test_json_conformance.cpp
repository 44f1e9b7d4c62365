// Every decoder of bytes from another party against the JSONTestSuite cases (json_cases.h): a
// text the suite refuses is refused (kMalformed, nothing read from it), a text it accepts reads
// back as the same JSON, and nothing may follow a body, not even after a NUL byte.
#include <catch2/catch.hpp>

#include <string>

#include "json_cases.h"
#include "lwc/id.h"
#include "lwc/protocol.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;

namespace {
const std::string kHlc = std::to_string(Hlc::from_parts(1795600000000, 1).packed);

// A push body whose one value is `value`, as raw text.
std::string push_with(std::string_view value) {
  return std::string(
             R"({"mutations":[{"counter":1,"table":"measurement","id":"m1","scope":"5202",)") +
         R"("field":"value","value":)" + std::string(value) + R"(,"hlc":)" + kHlc +
         R"(,"base":0}]})";
}
std::string pull_with(std::string_view value) {
  return std::string(R"({"changes":[{"seq":1,"table":"measurement","id":"m1","scope":"5202",)") +
         R"("field":"value","value":)" + std::string(value) + R"(,"hlc":)" + kHlc +
         R"(,"base":0,"device":"d"}],"next_cursor":1,"more":false})";
}
const std::string kPushResponse =
    R"({"results":[{"counter":1,"status":"applied"}],"last_counter":1})";

// The decoders a remote party reaches, each reading `body` whole.
struct Decoder {
  const char* name;
  Status (*read)(std::string_view body);
};
const Decoder kDecoders[] = {
    {"parse_json", [](std::string_view b) { return protocol::parse_json(b).status(); }},
    {"parse_push_request",
     [](std::string_view b) { return protocol::parse_push_request(b, "dev").status(); }},
    {"parse_pull_response",
     [](std::string_view b) { return protocol::parse_pull_response(b).status(); }},
    {"parse_push_response",
     [](std::string_view b) { return protocol::parse_push_response(b).status(); }},
};
}  // namespace

TEST_CASE("json: the bodies the decoders are given here are valid to start with", "[json]") {
  REQUIRE(protocol::parse_push_request(push_with("1"), "dev").ok());
  REQUIRE(protocol::parse_pull_response(pull_with("1")).ok());
  REQUIRE(protocol::parse_push_response(kPushResponse).ok());
}

TEST_CASE("json: parse_json accepts the suite's y_ cases and refuses its n_ cases", "[json]") {
  for (const JsonCase& c : json_accepted()) {
    INFO(c.name);
    CHECK(protocol::parse_json(c.text).ok());
  }
  for (const JsonCase& c : json_refused()) {
    INFO(c.name);
    CHECK(protocol::parse_json(c.text).status().code() == Code::kMalformed);
  }
}

TEST_CASE("json: a pushed or pulled value is read to its last byte, as the suite says", "[json]") {
  for (const JsonCase& c : json_accepted()) {
    INFO(c.name);
    const std::string canonical = json::parse(c.text).dump();
    auto pushed = protocol::parse_push_request(push_with(c.text), "dev");
    REQUIRE(pushed.ok());
    CHECK((*pushed)[0].change.version.value == canonical);
    auto pulled = protocol::parse_pull_response(pull_with(c.text));
    REQUIRE(pulled.ok());
    CHECK(pulled->changes[0].change.version.value == canonical);
  }
  for (const JsonCase& c : json_refused()) {
    INFO(c.name);
    CHECK(protocol::parse_push_request(push_with(c.text), "dev").status().code() ==
          Code::kMalformed);
    CHECK(protocol::parse_pull_response(pull_with(c.text)).status().code() == Code::kMalformed);
  }
}

TEST_CASE("json: every decoder refuses an n_ case as its whole body, and anything after a body",
          "[json]") {
  const std::string valid[] = {push_with("1"), push_with("1"), pull_with("1"), kPushResponse};
  for (size_t d = 0; d < std::size(kDecoders); ++d) {
    const Decoder& decoder = kDecoders[d];
    for (const JsonCase& c : json_refused()) {
      INFO(decoder.name << " " << c.name);
      CHECK(decoder.read(c.text).code() == Code::kMalformed);
    }
    for (const auto* cases : {&json_accepted(), &json_refused()}) {
      for (const JsonCase& c : *cases) {
        if (c.text.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;  // blanks
        INFO(decoder.name << " " << c.name << " after a valid body");
        CHECK(decoder.read(valid[d] + std::string(c.text)).code() == Code::kMalformed);
        CHECK(decoder.read(valid[d] + " \n" + std::string(c.text)).code() == Code::kMalformed);
      }
    }
  }
}

TEST_CASE("json: the issue's NUL cases: a value or a body cut short by a NUL is refused",
          "[json]") {
  using namespace std::string_view_literals;
  CHECK(protocol::parse_push_request(push_with("123\0garbage"sv), "dev").status().code() ==
        Code::kMalformed);
  CHECK(
      protocol::parse_json("{\"user\":\"maemo\",\"password\":\"x\"}\0garbage"sv).status().code() ==
      Code::kMalformed);
  // An escaped NUL is a character like any other, inside a string.
  auto escaped = protocol::parse_push_request(push_with(R"("a\u0000b")"), "dev");
  REQUIRE(escaped.ok());
  CHECK(json::parse((*escaped)[0].change.version.value).get<std::string>() == "a\0b"sv);
}
