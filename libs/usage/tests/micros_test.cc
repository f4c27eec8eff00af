// Exact decimal amounts: parsing and formatting of micro-units.
#include <catch2/catch.hpp>

#include "dialtone/usage/micros.h"

using namespace dialtone::usage;

TEST_CASE("Decimal strings parse into exact micro-units") {
  CHECK(*ParseMicros("") == 0);
  CHECK(*ParseMicros("0") == 0);
  CHECK(*ParseMicros("12.5") == 12'500'000);
  CHECK(*ParseMicros("0.000001") == 1);
  CHECK(*ParseMicros(".25") == 250'000);
  CHECK(*ParseMicros("1234567.123456") == 1'234'567'123'456);
  // 0.1 + 0.2 is exact here, unlike doubles.
  CHECK(*ParseMicros("0.1") + *ParseMicros("0.2") == *ParseMicros("0.3"));
}

TEST_CASE("Malformed, negative and over-precise amounts are rejected") {
  for (const char* bad : {"-1", "+1", "1e3", "1.", ".", "1.2.3", " 1", "1 ", "abc", "0.0000001",
                          "99999999999999999999", "1,5"}) {
    INFO(bad);
    CHECK(ParseMicros(bad).status().code() == absl::StatusCode::kInvalidArgument);
  }
}

TEST_CASE("Micro-units format back without trailing zeros") {
  CHECK(FormatMicros(0) == "0");
  CHECK(FormatMicros(12'500'000) == "12.5");
  CHECK(FormatMicros(3'000'000) == "3");
  CHECK(FormatMicros(1) == "0.000001");
  CHECK(FormatMicros(-1'500'000) == "-1.5");
  CHECK(FormatMicrosFixed(1'500'000) == "1.500000");
  CHECK(*ParseMicros(FormatMicros(987'654'321)) == 987'654'321);
}
