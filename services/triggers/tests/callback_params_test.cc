// Callback parameters, the request URL and the retry schedule.
#include <catch2/catch.hpp>

#include "dialtone/core/time_format.h"
#include "domain/callback_params.h"

using namespace dialtone::triggers;

TEST_CASE("The callback carries Twilio's parameters in order") {
  Trigger t;
  t.sid = "UT0123456789abcdef0123456789abcdef";
  t.account_sid = "AC0123456789abcdef0123456789abcdef";
  t.usage_category = "calls-inbound";
  t.trigger_by = TriggerBy::kUsage;
  t.trigger_value = 10'500'000;
  t.recurring = Recurring::kMonthly;
  Firing f{.period = "monthly:2026-11",
           .idempotency_token = IdempotencyToken(t.account_sid, t.sid, "monthly:2026-11"),
           .current_value = 11'000'000,
           .date_fired = *dialtone::core::ParseIso8601("2026-11-25T19:21:07Z")};
  dialtone::webhook::Params expected = {
      {"AccountSid", t.account_sid},
      {"UsageTriggerSid", t.sid},
      {"DateFired", "Wed, 25 Nov 2026 19:21:07 +0000"},
      {"Recurring", "monthly"},
      {"UsageCategory", "calls-inbound"},
      {"TriggerBy", "usage"},
      {"TriggerValue", "10.5"},
      {"CurrentValue", "11"},
      {"UsageRecordUri",
       "/2010-04-01/Accounts/" + t.account_sid + "/Usage/Records?Category=calls-inbound"},
      {"IdempotencyToken", t.account_sid + "-FIRES-" + t.sid + "-monthly:2026-11"}};
  CHECK(CallbackParams(t, f) == expected);
}

TEST_CASE("Retries back off exponentially up to the maximum") {
  CHECK(RetryDelay(1, absl::Seconds(1), absl::Minutes(10)) == absl::Seconds(1));
  CHECK(RetryDelay(2, absl::Seconds(1), absl::Minutes(10)) == absl::Seconds(2));
  CHECK(RetryDelay(5, absl::Seconds(1), absl::Minutes(10)) == absl::Seconds(16));
  CHECK(RetryDelay(40, absl::Seconds(1), absl::Minutes(10)) == absl::Minutes(10));
}
