// The callback a firing sends: Twilio's UsageTrigger callback parameters, the idempotency token
// and the retry schedule. Pure.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "dialtone/webhook/form_encoding.h"
#include "domain/trigger.h"

namespace dialtone::triggers {

// "AC…-FIRES-UT…-<period>": the same for every attempt of one firing, and for a firing claimed
// again after a crash, so that the customer can drop repeats.
std::string IdempotencyToken(const std::string& account_sid, const std::string& trigger_sid,
                             const std::string& period);

// "/2010-04-01/Accounts/AC…/Usage/Records?Category=calls", the records the trigger watches.
std::string UsageRecordUri(const std::string& account_sid, const std::string& category);

struct Firing {
  std::string period;
  std::string idempotency_token;
  int64_t current_value = 0;  // micro-units
  absl::Time date_fired;
};

// AccountSid, UsageTriggerSid, DateFired (RFC 2822), Recurring, UsageCategory, TriggerBy,
// TriggerValue, CurrentValue, UsageRecordUri, IdempotencyToken, in that order.
webhook::Params CallbackParams(const Trigger& trigger, const Firing& firing);

// Delay before attempt `attempt` + 1 after `attempt` failures (1, 2, ...): initial * 2^(attempt-1),
// at most `max`.
absl::Duration RetryDelay(int attempt, absl::Duration initial, absl::Duration max);

}  // namespace dialtone::triggers
