// Names and checks of the UsageTrigger resource.
#include "domain/trigger.h"

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "dialtone/core/twilio_error.h"

namespace dialtone::triggers {
namespace {}  // namespace

std::string TriggerByName(TriggerBy by) {
  switch (by) {
    case TriggerBy::kCount: return "count";
    case TriggerBy::kUsage: return "usage";
    case TriggerBy::kPrice: return "price";
  }
  return "usage";
}

std::optional<TriggerBy> ParseTriggerBy(absl::string_view name) {
  if (name == "count") return TriggerBy::kCount;
  if (name == "usage") return TriggerBy::kUsage;
  if (name == "price") return TriggerBy::kPrice;
  return std::nullopt;
}

std::string RecurringName(Recurring r) {
  switch (r) {
    case Recurring::kNone: return "";
    case Recurring::kDaily: return "daily";
    case Recurring::kMonthly: return "monthly";
    case Recurring::kYearly: return "yearly";
    case Recurring::kAllTime: return "alltime";
  }
  return "";
}

std::optional<Recurring> ParseRecurring(absl::string_view name) {
  if (name.empty()) return Recurring::kNone;
  if (name == "daily") return Recurring::kDaily;
  if (name == "monthly") return Recurring::kMonthly;
  if (name == "yearly") return Recurring::kYearly;
  if (name == "alltime") return Recurring::kAllTime;
  return std::nullopt;
}

std::string CallbackMethodName(CallbackMethod m) {
  return m == CallbackMethod::kGet ? "GET" : "POST";
}

std::optional<CallbackMethod> ParseCallbackMethod(absl::string_view name) {
  if (absl::EqualsIgnoreCase(name, "GET")) return CallbackMethod::kGet;
  if (name.empty() || absl::EqualsIgnoreCase(name, "POST")) return CallbackMethod::kPost;
  return std::nullopt;
}

absl::Status TwilioError(int code, absl::string_view message) {
  return core::TwilioStatus(absl::StatusCode::kInvalidArgument, code,
                            absl::StrCat(message, " (Twilio error ", code, ")"));
}

absl::Status RequireParameter(absl::string_view twilio_name, absl::string_view value) {
  if (!value.empty()) return absl::OkStatus();
  return TwilioError(kErrorMissingParameter,
                     absl::StrCat("Missing required parameter ", twilio_name));
}

absl::Status ValidateCallbackUrl(absl::string_view url) {
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "http://") && !absl::ConsumePrefix(&rest, "https://")) {
    return TwilioError(kErrorInvalidUrl,
                       absl::StrCat("CallbackUrl \"", url, "\" is not a valid http(s) URL"));
  }
  size_t host_end = rest.find_first_of("/?#");
  absl::string_view host = rest.substr(0, host_end);
  bool bad_char = false;
  for (char ch : url) bad_char |= static_cast<unsigned char>(ch) <= ' ';
  if (host.empty() || host.front() == ':' || bad_char) {
    return TwilioError(kErrorInvalidUrl,
                       absl::StrCat("CallbackUrl \"", url, "\" is not a valid http(s) URL"));
  }
  return absl::OkStatus();
}

absl::Status ValidateFriendlyName(absl::string_view name) {
  if (name.size() <= 64) return absl::OkStatus();
  return TwilioError(kErrorFriendlyNameTooLong, "FriendlyName is longer than 64 characters");
}

}  // namespace dialtone::triggers
