// Copies the daily counters marked dirty in Redis into usage_daily, on a schedule.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/redis_counter_store.h"
#include "adapters/usage_daily_repository.h"

namespace dialtone::usage_metering {

// For every account with usage and every "<category>|<day>" in its dirty set: reads the daily
// counter's absolute values, upserts them into usage_daily in one transaction per account, and
// only after the commit clears the marks whose counters did not move meanwhile. Running it twice
// writes the same rows. RunOnce() runs on the caller's thread; Start() runs it every `interval`
// on a thread of its own until Stop() (or destruction).
class RollUpJob {
 public:
  RollUpJob(RedisCounterStore& store, UsageDailyRepository& repo, absl::Duration interval)
      : store_(store), repo_(repo), interval_(interval) {}
  ~RollUpJob() { Stop(); }

  // Rows written (changed or not). Errors stop the run; marks not cleared are retried next run.
  absl::StatusOr<int> RunOnce();

  // Called after each scheduled run with its result (metrics, logs).
  void Start(std::function<void(const absl::StatusOr<int>&)> on_run);
  void Stop();

 private:
  RedisCounterStore& store_;
  UsageDailyRepository& repo_;
  absl::Duration interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace dialtone::usage_metering
