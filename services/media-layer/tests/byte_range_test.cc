// Range headers.
#include <catch2/catch.hpp>

#include "domain/byte_range.h"

using namespace dialtone::media_layer;

TEST_CASE("Single byte ranges resolve against the size") {
  ByteRange r;
  REQUIRE(ParseRange("bytes=0-99", 1000, &r) == RangeResult::kSatisfiable);
  CHECK((r.first == 0 && r.last == 99));
  REQUIRE(ParseRange("bytes=900-", 1000, &r) == RangeResult::kSatisfiable);
  CHECK((r.first == 900 && r.last == 999));
  REQUIRE(ParseRange("bytes=-100", 1000, &r) == RangeResult::kSatisfiable);
  CHECK((r.first == 900 && r.last == 999));
  REQUIRE(ParseRange("bytes=990-2000", 1000, &r) == RangeResult::kSatisfiable);
  CHECK(r.last == 999);
}

TEST_CASE("Past the end is unsatisfiable, and malformed or multiple ranges are ignored") {
  ByteRange r;
  CHECK(ParseRange("bytes=1000-", 1000, &r) == RangeResult::kUnsatisfiable);
  CHECK(ParseRange("bytes=5-1", 1000, &r) == RangeResult::kNone);
  CHECK(ParseRange("items=0-1", 1000, &r) == RangeResult::kNone);
  CHECK(ParseRange("bytes=0-1,5-6", 1000, &r) == RangeResult::kNone);
}
