// usage_daily in PostgreSQL: the daily roll-ups that outlive the Redis daily counters.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/usage/periods.h"
#include "domain/usage_record.h"

namespace dialtone::usage_metering {

struct DailyRow {
  std::string account_sid;
  std::string category;
  absl::CivilDay day;
  Totals totals;  // absolute values of the day, usage and price in micro-units
};

// Thread-safe (the pool is).
class UsageDailyRepository {
 public:
  explicit UsageDailyRepository(pg::PgPool& pool) : pool_(pool) {}

  // Writes the rows' absolute values in one transaction (insert or overwrite): idempotent, so a
  // roll-up that runs twice, or crashes between commit and unmarking, leaves the same rows.
  absl::Status Upsert(const std::vector<DailyRow>& rows);

  // Rows of `account` (and `category` unless empty) with day in `range`, by day then category.
  absl::StatusOr<std::vector<DailyRow>> Query(const std::string& account,
                                              const std::string& category, usage::DayRange range);

 private:
  pg::PgPool& pool_;
};

}  // namespace dialtone::usage_metering
