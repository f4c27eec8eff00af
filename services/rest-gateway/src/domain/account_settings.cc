// Account settings: defaults, overrides and their checks.
#include "domain/account_settings.h"

#include "absl/strings/str_cat.h"

namespace dialtone::rest_gateway {
namespace {

absl::Status CheckRange(const std::optional<int>& value, const char* name, int min, int max) {
  if (!value || (*value >= min && *value <= max)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(name, " must be between ", min, " and ", max, " (0: no limit)"));
}

}  // namespace

void Merge(const AccountSettingsOverrides& set, AccountSettingsOverrides* into) {
  if (set.media_http_auth) into->media_http_auth = set.media_http_auth;
  if (set.calls_per_second) into->calls_per_second = set.calls_per_second;
  if (set.max_concurrent_calls) into->max_concurrent_calls = set.max_concurrent_calls;
  if (set.max_call_seconds) into->max_call_seconds = set.max_call_seconds;
  if (set.max_quiet_steps) into->max_quiet_steps = set.max_quiet_steps;
  if (set.api_requests_per_second) into->api_requests_per_second = set.api_requests_per_second;
}

AccountSettings Apply(const AccountSettings& defaults, const AccountSettingsOverrides& o) {
  AccountSettings s = defaults;
  if (o.media_http_auth) s.media_http_auth = *o.media_http_auth;
  if (o.calls_per_second) s.calls_per_second = *o.calls_per_second;
  if (o.max_concurrent_calls) s.max_concurrent_calls = *o.max_concurrent_calls;
  if (o.max_call_seconds) s.max_call_seconds = *o.max_call_seconds;
  if (o.max_quiet_steps) s.max_quiet_steps = *o.max_quiet_steps;
  if (o.api_requests_per_second) s.api_requests_per_second = *o.api_requests_per_second;
  return s;
}

absl::Status Validate(const AccountSettingsOverrides& o) {
  if (auto s = CheckRange(o.calls_per_second, "calls_per_second", 0, 100000); !s.ok()) return s;
  if (auto s = CheckRange(o.max_concurrent_calls, "max_concurrent_calls", 0, 1000000); !s.ok()) {
    return s;
  }
  if (auto s = CheckRange(o.max_call_seconds, "max_call_seconds", 0, 86400); !s.ok()) return s;
  if (o.max_quiet_steps && *o.max_quiet_steps != 0 && *o.max_quiet_steps < 5) {
    return absl::InvalidArgumentError("max_quiet_steps must be 0 (no limit) or at least 5");
  }
  if (auto s = CheckRange(o.max_quiet_steps, "max_quiet_steps", 0, 100000); !s.ok()) return s;
  return CheckRange(o.api_requests_per_second, "api_requests_per_second", 0, 100000);
}

absl::Status Reset(std::string_view name, AccountSettingsOverrides* o) {
  const bool all = name == "all";
  bool known = all;
  auto clear = [&](std::string_view field, auto& value) {
    if (all || name == field) {
      value.reset();
      known = true;
    }
  };
  clear("media_http_auth", o->media_http_auth);
  clear("calls_per_second", o->calls_per_second);
  clear("max_concurrent_calls", o->max_concurrent_calls);
  clear("max_call_seconds", o->max_call_seconds);
  clear("max_quiet_steps", o->max_quiet_steps);
  clear("api_requests_per_second", o->api_requests_per_second);
  if (!known)
    return absl::InvalidArgumentError(absl::StrCat("no setting named ", std::string(name)));
  return absl::OkStatus();
}

}  // namespace dialtone::rest_gateway
