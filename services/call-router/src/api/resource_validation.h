// Checks on values a customer sends for calls, numbers and applications, with the Twilio error
// code each failure carries. Pure.
#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace dialtone::call_router {

inline constexpr int kErrorInvalidUrl = 21205;
inline constexpr int kErrorInvalidPhoneNumber = 21421;
inline constexpr int kErrorFriendlyNameTooLong = 21202;

// OK for E.164: '+', a non-zero digit, up to 15 digits in all. Error code 21421 otherwise.
absl::Status ValidatePhoneNumber(std::string_view number);
// OK for an absolute http(s) URL with a host (empty is OK when `optional`). Code 21205.
absl::Status ValidateCallbackUrl(std::string_view field, std::string_view url, bool optional);
// OK for an absolute ws:// or wss:// URL with a host, as a media stream's Url must be (the REST
// API has no document to resolve a relative one against). Code 21205, as for a bad Url on Calls.
absl::Status ValidateStreamUrl(std::string_view url);
// At most 64 characters, as Twilio allows. Code 21202 (our choice; Twilio answers 400).
absl::Status ValidateFriendlyName(std::string_view name);

}  // namespace dialtone::call_router
