// Resource value checks. Codes go through TwimlError's payload mechanism (TwilioErrorCode reads
// them back), so adapters map every Twilio code in one place.
#include "api/resource_validation.h"

#include <cctype>
#include <string>

#include "calls/twiml_names.h"
#include "dialtone/twiml/url.h"

namespace dialtone::call_router {

absl::Status ValidatePhoneNumber(std::string_view n) {
  bool ok = n.size() >= 3 && n.size() <= 16 && n[0] == '+' && n[1] >= '1' && n[1] <= '9';
  for (size_t i = 1; ok && i < n.size(); ++i) ok = n[i] >= '0' && n[i] <= '9';
  if (ok) return absl::OkStatus();
  return TwimlError(kErrorInvalidPhoneNumber,
                    "PhoneNumber must be in E.164 format, e.g. +15005550006");
}

absl::Status ValidateCallbackUrl(std::string_view field, std::string_view url, bool optional) {
  if (url.empty() && optional) return absl::OkStatus();
  if (IsHttpUrl(url)) {
    std::string_view rest = url.substr(url.find("://") + 3);
    std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    if (!host.empty() && host.front() != ':') return absl::OkStatus();
  }
  return TwimlError(kErrorInvalidUrl, std::string(field) + " is not a valid URL");
}

absl::Status ValidateStreamUrl(std::string_view url) {
  // The rule <Stream url> follows in TwiML.
  if (twiml::IsWebSocketUrl(url)) return absl::OkStatus();
  return TwimlError(kErrorInvalidUrl, "Url must be an absolute ws:// or wss:// URL");
}

absl::Status ValidateFriendlyName(std::string_view name) {
  if (name.size() <= 64) return absl::OkStatus();
  return TwimlError(kErrorFriendlyNameTooLong, "FriendlyName must be at most 64 characters");
}

}  // namespace dialtone::call_router
