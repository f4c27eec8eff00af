// Callback parameters of a firing.
#include "domain/callback_params.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "dialtone/core/time_format.h"
#include "dialtone/usage/micros.h"

namespace dialtone::triggers {

std::string IdempotencyToken(const std::string& account_sid, const std::string& trigger_sid,
                             const std::string& period) {
  return absl::StrCat(account_sid, "-FIRES-", trigger_sid, "-", period);
}

std::string UsageRecordUri(const std::string& account_sid, const std::string& category) {
  return absl::StrCat("/2010-04-01/Accounts/", account_sid,
                      "/Usage/Records?Category=", webhook::FormEncodeComponent(category));
}

webhook::Params CallbackParams(const Trigger& t, const Firing& f) {
  return {{"AccountSid", t.account_sid},
          {"UsageTriggerSid", t.sid},
          {"DateFired", core::FormatRfc2822(f.date_fired)},
          {"Recurring", RecurringName(t.recurring)},
          {"UsageCategory", t.usage_category},
          {"TriggerBy", TriggerByName(t.trigger_by)},
          {"TriggerValue", usage::FormatMicros(t.trigger_value)},
          {"CurrentValue", usage::FormatMicros(f.current_value)},
          {"UsageRecordUri", UsageRecordUri(t.account_sid, t.usage_category)},
          {"IdempotencyToken", f.idempotency_token}};
}

absl::Duration RetryDelay(int attempt, absl::Duration initial, absl::Duration max) {
  absl::Duration d = initial;
  for (int i = 1; i < attempt && d < max; ++i) d *= 2;
  return std::min(d, max);
}

}  // namespace dialtone::triggers
