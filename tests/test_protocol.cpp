#include <catch2/catch.hpp>

#include "lwc/id.h"
#include "lwc/protocol.h"

using namespace lwc;
using nlohmann::json;

TEST_CASE("protocol: a push batch survives the round trip and is stamped with the device",
          "[protocol]") {
  Mutation m{7, Change{"measurement", new_id(), "5202", "source",
                       FieldVersion{"\"GFMIS ระบบ\"", Hlc::from_parts(1795600000000, 2), "ignored",
                                    Hlc::from_parts(1795599999000, 0)}}};
  std::string body = protocol::push_request({m});
  auto parsed = protocol::parse_push_request(body, "dev-1");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 1);
  Mutation expected = m;
  expected.change.version.device = "dev-1";
  CHECK((*parsed)[0].counter == 7);
  CHECK((*parsed)[0].change == expected.change);
}

TEST_CASE("protocol: strict parsing names the offending member", "[protocol]") {
  auto p = [](const char* text) { return protocol::parse_push_request(text, "d").status(); };
  CHECK(p(R"({"mutations":[{"counter":1}]})").message() == "mutations[0].table is missing");
  CHECK(
      p(R"({"mutations":[{"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":"5","base":0}]})")
          .message() == "mutations[0].hlc must be an integer");
  CHECK(
      p(R"({"mutations":[{"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":5,"base":0,"x":1}]})")
          .message() == "mutations[0].x is not a known member");
  CHECK(
      p(R"({"mutations":[{"counter":2,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":117637000000000000,"base":0},
                           {"counter":2,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":117637000000000000,"base":0}]})")
          .message() == "mutations[1].counter must be positive and increasing");
  CHECK(
      p(R"({"mutations":[{"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":117637000000000000,"base":117637000000000000}]})")
          .code() == Code::kInvalidArgument);
  CHECK(
      p(R"({"mutations":[{"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":1795600000000,"base":0}]})")
          .message() ==
      "mutations[0].hlc must be a packed HLC, (wall ms << 16) | counter, after 2020");
  CHECK(protocol::parse_json("{").status().code() == Code::kMalformed);
}

TEST_CASE("protocol: push and pull responses round-trip", "[protocol]") {
  std::vector<MutationResult> results = {
      {1, MutationResult::Kind::kApplied, {}},
      {2, MutationResult::Kind::kDuplicate, {}},
      {3, MutationResult::Kind::kRejected, Status(Code::kPermissionDenied, "not yours")}};
  HubMark mark{42, "0123456789abcdef0123456789abcdef"}, read;
  int64_t last = 0;
  auto back =
      protocol::parse_push_response(protocol::push_response(results, 3, mark), &last, &read);
  REQUIRE(back.ok());
  CHECK(last == 3);
  CHECK(read.seq == 42);
  CHECK(read.epoch == mark.epoch);
  REQUIRE(protocol::parse_push_response(protocol::push_response(results, 3), &last, &read).ok());
  CHECK(read.seq == 0);  // an older hub sends no mark
  REQUIRE(back->size() == 3);
  CHECK((*back)[2].reason.code() == Code::kPermissionDenied);
  CHECK((*back)[2].reason.message() == "not yours");
  CHECK((*back)[1].kind == MutationResult::Kind::kDuplicate);

  PullPage page;
  page.changes.push_back(
      {42, Change{"task", new_id(), "province", "due",
                  FieldVersion{"\"2026-12-01\"", Hlc::from_parts(1795600000000, 1), "hub", {}}}});
  page.next_cursor = 42;
  page.more = true;
  auto pulled = protocol::parse_pull_response(protocol::pull_response(page));
  REQUIRE(pulled.ok());
  CHECK(pulled->next_cursor == 42);
  CHECK(pulled->more);
  CHECK(pulled->changes[0].change == page.changes[0].change);
}

namespace {
// A pull page as nlohmann::json writes it: the reference the streaming reader must agree with.
std::string dom_pull_page(const PullPage& page) {
  json list = json::array();
  for (const SeqChange& c : page.changes) {
    list.push_back(json{{"seq", c.seq},
                        {"table", c.change.table},
                        {"id", c.change.row_id},
                        {"scope", c.change.scope},
                        {"field", c.change.field},
                        {"value", json::parse(c.change.version.value)},
                        {"hlc", c.change.version.hlc.packed},
                        {"base", c.change.version.base.packed},
                        {"device", c.change.version.device}});
  }
  return json{{"changes", list}, {"next_cursor", page.next_cursor}, {"more", page.more}}.dump();
}
}  // namespace

TEST_CASE("protocol: every kind of value crosses a pull page unchanged, and the text is JSON",
          "[protocol]") {
  // Canonical values as the store holds them (nlohmann::json::dump()).
  const std::vector<std::string> values = {"null",
                                           "true",
                                           "false",
                                           "0",
                                           "-17",
                                           "9223372036854775807",
                                           "18446744073709551615",
                                           "1250000.5",
                                           "1e-07",
                                           "\"\"",
                                           "\"ราคา \\\"ก\\\" \\\\ \\n\\t\\u0001 ✓\"",
                                           "[]",
                                           "{}",
                                           R"([1,"a",{"b":[true,null,2.5]},[]])",
                                           R"({"districts":["5201","5202"],"n":{"x":-1}})"};
  PullPage page;
  int64_t seq = 100;
  for (const std::string& v : values) {
    REQUIRE(json::parse(v).dump() == v);  // the fixture is canonical itself
    page.changes.push_back({++seq, Change{"task", new_id(), "province", "f\"\\\x01",
                                          FieldVersion{v, Hlc::from_parts(1795600000000, 3), "hub",
                                                       Hlc::from_parts(1795600000000, 1)}}});
  }
  page.next_cursor = seq;
  page.more = false;
  const std::string text = protocol::pull_response(page);
  CHECK(json::parse(text) == json::parse(dom_pull_page(page)));  // the same document
  auto back = protocol::parse_pull_response(text);
  REQUIRE(back.ok());
  REQUIRE(back->changes.size() == page.changes.size());
  for (size_t i = 0; i < values.size(); ++i) {
    CHECK(back->changes[i].seq == page.changes[i].seq);
    CHECK(back->changes[i].change == page.changes[i].change);
  }
  // A page written by another JSON writer (other member order, spacing, escapes) reads the same.
  std::string spaced = json::parse(text).dump(2);
  auto again = protocol::parse_pull_response(spaced);
  REQUIRE(again.ok());
  for (size_t i = 0; i < values.size(); ++i)
    CHECK(again->changes[i].change == page.changes[i].change);
  CHECK(protocol::parse_pull_response(R"({"more":false,"next_cursor":0,"changes":[
      {"seq":1,"table":"t","id":"i","scope":"s","field":"f","value":"\u0e01\/","hlc":117637000000000000,
       "base":0,"device":"d"}]})")
            ->changes[0]
            .change.version.value == "\"ก/\"");
}

TEST_CASE("protocol: the streaming reader refuses what the document reader refused", "[protocol]") {
  auto push = [](std::string_view text, size_t max = SIZE_MAX) {
    return protocol::parse_push_request(text, "d", max).status();
  };
  const std::string good =
      R"({"counter":1,"table":"t","id":"i","scope":"s","field":"f","value":1,"hlc":117637000000000000,"base":0})";
  CHECK(push("{\"mutations\":[" + good + "]}").ok());
  CHECK(push("").code() == Code::kMalformed);
  CHECK(push("{\"mutations\":[" + good).code() == Code::kMalformed);
  CHECK(push("{\"mutations\":[" + good + "]} x").code() == Code::kMalformed);
  CHECK(push("[]").message() == "body must be an object");
  CHECK(push("7").message() == "body must be an object");
  CHECK(push("{}").message() == "body.mutations is missing");
  CHECK(push(R"({"mutations":{}})").message() == "body.mutations must be an array");
  CHECK(push(R"({"mutations":5})").message() == "body.mutations must be an array");
  CHECK(push(R"({"mutations":[],"device":"x"})").message() == "body.device is not a known member");
  CHECK(push(R"({"mutations":[],"mutations":[]})").message() == "body.mutations is given twice");
  CHECK(push(R"({"mutations":[5]})").message() == "mutations[0] must be an object");
  CHECK(push(R"({"mutations":[[]]})").message() == "mutations[0] must be an object");
  CHECK(push("{\"mutations\":[" + good + ",7]}").message() == "mutations[1] must be an object");
  auto with = [&](const std::string& member, const std::string& value) {
    json j = json::parse(good);
    j[member] = json::parse(value);
    return push("{\"mutations\":[" + j.dump() + "]}");
  };
  CHECK(with("table", "5").message() == "mutations[0].table must be a string");
  CHECK(with("table", "{}").message() == "mutations[0].table must be a string");
  CHECK(with("counter", "1.5").message() == "mutations[0].counter must be an integer");
  CHECK(with("counter", "[1]").message() == "mutations[0].counter must be an integer");
  CHECK(with("hlc", "18446744073709551615").message() == "mutations[0].hlc must be an integer");
  CHECK(with("base", "-1").message() == "mutations[0].base must be 0 or an earlier hlc");
  CHECK(with("value", R"({"deep":[[[{"x":null}]]]})").ok());
  // A value simdjson only skims must still be JSON: a leading zero, a raw control character.
  auto raw_value = [&](const std::string& text) {
    std::string body = good;
    body.replace(body.find("\"value\":1"), 9, "\"value\":" + text);
    return push("{\"mutations\":[" + body + "]}");
  };
  CHECK(raw_value("1").ok());
  CHECK(raw_value("01").code() == Code::kMalformed);
  CHECK(raw_value("1.5.2").code() == Code::kMalformed);
  CHECK(raw_value("\"a\x01b\"").code() == Code::kMalformed);
  CHECK(raw_value("[1,]").code() == Code::kMalformed);
  CHECK(push(R"({"mutations":[{"counter":1,"counter":2}]})").message() ==
        "mutations[0].counter is given twice");
  std::string three = "{\"mutations\":[" + good;
  for (int counter : {2, 3}) {
    json j = json::parse(good);
    j["counter"] = counter;
    three += "," + j.dump();
  }
  three += "]}";
  CHECK(push(three).ok());
  CHECK(push(three, 2).code() == Code::kTooLarge);
  CHECK(push(three, 2).message() == "at most 2 mutations per push");
  CHECK(push("{\"mutations\":[" + good + "," + good + "]}", 2).message() ==
        "mutations[1].counter must be positive and increasing");

  auto pull = [](std::string_view text) { return protocol::parse_pull_response(text).status(); };
  CHECK(pull(R"({"changes":[],"more":false})").message() == "body.next_cursor is missing");
  CHECK(pull(R"({"changes":[],"more":1,"next_cursor":0})").message() ==
        "body.more must be a boolean");
  CHECK(pull(R"({"changes":[{"seq":1}],"more":false,"next_cursor":0})").message() ==
        "changes[0].table is missing");
  auto results = [](std::string_view text) { return protocol::parse_push_response(text).status(); };
  CHECK(results(R"({"results":[{"counter":1,"status":"maybe"}],"last_counter":1})").message() ==
        "results[0].status: unknown 'maybe'");
  CHECK(results(R"({"results":[{"counter":1,"status":"applied"}]})").message() ==
        "body.last_counter is missing");
}
