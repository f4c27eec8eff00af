// RateLimiter: one Lua script, so the read, the decision and the write are atomic.
#include "dialtone/redis/rate_limiter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace dialtone::redis {
namespace {

// KEYS[1] the bucket; ARGV[1] tokens per second, ARGV[2] burst. The key holds the theoretical
// arrival time (µs, Redis's clock) of the next token; a request is refused while that time is
// more than burst-1 intervals ahead. Returns 0 when taken, else the µs to wait.
constexpr char kTake[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = 1000000 / tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local ahead = tat - now - (burst - 1) * interval
if ahead > 0 then return math.ceil(ahead) end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX',
           math.ceil((next_tat - now) / 1000) + 1)
return 0
)lua";

}  // namespace

RateLimiter::RateLimiter(RedisPool& pool, std::string prefix)
    : pool_(pool), prefix_(std::move(prefix)) {
  pool_.LoadScript("rate_take", kTake);
}

absl::StatusOr<absl::Duration> RateLimiter::Take(const std::string& key, int per_second,
                                                 int burst) {
  if (per_second <= 0) return absl::ZeroDuration();
  auto r = pool_.Eval("rate_take", {prefix_ + key},
                      {absl::StrCat(per_second), absl::StrCat(std::max(1, burst))});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kInteger) {
    return absl::InternalError("rate script answered something other than an integer");
  }
  return absl::Microseconds(r->integer);
}

}  // namespace dialtone::redis
