// `lwc-client` as a separate process on a data directory, for end-to-end tests (needs Catch2 and
// LWC_CLIENT_BIN).
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "process.h"

namespace lwc::test {

struct ClientProcess {
  std::string dir;
  RunResult cli(const std::vector<std::string>& args, const std::string& input = "",
                const std::vector<std::string>& env = {}) const {
    std::vector<std::string> argv = {LWC_CLIENT_BIN, "--data", dir};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, input, env);
  }
  void enroll(const HubProcess& hub, const std::string& user, const std::string& password) const {
    RunResult r =
        cli({"enroll", "--hub", hub.url(), "--ca", hub.ca(), "--user", user}, password + "\n");
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
  }
  // Runs a command that must succeed.
  void ok(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) const {
    RunResult r = cli(args, "", env);
    INFO(args.front() << ": " << r.out);
    REQUIRE(r.exit_code == 0);
  }
  nlohmann::json status() const {
    RunResult r = cli({"status", "--json"});
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
  std::string db() const { return dir + "/client.db"; }
  std::string exported() const { return cli({"export", "--json"}).out; }
};

}  // namespace lwc::test
