// Trigger periods on metering's period keys.
#include "domain/trigger_period.h"

#include "absl/strings/match.h"
#include "dialtone/usage/periods.h"

namespace dialtone::triggers {

namespace um = dialtone::usage;

std::string CounterPeriodFor(Recurring recurring, absl::Time t) {
  absl::CivilDay day = um::UtcDay(t);
  switch (recurring) {
    case Recurring::kDaily: return um::PeriodKey(um::PeriodKind::kDaily, day);
    case Recurring::kMonthly: return um::PeriodKey(um::PeriodKind::kMonthly, day);
    case Recurring::kYearly: return um::PeriodKey(um::PeriodKind::kYearly, day);
    case Recurring::kAllTime:
    case Recurring::kNone: return um::PeriodKey(um::PeriodKind::kAllTime, day);
  }
  return "alltime";
}

bool WatchesPeriod(Recurring recurring, absl::string_view counter_period) {
  switch (recurring) {
    case Recurring::kDaily: return absl::StartsWith(counter_period, "daily:");
    case Recurring::kMonthly: return absl::StartsWith(counter_period, "monthly:");
    case Recurring::kYearly: return absl::StartsWith(counter_period, "yearly:");
    case Recurring::kAllTime:
    case Recurring::kNone: return counter_period == "alltime";
  }
  return false;
}

std::string FiringPeriod(Recurring recurring, absl::string_view counter_period) {
  if (recurring == Recurring::kNone) return std::string(kOncePeriod);
  return std::string(counter_period);
}

}  // namespace dialtone::triggers
