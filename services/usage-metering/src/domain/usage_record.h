// Twilio's UsageRecord built from counter totals.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "domain/category_catalog.h"

namespace dialtone::usage_metering {

// A counter's values: count, and usage and price in micro-units.
struct Totals {
  int64_t count = 0;
  int64_t usage = 0;
  int64_t price = 0;
  Totals& operator+=(const Totals& o) {
    count += o.count;
    usage += o.usage;
    price += o.price;
    return *this;
  }
  bool empty() const { return count == 0 && usage == 0 && price == 0; }
  bool operator==(const Totals&) const = default;
};

// The fields of Twilio's usage record, rendered as Twilio renders them (strings).
struct UsageRecordFields {
  std::string account_sid;
  std::string category;
  std::string description;
  std::string count;
  std::string count_unit;
  std::string usage;
  std::string usage_unit;
  std::string price;
  std::string price_unit;
  std::string start_date;
  std::string end_date;
  absl::Time as_of;
};

UsageRecordFields BuildUsageRecord(const std::string& account_sid, const CategoryInfo& category,
                                   const Totals& totals, std::string start_date,
                                   std::string end_date, absl::Time as_of);

}  // namespace dialtone::usage_metering
