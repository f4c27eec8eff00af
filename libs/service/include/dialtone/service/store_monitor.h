// Keeps one store (PostgreSQL, Redis) connected and reports whether it is usable.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace dialtone::service {

// Runs on its own thread: until the store answers `probe`, retries with backoff (never giving
// up, never crashing); once it answers, runs `on_connect` (e.g. migrations) and reports ready;
// then probes every `check_interval` and reports not ready as soon as a probe fails.
// `on_change(ready)` is called from the monitor thread on every transition.
class StoreMonitor {
 public:
  struct Options {
    std::string name;  // "postgresql", "redis"
    std::function<absl::Status()> probe;
    std::function<absl::Status()> on_connect;  // may be empty
    std::function<void(bool ready)> on_change;
    absl::Duration check_interval = absl::Seconds(1);
    absl::Duration initial_backoff = absl::Milliseconds(200);
    absl::Duration max_backoff = absl::Seconds(2);
  };

  explicit StoreMonitor(Options options);
  ~StoreMonitor();  // stops the thread

  void Start();
  void Stop();
  bool ready() const { return ready_.load(); }
  const std::string& name() const { return options_.name; }

 private:
  void Loop();
  // Sleeps up to `d`; returns false when asked to stop.
  bool SleepFor(absl::Duration d);
  void SetReady(bool ready);

  Options options_;
  std::atomic<bool> ready_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dialtone::service
