// Evaluate: one comparison, after the period checks.
#include "domain/evaluation.h"

#include <limits>

#include "dialtone/usage/micros.h"
#include "domain/trigger_period.h"

namespace dialtone::triggers {

int64_t ValueFor(TriggerBy by, const CounterSnapshot& counter) {
  switch (by) {
    case TriggerBy::kCount: {
      constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / usage::kMicrosPerUnit;
      return counter.count > kMax ? std::numeric_limits<int64_t>::max()
                                  : counter.count * usage::kMicrosPerUnit;
    }
    case TriggerBy::kUsage: return counter.usage;
    case TriggerBy::kPrice: return counter.price;
  }
  return 0;
}

std::optional<FiringDecision> Evaluate(const Trigger& trigger, const CounterSnapshot& counter) {
  if (counter.account_sid != trigger.account_sid || counter.category != trigger.usage_category) {
    return std::nullopt;
  }
  if (!WatchesPeriod(trigger.recurring, counter.period)) return std::nullopt;
  // Keys of one kind sort by date ("daily:2026-11-24" < "daily:2026-11-25"): a late event of a
  // day before the trigger was created does not fire it.
  if (counter.period < CounterPeriodFor(trigger.recurring, trigger.date_created))
    return std::nullopt;
  std::string firing = FiringPeriod(trigger.recurring, counter.period);
  if (firing == trigger.last_fired_period) return std::nullopt;
  int64_t value = ValueFor(trigger.trigger_by, counter);
  if (value < trigger.trigger_value) return std::nullopt;
  return FiringDecision{std::move(firing), value};
}

}  // namespace dialtone::triggers
