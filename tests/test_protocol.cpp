#include <catch2/catch.hpp>

#include "lwc/id.h"
#include "lwc/protocol.h"

using namespace lwc;
using nlohmann::json;

TEST_CASE("protocol: a push batch survives the round trip and is stamped with the device", "[protocol]") {
  Mutation m{7, Change{"measurement", new_id(), "5202", "source",
                       FieldVersion{"\"GFMIS ระบบ\"", Hlc::from_parts(1795600000000, 2), "ignored", Hlc::from_parts(1795599999000, 0)}}};
  json body = protocol::push_request({m});
  auto parsed = protocol::parse_push_request(body, "dev-1");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 1);
  Mutation expected = m;
  expected.change.version.device = "dev-1";
  CHECK((*parsed)[0].counter == 7);
  CHECK((*parsed)[0].change == expected.change);
}

TEST_CASE("protocol: strict parsing names the offending member", "[protocol]") {
  auto p = [](const char* text) {
    return protocol::parse_push_request(json::parse(text), "d").status();
  };
  CHECK(p(R"({"mutations":[{"counter":1}]})").message() == "mutations[0].table is missing");
  CHECK(p(R"({"mutations":[{"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":"5","base":0}]})")
            .message() == "mutations[0].hlc must be an integer");
  CHECK(p(R"({"mutations":[{"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":5,"base":0,"x":1}]})")
            .message() == "mutations[0].x is not a known member");
  CHECK(p(R"({"mutations":[{"counter":2,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":117637000000000000,"base":0},
                           {"counter":2,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":117637000000000000,"base":0}]})")
            .message() == "mutations[1].counter must be positive and increasing");
  CHECK(p(R"({"mutations":[{"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":117637000000000000,"base":117637000000000000}]})")
            .code() == Code::kInvalidArgument);
  CHECK(p(R"({"mutations":[{"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":1795600000000,"base":0}]})")
            .message() == "mutations[0].hlc must be a packed HLC, (wall ms << 16) | counter, after 2020");
  CHECK(protocol::parse_json("{").status().code() == Code::kMalformed);
}

TEST_CASE("protocol: push and pull responses round-trip", "[protocol]") {
  std::vector<MutationResult> results = {
      {1, MutationResult::Kind::kApplied, {}},
      {2, MutationResult::Kind::kDuplicate, {}},
      {3, MutationResult::Kind::kRejected, Status(Code::kPermissionDenied, "not yours")}};
  auto back = protocol::parse_push_response(protocol::push_response(results, 3));
  REQUIRE(back.ok());
  REQUIRE(back->size() == 3);
  CHECK((*back)[2].reason.code() == Code::kPermissionDenied);
  CHECK((*back)[2].reason.message() == "not yours");
  CHECK((*back)[1].kind == MutationResult::Kind::kDuplicate);

  PullPage page;
  page.changes.push_back({42, Change{"task", new_id(), "province", "due",
                                     FieldVersion{"\"2026-12-01\"", Hlc::from_parts(1795600000000, 1), "hub", {}}}});
  page.next_cursor = 42;
  page.more = true;
  auto pulled = protocol::parse_pull_response(protocol::pull_response(page));
  REQUIRE(pulled.ok());
  CHECK(pulled->next_cursor == 42);
  CHECK(pulled->more);
  CHECK(pulled->changes[0].change == page.changes[0].change);
}
