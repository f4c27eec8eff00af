// usage-metering's Prometheus metrics. The runtime's registry exists only after Start(), while
// handlers exist before: Attach() creates the metrics later, and until then updates are no-ops.
#pragma once

#include <atomic>

#include "absl/time/time.h"

namespace prometheus {
class Registry;
class Counter;
class Histogram;
}  // namespace prometheus

namespace dialtone::usage_metering {

// Thread-safe; any thread.
class UsageMetrics {
 public:
  UsageMetrics() = default;
  ~UsageMetrics();
  UsageMetrics(const UsageMetrics&) = delete;
  UsageMetrics& operator=(const UsageMetrics&) = delete;

  void Attach(prometheus::Registry& registry);  // once

  void Counted(int events, int duplicates);
  void Batch(absl::Duration script_latency);
  void RollUp(bool ok);
  void TriggerPush(int sent, int dropped);

 private:
  struct Impl;
  std::atomic<Impl*> impl_{nullptr};
};

}  // namespace dialtone::usage_metering
