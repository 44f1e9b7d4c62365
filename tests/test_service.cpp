// Handler tests: HubService::handle with Request values, no network (STYLE.md §2).
#include <catch2/catch.hpp>

#include <set>

#include "hub_fixture.h"
#include "json_cases.h"
#include "lwc/id.h"
#include "lwc/protocol.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;

namespace {
json mutation(int64_t counter, const std::string& id, const std::string& scope,
              const std::string& field, json value, int64_t hlc_wall = kHubT0) {
  return json{{"counter", counter},
              {"table", "measurement"},
              {"id", id},
              {"scope", scope},
              {"field", field},
              {"value", value},
              {"hlc", Hlc::from_parts(hlc_wall, static_cast<uint32_t>(counter)).packed},
              {"base", 0}};
}
std::string push_body(std::vector<json> ms) {
  return json{{"mutations", ms}}.dump();
}
}  // namespace

TEST_CASE("service: health and version need no login", "[service]") {
  HubFixture f;
  auto health = f.call("GET", "/v1/health");
  CHECK(health.status == 200);
  CHECK(body_of(health)["status"] == "ok");
  auto version = f.call("GET", "/v1/version");
  CHECK(body_of(version)["protocol_max"] == protocol::kVersion);
}

TEST_CASE("service: every error is JSON {code, message} with the right status", "[service]") {
  HubFixture f;
  const std::string token = f.login("maemo", new_id());
  struct Case {
    const char* what;
    hub::Response response;
    int status;
    const char* code;
  };
  std::vector<Case> cases = {
      {"no token", f.call("POST", "/v1/push", push_body({})), 401, "unauthenticated"},
      {"bad token", f.call("GET", "/v1/pull", "", std::string(64, 'a')), 401, "unauthenticated"},
      {"not JSON", f.call("POST", "/v1/push", "{\"mutations\": [", token), 400, "malformed"},
      {"wrong media type", f.call("POST", "/v1/push", push_body({}), token, "text/plain"), 415,
       "unsupported"},
      {"wrong type", f.call("POST", "/v1/push", R"({"mutations":[{"counter":"1"}]})", token), 422,
       "invalid_argument"},
      {"unknown member", f.call("POST", "/v1/push", R"({"mutations":[],"extra":true})", token), 422,
       "invalid_argument"},
      {"too many mutations",
       f.call("POST", "/v1/push",
              push_body([] {  // 101 well-formed mutations, one beyond max_batch
                std::vector<json> ms;
                for (int i = 1; i <= 101; ++i)
                  ms.push_back(mutation(i, new_id(), "5202", "value", i));
                return ms;
              }()),
              token),
       413, "too_large"},
      {"oversized body", f.call("POST", "/v1/push", std::string(70 * 1024, ' '), token), 413,
       "too_large"},
      {"bad cursor", f.call("GET", "/v1/pull?after=abc", "", token), 400, "malformed"},
      {"page too big", f.call("GET", "/v1/pull?limit=51", "", token), 422, "invalid_argument"},
      {"cursor ahead of the hub", f.call("GET", "/v1/pull?after=999999", "", token), 409,
       "hub_restored"},
      {"cursor from a run the hub never had",
       f.call("GET", "/v1/pull?after=1&epoch=0123456789abcdef0123456789abcdef", "", token), 409,
       "hub_restored"},
      {"epoch not an id", f.call("GET", "/v1/pull?after=1&epoch=x%27", "", token), 400,
       "malformed"},
      {"push acknowledged beyond the hub",
       f.call("POST", "/v1/push?acked=999999&acked_epoch=0123456789abcdef0123456789abcdef",
              push_body({}), token),
       409, "hub_restored"},
      {"pull acknowledged in a run the hub never had",
       f.call("GET", "/v1/pull?acked=1&acked_epoch=0123456789abcdef0123456789abcdef", "", token),
       409, "hub_restored"},
      {"acknowledgement without its epoch", f.call("GET", "/v1/pull?acked=1", "", token), 400,
       "malformed"},
      {"acknowledgement not a number",
       f.call("POST", "/v1/push?acked=x&acked_epoch=0123456789abcdef0123456789abcdef",
              push_body({}), token),
       400, "malformed"},
      {"fork without a device id", f.call("POST", "/v1/devices/fork", "{}", token), 422,
       "invalid_argument"},
      {"plain milliseconds as hlc",
       f.call(
           "POST", "/v1/push",
           R"({"mutations":[{"counter":1,"table":"measurement","id":"0123456789abcdef0123456789abcdef","scope":"5202","field":"value","value":1,"hlc":1795600000000,"base":0}]})",
           token),
       422, "invalid_argument"},
      {"no such endpoint", f.call("GET", "/v1/nothing", "", token), 404, "not_found"},
      {"login wrong password",
       f.call("POST", "/v1/login",
              json{{"user", "maemo"}, {"password", "nope"}, {"device_id", new_id()}}.dump()),
       401, "unauthenticated"},
      {"login missing member", f.call("POST", "/v1/login", R"({"user":"maemo"})"), 422,
       "invalid_argument"},
      {"login body over 4 KiB",
       f.call("POST", "/v1/login",
              json{{"user", std::string(5000, 'x')}, {"password", "p"}, {"device_id", new_id()}}
                  .dump()),
       413, "too_large"},
  };
  for (const Case& c : cases) {
    INFO(c.what << ": " << c.response.body);
    CHECK(c.response.status == c.status);
    json body = body_of(c.response);
    CHECK(body["code"] == c.code);
    CHECK(body["message"].get<std::string>().size() > 5);
  }
}

TEST_CASE("service: a body is JSON to its last byte: no login, no write from a text cut by a NUL",
          "[service]") {
  using namespace std::string_view_literals;
  HubFixture f;
  const std::string login =
      json{{"user", "maemo"}, {"password", "password-maemo"}, {"device_id", new_id()}}.dump();
  auto cut = f.call("POST", "/v1/login", login + std::string("\0garbage"sv));
  CHECK(cut.status == 400);
  CHECK(body_of(cut)["code"] == "malformed");
  const std::string token = f.login("maemo", new_id());
  const std::string id = new_id();
  std::string push = push_body({mutation(1, id, "5202", "value", 123)});
  const size_t at = push.find("123");
  REQUIRE(at != std::string::npos);
  push.insert(at + 3, "\0garbage"sv);
  auto pushed = f.call("POST", "/v1/push", push, token);
  CHECK(pushed.status == 400);
  CHECK(body_of(pushed)["code"] == "malformed");
  CHECK_FALSE(f.hub->with_store(
      [&](Store& s) { return s.get_field("measurement", id, "value")->has_value(); }));
  // Every refused text of the suite, as a login and as a push: 400, never a session or a write.
  for (const JsonCase& c : json_refused()) {
    INFO(c.name);
    auto l = f.call("POST", "/v1/login", std::string(c.text));
    CHECK(l.status == 400);
    auto p = f.call("POST", "/v1/push", std::string(c.text), token);
    CHECK(p.status == 400);
    CHECK(body_of(p)["code"] == "malformed");
  }
}

TEST_CASE("service: a client speaking an unsupported protocol version is told so", "[service]") {
  HubFixture f;
  hub::Request r{"GET", "/v1/health", {{"lwc-protocol", "99"}}, "", "127.0.0.1"};
  auto resp = f.hub->handle(r);
  CHECK(resp.status == 400);
  CHECK(body_of(resp)["code"] == "unsupported_protocol");
}

TEST_CASE("service: repeated failed logins answer 429 with Retry-After", "[service]") {
  HubFixture f;
  for (int i = 0; i < 3; ++i) {
    f.call("POST", "/v1/login",
           json{{"user", "maemo"}, {"password", "x"}, {"device_id", new_id()}}.dump());
  }
  auto r = f.call(
      "POST", "/v1/login",
      json{{"user", "maemo"}, {"password", "password-maemo"}, {"device_id", new_id()}}.dump());
  CHECK(r.status == 429);
  CHECK(r.headers.front().first == "Retry-After");
}

TEST_CASE("service: an expired token is refused", "[service]") {
  HubFixture f;
  const std::string token = f.login("maemo", new_id());
  CHECK(f.call("GET", "/v1/me", "", token).status == 200);
  f.clock.advance_ms(f.config.token_ttl_s * 1000 + 1);
  auto r = f.call("GET", "/v1/me", "", token);
  CHECK(r.status == 401);
  CHECK_THAT(body_of(r)["message"].get<std::string>(), Catch::Contains("expired"));
}

TEST_CASE("service: a push is applied once, a retried batch is acknowledged, not re-applied",
          "[service]") {
  HubFixture f;
  const std::string device = new_id();
  const std::string token = f.login("maemo", device);
  const std::string row = new_id();
  const std::string body = push_body(
      {mutation(1, row, "5202", "value", 1500000), mutation(2, row, "5202", "as_of", kHubT0)});
  auto first = f.call("POST", "/v1/push", body, token);
  REQUIRE(first.status == 200);
  CHECK(body_of(first)["results"][0]["status"] == "applied");
  CHECK(body_of(first)["last_counter"] == 2);
  const int64_t seq = f.hub->with_store([](Store& s) { return s.last_seq(); });

  auto again = f.call("POST", "/v1/push", body, token);
  REQUIRE(again.status == 200);
  CHECK(body_of(again)["results"][0]["status"] == "duplicate");
  CHECK(body_of(again)["results"][1]["status"] == "duplicate");
  CHECK(f.hub->with_store([](Store& s) { return s.last_seq(); }) == seq);
  // The mutation carries the authenticated device, whatever the client claims.
  auto v = f.hub->with_store([&](Store& s) { return s.get_field("measurement", row, "value"); });
  CHECK((*v)->device == device);
}

TEST_CASE("service: a cross-district write is rejected per mutation and audited", "[service]") {
  HubFixture f;
  const std::string device = new_id();
  const std::string token = f.login("maemo", device);
  auto r = f.call("POST", "/v1/push",
                  push_body({mutation(1, new_id(), "5202", "value", 10),
                             mutation(2, new_id(), "5208", "value", 99),
                             mutation(3, new_id(), "5202", "review", "verified")}),
                  token);
  REQUIRE(r.status == 200);
  json results = body_of(r)["results"];
  CHECK(results[0]["status"] == "applied");
  CHECK(results[1]["status"] == "rejected");
  CHECK(results[1]["code"] == "permission_denied");
  CHECK(results[2]["code"] == "permission_denied");
  auto log = f.hub->accounts().audit_log();
  REQUIRE(log.ok());
  std::vector<hub::AuditEntry>
      audit;  // beside the accounts' own entries (user_added, device_enrolled)
  for (const hub::AuditEntry& e : *log) {
    if (e.action == "write_rejected") audit.push_back(e);
  }
  REQUIRE(audit.size() == 2);
  CHECK(audit[0].user == "maemo");
  CHECK(audit[0].device_id == device);
  CHECK_THAT(audit[0].detail, Catch::Contains("\"scope\":\"5208\""));
}

TEST_CASE(
    "service: a write to another district's existing row under one's own scope is audited once",
    "[service]") {
  HubFixture f;
  const std::string thoen = f.login("thoen", new_id());
  const std::string row = new_id();
  REQUIRE(body_of(f.call("POST", "/v1/push", push_body({mutation(1, row, "5208", "value", 5)}),
                         thoen))["results"][0]["status"] == "applied");
  const std::string device = new_id();
  const std::string maemo = f.login("maemo", device);
  const std::string body = push_body({mutation(1, row, "5202", "value", 99)});
  auto r = f.call("POST", "/v1/push", body, maemo);
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["results"][0]["code"] == "permission_denied");
  (void)f.call("POST", "/v1/push", body, maemo);  // the same batch again: its verdict, no new line
  auto count = [&] {
    int n = 0;
    auto log = f.hub->accounts().audit_log();
    REQUIRE(log.ok());
    for (const hub::AuditEntry& e : *log) {
      if (e.action == "write_rejected" && e.device_id == device &&
          e.detail.find(row) != std::string::npos)
        ++n;
    }
    return n;
  };
  CHECK(count() == 1);
  auto v = f.hub->with_store([&](Store& s) { return s.get_field("measurement", row, "value"); });
  REQUIRE(v.ok());
  REQUIRE(v->has_value());
  CHECK((*v)->value == "5");
}

TEST_CASE("service: every refused read (fleet, letters) is audited", "[service]") {
  HubFixture f;
  const std::string device = new_id();
  const std::string maemo = f.login("maemo", device);
  CHECK(f.call("GET", "/v1/fleet", "", maemo).status == 403);
  CHECK(f.call("GET", "/v1/letters", "", maemo).status == 403);
  std::vector<std::string> paths;
  auto log = f.hub->accounts().audit_log();
  REQUIRE(log.ok());
  for (const hub::AuditEntry& e : *log) {
    if (e.action == "read_refused" && e.device_id == device) {
      paths.push_back(json::parse(e.detail)["path"].get<std::string>());
    }
  }
  CHECK(paths == std::vector<std::string>{"/v1/fleet", "/v1/letters"});
}

TEST_CASE("service: an ack or dispute naming another district's warning is refused and audited",
          "[service]") {
  HubFixture f;
  const std::string warning = new_id(), mine = new_id();
  f.hub->with_store([&](Store& s) {
    for (const auto& [id, district] : {std::pair{warning, "5203"}, std::pair{mine, "5202"}}) {
      REQUIRE(s.write_local("warning", id, district,
                            {{"district", json(district).dump()}, {"stage", "\"demand\""}},
                            Store::Queue::kNone)
                  .ok());
    }
    return 0;
  });
  const std::string token = f.login("maemo", new_id());
  auto ack = [](int64_t counter, const std::string& row, const std::string& warning_id) {
    json m = mutation(counter, row, "5202", "warning_id", warning_id);
    m["table"] = "ack";
    return m;
  };
  auto kind = [](int64_t counter, const std::string& row, const std::string& k) {
    json m = mutation(counter, row, "5202", "kind", k);
    m["table"] = "ack";
    return m;
  };
  const std::string theirs_row = new_id(), mine_row = new_id();
  auto r = f.call("POST", "/v1/push",
                  push_body({ack(1, theirs_row, warning), kind(2, theirs_row, "dispute"),
                             ack(3, mine_row, mine), kind(4, mine_row, "ack")}),
                  token);
  REQUIRE(r.status == 200);
  json results = body_of(r)["results"];
  CHECK(results[0]["status"] == "rejected");
  CHECK(results[0]["code"] == "permission_denied");
  CHECK_THAT(results[0]["message"].get<std::string>(), Catch::Contains("district 5203"));
  CHECK(results[2]["status"] == "applied");  // its own warning
  f.hub->with_store([&](Store& s) {
    CHECK(!s.get_field("ack", theirs_row, "warning_id")->has_value());
    CHECK((*s.get_field("ack", mine_row, "warning_id"))->value == json(mine).dump());
    return 0;
  });
  auto log = f.hub->accounts().audit_log();
  REQUIRE(log.ok());
  bool audited = false;
  for (const hub::AuditEntry& e : *log) {
    audited |= e.action == "write_rejected" && e.detail.find(theirs_row) != std::string::npos;
  }
  CHECK(audited);
}

TEST_CASE("service: wrong value types and far-future clocks are rejected per mutation",
          "[service]") {
  HubFixture f;
  const std::string token = f.login("maemo", new_id());
  auto r = f.call("POST", "/v1/push",
                  push_body({mutation(1, new_id(), "5202", "value", "a lot"),
                             mutation(2, new_id(), "5202", "value", 5, kHubT0 + 3 * 86'400'000)}),
                  token);
  json results = body_of(r)["results"];
  CHECK(results[0]["code"] == "invalid_argument");
  CHECK(results[1]["code"] == "clock_skew");
  CHECK_THAT(results[1]["message"].get<std::string>(), Catch::Contains("ahead"));
}

TEST_CASE("service: a district reads the conflicts of its own figures, the province all of them",
          "[service][conflict]") {
  HubFixture f;
  const std::string row_maemo = new_id(), row_thoen = new_id();
  // Two devices of each district write the same figure without seeing each other: two conflicts.
  for (const auto& [user, scope, row] :
       {std::tuple{"maemo", "5202", row_maemo}, std::tuple{"thoen", "5208", row_thoen}}) {
    for (int device = 0; device < 2; ++device) {
      auto r = f.call("POST", "/v1/push",
                      push_body({mutation(1, row, scope, "value", 100 + device, kHubT0 + device)}),
                      f.login(user, new_id()));
      REQUIRE(body_of(r)["results"][0]["status"] == "applied");
    }
  }
  auto list = [&](const std::string& user) {
    auto r = f.call("GET", "/v1/conflicts", "", f.login(user, new_id()));
    REQUIRE(r.status == 200);
    const json body = body_of(r);
    std::set<std::string> rows;
    for (const json& c : body["conflicts"]) rows.insert(c["row_id"].get<std::string>());
    return rows;
  };
  CHECK(list("maemo") == std::set<std::string>{row_maemo});
  CHECK(list("thoen") == std::set<std::string>{row_thoen});
  CHECK(list("planner") == std::set<std::string>{row_maemo, row_thoen});
}

TEST_CASE("service: pull returns only the caller's jurisdiction, in resumable pages", "[service]") {
  HubFixture f;
  const std::string maemo = f.login("maemo", new_id());
  const std::string thoen = f.login("thoen", new_id());
  const std::string planner = f.login("planner", new_id());
  // Written from other devices of the two districts.
  REQUIRE(f.call("POST", "/v1/push", push_body({mutation(1, new_id(), "5202", "value", 1)}),
                 f.login("maemo", new_id()))
              .status == 200);
  REQUIRE(f.call("POST", "/v1/push", push_body({mutation(1, new_id(), "5208", "value", 2)}),
                 f.login("thoen", new_id()))
              .status == 200);

  auto collect = [&](const std::string& token) {
    std::vector<json> all;
    int64_t cursor = 0;
    for (int pages = 0; pages < 100; ++pages) {
      auto r = f.call("GET", "/v1/pull?after=" + std::to_string(cursor) + "&limit=7", "", token);
      REQUIRE(r.status == 200);
      json b = body_of(r);
      for (auto& c : b["changes"]) all.push_back(c);
      cursor = b["next_cursor"].get<int64_t>();
      if (!b["more"].get<bool>()) break;
    }
    return all;
  };
  auto scopes = [](const std::vector<json>& changes) {
    std::set<std::string> s;
    for (auto& c : changes) s.insert(c["scope"].get<std::string>());
    return s;
  };
  auto mine = collect(maemo);
  CHECK(scopes(mine) == std::set<std::string>{"5202", "province"});
  CHECK(scopes(collect(thoen)) == std::set<std::string>{"5208", "province"});
  CHECK(scopes(collect(planner)) == std::set<std::string>{"5202", "5208", "province"});
  // 13 districts x 4 fields + 5 work groups x 4 + 2 indicators x 6 reference fields... all of them.
  const size_t reference = static_cast<size_t>(std::count_if(
      mine.begin(), mine.end(), [](const json& c) { return c["scope"] == "province"; }));
  CHECK(mine.size() - reference == 1);  // its own district's one change
  CHECK(reference == f.hub->with_store([](Store& s) {
    return s.changes_after(0, ScopeFilter::only({"province"}), 100000)->size();
  }));
}

TEST_CASE(
    "service: pull sends a device the versions it wrote too (a copied folder may have sent some)",
    "[service]") {
  HubFixture f;
  const std::string laptop = f.login("maemo", new_id());
  const std::string desk = f.login("maemo", new_id());        // the same officer's second device
  auto pull = [&](const std::string& token, int64_t after) {  // all pages: {changes, next_cursor}
    json all{{"changes", json::array()}};
    for (int pages = 0; pages < 100; ++pages) {
      auto r = f.call("GET", "/v1/pull?after=" + std::to_string(after), "", token);
      REQUIRE(r.status == 200);
      json b = body_of(r);
      for (auto& c : b["changes"]) all["changes"].push_back(c);
      all["next_cursor"] = after = b["next_cursor"].get<int64_t>();
      if (!b["more"].get<bool>()) break;
    }
    return all;
  };
  auto measurements = [](const json& page) {
    std::set<std::string> s;
    for (auto& c : page["changes"]) {
      if (c["table"] == "measurement") s.insert(c["id"].get<std::string>());
    }
    return s;
  };
  const std::string mine = new_id(), theirs = new_id();
  REQUIRE(f.call("POST", "/v1/push", push_body({mutation(1, mine, "5202", "value", 1)}), laptop)
              .status == 200);
  REQUIRE(f.call("POST", "/v1/push", push_body({mutation(1, theirs, "5202", "value", 2)}), desk)
              .status == 200);
  const json first = pull(laptop, 0);
  CHECK(measurements(first) == std::set<std::string>{mine, theirs});
  CHECK(measurements(pull(desk, 0)) == std::set<std::string>{mine, theirs});
  const int64_t cursor = first["next_cursor"].get<int64_t>();
  CHECK(cursor == f.hub->with_store([](Store& s) { return s.last_seq(); }));
  // The desk overwrites the laptop's field (a later clock): that version is not the laptop's.
  REQUIRE(
      f.call("POST", "/v1/push", push_body({mutation(2, mine, "5202", "value", 3)}), desk).status ==
      200);
  const json next = pull(laptop, cursor);
  CHECK(measurements(next) == std::set<std::string>{mine});
  int values = 0;
  for (auto& c : next["changes"]) {
    if (c["id"] != mine || c["field"] != "value") continue;  // beside it the hub's receipt
    CHECK(c["value"] == 3);
    ++values;
  }
  CHECK(values == 1);
}

TEST_CASE("service: a push answer marks where the hub stood, and the mark is taken back",
          "[service]") {
  HubFixture f;
  const std::string token = f.login("maemo", new_id());
  auto first =
      f.call("POST", "/v1/push", push_body({mutation(1, new_id(), "5202", "value", 1)}), token);
  REQUIRE(first.status == 200);
  const json b = body_of(first);
  const int64_t seq = b["seq"].get<int64_t>();
  CHECK(seq == f.hub->with_store([](Store& s) { return s.last_seq(); }));
  const std::string epoch = b["epoch"].get<std::string>();
  CHECK(is_valid_id(epoch));
  const std::string mark = "?acked=" + std::to_string(seq) + "&acked_epoch=" + epoch;
  CHECK(f.call("POST", "/v1/push" + mark, push_body({mutation(2, new_id(), "5202", "value", 2)}),
               token)
            .status == 200);
  CHECK(f.call("GET", "/v1/pull" + mark, "", token).status == 200);
  // The same seq from another run of the hub is not this hub's.
  auto restored = f.call(
      "GET",
      "/v1/pull?acked=" + std::to_string(seq) + "&acked_epoch=0123456789abcdef0123456789abcdef", "",
      token);
  CHECK(restored.status == 409);
  CHECK(body_of(restored)["last_counter"] == 2);
}

TEST_CASE("service: an accepted push announces itself to subscribers who may see it", "[service]") {
  HubFixture f;
  std::vector<std::string> maemo_events, thoen_events;
  f.hub->events().subscribe(ScopeFilter::only({"5202", "province"}),
                            [&](const std::string& m) { maemo_events.push_back(m); });
  f.hub->events().subscribe(ScopeFilter::only({"5208", "province"}),
                            [&](const std::string& m) { thoen_events.push_back(m); });
  const std::string token = f.login("maemo", new_id());
  f.call("POST", "/v1/push", push_body({mutation(1, new_id(), "5202", "value", 1)}), token);
  REQUIRE(maemo_events.size() == 1);
  CHECK_THAT(maemo_events[0], Catch::StartsWith("event: changes\ndata: {\"seq\":"));
  CHECK(thoen_events.empty());
  // A batch that changes nothing announces nothing.
  f.call("POST", "/v1/push", push_body({mutation(1, new_id(), "5202", "value", 1)}), token);
  CHECK(maemo_events.size() == 1);
}

TEST_CASE("service: logout revokes the token", "[service]") {
  HubFixture f;
  const std::string token = f.login("planner", new_id());
  CHECK(f.call("POST", "/v1/logout", "", token).status == 200);
  CHECK(f.call("GET", "/v1/me", "", token).status == 401);
}

TEST_CASE("service: fleet health lists every device with its last contact, progress and backlog",
          "[service]") {
  HubFixture f;
  const std::string maemo_device = new_id(), planner_device = new_id();
  const std::string maemo = f.login("maemo", maemo_device);
  const std::string planner = f.login("planner", planner_device);
  // The district pushes one change and reports 3 more waiting at its pull.
  const std::string row = new_id();
  REQUIRE(
      f.call("POST", "/v1/push", push_body({mutation(1, row, "5202", "value", 5)}), maemo).status ==
      200);
  CHECK(f.call("GET", "/v1/pull?after=0&pending=3", "", maemo).status == 200);
  CHECK(f.call("GET", "/v1/pull?after=0&pending=-1", "", maemo).status == 422);
  CHECK(f.call("GET", "/v1/pull?after=0&pending=x", "", maemo).status == 400);

  auto denied = f.call("GET", "/v1/fleet", "", maemo);
  CHECK(denied.status == 403);
  CHECK(body_of(denied)["code"] == "permission_denied");
  CHECK(f.call("GET", "/v1/fleet", "").status == 401);

  auto r = f.call("GET", "/v1/fleet", "", planner);
  REQUIRE(r.status == 200);
  json body = body_of(r);
  CHECK(body["hub_time_ms"] == kHubT0);
  json by_device;
  for (const json& d : body["devices"]) by_device[d["device_id"].get<std::string>()] = d;
  REQUIRE(by_device.size() == 2);
  const json& d = by_device[maemo_device];
  CHECK(d["user"] == "maemo");
  CHECK(d["role"] == "district");
  CHECK(d["district"] == "5202");
  CHECK(d["last_counter"] == 1);
  CHECK(d["pending"] == 3);
  CHECK(d["pending_at_ms"] == kHubT0);
  CHECK(d["last_seen_ms"].get<int64_t>() > 0);
  CHECK(d["revoked"] == false);
  const json& p = by_device[planner_device];
  CHECK(p["role"] == "province");
  CHECK(p["last_counter"] == 0);
  CHECK_FALSE(p.contains("pending"));  // never reported
}
