// Event validation: input from the network, never trusted.
#include "domain/usage_event.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/usage/micros.h"
#include "domain/category_catalog.h"

namespace dialtone::usage_metering {

absl::StatusOr<UsageEvent> ValidateEvent(const RawUsageEvent& raw) {
  if (raw.event_id.empty()) return absl::InvalidArgumentError("event_id is empty");
  if (raw.event_id.size() > kMaxEventIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("event_id is longer than ", kMaxEventIdLength, " characters"));
  }
  if (!core::IsSid(raw.account_sid, core::kAccountPrefix)) {
    return absl::InvalidArgumentError(
        absl::StrCat("account_sid \"", raw.account_sid, "\" is not an account SID"));
  }
  if (FindCategory(raw.category) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown category \"", raw.category, "\""));
  }
  if (raw.count < 0) return absl::InvalidArgumentError("count is negative");
  auto usage = usage::ParseMicros(raw.usage);
  if (!usage.ok())
    return absl::InvalidArgumentError(absl::StrCat("usage: ", usage.status().message()));
  auto price = usage::ParseMicros(raw.price);
  if (!price.ok())
    return absl::InvalidArgumentError(absl::StrCat("price: ", price.status().message()));
  if (!raw.price_unit.empty() && absl::AsciiStrToUpper(raw.price_unit) != "USD") {
    return absl::InvalidArgumentError(
        absl::StrCat("price_unit \"", raw.price_unit, "\" is not USD"));
  }
  if (raw.time == absl::InfinitePast()) return absl::InvalidArgumentError("time is not set");
  return UsageEvent{.event_id = raw.event_id,
                    .account_sid = raw.account_sid,
                    .category = raw.category,
                    .count = raw.count,
                    .usage_micros = *usage,
                    .price_micros = *price,
                    .time = raw.time};
}

}  // namespace dialtone::usage_metering
