// Outgoing channels: the outbox, retries, the daily digest and the three channels against local
// fake endpoints (a plain-HTTP server standing in for LINE and the webhook receiver, a minimal SMTP
// server). Time is a FakeClock, so backoff and the digest hour are controlled by the test.
#include <sodium.h>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "lwc/hub/config.h"
#include "lwc/hub/notify.h"
#include "lwc/i18n.h"
#include "temp_dir.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace lwc;
using namespace lwc::hub;

// 2026-11-25 06:00 in Thailand.
const int64_t kMidnight = thai_midnight_ms(Date{2026, 11, 25});
const int64_t kT0 = kMidnight + 6 * 3'600'000;

// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1:<ephemeral>. Answers the n-th request
// with script[n] (the last entry repeats); status 0 holds the connection open without answering
// until the server is destroyed.
class FakeHttp {
 public:
  struct Req {
    std::string method, target, body;
    std::map<std::string, std::string> headers;  // lower-case names
  };

  explicit FakeHttp(std::vector<int> script) : script_(std::move(script)) {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { loop(); });
  }
  ~FakeHttp() {
    stop_ = true;
    net::io_context ioc;
    tcp::socket poke(ioc);
    boost::system::error_code ec;
    poke.connect({net::ip::make_address("127.0.0.1"), port_}, ec);  // unblocks accept()
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void set_script(std::vector<int> script) {
    std::lock_guard lock(mu_);
    script_ = std::move(script);
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }
  std::vector<Req> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void loop() {
    while (!stop_) {
      tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (stop_) break;
      if (ec) continue;
      beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::read(socket, buffer, req, ec);
      if (ec) continue;
      Req r{std::string(req.method_string()), std::string(req.target()), req.body(), {}};
      for (const auto& f : req) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(f.value());
      }
      int status;
      {
        std::lock_guard lock(mu_);
        status = script_[std::min(requests_.size(), script_.size() - 1)];
        requests_.push_back(std::move(r));
      }
      if (status == 0) {
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        break;
      }
      http::response<http::string_body> res{static_cast<http::status>(status), req.version()};
      res.set(http::field::content_type, "application/json");
      res.body() =
          status < 300 ? "{}" : R"({"message":"fake says )" + std::to_string(status) + "\"}";
      res.keep_alive(false);
      res.prepare_payload();
      http::write(socket, res, ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  net::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<int> script_;    // guarded by mu_
  std::vector<Req> requests_;  // guarded by mu_
  std::thread thread_;
};

// Just enough SMTP for libcurl: 220 greeting, 250 to EHLO/MAIL/RCPT, 354 to DATA, 221 to QUIT.
// A RCPT to an address in `reject` is answered 550.
class FakeSmtp {
 public:
  struct Mail {
    std::string from;
    std::vector<std::string> rcpt;
    std::string data;
  };

  explicit FakeSmtp(std::set<std::string> reject = {}) : reject_(std::move(reject)) {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { loop(); });
  }
  ~FakeSmtp() {
    stop_ = true;
    net::io_context ioc;
    tcp::socket poke(ioc);
    boost::system::error_code ec;
    poke.connect({net::ip::make_address("127.0.0.1"), port_}, ec);
    thread_.join();
  }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::vector<Mail> mails() const {
    std::lock_guard lock(mu_);
    return mails_;
  }

 private:
  void loop() {
    while (!stop_) {
      tcp::socket s(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(s, ec);
      if (stop_) break;
      if (!ec) session(s);
    }
  }

  void session(tcp::socket& s) {
    boost::system::error_code ec;
    net::streambuf buf;
    auto say = [&](const std::string& line) { net::write(s, net::buffer(line + "\r\n"), ec); };
    auto read_until = [&](const std::string& delim) -> std::optional<std::string> {
      size_t n = net::read_until(s, buf, delim, ec);
      if (ec) return std::nullopt;
      std::string out(net::buffers_begin(buf.data()), net::buffers_begin(buf.data()) + n);
      buf.consume(n);
      return out;
    };
    Mail mail;
    say("220 fake ESMTP");
    while (!stop_) {
      auto line = read_until("\r\n");
      if (!line) return;
      std::string cmd = line->substr(0, line->size() - 2);
      std::string verb = cmd.substr(0, 4);
      for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (verb == "EHLO" || verb == "HELO") {
        say("250 fake");
      } else if (verb == "MAIL") {
        mail.from = cmd.substr(cmd.find(':') + 1);
        mail.from = mail.from.substr(0, mail.from.find(' '));
        say("250 OK");
      } else if (verb == "RCPT") {
        std::string to = cmd.substr(cmd.find(':') + 1);
        if (reject_.count(to)) {
          say("550 5.1.1 no such mailbox");
        } else {
          mail.rcpt.push_back(to);
          say("250 OK");
        }
      } else if (verb == "DATA") {
        say("354 end with <CRLF>.<CRLF>");
        auto data = read_until("\r\n.\r\n");
        if (!data) return;
        mail.data = *data;
        {
          std::lock_guard lock(mu_);
          mails_.push_back(mail);
        }
        say("250 queued");
      } else if (verb == "QUIT") {
        say("221 bye");
        return;
      } else {
        say("250 OK");
      }
    }
  }

  std::set<std::string> reject_;
  net::io_context ioc_;
  tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<Mail> mails_;  // guarded by mu_
  std::thread thread_;
};

std::string unbase64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                            text.size(), "\r\n", &len, nullptr,
                            sodium_base64_VARIANT_ORIGINAL) == 0);
  out.resize(len);
  return out;
}

// Waits (real time, at most 10 s) until pred() holds, waking the notifier between looks.
bool eventually(Notifier& n, const std::function<bool()>& pred) {
  for (int i = 0; i < 1000; ++i) {
    if (pred()) return true;
    n.wake();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

// Gives the delivery thread several passes, for asserting that something does NOT happen.
void settle(Notifier& n) {
  for (int i = 0; i < 15; ++i) {
    n.wake();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Warning warning(const std::string& id, Stage stage, const std::string& district) {
  Warning w;
  w.id = id;
  w.rule = kRuleTaskDeadline;
  w.subject = "task-" + id;
  w.district = district;
  w.stage = stage;
  w.raised_at = kT0 - 3'600'000;
  w.due = "2026-11-25";
  w.title = "รายงานผลการดำเนินงาน " + id;
  w.message_th = "รายงานผลการดำเนินงาน " + id + ": เลยกำหนดส่ง ขอให้ส่งโดยด่วน";
  w.message_en = "Progress report " + id + ": overdue, please submit now";
  w.data_as_of = kMidnight + 3 * 3'600'000;  // 03:00
  w.data_source = "submission";
  return w;
}

NotifierOptions options() {
  NotifierOptions o;
  o.poll_ms = 10;
  o.jitter_seed = 7;
  o.district_names = {{"5201", {"เมืองลำปาง", "Mueang Lampang"}},
                      {"5202", {"แม่เมาะ", "Mae Mo"}},
                      {"5203", {"เกาะคา", "Ko Kha"}}};
  return o;
}

NotifyConfig line_config(const std::string& base_url) {
  NotifyConfig c;
  c.line = LineChannelConfig{base_url, "token-abc", {{"5201", "U5201"}, {"5202", "U5202"}}};
  return c;
}

std::unique_ptr<Notifier> open_notifier(const NotifyConfig& c, const std::string& path,
                                        const Clock& clock, NotifierOptions o = options()) {
  auto n = Notifier::open(c, path, clock, std::move(o));
  REQUIRE(n.ok());
  return std::move(n).value();
}

OutboxEntry only_entry(Notifier& n) {
  auto list = n.outbox().list(100);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  return list->front();
}

}  // namespace

TEST_CASE("LINE outage loses no message: 500, then 200 after the backoff", "[notify]") {
  lwc::test::TempDir dir;
  FakeHttp line({500, 200});
  FakeClock clock(kT0);
  auto n = open_notifier(line_config(line.url()), dir.file("notify.db"), clock);
  n->start();
  const Warning w = warning("w1", Stage::kDemand, "5201");
  REQUIRE(n->notify_warnings({w}).ok());

  REQUIRE(eventually(*n, [&] { return only_entry(*n).attempts == 1; }));
  OutboxEntry e = only_entry(*n);
  CHECK(e.state == OutState::kPending);
  CHECK_THAT(e.last_error, Catch::Contains("HTTP 500"));
  // First backoff: 5 s, jittered into [2.5 s, 5 s].
  CHECK(e.next_attempt_ms >= kT0 + 2'500);
  CHECK(e.next_attempt_ms <= kT0 + 5'000);
  settle(*n);
  CHECK(line.count() == 1);  // not retried before its time

  clock.advance_ms(5'000);
  REQUIRE(eventually(*n, [&] { return only_entry(*n).state == OutState::kSent; }));
  settle(*n);
  REQUIRE(line.count() == 2);  // delivered exactly once after the retry
  e = only_entry(*n);
  CHECK(e.attempts == 2);
  CHECK(e.sent_ms == kT0 + 5'000);

  const auto reqs = line.requests();
  for (const auto& r : reqs) {
    CHECK(r.method == "POST");
    CHECK(r.target == "/v2/bot/message/push");
    CHECK(r.headers.at("authorization") == "Bearer token-abc");
    CHECK_THAT(r.headers.at("content-type"), Catch::StartsWith("application/json"));
  }
  // The retry carries the same retry key, so LINE would not deliver twice.
  CHECK(reqs[0].headers.at("x-line-retry-key") == reqs[1].headers.at("x-line-retry-key"));
  CHECK(reqs[0].headers.at("x-line-retry-key").size() == 36);
  const json body = json::parse(reqs[1].body);
  CHECK(body["to"] == "U5201");
  REQUIRE(body["messages"].size() == 1);
  CHECK(body["messages"][0]["type"] == "text");
  const std::string text = body["messages"][0]["text"];
  CHECK_THAT(text, Catch::StartsWith("[ทวงถาม] อำเภอเมืองลำปาง: " + w.message_th));
  CHECK_THAT(text, Catch::Contains("ครบกำหนด 25 พ.ย. 2569"));
  CHECK_THAT(text, Catch::Contains("ข้อมูล ณ 25 พ.ย. 2569 03:00"));
  CHECK_THAT(text, Catch::Contains("[Demand] Mueang Lampang District: " + w.message_en));
  CHECK(text.find("ทวงถาม") < text.find("Demand"));  // Thai first

  // The same warning offered again the same day is not sent again.
  REQUIRE(n->notify_warnings({w}).ok());
  settle(*n);
  CHECK(line.count() == 2);
  n->stop();
}

TEST_CASE("A pending message survives a Notifier restart", "[notify]") {
  lwc::test::TempDir dir;
  FakeHttp line({503});
  FakeClock clock(kT0);
  {
    auto first = open_notifier(line_config(line.url()), dir.file("notify.db"), clock);
    first->start();
    REQUIRE(first->notify_warnings({warning("w2", Stage::kFollow, "5202")}).ok());
    REQUIRE(eventually(*first, [&] { return only_entry(*first).attempts == 1; }));
    first->stop();
    CHECK(only_entry(*first).state == OutState::kPending);
  }
  {
    // Queued but never started: durable all the same.
    auto second = open_notifier(line_config(line.url()), dir.file("notify.db"), clock);
    REQUIRE(
        second->enqueue_summary("5201", "สรุปประจำสัปดาห์", "Weekly summary", {}, "2026-11-23").ok());
  }
  line.set_script({200});
  clock.advance_ms(3'600'000);
  auto third = open_notifier(line_config(line.url()), dir.file("notify.db"), clock);
  third->start();
  REQUIRE(eventually(*third, [&] {
    auto list = third->outbox().list(10);
    return list.ok() && list->size() == 2 &&
           std::all_of(list->begin(), list->end(),
                       [](const OutboxEntry& e) { return e.state == OutState::kSent; });
  }));
  settle(*third);
  const auto reqs = line.requests();
  REQUIRE(reqs.size() == 3);  // one failed attempt, then each message once
  std::multiset<std::string> to;
  for (const auto& r : reqs) to.insert(json::parse(r.body)["to"].get<std::string>());
  CHECK(to.count("U5202") == 2);
  CHECK(to.count("U5201") == 1);
  CHECK(json::parse(reqs[0].body)["to"] == "U5202");  // the attempt before the restart
}

TEST_CASE("Warn-stage warnings: one digest per office per day at the digest hour", "[notify]") {
  lwc::test::TempDir dir;
  FakeHttp line({200});
  FakeClock clock(kT0);  // 06:00, the digest goes at 08:00
  auto n = open_notifier(line_config(line.url()), dir.file("notify.db"), clock);
  n->start();
  std::vector<Warning> ws{warning("a", Stage::kWarn, "5202"), warning("b", Stage::kWarn, "5202"),
                          warning("c", Stage::kWarn, "5202")};
  REQUIRE(n->notify_warnings({ws[0], ws[1]}).ok());
  REQUIRE(n->notify_warnings({ws[1], ws[2]}).ok());  // b again: still one item
  CHECK(n->outbox().digest_size() == 3);
  settle(*n);
  CHECK(line.count() == 0);

  clock.set_ms(kMidnight + 8 * 3'600'000 - 1);
  settle(*n);
  CHECK(line.count() == 0);
  CHECK(n->outbox().list(10)->empty());

  clock.set_ms(kMidnight + 8 * 3'600'000);
  REQUIRE(eventually(*n, [&] { return line.count() == 1; }));
  settle(*n);
  CHECK(line.count() == 1);
  CHECK(n->outbox().digest_size() == 0);
  const OutboxEntry e = only_entry(*n);
  CHECK(e.message.kind == "digest");
  CHECK_THAT(e.message.key, Catch::StartsWith("d:5202:2026-11-25:"));
  CHECK(e.message.warnings.size() == 3);
  const std::string text = json::parse(line.requests()[0].body)["messages"][0]["text"];
  CHECK_THAT(
      text, Catch::StartsWith("[เตือน] อำเภอแม่เมาะ: สรุปรายการเตือนประจำวันที่ 25 พ.ย. 2569 (3 รายการ)"));
  for (const Warning& w : ws) {
    CHECK_THAT(text, Catch::Contains(w.message_th));
    CHECK_THAT(text, Catch::Contains(w.message_en));
  }
  CHECK_THAT(text, Catch::Contains("1. ") && Catch::Contains("2. ") && Catch::Contains("3. "));

  // Raised after today's digest went: it waits for tomorrow's.
  clock.set_ms(kMidnight + 9 * 3'600'000);
  REQUIRE(n->notify_warnings({warning("d", Stage::kWarn, "5202")}).ok());
  settle(*n);
  CHECK(line.count() == 1);
  auto tomorrow = n->outbox().due_digests(kMidnight + 32 * 3'600'000);
  REQUIRE(tomorrow.ok());
  REQUIRE(tomorrow->size() == 1);
  CHECK(tomorrow->front().front().day == "2026-11-26");
  n->stop();
}

TEST_CASE("A 4xx answer fails the message for good and records why, 429 is retried", "[notify]") {
  lwc::test::TempDir dir;
  FakeClock clock(kT0);
  SECTION("400 is permanent") {
    FakeHttp line({400});
    auto n = open_notifier(line_config(line.url()), dir.file("notify.db"), clock);
    n->start();
    REQUIRE(n->notify_warnings({warning("w3", Stage::kDemand, "5201")}).ok());
    REQUIRE(eventually(*n, [&] { return only_entry(*n).state == OutState::kFailed; }));
    const OutboxEntry e = only_entry(*n);
    CHECK(e.attempts == 1);
    CHECK_THAT(e.last_error, Catch::Contains("HTTP 400") && Catch::Contains("fake says 400"));
    clock.advance_ms(2 * 3'600'000);
    settle(*n);
    CHECK(line.count() == 1);  // never retried
  }
  SECTION("429 and 408 are retried") {
    FakeHttp line({429, 408, 200});
    auto n = open_notifier(line_config(line.url()), dir.file("notify.db"), clock);
    n->start();
    REQUIRE(n->notify_warnings({warning("w4", Stage::kDemand, "5201")}).ok());
    REQUIRE(eventually(*n, [&] { return only_entry(*n).attempts == 1; }));
    CHECK_THAT(only_entry(*n).last_error, Catch::Contains("HTTP 429"));
    clock.advance_ms(5'000);
    REQUIRE(eventually(*n, [&] { return only_entry(*n).attempts == 2; }));
    CHECK_THAT(only_entry(*n).last_error, Catch::Contains("HTTP 408"));
    // Second backoff: 10 s, jittered into [5 s, 10 s] after the second attempt.
    CHECK(only_entry(*n).next_attempt_ms >= kT0 + 5'000 + 5'000);
    CHECK(only_entry(*n).next_attempt_ms <= kT0 + 5'000 + 10'000);
    clock.advance_ms(10'000);
    REQUIRE(eventually(*n, [&] { return only_entry(*n).state == OutState::kSent; }));
    CHECK(line.count() == 3);
  }
  SECTION("nobody listening is retried, then given up after give_up_after_ms") {
    std::string dead_url;
    {
      FakeHttp gone({200});
      dead_url = gone.url();
    }
    NotifierOptions o = options();
    o.give_up_after_ms = 60'000;
    auto n = open_notifier(line_config(dead_url), dir.file("notify.db"), clock, o);
    n->start();
    REQUIRE(n->notify_warnings({warning("w5", Stage::kDemand, "5201")}).ok());
    REQUIRE(eventually(*n, [&] { return only_entry(*n).attempts == 1; }));
    CHECK(only_entry(*n).state == OutState::kPending);
    CHECK_THAT(only_entry(*n).last_error, Catch::Contains("LINE"));
    clock.advance_ms(61'000);
    REQUIRE(eventually(*n, [&] { return only_entry(*n).state == OutState::kFailed; }));
    CHECK_THAT(only_entry(*n).last_error, Catch::StartsWith("gave up after 2 attempts"));
  }
}

TEST_CASE("stop() interrupts a transfer in flight without counting an attempt", "[notify]") {
  lwc::test::TempDir dir;
  FakeHttp line({0});  // accepts, never answers
  FakeClock clock(kT0);
  auto n = open_notifier(line_config(line.url()), dir.file("notify.db"), clock);
  n->start();
  REQUIRE(n->notify_warnings({warning("w6", Stage::kDemand, "5201")}).ok());
  REQUIRE(eventually(*n, [&] { return line.count() == 1; }));
  const auto t = std::chrono::steady_clock::now();
  n->stop();
  CHECK(std::chrono::steady_clock::now() - t < std::chrono::seconds(3));
  const OutboxEntry e = only_entry(*n);
  CHECK(e.state == OutState::kPending);
  CHECK(e.attempts == 0);
}

TEST_CASE("Webhook: one JSON post per office, with the warnings and an idempotency key",
          "[notify]") {
  lwc::test::TempDir dir;
  FakeHttp hook({200});
  FakeClock clock(kT0);
  NotifyConfig c;
  c.webhook = WebhookChannelConfig{hook.url() + "/hook"};
  c.digest = false;  // warn-stage warnings go at once too
  auto n = open_notifier(c, dir.file("notify.db"), clock);
  n->start();
  const Warning esc = warning("w7", Stage::kEscalated, "5203");
  Warning warn = warning("w8", Stage::kWarn, "5201");
  warn.data_as_of = 0;  // a task has no figure: the message says when the hub checked
  REQUIRE(n->notify_warnings({esc, warn}).ok());
  const std::string png("\x89PNG\r\n\x1a\n\0\0fake", 14);
  REQUIRE(n->enqueue_summary("province", "สรุปประจำสัปดาห์ จังหวัดลำปาง", "Weekly summary, Lampang", png,
                             "2026-11-23")
              .ok());
  REQUIRE(eventually(*n, [&] { return hook.count() == 5; }));
  settle(*n);
  REQUIRE(hook.count() == 5);

  std::map<std::string, json> by_key;
  for (const auto& r : hook.requests()) {
    CHECK(r.target == "/hook");
    const json b = json::parse(r.body);
    CHECK(r.headers.at("idempotency-key") == b["key"]);
    for (const char* k : {"kind", "key", "office", "subject", "text_th", "text_en", "warnings"}) {
      CHECK(b.contains(k));
    }
    by_key[b["key"]] = b;
  }
  std::set<std::string> esc_offices;
  for (const auto& [key, b] : by_key) {
    if (b["kind"] == "warning" && b["warnings"][0]["id"] == "w7") {
      esc_offices.insert(b["office"].get<std::string>());
      CHECK(b["warnings"][0]["stage"] == "escalated");
      CHECK_THAT(b["text_th"].get<std::string>(),
                 Catch::StartsWith("[ยกระดับถึงผู้บริหาร] อำเภอเกาะคา: " + esc.message_th));
      CHECK_THAT(b["text_en"].get<std::string>(),
                 Catch::StartsWith("[Escalated] Ko Kha District: " + esc.message_en));
    }
  }
  CHECK(esc_offices == std::set<std::string>{"5203", "executive", "province"});
  const json& w = by_key.at("w:w8:5201:2026-11-25:webhook");
  CHECK(w["kind"] == "warning");
  CHECK(w["warnings"][0]["stage"] == "warn");
  CHECK_THAT(w["text_th"].get<std::string>(),
             Catch::Contains("\nตรวจสอบจากข้อมูลในระบบ ณ 25 พ.ย. 2569 06:00\n"));
  CHECK_THAT(w["text_en"].get<std::string>(),
             Catch::Contains("\nchecked against the hub's data at 25 Nov 2026 06:00\n"));
  const json& s = by_key.at("s:province:2026-11-23:webhook");
  CHECK(s["kind"] == "summary");
  CHECK(s["office"] == "province");
  CHECK(s["text_th"] == "สรุปประจำสัปดาห์ จังหวัดลำปาง");
  CHECK(s["warnings"].empty());
  CHECK(unbase64(s["png_base64"]) == png);
}

TEST_CASE("E-mail over SMTP: one mail, RFC 2047 Thai subject, UTF-8 body", "[notify]") {
  lwc::test::TempDir dir;
  FakeSmtp smtp({"<nobody@lampang.example>"});
  FakeClock clock(kT0);
  NotifyConfig c;
  c.email =
      EmailChannelConfig{smtp.url(),
                         "lwc@lampang.example",
                         "",
                         "",
                         {{"5201", "mueang@lampang.example"}, {"5202", "nobody@lampang.example"}}};
  auto n = open_notifier(c, dir.file("notify.db"), clock);
  n->start();
  const Warning w = warning("w9", Stage::kDemand, "5201");
  REQUIRE(n->notify_warnings({w}).ok());
  REQUIRE(eventually(*n, [&] { return only_entry(*n).state == OutState::kSent; }));
  const auto mails = smtp.mails();
  REQUIRE(mails.size() == 1);
  const auto& m = mails[0];
  CHECK(m.from == "<lwc@lampang.example>");
  CHECK(m.rcpt == std::vector<std::string>{"<mueang@lampang.example>"});

  // Headers: unfold, then decode the encoded words of the subject.
  const size_t end = m.data.find("\r\n\r\n");
  REQUIRE(end != std::string::npos);
  std::string headers = m.data.substr(0, end + 2), body = m.data.substr(end + 4);
  for (size_t p; (p = headers.find("\r\n ")) != std::string::npos;) headers.replace(p, 3, " ");
  CHECK_THAT(headers, Catch::Contains("Content-Type: text/plain; charset=UTF-8\r\n"));
  CHECK_THAT(headers, Catch::Contains("To: mueang@lampang.example\r\n"));
  CHECK_THAT(headers, Catch::Contains("Date: Wed, 25 Nov 2026 06:00:00 +0700\r\n"));
  const size_t sp = headers.find("Subject: ");
  REQUIRE(sp != std::string::npos);
  std::string subject_line = headers.substr(sp + 9, headers.find("\r\n", sp) - sp - 9);
  std::string subject;
  for (size_t p = 0; (p = subject_line.find("=?UTF-8?B?", p)) != std::string::npos;) {
    const size_t q = subject_line.find("?=", p + 10);
    REQUIRE(q != std::string::npos);
    CHECK(q + 2 - p <= 75);
    subject += unbase64(subject_line.substr(p + 10, q - p - 10));
    p = q + 2;
  }
  CHECK(subject == "[ทวงถาม] อำเภอเมืองลำปาง: " + w.title);
  body = body.substr(0, body.size() - 5);  // the "\r\n.\r\n" end of DATA
  const std::string text = unbase64(body);
  CHECK_THAT(text, Catch::StartsWith("[ทวงถาม] อำเภอเมืองลำปาง: " + w.message_th));
  CHECK_THAT(text, Catch::Contains("[Demand] Mueang Lampang District"));

  SECTION("a 550 to RCPT fails the message for good") {
    REQUIRE(n->notify_warnings({warning("w10", Stage::kDemand, "5202")}).ok());
    auto entry = [&] { return *n->outbox().get("w:w10:5202:2026-11-25:email"); };
    REQUIRE(eventually(*n, [&] {
      auto e = entry();
      return e && e->state == OutState::kFailed;
    }));
    CHECK_THAT(entry()->last_error, Catch::Contains("550"));
    CHECK(entry()->attempts == 1);
    CHECK(smtp.mails().size() == 1);
  }
}

TEST_CASE("LINE text is cut to 5000 UTF-16 units on a character boundary", "[notify]") {
  std::string thai;
  for (int i = 0; i < 3000; ++i) thai += "กิ";  // consonant + vowel mark: 6000 units
  const std::string cut = truncate_utf16(thai, 5000);
  CHECK_THAT(cut, Catch::EndsWith("…"));
  const std::string kept = cut.substr(0, cut.size() - 3);
  CHECK(kept.size() % 6 == 0);  // whole "กิ" pairs: the mark is never cut from its consonant
  CHECK(kept.size() / 3 <= 4999);
  CHECK(truncate_utf16("short ข้อความ", 5000) == "short ข้อความ");
  std::string emoji;
  for (int i = 0; i < 10; ++i) emoji += "\xF0\x9F\x98\x80";  // U+1F600: 2 units each
  CHECK(truncate_utf16(emoji, 5) == "\xF0\x9F\x98\x80\xF0\x9F\x98\x80…");
}

TEST_CASE("RFC 2047 subjects: ASCII as is, Thai as encoded words of at most 75 characters",
          "[notify]") {
  CHECK(encode_header_rfc2047("Weekly summary") == "Weekly summary");
  const std::string th = "[ทวงถาม] อำเภอเมืองลำปาง: รายงานผลการดำเนินงานประจำเดือนตุลาคม 2569";
  const std::string enc = encode_header_rfc2047(th);
  std::string decoded;
  size_t words = 0;
  for (size_t p = 0; (p = enc.find("=?UTF-8?B?", p)) != std::string::npos; ++words) {
    const size_t q = enc.find("?=", p + 10);
    CHECK(q + 2 - p <= 75);
    const std::string part = unbase64(enc.substr(p + 10, q - p - 10));
    CHECK(truncate_utf16(part, 1000) == part);  // each word is whole characters
    decoded += part;
    p = q + 2;
  }
  CHECK(words > 1);
  CHECK(decoded == th);
  CHECK(enc.find("?=\r\n =?UTF-8?B?") != std::string::npos);
}

TEST_CASE("hub.json \"channels\": parsed strictly, saved and read back", "[notify]") {
  auto bad = [](const json& j) {
    auto r = parse_notify_config(j);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    return r.status().message();
  };
  CHECK_THAT(bad({{"sms", json::object()}}), Catch::Contains("unknown member 'sms'"));
  CHECK_THAT(bad({{"line", {{"channel_token", "t"}, {"to", {{"5299", "U1"}}}}}}),
             Catch::Contains("'5299', not an office"));
  CHECK_THAT(bad({{"line", {{"to", {{"5201", "U1"}}}}}}),
             Catch::Contains("channel_token is required"));
  CHECK_THAT(bad({{"line", {{"channel_token", "t"}, {"base_url", "ftp://x"}}}}),
             Catch::Contains("base_url"));
  CHECK_THAT(bad({{"email", {{"smtp_url", "http://x"}, {"from", "a@b"}}}}),
             Catch::Contains("smtp_url"));
  CHECK_THAT(bad({{"webhook", {{"url", 5}}}}), Catch::Contains("must be a string"));
  CHECK_THAT(bad({{"digest", "yes"}}), Catch::Contains("digest"));

  lwc::test::TempDir dir;
  HubConfig config;
  config.data_dir = dir.path().string();
  config.channels.line = LineChannelConfig{"https://api.line.me/", "tok", {{"executive", "Uexec"}}};
  config.channels.webhook = WebhookChannelConfig{"https://example.org/hook"};
  config.channels.digest = false;
  REQUIRE(save_config(config).ok());
  auto loaded = load_config(dir.path().string());
  REQUIRE(loaded.ok());
  REQUIRE(loaded->channels.line);
  CHECK(loaded->channels.line->base_url == "https://api.line.me");  // trailing slash dropped
  CHECK(loaded->channels.line->to.at("executive") == "Uexec");
  CHECK(loaded->channels.webhook->url == "https://example.org/hook");
  CHECK_FALSE(loaded->channels.email);
  CHECK_FALSE(loaded->channels.digest);

  json raw;
  std::ifstream(dir.file("hub.json")) >> raw;
  raw["channels"]["line"]["tokn"] = "typo";
  std::ofstream(dir.file("hub.json")) << raw.dump();
  auto refused = load_config(dir.path().string());
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.status().message(), Catch::Contains("tokn"));
}
