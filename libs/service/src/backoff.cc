// Backoff: doubling delays with a xorshift jitter source.
#include "dialtone/service/backoff.h"

#include <algorithm>

namespace dialtone::service {

Backoff::Backoff(absl::Duration initial, absl::Duration max, uint64_t seed)
    : initial_(initial), max_(max), state_(seed == 0 ? 1 : seed) {}

absl::Duration Backoff::Next() {
  absl::Duration base = initial_;
  for (int i = 0; i < attempt_ && base < max_; ++i) base *= 2;
  base = std::min(base, max_);
  ++attempt_;
  state_ ^= state_ << 13;
  state_ ^= state_ >> 7;
  state_ ^= state_ << 17;
  double fraction = static_cast<double>(state_ % 1000) / 1000.0;  // [0, 1)
  return std::min(max_, base + base * (0.2 * fraction));
}

}  // namespace dialtone::service
