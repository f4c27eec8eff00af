// Parsing and resolving TriggerValue.
#include "domain/trigger_value.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "dialtone/usage/micros.h"

namespace dialtone::triggers {

absl::StatusOr<TriggerValueSpec> ParseTriggerValue(absl::string_view text, TriggerBy by) {
  if (auto s = RequireParameter("TriggerValue", text); !s.ok()) return s;
  TriggerValueSpec spec;
  absl::string_view number = text;
  if (number.front() == '+') {
    spec.relative = true;
    number.remove_prefix(1);
  }
  if (number.empty()) {
    return TwilioError(kErrorInvalidParameter,
                       absl::StrCat("TriggerValue \"", text, "\" is not a number"));
  }
  auto micros = usage::ParseMicros(number);
  if (!micros.ok()) {
    return TwilioError(kErrorInvalidParameter,
                       absl::StrCat("TriggerValue \"", text,
                                    "\" is not a non-negative decimal with at most 6 decimals"));
  }
  if (by == TriggerBy::kCount && *micros % usage::kMicrosPerUnit != 0) {
    return TwilioError(
        kErrorInvalidParameter,
        absl::StrCat("TriggerValue \"", text, "\" must be a whole number for TriggerBy=count"));
  }
  spec.micros = *micros;
  return spec;
}

absl::StatusOr<int64_t> ResolveTriggerValue(const TriggerValueSpec& spec, int64_t current_micros) {
  if (!spec.relative) return spec.micros;
  if (current_micros > std::numeric_limits<int64_t>::max() - spec.micros) {
    return TwilioError(kErrorInvalidParameter, "TriggerValue is too large");
  }
  return current_micros + spec.micros;
}

}  // namespace dialtone::triggers
