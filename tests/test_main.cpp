// main() of every Catch2 test executable: the suite's clock first (test_clock.h), then Catch.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "test_clock.h"

int main(int argc, char** argv) {
  lwc::test::install_test_clock();
  return Catch::Session().run(argc, argv);
}
