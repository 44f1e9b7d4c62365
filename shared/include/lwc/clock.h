// Wall-clock time behind a small interface (STYLE.md §4): SystemClock in production, FakeClock in
// tests and for the documented time override. Times are milliseconds since the Unix epoch (UTC).
#pragma once

#include <atomic>
#include <cstdint>

namespace lwc {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current wall time in ms since the epoch. May jump backwards (NTP, a user changing the clock).
  // Thread-safe.
  virtual int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void set_ms(int64_t ms) { now_.store(ms); }
  void advance_ms(int64_t delta) { now_.fetch_add(delta); }

 private:
  std::atomic<int64_t> now_;
};

// A real clock shifted by a fixed offset: the "time override" of both binaries
// (LWC_TIME_OFFSET / --now), so demos can move across deadlines while time still flows.
class OffsetClock final : public Clock {
 public:
  OffsetClock(const Clock& base, int64_t offset_ms) : base_(base), offset_(offset_ms) {}
  int64_t now_ms() const override { return base_.now_ms() + offset_; }

 private:
  const Clock& base_;
  int64_t offset_;
};

// The clock both binaries use: the system clock shifted by the documented time override, read once
// at start: LWC_NOW="YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (Thai time; the clock starts there and runs
// on), else LWC_TIME_OFFSET_MS (milliseconds, may be negative). For tests and demos that move across
// deadlines, or simulate a device whose clock is wrong.
const Clock& process_clock();

}  // namespace lwc
