// Usage record rendering.
#include "domain/usage_record.h"

#include "dialtone/usage/micros.h"

namespace dialtone::usage_metering {

UsageRecordFields BuildUsageRecord(const std::string& account_sid, const CategoryInfo& category,
                                   const Totals& totals, std::string start_date,
                                   std::string end_date, absl::Time as_of) {
  return {.account_sid = account_sid,
          .category = category.name,
          .description = category.description,
          .count = std::to_string(totals.count),
          .count_unit = category.count_unit,
          .usage = usage::FormatMicros(totals.usage),
          .usage_unit = category.usage_unit,
          .price = usage::FormatMicros(totals.price),
          .price_unit = "usd",
          .start_date = std::move(start_date),
          .end_date = std::move(end_date),
          .as_of = as_of};
}

}  // namespace dialtone::usage_metering
