// An account's settings: who may read its recording media, and its limits. The platform sets
// defaults; an account may carry its own values, which win. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace dialtone::rest_gateway {

// What applies to an account. A limit of 0 means none.
struct AccountSettings {
  bool media_http_auth = false;       // recording media only with the account's credentials
  int calls_per_second = 100;         // new calls, inbound and created through the API together
  int max_concurrent_calls = 1000;    // calls up at once, every leg counted
  int max_call_seconds = 14400;       // Twilio's 4 hours; TimeLimit is capped by it
  int max_quiet_steps = 50;           // TwiML documents in a row without audio or input
  int api_requests_per_second = 100;  // REST API requests
};

// An account's own values; an absent one takes the platform's default.
struct AccountSettingsOverrides {
  std::optional<bool> media_http_auth;
  std::optional<int> calls_per_second;
  std::optional<int> max_concurrent_calls;
  std::optional<int> max_call_seconds;
  std::optional<int> max_quiet_steps;
  std::optional<int> api_requests_per_second;
};

// Sets in `into` every value `set` carries.
void Merge(const AccountSettingsOverrides& set, AccountSettingsOverrides* into);

// `defaults` with what `overrides` sets.
AccountSettings Apply(const AccountSettings& defaults, const AccountSettingsOverrides& overrides);

// InvalidArgument naming the first value out of range (negative limits, a call longer than a day,
// a quiet-step cap of 1..4 that would end ordinary menus).
absl::Status Validate(const AccountSettingsOverrides& overrides);

// Clears the field named `name` ("calls_per_second", ...; "all": every one). InvalidArgument for
// an unknown name.
absl::Status Reset(std::string_view name, AccountSettingsOverrides* overrides);

}  // namespace dialtone::rest_gateway
