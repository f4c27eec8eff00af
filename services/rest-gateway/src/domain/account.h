// The Account resource as the gateway keeps it, and the credential check. Pure.
#pragma once

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/time/time.h"

namespace dialtone::rest_gateway {

enum class AccountStatus { kActive, kSuspended, kClosed };

absl::string_view AccountStatusName(AccountStatus status);  // "active", ...
std::optional<AccountStatus> ParseAccountStatus(absl::string_view name);

struct Account {
  std::string sid;
  std::string friendly_name;
  AccountStatus status = AccountStatus::kActive;
  std::string auth_token;
  std::string owner_account_sid;
  std::string type = "Full";
  absl::Time date_created;
  absl::Time date_updated;
};

// Compares in time that depends only on the lengths, so a caller cannot learn a token byte by
// byte from response times.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// True when `token` opens `account`: the tokens match and the account is active.
bool CredentialsMatch(const Account& account, absl::string_view token);

}  // namespace dialtone::rest_gateway
