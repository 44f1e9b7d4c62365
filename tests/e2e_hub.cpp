// End-to-end: the real lwc-hub binary over real TLS on 127.0.0.1, spoken to with the client's
// libcurl transport (and the openssl command line for the TLS floor).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "lwc/client/transport.h"
#include "lwc/hlc.h"
#include "lwc/id.h"
#include "lwc/sse.h"
#include "process.h"
#include "temp_dir.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;

namespace {

std::unique_ptr<client::Transport> connect(const HubProcess& hub) {
  return client::make_curl_transport({hub.url(), hub.ca()});
}

struct Login {
  std::string token, device;
};

Login login(client::Transport& t, const std::string& user, const std::string& password) {
  Login l{"", new_id()};
  auto r =
      t.request("POST", "/v1/login",
                json{{"user", user}, {"password", password}, {"device_id", l.device}}.dump(), "");
  REQUIRE(r.ok());
  INFO(r->body);
  REQUIRE(r->status == 200);
  l.token = json::parse(r->body)["token"];
  return l;
}

int64_t now_hlc(uint32_t counter) {
  return Hlc::from_parts(process_clock().now_ms(), counter).packed;  // the suite's clock
}

std::string push_body(const std::vector<json>& ms) {
  return json{{"mutations", ms}}.dump();
}

json measurement(int64_t counter, const std::string& id, const std::string& scope, json value) {
  return json{{"counter", counter},
              {"table", "measurement"},
              {"id", id},
              {"scope", scope},
              {"field", "value"},
              {"value", value},
              {"hlc", now_hlc(static_cast<uint32_t>(counter))},
              {"base", 0}};
}

}  // namespace

TEST_CASE("e2e hub: HTTPS only, TLS 1.2 or newer", "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  auto t = connect(hub);
  auto health = t->request("GET", "/v1/health", "", "");
  REQUIRE(health.ok());
  CHECK(health->status == 200);
  // Plain HTTP on the same port gets no HTTP answer.
  auto plain = client::make_curl_transport({"http://127.0.0.1:" + std::to_string(hub.port()), ""});
  auto r = plain->request("GET", "/v1/health", "", "");
  CHECK((!r.ok() || r->status != 200));
  // `openssl s_client` against the hub with `options`, its whole output.
  auto s_client = [&](const std::string& options) {
    return run({"/bin/sh", "-c",
                "echo | openssl s_client -connect 127.0.0.1:" + std::to_string(hub.port()) + " " +
                    options + " 2>&1"});
  };
  // A client that offers only TLS 1.1 is refused (the server offers nothing older than 1.2).
  RunResult old_tls = s_client("-tls1_1 -cipher DEFAULT@SECLEVEL=0");
  INFO(old_tls.out);
  CHECK_THAT(old_tls.out, Catch::Contains("Cipher is (NONE)"));
  RunResult new_tls = s_client("-tls1_2 -CAfile " + hub.ca());
  INFO(new_tls.out);
  CHECK_THAT(new_tls.out, Catch::Contains("Verify return code: 0 (ok)"));
  CHECK_THAT(new_tls.out, Catch::Contains("TLSv1.2"));
  // TLS 1.2 offers AEAD suites only: a client that knows only CBC ones gets no cipher.
  RunResult cbc = s_client(
      "-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:AES128-SHA -CAfile " +
      hub.ca());
  INFO(cbc.out);
  CHECK_THAT(cbc.out, Catch::Contains("Cipher is (NONE)"));
  RunResult gcm = s_client("-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -CAfile " + hub.ca());
  INFO(gcm.out);
  CHECK_THAT(gcm.out, Catch::Contains("ECDHE-ECDSA-AES128-GCM-SHA256"));
  CHECK_THAT(gcm.out, Catch::Contains("Verify return code: 0 (ok)"));
}

TEST_CASE("e2e hub: every answer carries HSTS and nosniff, a 404 does not echo the path",
          "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  for (const std::string path : {"/v1/health", "/", "/v1/nothing%3Cscript%3Ealert(1)%3C/script%3E",
                                 "/v1/status", "/v1/status/events"}) {
    RunResult r = run({"/usr/bin/curl", "-sS", "-D", "-", "--max-time", "2", "--cacert", hub.ca(),
                       hub.url() + path});
    INFO(path << ": " << r.out);
    CHECK_THAT(r.out, Catch::Contains("Strict-Transport-Security: max-age=31536000",
                                      Catch::CaseSensitive::No));
    CHECK_THAT(r.out, Catch::Contains("X-Content-Type-Options: nosniff", Catch::CaseSensitive::No));
    CHECK_THAT(r.out, !Catch::Contains("alert"));  // the 404 names no path
  }
}

TEST_CASE("e2e hub: a stream stops at once when its token is logged out or its device revoked",
          "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  auto writer = connect(hub);
  Login maemo = login(*writer, "maemo", "lwc-5202-2570");
  int64_t counter = 0;
  for (const std::string how : {"logout", "revoke"}) {
    INFO(how);
    Login province = login(*writer, "province", "lwc-province-2570");
    std::atomic<bool> stop{false}, hello{false}, cut{false}, ended{false};
    std::atomic<int> after_cut{0};
    std::thread listener([&] {
      auto t = connect(hub);
      SseParser parser;
      (void)t->stream(
          "/v1/events", province.token,
          [&](std::string_view chunk) {
            for (const SseEvent& e : parser.feed(chunk)) {
              if (e.event == "hello") hello = true;
              if (cut && (e.event == "changes" || e.event == "warning")) ++after_cut;
            }
            return !stop.load();
          },
          stop);
      ended = true;
    });
    for (int i = 0; i < 100 && !hello; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(hello);
    if (how == "logout") {
      auto out = writer->request("POST", "/v1/logout", "", province.token);
      REQUIRE(out.ok());
      CHECK(out->status == 200);
    } else {  // by the command line, another process writing accounts.db
      RunResult revoked = hub.cli({"device", "revoke", province.device});
      INFO(revoked.out);
      CHECK(revoked.exit_code == 0);
    }
    cut = true;
    // A change the province would have been told about: the stream ends instead.
    auto pushed = writer->request(
        "POST", "/v1/push", push_body({measurement(++counter, new_id(), "5202", 7)}), maemo.token);
    REQUIRE(pushed.ok());
    CHECK(pushed->status == 200);
    for (int i = 0; i < 250 && !ended; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(ended);  // within 5 s: at the first event, not at the token's end
    stop = true;
    listener.join();
    CHECK(after_cut == 0);
  }
}

TEST_CASE("e2e hub: one address cannot take every event-stream slot", "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"), json{{"max_streams_per_address", 3}, {"heartbeat_s", 1}});
  std::atomic<bool> stop{false};
  std::atomic<int> open{0};
  std::vector<std::thread> streams;
  for (int i = 0; i < 3; ++i) {
    streams.emplace_back([&] {
      auto t = connect(hub);
      SseParser parser;
      (void)t->stream(
          "/v1/status/events", "",
          [&](std::string_view chunk) {
            for (const SseEvent& e : parser.feed(chunk))
              if (e.event == "hello") ++open;
            return !stop.load();
          },
          stop);
    });
  }
  for (int i = 0; i < 150 && open < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(open == 3);
  auto t = connect(hub);
  std::atomic<bool> no{false};
  Status fourth = t->stream(
      "/v1/status/events", "", [](std::string_view) { return false; }, no);
  INFO(fourth.to_string());
  CHECK_THAT(fourth.message(), Catch::Contains("429"));
  CHECK_THAT(fourth.message(), Catch::Contains("too many event streams from this address"));
  // Ordinary requests from that address go on.
  auto health = t->request("GET", "/v1/health", "", "");
  REQUIRE(health.ok());
  CHECK(health->status == 200);
  stop = true;
  for (auto& s : streams) s.join();
  // The slots come back when the streams close.
  bool reopened = false;
  for (int i = 0; i < 100 && !reopened; ++i) {
    std::atomic<bool> once{false};
    bool hello = false;
    SseParser parser;
    (void)t->stream(
        "/v1/status/events", "",
        [&](std::string_view chunk) {
          for (const SseEvent& e : parser.feed(chunk)) hello = hello || e.event == "hello";
          return !hello;
        },
        once);
    reopened = hello;
    if (!hello) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(reopened);
}

namespace {
// A plain TCP connection to 127.0.0.1:port that sends nothing (-1 on failure).
int idle_connection(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// CPU seconds (user + system) the process has used so far.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string f;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14 || i == 15) ticks += std::stol(f);  // utime, stime
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}
}  // namespace

TEST_CASE("e2e hub: out of connections it answers 503, out of files it waits instead of spinning",
          "[e2e][hub]") {
  TempDir dir;
  // 64 open files: the hub serves at most 64 - (16 + 16) = 32 connections at once.
  HubProcess hub(dir.file("hub"), json::object(), {}, {"/usr/bin/prlimit", "--nofile=64:64", "--"});
  std::vector<int> idle;
  for (int i = 0; i < 32; ++i) idle.push_back(idle_connection(hub.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto t = connect(hub);
  auto busy = t->request("GET", "/v1/health", "", "");
  REQUIRE(busy.ok());
  CHECK(busy->status == 503);
  CHECK_THAT(busy->body, Catch::Contains("too many connections"));
  // Beyond the file limit: accept fails with EMFILE, and the hub must not spin on it.
  for (int i = 0; i < 60; ++i) idle.push_back(idle_connection(hub.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const double before = cpu_seconds(hub.pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double used = cpu_seconds(hub.pid()) - before;
  INFO("CPU seconds used in 2 s at the file limit: " << used);
  CHECK(used < 0.5);  // spinning on accept used ~2 s of a core here
  for (int fd : idle)
    if (fd >= 0) close(fd);
  // Once the connections are gone, the hub serves again.
  bool served = false;
  for (int i = 0; i < 100 && !served; ++i) {
    auto again = connect(hub)->request("GET", "/v1/health", "", "");
    served = again.ok() && again->status == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(served);
}

TEST_CASE("e2e hub: wrong password, expired and revoked tokens are 401", "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"), json{{"token_ttl_s", 2}});
  auto t = connect(hub);
  auto wrong = t->request(
      "POST", "/v1/login",
      json{{"user", "maemo"}, {"password", "guess"}, {"device_id", new_id()}}.dump(), "");
  REQUIRE(wrong.ok());
  CHECK(wrong->status == 401);
  CHECK(json::parse(wrong->body)["code"] == "unauthenticated");

  Login a = login(*t, "maemo", "lwc-5202-2570");
  CHECK(t->request("GET", "/v1/me", "", a.token)->status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto expired = t->request("GET", "/v1/me", "", a.token);
  CHECK(expired->status == 401);
  CHECK_THAT(json::parse(expired->body)["message"].get<std::string>(), Catch::Contains("expired"));

  Login b = login(*t, "maemo", "lwc-5202-2570");
  REQUIRE(t->request("GET", "/v1/me", "", b.token)->status == 200);
  RunResult revoke = hub.cli({"device", "revoke", b.device});
  REQUIRE(revoke.exit_code == 0);
  auto revoked = t->request("GET", "/v1/me", "", b.token);
  CHECK(revoked->status == 401);
  CHECK_THAT(json::parse(revoked->body)["message"].get<std::string>(), Catch::Contains("revoked"));
}

TEST_CASE(
    "e2e hub: cross-district write is rejected and audited, a retried batch is not applied twice",
    "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  auto t = connect(hub);
  Login maemo = login(*t, "maemo", "lwc-5202-2570");
  const std::string body =
      push_body({measurement(1, new_id(), "5202", 1000), measurement(2, new_id(), "5201", 5)});
  auto first = t->request("POST", "/v1/push", body, maemo.token);
  REQUIRE(first.ok());
  REQUIRE(first->status == 200);
  json results = json::parse(first->body)["results"];
  CHECK(results[0]["status"] == "applied");
  CHECK(results[1]["status"] == "rejected");
  CHECK(results[1]["code"] == "permission_denied");

  auto again = t->request("POST", "/v1/push", body, maemo.token);
  json again_results = json::parse(again->body)["results"];
  CHECK(again_results[0]["status"] == "duplicate");
  CHECK(again_results[1]["status"] == "rejected");  // the refusal is repeated, never lost
  CHECK(again_results[1]["code"] == "permission_denied");

  hub.stop(SIGTERM);
  RunResult audit = hub.cli({"audit"});
  REQUIRE(audit.exit_code == 0);
  CHECK_THAT(audit.out, Catch::Contains("\"action\":\"write_rejected\""));
  CHECK_THAT(audit.out, Catch::Contains("\"user\":\"maemo\""));
  // Exactly one 5202 measurement value from maemo's device in the hub's state.
  RunResult state = hub.cli({"export", "--json"});
  REQUIRE(state.exit_code == 0);
  size_t count = 0, pos = 0;
  while ((pos = state.out.find(maemo.device, pos)) != std::string::npos) {
    ++count;
    ++pos;
  }
  CHECK(count == 1);
}

TEST_CASE("e2e hub: malformed JSON is 400, an oversized body 413", "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"), json{{"max_body_bytes", 65536}});
  auto t = connect(hub);
  Login maemo = login(*t, "maemo", "lwc-5202-2570");
  auto bad = t->request("POST", "/v1/push", "{\"mutations\": [", maemo.token);
  REQUIRE(bad.ok());
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["code"] == "malformed");
  auto big = t->request("POST", "/v1/push", std::string(200 * 1024, ' '), maemo.token);
  if (big.ok()) {  // the hub answers 413 and closes; curl may also see the close first
    CHECK(big->status == 413);
    CHECK(json::parse(big->body)["code"] == "too_large");
  }
  // The hub is still serving.
  CHECK(t->request("GET", "/v1/health", "", "")->status == 200);
}

TEST_CASE("e2e hub: an event-stream subscriber sees another device's change within a second",
          "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  auto writer = connect(hub);
  Login province = login(*writer, "province", "lwc-province-2570");
  Login maemo = login(*writer, "maemo", "lwc-5202-2570");

  // The hub's warning rules also write (and announce) rows, at start and after a push: record every
  // announcement and look for the one that covers the pushed row.
  std::atomic<bool> stop{false}, hello{false};
  std::mutex mu;
  std::vector<std::pair<int64_t, std::chrono::steady_clock::time_point>>
      announced;  // guarded by mu
  std::thread listener([&] {
    auto t = connect(hub);
    SseParser parser;
    Status s = t->stream(
        "/v1/events", province.token,
        [&](std::string_view chunk) {
          for (const SseEvent& e : parser.feed(chunk)) {
            if (e.event == "hello") hello = true;
            if (e.event == "changes") {
              std::lock_guard lock(mu);
              announced.emplace_back(json::parse(e.data)["seq"].get<int64_t>(),
                                     std::chrono::steady_clock::now());
            }
          }
          return !stop.load();
        },
        stop);
    (void)s;
  });
  for (int i = 0; i < 100 && !hello; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(hello);
  const std::string row = new_id();
  const auto pushed_at = std::chrono::steady_clock::now();
  auto r =
      writer->request("POST", "/v1/push", push_body({measurement(1, row, "5202", 7)}), maemo.token);
  REQUIRE(r->status == 200);
  // The pushed change's seq at the hub: the announced change is there to pull.
  int64_t row_seq = 0;
  for (int64_t after = 0; row_seq == 0;) {
    auto pull =
        writer->request("GET", "/v1/pull?after=" + std::to_string(after), "", province.token);
    REQUIRE(pull->status == 200);
    json page = json::parse(pull->body);
    for (const json& c : page["changes"]) {
      if (c["id"] == row) row_seq = c["seq"].get<int64_t>();
    }
    if (!page["more"].get<bool>()) break;
    after = page["next_cursor"].get<int64_t>();
  }
  REQUIRE(row_seq > 0);
  std::optional<std::chrono::steady_clock::time_point> seen_at;
  for (int i = 0; i < 100 && !seen_at; ++i) {
    {
      std::lock_guard lock(mu);
      for (const auto& [seq, at] : announced) {
        if (seq >= row_seq && at >= pushed_at) seen_at = at;
      }
    }
    if (!seen_at) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop = true;
  listener.join();
  REQUIRE(seen_at);
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(*seen_at - pushed_at);
  CHECK(latency.count() < 1000);
}

TEST_CASE("e2e hub: an event stream without a valid token is refused", "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  auto t = connect(hub);
  std::atomic<bool> stop{false};
  Status s = t->stream(
      "/v1/events", std::string(64, 'f'), [](std::string_view) { return true; }, stop);
  CHECK(s.code() == Code::kUnauthenticated);
}

TEST_CASE("e2e hub: SIGTERM stops the hub cleanly and it restarts on the same data", "[e2e][hub]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"));
  auto t = connect(hub);
  Login maemo = login(*t, "maemo", "lwc-5202-2570");
  const json first = measurement(1, new_id(), "5202", 1);
  REQUIRE(t->request("POST", "/v1/push", push_body({first}), maemo.token)->status == 200);
  CHECK(hub.stop(SIGTERM) == 0);
  hub.start();
  auto t2 = connect(hub);
  auto me = t2->request("GET", "/v1/me", "", maemo.token);
  REQUIRE(me.ok());
  CHECK(me->status == 200);
  // The device's progress survived the restart: the same mutation again is a repeat.
  auto again = t2->request("POST", "/v1/push", push_body({first}), maemo.token);
  REQUIRE(again.ok());
  CHECK(json::parse(again->body)["results"][0]["status"] == "duplicate");
}

TEST_CASE("e2e hub: config set checks the result before it replaces hub.json", "[e2e][hub]") {
  TempDir dir;
  const std::string data = dir.file("hub");
  REQUIRE(run({LWC_HUB_BIN, "--data", data, "init"}).exit_code == 0);
  auto hub_json = [&] {
    std::ifstream in(data + "/hub.json");
    return json::parse(in);
  };
  RunResult typo = run({LWC_HUB_BIN, "--data", data, "config", "set", "rules_intervall_s", "30"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.find("unknown setting 'rules_intervall_s'") != std::string::npos);
  RunResult bad = run({LWC_HUB_BIN, "--data", data, "config", "set", "rules",
                       R"({"calendar": {"holidays": ["2026-02-30"]}})"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.find("hub.json unchanged") != std::string::npos);
  CHECK_FALSE(hub_json().contains("rules_intervall_s"));
  CHECK(hub_json()["rules"]["calendar"]["holidays"].empty());
  RunResult ok = run({LWC_HUB_BIN, "--data", data, "config", "set", "rules_interval_s", "30"});
  CHECK(ok.exit_code == 0);
  CHECK(hub_json()["rules_interval_s"] == 30);
  RunResult shown = run({LWC_HUB_BIN, "--data", data, "config", "show"});
  CHECK(json::parse(shown.out)["rules_interval_s"] == 30);
}

TEST_CASE("e2e hub: export kpi writes a CSV a spreadsheet opens with Thai, export award ranks 13",
          "[e2e][hub][date]") {
  // The demo on 7 December 2569, the Monday that turned CI red: the award ranks the districts
  // that had reports due, best first, and gives no medal to a negative score.
  TempDir dir;
  const std::string data = dir.file("hub");
  const std::vector<std::string> at = {"LWC_NOW=2026-12-07T10:00"};
  REQUIRE(run({LWC_HUB_BIN, "--data", data, "init", "--demo"}, "", at).exit_code == 0);
  const std::string csv_path = dir.file("kpi.csv");
  RunResult kpi = run({LWC_HUB_BIN, "--data", data, "export", "kpi", "--out", csv_path}, "", at);
  INFO(kpi.out);
  REQUIRE(kpi.exit_code == 0);
  std::ifstream in(csv_path, std::ios::binary);
  const std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(csv.rfind("\xEF\xBB\xBF"
                  "kind,key,name_th",
                  0) == 0);
  CHECK(csv.find("district,5202,แม่เมาะ,Mae Mo,") != std::string::npos);
  size_t districts = 0;
  for (size_t at = 0; (at = csv.find("\r\ndistrict,", at)) != std::string::npos; ++at) ++districts;
  CHECK(districts == 13);
  RunResult award = run({LWC_HUB_BIN, "--data", data, "export", "award", "--json"}, "", at);
  REQUIRE(award.exit_code == 0);
  json board = json::parse(award.out);
  CHECK(board["month"] == "2026-12");
  REQUIRE(board["scores"].size() == 13);
  const json& first = board["scores"][0];
  CHECK(first["name_en"] == "Mae Phrik");  // on time with the project progress report
  CHECK(first["rank"] == 1);
  CHECK(first["medal"] == 1);
  CHECK(first["percent"].get<double>() == Approx(100.0));
  const json& last = board["scores"][12];
  CHECK(last["name_en"] == "Thoen");  // missed the progress report and the BMN summary
  CHECK(last["rank"] == 13);
  CHECK(last["percent"].get<double>() == Approx(-100.0 / 3));
  CHECK(last["medal"] == 0);
  for (size_t i = 1; i < 13; ++i) {
    CHECK(board["scores"][i - 1]["percent"].get<double>() >=
          board["scores"][i]["percent"].get<double>());
  }
  // On the 1st nothing of December has fallen due: nobody is ranked, nobody gets a medal.
  RunResult first_day = run({LWC_HUB_BIN, "--data", data, "export", "award", "--json"}, "",
                            {"LWC_NOW=2026-12-01T08:00"});
  REQUIRE(first_day.exit_code == 0);
  const json first_board = json::parse(first_day.out);
  REQUIRE(first_board["scores"].size() == 13);
  for (const json& s : first_board["scores"]) {
    CHECK(s["rank"].is_null());
    CHECK(s["nothing_due"] == true);
    CHECK(s["medal"] == 0);
  }
  CHECK(run({LWC_HUB_BIN, "--data", data, "export", "award", "--month", "2026-13"}).exit_code == 2);
  CHECK(run({LWC_HUB_BIN, "--data", data, "export", "kpi", "--from", "2026-12-01", "--to",
             "2026-11-01"})
            .exit_code == 2);
}
