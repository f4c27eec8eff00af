// Which counter a trigger watches and which period a firing belongs to, for an instant, in UTC.
// Period keys are metering's ("daily:2026-11-25", "monthly:2026-11", "yearly:2026", "alltime",
// see CounterUpdate.period in triggers.proto). Pure.
#pragma once

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/trigger.h"

namespace dialtone::triggers {

// Injected wherever "now" matters, so tests pick the day.
using Clock = std::function<absl::Time()>;

// Firing key of a non-recurring trigger: it fires once ever.
inline constexpr absl::string_view kOncePeriod = "once";

// The counter period the trigger compares at `t`: daily -> "daily:<day of t>", monthly ->
// "monthly:...", yearly -> "yearly:...", alltime and none -> "alltime".
std::string CounterPeriodFor(Recurring recurring, absl::Time t);

// The counter period kind of a trigger matches `period` ("daily:2026-11-25" for kDaily...).
bool WatchesPeriod(Recurring recurring, absl::string_view counter_period);

// The key of the firing claimed when the counter `counter_period` crosses: the period itself
// for recurring triggers, "once" for non-recurring ones.
std::string FiringPeriod(Recurring recurring, absl::string_view counter_period);

}  // namespace dialtone::triggers
