// A usage event as metering counts it, and the validation every published event passes first.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dialtone::usage_metering {

inline constexpr size_t kMaxEventIdLength = 128;

// An event as it arrives: amounts still decimal strings.
struct RawUsageEvent {
  std::string event_id;
  std::string account_sid;
  std::string category;
  int64_t count = 0;
  std::string usage;
  std::string price;
  std::string price_unit;
  absl::Time time = absl::InfinitePast();  // InfinitePast: not set
};

// A validated event: amounts in micro-units.
struct UsageEvent {
  std::string event_id;
  std::string account_sid;
  std::string category;
  int64_t count = 0;
  int64_t usage_micros = 0;
  int64_t price_micros = 0;
  absl::Time time;
};

// InvalidArgument naming the problem: empty or over-long event_id, bad account SID, unknown
// category, negative count, malformed/negative usage or price, missing time, a price unit
// other than USD.
absl::StatusOr<UsageEvent> ValidateEvent(const RawUsageEvent& raw);

}  // namespace dialtone::usage_metering
