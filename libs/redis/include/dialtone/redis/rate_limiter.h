// Rates shared by every replica: a token bucket per key in Redis (GCRA: one key holding the time
// the bucket is next empty, judged by Redis's clock, so replicas' clocks do not matter).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/redis/redis_pool.h"

namespace dialtone::redis {

// Thread-safe (the pool is). A caller decides what an error means; Dialtone's callers let the
// request through (a limit must not turn a Redis outage into a platform outage) and log it.
//
//   RateLimiter limiter(pool, "dialtone:rate:");
//   auto wait = limiter.Take("api:AC…", /*per_second=*/100, /*burst=*/100);
//   if (wait.ok() && *wait > absl::ZeroDuration()) { /* refused: retry after *wait */ }
class RateLimiter {
 public:
  RateLimiter(RedisPool& pool, std::string prefix);

  // Takes one token from `key`'s bucket, which refills at `per_second` and holds `burst`.
  // ZeroDuration: taken. Otherwise refused, and the time until a token is free.
  absl::StatusOr<absl::Duration> Take(const std::string& key, int per_second, int burst);

 private:
  RedisPool& pool_;
  std::string prefix_;
};

}  // namespace dialtone::redis
