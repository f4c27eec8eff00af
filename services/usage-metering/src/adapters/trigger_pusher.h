// Pushes counter values after increments to the triggers service: batched, asynchronous, lossy.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/redis_counter_store.h"
#include "adapters/usage_metrics.h"
#include "dialtone/rpc/tls_config.h"

namespace dialtone::usage_metering {

// Where the updates go: the triggers service's ReportCounters (GrpcCounterSink), or a fake.
class CounterSink {
 public:
  virtual ~CounterSink() = default;
  virtual absl::Status Report(const std::vector<CounterValue>& updates,
                              absl::Time newest_event) = 0;
};

// ReportCounters on triggers over gRPC (`tls` off: plaintext), with a deadline so a stuck peer
// cannot pile up pushes.
std::unique_ptr<CounterSink> MakeGrpcCounterSink(const std::string& triggers_addr,
                                                 const rpc::TlsConfig& tls,
                                                 absl::Duration deadline);

// Push() never blocks on the network and never fails: it merges the values into a pending map
// (one entry per account/category/period, keeping the highest values, since counters only
// grow) that a sender thread ships every `interval` in batches of `max_batch`. When the map is
// full, or a send fails, updates are dropped and counted: the triggers service also sweeps the
// counters, so a lost push only delays a firing.
class TriggerPusher {
 public:
  struct Options {
    absl::Duration interval = absl::Milliseconds(50);
    size_t max_batch = 1000;
    size_t max_pending = 100000;
  };
  TriggerPusher(CounterSink& sink, Options options, UsageMetrics* metrics);
  ~TriggerPusher();  // sends what is pending, then stops

  void Push(const std::vector<CounterValue>& values, absl::Time newest_event);

  int64_t sent() const;
  int64_t dropped() const;

 private:
  void Loop();
  void SendPending(std::unique_lock<std::mutex>& lock);

  CounterSink& sink_;
  Options options_;
  UsageMetrics* metrics_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, CounterValue> pending_;
  absl::Time newest_event_ = absl::InfinitePast();
  bool stop_ = false;
  int64_t sent_ = 0;
  int64_t dropped_ = 0;
  std::thread thread_;
};

}  // namespace dialtone::usage_metering
