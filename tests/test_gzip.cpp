// gzip bodies (lwc/gzip.h): round trip, the inflated-size limit, broken input, Accept-Encoding.
#include <catch2/catch.hpp>

#include <random>

#include "lwc/gzip.h"

using namespace lwc;

TEST_CASE("gzip: round trip of JSON-like and random data", "[gzip]") {
  std::string json = "{\"changes\":[";
  for (int i = 0; i < 5000; ++i) json += "{\"field\":\"value\",\"seq\":" + std::to_string(i) + "},";
  json += "]}";
  const std::string packed = gzip_compress(json);
  CHECK(packed.size() < json.size() / 5);
  CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);  // gzip magic, not a bare zlib stream
  CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
  auto back = gzip_decompress(packed, json.size());
  REQUIRE(back.ok());
  CHECK(*back == json);

  std::mt19937 rng(7);
  std::string noise(100000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  auto noise_back = gzip_decompress(gzip_compress(noise, 6), noise.size());
  REQUIRE(noise_back.ok());
  CHECK(*noise_back == noise);
  auto empty = gzip_decompress(gzip_compress(""), 10);
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("gzip: a body that inflates beyond the limit is too large, without inflating it all",
          "[gzip]") {
  const std::string bomb = gzip_compress(std::string(64 << 20, '0'), 9);  // 64 MiB of zeros
  CHECK(bomb.size() < 200 * 1024);
  auto r = gzip_decompress(bomb, 1 << 20);
  REQUIRE(!r.ok());
  CHECK(r.status().code() == Code::kTooLarge);
  CHECK_THAT(r.status().message(), Catch::Contains("decompressed"));
  // Exactly at the limit is fine; one byte over is not.
  const std::string exact(1000, 'x');
  CHECK(gzip_decompress(gzip_compress(exact), 1000).ok());
  CHECK(gzip_decompress(gzip_compress(exact), 999).status().code() == Code::kTooLarge);
}

TEST_CASE("gzip: broken input is malformed", "[gzip]") {
  const std::string good = gzip_compress(std::string(5000, 'a') + "b");
  CHECK(gzip_decompress("{\"mutations\":[]}", 1 << 20).status().code() == Code::kMalformed);
  CHECK(gzip_decompress("", 1 << 20).status().code() == Code::kMalformed);
  CHECK(gzip_decompress(good.substr(0, good.size() - 4), 1 << 20).status().code() ==
        Code::kMalformed);  // truncated trailer
  std::string flipped = good;
  flipped[good.size() - 6] ^= 0x55;  // CRC mismatch
  CHECK(gzip_decompress(flipped, 1 << 20).status().code() == Code::kMalformed);
  CHECK(gzip_decompress(good + "junk", 1 << 20).status().code() == Code::kMalformed);
  // A trailer that understates or overstates the inflated size (5,001 bytes): refused, whichever
  // buffer the size led to.
  for (uint32_t claimed : {10u, 0xFFFFFFFFu}) {
    std::string lying = good;
    for (int i = 0; i < 4; ++i) lying[good.size() - 4 + i] = static_cast<char>(claimed >> (8 * i));
    CHECK(gzip_decompress(lying, 1 << 20).status().code() == Code::kMalformed);
  }
}

TEST_CASE("gzip: Accept-Encoding", "[gzip]") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("deflate, GZIP"));
  CHECK(accepts_gzip("br;q=1.0, gzip;q=0.5"));
  CHECK(accepts_gzip("x-gzip"));
  CHECK(accepts_gzip("*"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("deflate, br"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip; q=0.000, deflate"));
  CHECK_FALSE(accepts_gzip("*, gzip;q=0"));
}
