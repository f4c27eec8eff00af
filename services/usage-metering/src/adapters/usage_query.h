// Usage records for a query: recent periods from the Redis counters, old days from usage_daily.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/redis_counter_store.h"
#include "adapters/usage_daily_repository.h"
#include "dialtone/usage/periods.h"
#include "domain/usage_record.h"

namespace dialtone::usage_metering {

struct UsageQuerySpec {
  std::string account_sid;
  std::string category;  // empty: every category with usage
  usage::PeriodKind granularity = usage::PeriodKind::kAllTime;
  std::optional<usage::DayRange> range;  // none: all time (kAllTime) or a default window
};

// Daily counters live in Redis for `daily_retention_days` (their TTL); days older than that are
// read from usage_daily. Monthly, yearly and all-time counters never expire, so a bucket the
// range covers whole is read from its own counter; a partial bucket sums its days. Thread-safe.
class UsageQuery {
 public:
  UsageQuery(RedisCounterStore& store, UsageDailyRepository& repo, usage::Clock clock,
             int daily_retention_days)
      : store_(store),
        repo_(repo),
        clock_(std::move(clock)),
        daily_retention_days_(daily_retention_days) {}

  absl::StatusOr<std::vector<UsageRecordFields>> Run(const UsageQuerySpec& spec);

  // The first day still guaranteed in Redis at `now`.
  absl::CivilDay RedisCutoff(absl::Time now) const {
    return usage::UtcDay(now) - (daily_retention_days_ - 1);
  }

 private:
  RedisCounterStore& store_;
  UsageDailyRepository& repo_;
  usage::Clock clock_;
  int daily_retention_days_;
};

}  // namespace dialtone::usage_metering
