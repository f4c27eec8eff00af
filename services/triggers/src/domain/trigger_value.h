// TriggerValue as Twilio accepts it: an absolute decimal, or "+N" meaning N above the counter's
// value at creation. Pure.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/trigger.h"

namespace dialtone::triggers {

struct TriggerValueSpec {
  bool relative = false;  // "+N"
  int64_t micros = 0;     // N, or the absolute value
};

// "100", "12.5", "+10". Missing: 21201; malformed, negative or beyond 6 decimals: 20001.
// A count trigger takes whole numbers only.
absl::StatusOr<TriggerValueSpec> ParseTriggerValue(absl::string_view text, TriggerBy by);

// The absolute value to store: `current` + N for "+N", the value itself otherwise.
// OutOfRange (20001) if the sum overflows.
absl::StatusOr<int64_t> ResolveTriggerValue(const TriggerValueSpec& spec, int64_t current_micros);

}  // namespace dialtone::triggers
