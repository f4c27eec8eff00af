// Counter and firing periods of triggers, in UTC.
#include <catch2/catch.hpp>

#include "dialtone/core/time_format.h"
#include "domain/trigger_period.h"

using namespace dialtone::triggers;

namespace {
absl::Time At(const char* iso) { return *dialtone::core::ParseIso8601(iso); }
}  // namespace

TEST_CASE("Each recurrence watches the counter of its period at the instant") {
  absl::Time t = At("2026-11-30T23:59:59Z");
  CHECK(CounterPeriodFor(Recurring::kDaily, t) == "daily:2026-11-30");
  CHECK(CounterPeriodFor(Recurring::kMonthly, t) == "monthly:2026-11");
  CHECK(CounterPeriodFor(Recurring::kYearly, t) == "yearly:2026");
  CHECK(CounterPeriodFor(Recurring::kAllTime, t) == "alltime");
  CHECK(CounterPeriodFor(Recurring::kNone, t) == "alltime");
  CHECK(CounterPeriodFor(Recurring::kDaily, At("2026-12-01T00:00:00Z")) == "daily:2026-12-01");
}

TEST_CASE("A non-recurring trigger fires once ever, recurring ones once per period") {
  CHECK(FiringPeriod(Recurring::kNone, "alltime") == "once");
  CHECK(FiringPeriod(Recurring::kAllTime, "alltime") == "alltime");
  CHECK(FiringPeriod(Recurring::kDaily, "daily:2026-11-25") == "daily:2026-11-25");
}

TEST_CASE("A trigger watches only counters of its period kind") {
  CHECK(WatchesPeriod(Recurring::kDaily, "daily:2026-11-25"));
  CHECK_FALSE(WatchesPeriod(Recurring::kDaily, "monthly:2026-11"));
  CHECK(WatchesPeriod(Recurring::kMonthly, "monthly:2026-11"));
  CHECK(WatchesPeriod(Recurring::kNone, "alltime"));
  CHECK_FALSE(WatchesPeriod(Recurring::kNone, "yearly:2026"));
}
