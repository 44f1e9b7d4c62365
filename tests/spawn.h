// Child processes for end-to-end tests and benchmarks: started without a shell, with environment
// entries added, a string on stdin, stdout captured or discarded, stderr discarded or merged.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace lwc::test {

struct SpawnOptions {
  std::string input;             // written to stdin, which is then closed
  std::vector<std::string> env;  // "NAME=value", ahead of (so overriding) the inherited ones
  bool capture = false;          // stdout into a pipe (Spawned::out_fd); else /dev/null
  bool merge_stderr = false;     // stderr where stdout goes; else /dev/null
};

struct Spawned {
  pid_t pid = -1;
  int out_fd = -1;  // the read end of stdout when captured
};

// Everything the child needs is built before fork(): the child only redirects and execs.
inline Spawned spawn(const std::vector<std::string>& argv, const SpawnOptions& o) {
  std::vector<char*> args, envp;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const std::string& e : o.env) envp.push_back(const_cast<char*>(e.c_str()));
  for (char** e = environ; *e; ++e) envp.push_back(*e);
  envp.push_back(nullptr);
  int in_pipe[2], out_pipe[2] = {-1, -1};
  if (pipe(in_pipe) != 0 || (o.capture && pipe(out_pipe) != 0)) throw std::runtime_error("pipe");
  const int null = open("/dev/null", O_RDWR);
  Spawned s;
  s.pid = fork();
  if (s.pid < 0) throw std::runtime_error("fork");
  if (s.pid == 0) {
    const int out = o.capture ? out_pipe[1] : null;
    dup2(in_pipe[0], 0);
    dup2(out, 1);
    dup2(o.merge_stderr ? out : null, 2);
    close(in_pipe[1]);
    if (o.capture) close(out_pipe[0]);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(null);
  close(in_pipe[0]);
  if (!o.input.empty()) (void)!write(in_pipe[1], o.input.data(), o.input.size());
  close(in_pipe[1]);
  if (o.capture) {
    close(out_pipe[1]);
    s.out_fd = out_pipe[0];
  }
  return s;
}

inline int exit_code(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

// A process left running (a hub, `lwc-client sync --watch`, a sync to kill mid-way). Its captured
// output can be awaited; it gets `stop_signal` and is waited for when the object ends.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv, SpawnOptions o = {},
                             int stop_signal = SIGTERM)
      : stop_signal_(stop_signal) {
    Spawned s = spawn(argv, o);
    pid_ = s.pid;
    fd_ = s.out_fd;
  }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  ~BackgroundProcess() {
    if (pid_ > 0) kill(pid_, stop_signal_);
    wait();
    if (fd_ >= 0) close(fd_);
  }

  pid_t pid() const { return pid_; }
  // Reads captured output until it contains `text`; returns the milliseconds that took, or -1 on
  // timeout or end of output.
  int64_t wait_for(const std::string& text, int64_t timeout_ms) {
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - start)
          .count();
    };
    while (out_.find(text) == std::string::npos) {
      if (fd_ < 0 || elapsed() > timeout_ms) return -1;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) > 0) {
        char buf[4096];
        const ssize_t n = read(fd_, buf, sizeof buf);
        if (n <= 0) return -1;
        out_.append(buf, static_cast<size_t>(n));
      }
    }
    return elapsed();
  }
  const std::string& output() const { return out_; }
  // The captured output's file descriptor (-1 when not captured), for callers that read lines.
  int out_fd() const { return fd_; }

  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
    pid_ = -1;
    exit_code_ = exit_code(status);
    return false;
  }
  void signal(int sig) {
    if (pid_ > 0) kill(pid_, sig);
  }
  // Waits for the end; its exit status (128 + signal when killed); `usage`: its resources.
  int wait(rusage* usage = nullptr) {
    if (pid_ > 0) {
      int status = 0;
      rusage ru{};
      wait4(pid_, &status, 0, &ru);
      if (usage) *usage = ru;
      pid_ = -1;
      exit_code_ = exit_code(status);
    }
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  int stop_signal_;
  int exit_code_ = -1;
  std::string out_;
};

}  // namespace lwc::test
