// TriggerEvaluator.
#include "adapters/trigger_evaluator.h"

#include <map>
#include <set>

namespace dialtone::triggers {

using AccountCategory = std::pair<std::string, std::string>;

absl::StatusOr<int> TriggerEvaluator::OnCounters(const std::vector<CounterSnapshot>& counters,
                                                 std::optional<absl::Time> event_time) {
  std::set<AccountCategory> pairs;
  for (const CounterSnapshot& c : counters) pairs.insert({c.account_sid, c.category});
  auto triggers = deps_.repo.ForCounters({pairs.begin(), pairs.end()});
  if (!triggers.ok()) return triggers.status();
  return Evaluate(*triggers, counters, event_time, /*sweep=*/false);
}

absl::StatusOr<int> TriggerEvaluator::Sweep() {
  auto triggers = deps_.repo.AllArmable();
  if (!triggers.ok()) return triggers.status();
  absl::Time now = deps_.clock();
  std::map<AccountCategory, std::vector<Trigger>> by_pair;
  int64_t armed = 0;
  for (Trigger& t : *triggers) {
    if (t.last_fired_period != FiringPeriod(t.recurring, CounterPeriodFor(t.recurring, now)))
      ++armed;
    by_pair[{t.account_sid, t.usage_category}].push_back(std::move(t));
  }
  if (deps_.metrics) deps_.metrics->Armed(armed);
  int fired = 0;
  absl::Status first_error;
  for (const auto& [pair, group] : by_pair) {
    auto counters = deps_.reader.Read(pair.first, pair.second, now);
    if (!counters.ok()) {
      if (first_error.ok()) first_error = counters.status();
      continue;
    }
    auto n = Evaluate(group, *counters, std::nullopt, /*sweep=*/true);
    if (!n.ok()) {
      if (first_error.ok()) first_error = n.status();
      continue;
    }
    fired += *n;
  }
  if (!first_error.ok() && fired == 0) return first_error;
  return fired;
}

absl::StatusOr<int> TriggerEvaluator::Evaluate(const std::vector<Trigger>& triggers,
                                               const std::vector<CounterSnapshot>& counters,
                                               std::optional<absl::Time> event_time, bool sweep) {
  // Index counters by account and category: a push batch may carry many accounts.
  std::map<AccountCategory, std::vector<const CounterSnapshot*>> index;
  for (const CounterSnapshot& c : counters) index[{c.account_sid, c.category}].push_back(&c);
  int fired = 0;
  int64_t comparisons = 0;
  absl::Time now = deps_.clock();
  for (const Trigger& t : triggers) {
    auto it = index.find({t.account_sid, t.usage_category});
    if (it == index.end()) continue;
    for (const CounterSnapshot* c : it->second) {
      ++comparisons;
      std::optional<FiringDecision> decision = triggers::Evaluate(t, *c);
      if (!decision) continue;
      auto claimed = deps_.repo.Claim(t, *decision, now, event_time);
      if (!claimed.ok()) return claimed.status();
      if (*claimed) ++fired;
    }
  }
  if (deps_.metrics) {
    deps_.metrics->Evaluated(sweep, comparisons);
    if (fired > 0) deps_.metrics->Fired(fired);
  }
  if (fired > 0 && deps_.on_fired) deps_.on_fired();
  return fired;
}

}  // namespace dialtone::triggers
