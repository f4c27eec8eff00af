// Exponential backoff with jitter for reconnect loops. Pure; not thread-safe (one per loop).
#pragma once

#include <cstdint>

#include "absl/time/time.h"

namespace dialtone::service {

//   Backoff b(absl::Milliseconds(200), absl::Seconds(5));
//   while (!Connect()) SleepFor(b.Next());
//   b.Reset();
class Backoff {
 public:
  Backoff(absl::Duration initial, absl::Duration max, uint64_t seed = 0x9e3779b97f4a7c15ULL);
  // Doubles each time up to `max`, then adds up to 20% jitter (never above `max`).
  absl::Duration Next();
  void Reset() { attempt_ = 0; }
  int attempt() const { return attempt_; }

 private:
  absl::Duration initial_;
  absl::Duration max_;
  int attempt_ = 0;
  uint64_t state_;
};

}  // namespace dialtone::service
