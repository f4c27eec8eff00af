// Usage counters in Redis: the exactly-once publish script, counter reads and roll-up marks.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dialtone/redis/redis_pool.h"
#include "domain/counter_layout.h"
#include "domain/usage_event.h"
#include "domain/usage_record.h"

namespace dialtone::usage_metering {

// A counter's values right after an increment.
struct CounterValue {
  std::string account_sid;
  std::string category;
  std::string period;
  Totals totals;
};

struct PublishOutcome {
  std::vector<bool> counted;           // per event: counted now (false: seen before)
  std::vector<CounterValue> counters;  // every counter a new event touched, after the increment
};

// Thread-safe (the pool is). Every method is one or a few Redis round trips on the caller's thread.
class RedisCounterStore {
 public:
  RedisCounterStore(redis::RedisPool& pool, ScriptOptions options);

  // Counts one account's validated events with one script run, then marks the account as having
  // usage. Unavailable when Redis is unreachable: nothing or everything of the script ran, and
  // a retry is safe because every event is deduplicated.
  absl::StatusOr<PublishOutcome> Publish(const std::vector<UsageEvent>& events);

  // Values of `refs` (one account), zero for counters that do not exist.
  absl::StatusOr<std::vector<Totals>> Read(const std::string& account,
                                           const std::vector<CounterRef>& refs);

  // Roll-up support.
  absl::StatusOr<std::vector<std::string>> AccountsWithUsage();
  absl::StatusOr<std::vector<std::string>> DirtyMembers(const std::string& account);
  // Removes each member whose daily counter still equals `copied` (see kUnmarkScript).
  absl::StatusOr<int> Unmark(const std::string& account, const std::vector<std::string>& members,
                             const std::vector<Totals>& copied);

 private:
  redis::RedisPool& pool_;
  ScriptOptions options_;
};

}  // namespace dialtone::usage_metering
