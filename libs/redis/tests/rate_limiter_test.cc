// RateLimiter against the suite's real Redis: buckets, refill, and keys kept apart.
#include <catch2/catch.hpp>

#include <thread>

#include "dialtone/redis/rate_limiter.h"
#include "dialtone/testing/test_env.h"

using dialtone::redis::RateLimiter;
using dialtone::redis::RedisPool;
namespace dt = dialtone::testing;

namespace {

std::unique_ptr<RedisPool> SuitePool() {
  auto pool = RedisPool::Create({.url = dt::RequireEnv("DIALTONE_TEST_REDIS_URL")});
  if (!pool.ok()) throw std::runtime_error(pool.status().ToString());
  return std::move(*pool);
}

int Taken(RateLimiter& limiter, const std::string& key, int n, int per_second, int burst) {
  int taken = 0;
  for (int i = 0; i < n; ++i) {
    auto wait = limiter.Take(key, per_second, burst);
    REQUIRE(wait.ok());
    if (*wait == absl::ZeroDuration()) ++taken;
  }
  return taken;
}

}  // namespace

TEST_CASE("A burst takes as many tokens as the bucket holds, then is refused with a wait") {
  auto pool = SuitePool();
  RateLimiter limiter(*pool, "dialtone:test:rate:" + dt::RandomSuffix() + ":");
  CHECK(Taken(limiter, "a", 25, 5, 10) == 10);
  auto wait = limiter.Take("a", 5, 10);
  REQUIRE(wait.ok());
  CHECK(*wait > absl::ZeroDuration());
  CHECK(*wait <= absl::Milliseconds(200));  // one token every 200 ms at 5 per second
}

TEST_CASE("The bucket refills at its rate") {
  auto pool = SuitePool();
  RateLimiter limiter(*pool, "dialtone:test:rate:" + dt::RandomSuffix() + ":");
  CHECK(Taken(limiter, "a", 5, 10, 2) == 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(350));  // 3 tokens' worth, bucket of 2
  CHECK(Taken(limiter, "a", 5, 10, 2) == 2);
}

TEST_CASE("Keys are separate buckets, and a rate of 0 means no limit") {
  auto pool = SuitePool();
  RateLimiter limiter(*pool, "dialtone:test:rate:" + dt::RandomSuffix() + ":");
  CHECK(Taken(limiter, "one", 3, 1, 1) == 1);
  CHECK(Taken(limiter, "two", 3, 1, 1) == 1);
  CHECK(Taken(limiter, "three", 50, 0, 0) == 50);
}

TEST_CASE("Redis out of reach is an error the caller sees, not a refusal") {
  auto pool =
      RedisPool::Create({.url = "redis://127.0.0.1:" + std::to_string(dt::FreePort()) + "/0",
                         .connect_timeout = absl::Milliseconds(200)});
  REQUIRE(pool.ok());
  RateLimiter limiter(**pool, "dialtone:test:rate:");
  CHECK(absl::IsUnavailable(limiter.Take("a", 1, 1).status()));
}
