// The UsageTrigger resource as the domain sees it: Twilio's fields, their names on the wire,
// and the checks of a new trigger with the Twilio error code each failure carries. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dialtone::triggers {

enum class TriggerBy { kCount, kUsage, kPrice };
// kNone: fires once ever (Twilio's empty Recurring).
enum class Recurring { kNone, kDaily, kMonthly, kYearly, kAllTime };
enum class CallbackMethod { kGet, kPost };

// "count", "usage", "price".
std::string TriggerByName(TriggerBy by);
std::optional<TriggerBy> ParseTriggerBy(absl::string_view name);
// "", "daily", "monthly", "yearly", "alltime".
std::string RecurringName(Recurring r);
std::optional<Recurring> ParseRecurring(absl::string_view name);
std::string CallbackMethodName(CallbackMethod m);  // "GET", "POST"
std::optional<CallbackMethod> ParseCallbackMethod(absl::string_view name);

// Amounts (trigger and current values) are micro-units in an int64: counts too, so that one
// comparison serves count, usage and price.
struct Trigger {
  std::string sid;
  std::string account_sid;
  std::string friendly_name;
  std::string usage_category;
  TriggerBy trigger_by = TriggerBy::kUsage;
  int64_t trigger_value = 0;
  Recurring recurring = Recurring::kNone;
  std::string callback_url;
  CallbackMethod callback_method = CallbackMethod::kPost;
  int64_t current_value = 0;
  std::optional<absl::Time> date_fired;
  absl::Time date_created;
  absl::Time date_updated;
  // The firing period last claimed ("daily:2026-11-25", "once"...): lets evaluation skip a trigger
  // that already fired this period without asking PostgreSQL. The firings table stays the truth.
  std::string last_fired_period;
};

// Twilio error codes of trigger validation.
inline constexpr int kErrorMissingParameter = 21201;
inline constexpr int kErrorFriendlyNameTooLong = 21202;
inline constexpr int kErrorInvalidUrl = 21205;
inline constexpr int kErrorInvalidParameter = 20001;
inline constexpr int kErrorNotFound = 20404;

// InvalidArgument whose message ends with "(Twilio error <code>)" and which carries the code.
absl::Status TwilioError(int code, absl::string_view message);

// Required: present. Twilio names the parameter ("CallbackUrl").
absl::Status RequireParameter(absl::string_view twilio_name, absl::string_view value);
// An absolute http(s) URL with a host. Code 21205.
absl::Status ValidateCallbackUrl(absl::string_view url);
// At most 64 characters. Code 21202.
absl::Status ValidateFriendlyName(absl::string_view name);

}  // namespace dialtone::triggers
