// Evaluation: compares triggers with counter values, pushed by metering (OnCounters) or read by
// the sweep through metering's GetCounters (Sweep), and claims each firing in PostgreSQL.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/counter_reader.h"
#include "adapters/trigger_metrics.h"
#include "adapters/trigger_repository.h"
#include "domain/evaluation.h"
#include "domain/trigger_period.h"

namespace dialtone::triggers {

// Stateless between calls; any thread (gRPC threads call OnCounters while the sweep thread runs
// Sweep: a firing both see is claimed once, by the firings primary key).
class TriggerEvaluator {
 public:
  struct Deps {
    TriggerRepository& repo;
    CounterReader& reader;
    Clock clock;
    TriggerMetrics* metrics = nullptr;
    std::function<void()> on_fired;  // wakes the delivery workers
  };
  explicit TriggerEvaluator(Deps deps) : deps_(std::move(deps)) {}

  // Evaluates the triggers of the counters' accounts and categories; returns the firings claimed.
  absl::StatusOr<int> OnCounters(const std::vector<CounterSnapshot>& counters,
                                 std::optional<absl::Time> event_time);

  // Reads the current counters of every (account, category) with an armable trigger and
  // evaluates them; returns the firings claimed. Errors on single pairs are skipped (the next
  // sweep retries); the first one is returned when nothing could be read.
  absl::StatusOr<int> Sweep();

 private:
  absl::StatusOr<int> Evaluate(const std::vector<Trigger>& triggers,
                               const std::vector<CounterSnapshot>& counters,
                               std::optional<absl::Time> event_time, bool sweep);

  Deps deps_;
};

}  // namespace dialtone::triggers
