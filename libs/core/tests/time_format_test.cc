// API dates render and parse as Twilio's do, and impossible dates are refused.
#include <catch2/catch.hpp>

#include "absl/time/civil_time.h"
#include "dialtone/core/time_format.h"

namespace core = dialtone::core;

namespace {
absl::Time At(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}
}  // namespace

TEST_CASE("RFC 2822 dates render as Twilio's date_created") {
  CHECK(core::FormatRfc2822(At(2026, 11, 25, 19, 21, 7)) == "Wed, 25 Nov 2026 19:21:07 +0000");
  CHECK(core::FormatRfc2822(At(2010, 4, 1, 0, 0, 0)) == "Thu, 01 Apr 2010 00:00:00 +0000");
}

TEST_CASE("RFC 2822 dates parse with zones, GMT and without weekday") {
  auto t = At(2026, 11, 25, 19, 21, 7);
  CHECK(*core::ParseRfc2822("Wed, 25 Nov 2026 19:21:07 +0000") == t);
  CHECK(*core::ParseRfc2822("25 Nov 2026 19:21:07 GMT") == t);
  CHECK(*core::ParseRfc2822("Wed, 25 Nov 2026 20:21:07 +0100") == t);
  CHECK(*core::ParseRfc2822(core::FormatRfc2822(t)) == t);
}

TEST_CASE("RFC 2822 parsing refuses garbage and impossible days") {
  CHECK_FALSE(core::ParseRfc2822("").ok());
  CHECK_FALSE(core::ParseRfc2822("yesterday").ok());
  CHECK_FALSE(core::ParseRfc2822("Mon, 30 Feb 2026 10:00:00 +0000").ok());
  CHECK_FALSE(core::ParseRfc2822("Wed, 25 Nov 2026 25:00:00 +0000").ok());
}

TEST_CASE("ISO 8601 times round-trip in UTC") {
  auto t = At(2026, 1, 31, 23, 59, 59);
  CHECK(core::FormatIso8601(t) == "2026-01-31T23:59:59Z");
  CHECK(*core::ParseIso8601("2026-01-31T23:59:59Z") == t);
  CHECK(*core::ParseIso8601("2026-02-01T01:59:59+02:00") == t);
  CHECK(*core::ParseIso8601("2026-01-31T23:59:59.250Z") == t + absl::Milliseconds(250));
  CHECK_FALSE(core::ParseIso8601("2026-01-31").ok());
  CHECK_FALSE(core::ParseIso8601("2026-02-30T00:00:00Z").ok());
}

TEST_CASE("Plain dates are UTC days and must exist") {
  CHECK(core::FormatDate(At(2026, 12, 31, 23, 59, 59)) == "2026-12-31");
  CHECK(*core::ParseDate("2024-02-29") == At(2024, 2, 29, 0, 0, 0));
  CHECK_FALSE(core::ParseDate("2026-02-29").ok());
  CHECK_FALSE(core::ParseDate("2026-13-01").ok());
  CHECK_FALSE(core::ParseDate("2026-1-01").ok());
  CHECK_FALSE(core::ParseDate("").ok());
}
