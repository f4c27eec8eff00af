// The should-fire decision.
#include <catch2/catch.hpp>

#include "dialtone/core/time_format.h"
#include "domain/evaluation.h"

using namespace dialtone::triggers;

namespace {

absl::Time At(const char* iso) { return *dialtone::core::ParseIso8601(iso); }

Trigger Daily(int64_t value_micros, TriggerBy by = TriggerBy::kCount) {
  Trigger t;
  t.sid = "UT00000000000000000000000000000001";
  t.account_sid = "AC00000000000000000000000000000001";
  t.usage_category = "calls";
  t.trigger_by = by;
  t.trigger_value = value_micros;
  t.recurring = Recurring::kDaily;
  t.date_created = At("2026-11-25T08:00:00Z");
  return t;
}

CounterSnapshot Counter(const char* period, int64_t count, int64_t usage = 0, int64_t price = 0) {
  return {"AC00000000000000000000000000000001", "calls", period, count, usage, price};
}

}  // namespace

TEST_CASE("Reaching the value fires for the counter's period with the value reached") {
  auto d = Evaluate(Daily(3'000'000), Counter("daily:2026-11-25", 3));
  REQUIRE(d);
  CHECK(d->period == "daily:2026-11-25");
  CHECK(d->current_value == 3'000'000);
  CHECK_FALSE(Evaluate(Daily(3'000'000), Counter("daily:2026-11-25", 2)));
}

TEST_CASE("The trigger compares count, usage or price as it is told") {
  CHECK(Evaluate(Daily(2'500'000, TriggerBy::kUsage), Counter("daily:2026-11-25", 1, 2'500'000)));
  CHECK_FALSE(
      Evaluate(Daily(2'500'000, TriggerBy::kUsage), Counter("daily:2026-11-25", 9, 2'499'999)));
  CHECK(Evaluate(Daily(10'000, TriggerBy::kPrice), Counter("daily:2026-11-25", 0, 0, 10'000)));
}

TEST_CASE("A trigger that fired this period does not fire again, the next period it does") {
  Trigger t = Daily(1'000'000);
  t.last_fired_period = "daily:2026-11-25";
  CHECK_FALSE(Evaluate(t, Counter("daily:2026-11-25", 5)));
  CHECK(Evaluate(t, Counter("daily:2026-11-26", 1)));
}

TEST_CASE("Counters of another kind, account, category or of days before creation are ignored") {
  Trigger t = Daily(1'000'000);
  CHECK_FALSE(Evaluate(t, Counter("monthly:2026-11", 5)));
  CHECK_FALSE(Evaluate(t, Counter("daily:2026-11-24", 5)));
  CounterSnapshot other = Counter("daily:2026-11-25", 5);
  other.category = "tts";
  CHECK_FALSE(Evaluate(t, other));
}

TEST_CASE("A non-recurring trigger compares the all-time counter and fires once") {
  Trigger t = Daily(4'000'000);
  t.recurring = Recurring::kNone;
  auto d = Evaluate(t, Counter("alltime", 4));
  REQUIRE(d);
  CHECK(d->period == "once");
  t.last_fired_period = "once";
  CHECK_FALSE(Evaluate(t, Counter("alltime", 40)));
}
