// Freshness from Cache-Control, Expires and Age.
#include <catch2/catch.hpp>

#include "domain/cache_policy.h"

using namespace dialtone::media_layer;

namespace {
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
const absl::Duration kDefault = absl::Hours(24);
}  // namespace

TEST_CASE("max-age sets freshness, less the Age already spent") {
  CHECK(ComputeFreshness({.cache_control = "public, max-age=60"}, kNow, kDefault).fresh_until ==
        kNow + absl::Seconds(60));
  CHECK(
      ComputeFreshness({.cache_control = "max-age=60", .age = "20"}, kNow, kDefault).fresh_until ==
      kNow + absl::Seconds(40));
  CHECK(ComputeFreshness({.cache_control = "max-age=60, s-maxage=5"}, kNow, kDefault).fresh_until ==
        kNow + absl::Seconds(5));
}

TEST_CASE("no-store and private are not stored, and no-cache is stored but stale at once") {
  CHECK_FALSE(ComputeFreshness({.cache_control = "no-store"}, kNow, kDefault).store);
  CHECK_FALSE(ComputeFreshness({.cache_control = "private, max-age=600"}, kNow, kDefault).store);
  auto nc = ComputeFreshness({.cache_control = "no-cache, max-age=600"}, kNow, kDefault);
  CHECK(nc.store);
  CHECK(nc.fresh_until == kNow);
}

TEST_CASE("Expires counts from the origin's Date, and a bad Expires is stale") {
  CacheHeaders h{.expires = FormatHttpDate(kNow + absl::Seconds(90)),
                 .date = FormatHttpDate(kNow - absl::Seconds(10))};
  CHECK(ComputeFreshness(h, kNow, kDefault).fresh_until == kNow + absl::Seconds(100));
  CHECK(ComputeFreshness({.expires = "0"}, kNow, kDefault).fresh_until == kNow);
  CHECK(ComputeFreshness({.cache_control = "max-age=5", .expires = "0"}, kNow, kDefault)
            .fresh_until == kNow + absl::Seconds(5));
}

TEST_CASE("Without caching headers the default TTL applies") {
  CHECK(ComputeFreshness({}, kNow, kDefault).fresh_until == kNow + kDefault);
}

TEST_CASE("HTTP dates parse in the three RFC forms") {
  auto t = absl::FromUnixSeconds(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT") == t);
  CHECK(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT") == t);
  CHECK(ParseHttpDate("Sun Nov  6 08:49:37 1994") == t);
  CHECK(FormatHttpDate(t) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK_FALSE(ParseHttpDate("yesterday").has_value());
}
