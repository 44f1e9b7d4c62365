#include <catch2/catch.hpp>

#include "lwc/hlc.h"

using namespace lwc;

TEST_CASE("HLC packs wall time and counter in order", "[hlc]") {
  Hlc a = Hlc::from_parts(1000, 5);
  CHECK(a.wall_ms() == 1000);
  CHECK(a.counter() == 5);
  CHECK(Hlc::from_parts(1000, 65535) < Hlc::from_parts(1001, 0));
  CHECK(Hlc::from_parts(999, 7) < Hlc::from_parts(1000, 0));
}

TEST_CASE("HLC follows the wall clock when it moves forward", "[hlc]") {
  FakeClock wall(1'000'000);
  HlcClock hlc(wall, 60'000);
  Hlc a = hlc.now();
  CHECK(a == Hlc::from_parts(1'000'000, 0));
  Hlc b = hlc.now();  // same millisecond
  CHECK(b == Hlc::from_parts(1'000'000, 1));
  wall.advance_ms(10);
  CHECK(hlc.now() == Hlc::from_parts(1'000'010, 0));
}

TEST_CASE("HLC stays monotonic when the wall clock jumps back", "[hlc]") {
  FakeClock wall(5'000'000);
  HlcClock hlc(wall, 60'000);
  Hlc before = hlc.now();
  wall.set_ms(4'000'000);  // NTP correction or a user changing the date
  Hlc prev = before;
  for (int i = 0; i < 1000; ++i) {
    Hlc next = hlc.now();
    REQUIRE(next > prev);
    CHECK(next.wall_ms() == 5'000'000);  // holds the old wall time, counts up
    prev = next;
  }
  wall.set_ms(5'000'001);
  CHECK(hlc.now() == Hlc::from_parts(5'000'001, 0));
}

TEST_CASE("HLC counter overflow carries into the wall part and stays monotonic", "[hlc]") {
  FakeClock wall(100);
  HlcClock hlc(wall, 60'000);
  hlc.observe(Hlc::from_parts(100, Hlc::kMaxCounter));
  Hlc next = hlc.now();
  CHECK(next > Hlc::from_parts(100, Hlc::kMaxCounter));
  CHECK(next == Hlc::from_parts(101, 0));
}

TEST_CASE("HLC absorbs a remote timestamp and then issues later ones", "[hlc]") {
  FakeClock wall(1'000'000);
  HlcClock hlc(wall, 60'000);
  Hlc remote = Hlc::from_parts(1'030'000, 3);  // 30 s ahead: within the drift bound
  REQUIRE(hlc.update(remote).ok());
  Hlc next = hlc.now();
  CHECK(next > remote);
  CHECK(next == Hlc::from_parts(1'030'000, 4));
}

TEST_CASE("HLC refuses a remote timestamp beyond the drift bound and is unchanged", "[hlc]") {
  FakeClock wall(1'000'000);
  HlcClock hlc(wall, 60'000);
  Hlc mine = hlc.now();
  Status s = hlc.update(Hlc::from_parts(1'000'000 + 60'001, 0));
  CHECK(s.code() == Code::kClockSkew);
  CHECK_THAT(s.message(), Catch::Contains("allowed drift is 60 s"));
  CHECK(hlc.last() == mine);
  // Exactly at the bound is accepted.
  CHECK(hlc.update(Hlc::from_parts(1'060'000, 0)).ok());
  // A far-behind clock is harmless: it never wins against later edits.
  CHECK(hlc.update(Hlc::from_parts(10, 0)).ok());
  CHECK(hlc.now() > Hlc::from_parts(1'060'000, 0));
}
