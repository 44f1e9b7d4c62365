// End-to-end warnings: the real hub and clients over TLS, moved through time with LWC_NOW.
#include <catch2/catch.hpp>

#include <poll.h>

#include <nlohmann/json.hpp>

#include <set>

#include "process.h"
#include "temp_dir.h"

using namespace lwc::test;
using nlohmann::json;

namespace {

std::string now_env(const std::string& when) { return "LWC_NOW=" + when; }

struct Client {
  std::string dir;
  std::string now;  // LWC_NOW for every command
  RunResult cli(const std::vector<std::string>& args, const std::string& input = "") const {
    std::vector<std::string> argv = {LWC_CLIENT_BIN, "--data", dir};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, input, {now_env(now)});
  }
  std::string ok(const std::vector<std::string>& args, const std::string& input = "") const {
    RunResult r = cli(args, input);
    INFO(args.front() << ": " << r.out);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  json warnings() const {
    RunResult r = cli({"warnings", "--json"});
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  }
};

json about(const json& warnings, const std::string& subject) {
  json out = json::array();
  for (const json& w : warnings) {
    if (w["subject"] == subject) out.push_back(w);
  }
  return out;
}

// `lwc-client sync --watch` in the background; lines of its stdout can be awaited.
class Watcher {
 public:
  explicit Watcher(const Client& c) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 2);
      const std::string env = now_env(c.now);
      putenv(const_cast<char*>(env.c_str()));
      execl(LWC_CLIENT_BIN, LWC_CLIENT_BIN, "--data", c.dir.c_str(), "sync", "--watch", nullptr);
      _exit(127);
    }
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Watcher() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    close(fd_);
  }
  // Waits up to timeout_ms for output containing `text`; returns the milliseconds it took or -1.
  int64_t wait_for(const std::string& text, int64_t timeout_ms) {
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                   start)
          .count();
    };
    while (out_.find(text) == std::string::npos) {
      if (elapsed() > timeout_ms) return -1;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) > 0) {
        char buf[4096];
        ssize_t n = read(fd_, buf, sizeof buf);
        if (n <= 0) return -1;
        out_.append(buf, n);
      }
    }
    return elapsed();
  }
  const std::string& output() const { return out_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string out_;
};

}  // namespace

TEST_CASE("e2e warnings: offline client and hub raise one warning; live event; escalation",
          "[e2e][warnings]") {
  TempDir dir;
  HubProcess hub(dir.file("hub"), json::object(), {now_env("2027-03-10T09:00")});
  Client province{dir.file("province"), "2027-03-10T09:00"};
  Client maemo{dir.file("maemo"), "2027-03-10T09:00"};
  province.ok({"enroll", "--hub", hub.url(), "--ca", hub.ca(), "--user", "province"},
              "lwc-province-2570\n");
  maemo.ok({"enroll", "--hub", hub.url(), "--ca", hub.ca(), "--user", "maemo"}, "lwc-5202-2570\n");

  // A directive due Friday 19 March 2027: warn from Tuesday 16th, follow on the 19th, demand the
  // 20th, escalated 48 hours later unless the demand is acknowledged.
  const std::string task = province
                               .ok({"task", "create", "--kind", "directive", "--letter-no",
                                    "ลป 0020/ว 2001", "--title", "รายงานทดสอบ / Test report",
                                    "--due", "2027-03-19", "--districts", "5202"})
                               .substr(0, 32);
  province.ok({"sync"});
  maemo.ok({"sync"});
  CHECK(about(maemo.warnings(), task).empty());

  // Offline on the 16th: the district client raises the warn stage by itself.
  hub.stop(SIGTERM);
  maemo.now = "2027-03-16T10:00";
  json local = about(maemo.warnings(), task);
  REQUIRE(local.size() == 1);
  CHECK(local[0]["stage"] == "warn");
  CHECK(local[0]["source"] == "local (not yet at the hub)");
  CHECK(local[0]["due"] == "2027-03-19");
  CHECK(local[0]["message_th"].get<std::string>().find("19 มี.ค. 2570") != std::string::npos);
  const std::string warn_id = local[0]["id"];
  CHECK(maemo.ok({"ack", warn_id}).find("acknowledged") != std::string::npos);

  // The hub comes back on the same day and raises the same verdict: one warning, one id.
  hub.env = {now_env("2027-03-16T10:05")};
  hub.start();
  maemo.now = "2027-03-16T10:06";
  maemo.ok({"sync"});
  json synced = about(maemo.warnings(), task);
  REQUIRE(synced.size() == 1);
  CHECK(synced[0]["id"] == warn_id);
  CHECK(synced[0]["source"] == "hub");
  CHECK(synced[0]["answered_by_me"] == true);
  CHECK(synced[0]["acknowledged_by"] == "maemo");
  RunResult exported = hub.cli({"export", "--json"});
  CHECK(exported.out.find(warn_id) != std::string::npos);

  // Live: a watching client hears a new warning on the event stream as soon as the hub raises it.
  {
    Watcher watch(maemo);
    REQUIRE(watch.wait_for("watching the hub's event stream", 15'000) >= 0);
    province.now = "2027-03-16T10:07";
    province.ok({"task", "create", "--kind", "monthly_report", "--title",
                 "รายงานประจำเดือน / Monthly report", "--due", "2027-03-17", "--districts", "5202"});
    province.ok({"sync"});
    const int64_t ms = watch.wait_for("WARNING [warn] 5202", 5'000);
    INFO(watch.output());
    CHECK(ms >= 0);
    WARN("warning event reached the watching client " << ms << " ms after the province's sync");
  }

  // Monday 22nd: the demand (since Saturday 20th) was never acknowledged — escalated at the hub
  // 48 hours after it began, and the province sees it.
  hub.stop(SIGTERM);
  hub.env = {now_env("2027-03-22T09:00")};
  hub.start();
  province.now = "2027-03-22T09:01";
  province.ok({"sync"});
  json seen = about(province.warnings(), task);
  std::set<std::string> stages;
  for (const json& w : seen) {
    stages.insert(w["stage"].get<std::string>());
    CHECK(w["district"] == "5202");
  }
  CHECK(stages == std::set<std::string>{"warn", "follow", "demand", "escalated"});
  for (const json& w : seen) {
    if (w["stage"] == "escalated") CHECK(w["source"] == "hub");
  }

  // The district submits: after a sync every stage is cleared at the hub and on the client.
  maemo.now = "2027-03-22T09:02";
  maemo.ok({"task", "submit", task, "--doc-ref", "ลป 0020.1/77"});
  // Until the hub's rows are cleared they stay listed (no longer raised locally), never dropped.
  json left = about(maemo.warnings(), task);
  CHECK(!left.empty());
  for (const json& w : left) CHECK(w["source"] == "hub, no longer raised here");
  for (int i = 0; i < 100 && !left.empty(); ++i) {  // the hub re-runs its rules after the push
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    maemo.ok({"sync"});
    left = about(maemo.warnings(), task);
  }
  CHECK(left.empty());
  province.ok({"sync"});
  CHECK(about(province.warnings(), task).empty());
}
