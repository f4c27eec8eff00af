// StoreMonitor: the connect / migrate / probe loop.
#include "dialtone/service/store_monitor.h"

#include "dialtone/log/log.h"
#include "dialtone/service/backoff.h"

namespace dialtone::service {

StoreMonitor::StoreMonitor(Options options) : options_(std::move(options)) {}

StoreMonitor::~StoreMonitor() { Stop(); }

void StoreMonitor::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void StoreMonitor::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool StoreMonitor::SleepFor(absl::Duration d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, absl::ToChronoMilliseconds(d), [this] { return stopping_; });
}

void StoreMonitor::SetReady(bool ready) {
  if (ready_.exchange(ready) == ready) return;
  if (options_.on_change) options_.on_change(ready);
}

void StoreMonitor::Loop() {
  Backoff backoff(options_.initial_backoff, options_.max_backoff);
  bool connected_once = false;
  std::string last_error;
  while (true) {
    if (!ready_.load()) {
      absl::Status s = options_.probe();
      if (s.ok() && options_.on_connect && !connected_once) s = options_.on_connect();
      if (s.ok()) {
        connected_once = true;
        backoff.Reset();
        last_error.clear();
        log::Info("store ready", {{"store", options_.name}});
        SetReady(true);
        continue;
      }
      // Log the first failure and every change of error, not every retry.
      if (std::string err = s.ToString(); err != last_error) {
        log::Warn("store unavailable, retrying", {{"store", options_.name}, {"error", err}});
        last_error = err;
      }
      if (!SleepFor(backoff.Next())) return;
    } else {
      if (!SleepFor(options_.check_interval)) return;
      absl::Status s = options_.probe();
      if (!s.ok()) {
        log::Warn("store lost", {{"store", options_.name}, {"error", s.ToString()}});
        last_error = s.ToString();
        SetReady(false);
      }
    }
  }
}

}  // namespace dialtone::service
