// The triggers service's Prometheus metrics. The runtime's registry exists only after Start(),
// while handlers exist before: Attach() creates the metrics later; until then updates are no-ops.
#pragma once

#include <atomic>
#include <cstdint>

#include "absl/time/time.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace dialtone::triggers {

// Thread-safe; any thread.
class TriggerMetrics {
 public:
  TriggerMetrics() = default;
  ~TriggerMetrics();
  TriggerMetrics(const TriggerMetrics&) = delete;
  TriggerMetrics& operator=(const TriggerMetrics&) = delete;

  void Attach(prometheus::Registry& registry);  // once

  void Armed(int64_t triggers);  // after each sweep
  void Evaluated(bool sweep, int64_t comparisons);
  void Fired(int64_t firings);
  void Attempt(bool delivered);
  void GaveUp();
  void EventToCallback(absl::Duration latency);  // on delivery, when the event time is known

 private:
  struct Impl;
  std::atomic<Impl*> impl_{nullptr};
};

}  // namespace dialtone::triggers
