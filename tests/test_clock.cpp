#include "test_clock.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "lwc/calendar.h"

namespace lwc::test {

namespace {
int64_t installed_offset = 0;

int64_t real_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
}  // namespace

void install_test_clock() {
  const char* fixed = std::getenv("LWC_NOW");
  if (!(fixed && *fixed)) {
    if (const char* off = std::getenv("LWC_TIME_OFFSET_MS"); off && *off) {
      installed_offset = std::strtoll(off, nullptr, 10);
      return;
    }
  }
  // LWC_NOW anchors each process at its own start; as one offset it holds for all of them.
  const char* wanted = fixed && *fixed ? fixed : std::getenv("LWC_TEST_NOW");
  const std::string_view when = wanted && *wanted ? wanted : kDefaultTestNow;
  unsetenv("LWC_NOW");
  if (when == "wall") return;
  auto at = parse_thai_time(when);
  if (!at.ok()) {
    std::fprintf(stderr, "LWC_TEST_NOW / LWC_NOW: %s\n", at.status().message().c_str());
    std::exit(2);
  }
  installed_offset = *at - real_now_ms();
  setenv("LWC_TIME_OFFSET_MS", std::to_string(installed_offset).c_str(), 1);
}

int64_t test_clock_offset_ms() {
  return installed_offset;
}

std::string clock_off_by(int64_t delta_ms) {
  return "LWC_TIME_OFFSET_MS=" + std::to_string(installed_offset + delta_ms);
}

}  // namespace lwc::test
