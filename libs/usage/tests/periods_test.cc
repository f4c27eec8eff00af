// Period keys, relative periods and query buckets, in UTC.
#include <catch2/catch.hpp>

#include "dialtone/core/time_format.h"
#include "dialtone/usage/periods.h"

using namespace dialtone::usage;

namespace {
absl::Time At(const char* iso) { return *dialtone::core::ParseIso8601(iso); }
}  // namespace

TEST_CASE("An instant falls in its UTC day, month, year and all time") {
  CHECK(PeriodKeysFor(At("2026-11-25T19:21:07Z")) ==
        std::vector<std::string>{"daily:2026-11-25", "monthly:2026-11", "yearly:2026", "alltime"});
  // One second apart across a year end; a +02:00 offset is converted to UTC first.
  CHECK(PeriodKeysFor(At("2026-12-31T23:59:59Z"))[0] == "daily:2026-12-31");
  CHECK(PeriodKeysFor(At("2027-01-01T00:00:00Z")) ==
        std::vector<std::string>{"daily:2027-01-01", "monthly:2027-01", "yearly:2027", "alltime"});
  CHECK(PeriodKeysFor(At("2027-01-01T01:00:00+02:00"))[0] == "daily:2026-12-31");
}

TEST_CASE("Relative periods resolve against the injected now") {
  absl::Time now = At("2026-03-01T08:00:00Z");
  CHECK(RelativeRange(RelativePeriod::kToday, now) ==
        DayRange{absl::CivilDay(2026, 3, 1), absl::CivilDay(2026, 3, 1)});
  CHECK(RelativeRange(RelativePeriod::kYesterday, now) ==
        DayRange{absl::CivilDay(2026, 2, 28), absl::CivilDay(2026, 2, 28)});
  CHECK(RelativeRange(RelativePeriod::kThisMonth, now) ==
        DayRange{absl::CivilDay(2026, 3, 1), absl::CivilDay(2026, 3, 1)});
  CHECK(RelativeRange(RelativePeriod::kLastMonth, now) ==
        DayRange{absl::CivilDay(2026, 2, 1), absl::CivilDay(2026, 2, 28)});
  CHECK(RelativeRange(RelativePeriod::kLastMonth, At("2026-01-15T00:00:00Z")) ==
        DayRange{absl::CivilDay(2025, 12, 1), absl::CivilDay(2025, 12, 31)});
}

TEST_CASE("Dates parse strictly") {
  CHECK(*ParseDay("2024-02-29") == absl::CivilDay(2024, 2, 29));
  CHECK_FALSE(ParseDay("2026-02-30").ok());
  CHECK_FALSE(ParseDay("2026-2-3").ok());
  CHECK_FALSE(ParseDay("yesterday").ok());
}

TEST_CASE("Monthly buckets clip to the range and say when they are whole") {
  auto b =
      BucketsFor(PeriodKind::kMonthly, {absl::CivilDay(2026, 1, 15), absl::CivilDay(2026, 3, 31)});
  REQUIRE(b.size() == 3);
  CHECK(b[0].period == "monthly:2026-01");
  CHECK(b[0].days == DayRange{absl::CivilDay(2026, 1, 15), absl::CivilDay(2026, 1, 31)});
  CHECK_FALSE(b[0].whole);
  CHECK(b[1].period == "monthly:2026-02");
  CHECK(b[1].whole);
  CHECK(b[2].whole);
  auto d =
      BucketsFor(PeriodKind::kDaily, {absl::CivilDay(2026, 2, 27), absl::CivilDay(2026, 3, 1)});
  REQUIRE(d.size() == 3);
  CHECK(d[2].period == "daily:2026-03-01");
  auto y =
      BucketsFor(PeriodKind::kYearly, {absl::CivilDay(2025, 1, 1), absl::CivilDay(2026, 6, 1)});
  REQUIRE(y.size() == 2);
  CHECK(y[0].whole);
  CHECK_FALSE(y[1].whole);
}
