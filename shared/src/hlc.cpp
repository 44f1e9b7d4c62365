#include "lwc/hlc.h"

#include <cstdio>

#include "lwc/calendar.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace lwc {

int64_t SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

const Clock& process_clock() {
  static SystemClock system;
  static OffsetClock shifted(system, [] {
    if (const char* now = std::getenv("LWC_NOW"); now && *now) {
      auto target = parse_thai_time(now);
      if (target.ok()) return int64_t{*target - system.now_ms()};
      std::fprintf(stderr, "LWC_NOW ignored: %s\n", target.status().message().c_str());
    }
    const char* v = std::getenv("LWC_TIME_OFFSET_MS");
    return int64_t{v ? std::strtoll(v, nullptr, 10) : 0LL};
  }());
  return shifted;
}

std::string Hlc::to_string() const {
  return std::to_string(wall_ms()) + "." + std::to_string(counter());
}

namespace {
// The successor of `last` given physical time `phys`: the physical time if it is ahead, else the
// same wall time with the counter bumped (carrying into the wall part when the counter is full).
Hlc advance(Hlc last, int64_t phys) {
  if (phys > last.wall_ms()) return Hlc::from_parts(phys, 0);
  return Hlc{last.packed + 1};  // counter overflow carries into wall_ms: still monotonic
}
}  // namespace

Hlc HlcClock::now() {
  const int64_t phys = wall_.now_ms();
  std::lock_guard lock(mu_);
  last_ = advance(last_, phys);
  return last_;
}

Status HlcClock::update(Hlc remote) {
  const int64_t phys = wall_.now_ms();
  if (remote.wall_ms() > phys + max_drift_ms_) {
    return Status(Code::kClockSkew, "timestamp " + remote.to_string() + " is " +
                                        std::to_string((remote.wall_ms() - phys) / 1000) +
                                        " s ahead of this clock; the allowed drift is " +
                                        std::to_string(max_drift_ms_ / 1000) +
                                        " s — check the device's date and time");
  }
  std::lock_guard lock(mu_);
  last_ = std::max(last_, remote);
  return {};
}

void HlcClock::observe(Hlc seen) {
  std::lock_guard lock(mu_);
  last_ = std::max(last_, seen);
}

void HlcClock::reset(Hlc value) {
  std::lock_guard lock(mu_);
  last_ = value;
}

Hlc HlcClock::last() const {
  std::lock_guard lock(mu_);
  return last_;
}

}  // namespace lwc
