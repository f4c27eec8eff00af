// SweepLoop.
#include "adapters/sweep_loop.h"

#include "dialtone/log/log.h"

namespace dialtone::triggers {

void SweepLoop::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto fired = evaluator_.Sweep();
      if (!fired.ok()) log::Warn("trigger sweep failed", {{"error", fired.status()}});
      lock.lock();
      cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [&] { return stop_; });
    }
  });
}

void SweepLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace dialtone::triggers
