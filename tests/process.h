// Real processes for end-to-end tests: run a command and capture its output, or keep a hub running.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "spawn.h"
#include "test_clock.h"

namespace lwc::test {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// Runs argv (no shell) with `input` on stdin and `env` added; waits for it.
inline RunResult run(const std::vector<std::string>& argv, const std::string& input = "",
                     const std::vector<std::string>& env = {}) {
  Spawned child = spawn(argv, {input, env, /*capture=*/true, /*merge_stderr=*/true});
  RunResult r;
  std::array<char, 4096> buf;
  ssize_t n;
  while ((n = read(child.out_fd, buf.data(), buf.size())) > 0) r.out.append(buf.data(), n);
  close(child.out_fd);
  int status = 0;
  waitpid(child.pid, &status, 0);
  r.exit_code = exit_code(status);
  return r;
}

// `lwc-hub serve` on 127.0.0.1 with a free port, in a data directory made by `init --demo`.
class HubProcess {
 public:
  std::vector<std::string> env;  // "NAME=value" for the next start() and cli()

  // settings: members merged into hub.json before the first start.
  // env: "NAME=value" entries for init, serve and cli() (e.g. LWC_NOW); changeable before start().
  // wrapper: a command line that runs the hub (e.g. {"/usr/bin/prlimit", "--nofile=64:64", "--"});
  // it must exec the hub in its own process.
  HubProcess(std::string data_dir, const nlohmann::json& settings = nlohmann::json::object(),
             std::vector<std::string> environment = {}, std::vector<std::string> wrapper = {})
      : env(std::move(environment)), dir_(std::move(data_dir)), wrapper_(std::move(wrapper)) {
    RunResult init =
        run({LWC_HUB_BIN, "--data", dir_, "init", "--demo", "--listen", "127.0.0.1:0"}, "", env);
    if (init.exit_code != 0) throw std::runtime_error("lwc-hub init failed: " + init.out);
    std::ifstream in(dir_ + "/hub.json");
    nlohmann::json config = nlohmann::json::parse(in);
    config.update(settings);
    std::ofstream(dir_ + "/hub.json") << config.dump(2);
    start();
  }
  ~HubProcess() { stop(SIGTERM); }

  void start() {
    const std::string listen = port_ ? "127.0.0.1:" + std::to_string(port_) : "127.0.0.1:0";
    std::vector<std::string> argv = wrapper_;
    for (const std::string& arg : {std::string(LWC_HUB_BIN), std::string("--data"), dir_,
                                   std::string("serve"), std::string("--listen"), listen}) {
      argv.push_back(arg);
    }
    Spawned child = spawn(argv, {"", env, true, false});
    pid_ = child.pid;
    // Banner lines (e.g. "outgoing channels: …") may come before "lwc-hub listening on …".
    std::string line;
    char c;
    for (bool eof = false; !eof && line.find("listening on") == std::string::npos;) {
      line.clear();
      while (!(eof = read(child.out_fd, &c, 1) != 1) && c != '\n') line.push_back(c);
    }
    out_fd_ = child.out_fd;
    const size_t colon = line.rfind(':');
    if (line.find("listening on") == std::string::npos || colon == std::string::npos) {
      throw std::runtime_error("lwc-hub serve did not start: '" + line + "'");
    }
    port_ = std::stoi(line.substr(colon + 1));
  }

  // Sends `sig` and waits; returns the exit status (as run()).
  int stop(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (out_fd_ >= 0) close(out_fd_);
    out_fd_ = -1;
    return exit_code(status);
  }

  RunResult cli(const std::vector<std::string>& args, const std::string& input = "") {
    std::vector<std::string> argv = {LWC_HUB_BIN, "--data", dir_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, input, env);
  }

  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string ca() const { return dir_ + "/tls/ca.pem"; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  pid_t pid() const { return pid_; }

 private:
  std::string dir_;
  std::vector<std::string> wrapper_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
};

}  // namespace lwc::test
