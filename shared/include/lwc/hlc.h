// Hybrid logical clock (Kulkarni et al.): wall-time milliseconds plus a logical counter.
//
// Packed into one int64 as (wall_ms << 16) | counter, so the packed integers order exactly like the
// (wall_ms, counter) pairs; that integer is what the store and the wire carry. Ties between two
// devices that produced the same Hlc are broken by the device id (see merge.h).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "lwc/clock.h"
#include "lwc/status.h"

namespace lwc {

struct Hlc {
  static constexpr int kCounterBits = 16;
  static constexpr uint32_t kMaxCounter = (1u << kCounterBits) - 1;

  int64_t packed = 0;  // 0 = "never written"

  static Hlc from_parts(int64_t wall_ms, uint32_t counter) {
    return Hlc{(wall_ms << kCounterBits) | static_cast<int64_t>(counter)};
  }
  int64_t wall_ms() const { return packed >> kCounterBits; }
  uint32_t counter() const { return static_cast<uint32_t>(packed & kMaxCounter); }
  bool is_zero() const { return packed == 0; }
  // "wall_ms.counter", for humans.
  std::string to_string() const;

  friend auto operator<=>(const Hlc&, const Hlc&) = default;
};

// Issues timestamps for local events and absorbs timestamps of received ones. Guarantees:
//  * every value returned by now() is strictly greater than every value previously returned by
//  now()
//    or passed to update() — also when the wall clock jumps backwards;
//  * update() refuses (kClockSkew) a remote timestamp more than max_drift_ms ahead of the local
//  wall
//    clock, and then leaves the clock unchanged, so one fast clock cannot drag every other forward.
// Thread-safe (one internal mutex guards last_).
class HlcClock {
 public:
  HlcClock(const Clock& wall, int64_t max_drift_ms) : wall_(wall), max_drift_ms_(max_drift_ms) {}

  Hlc now();
  Status update(Hlc remote);
  // Raises the clock to at least `seen` without a drift check (used when reopening a store whose
  // persisted clock is trusted).
  void observe(Hlc seen);
  // Sets the clock to exactly `value`, also backwards. This breaks the guarantees above on purpose:
  // only for a store that re-stamps every value it issued above `value` (Store::restamp_ahead_of,
  // after a clock that ran ahead was corrected).
  void reset(Hlc value);
  Hlc last() const;
  int64_t max_drift_ms() const { return max_drift_ms_; }

 private:
  const Clock& wall_;
  const int64_t max_drift_ms_;
  mutable std::mutex mu_;
  Hlc last_;  // guarded by mu_
};

}  // namespace lwc
