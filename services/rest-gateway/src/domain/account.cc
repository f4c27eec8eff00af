// Account status names and the constant-time credential check.
#include "domain/account.h"

namespace dialtone::rest_gateway {

absl::string_view AccountStatusName(AccountStatus status) {
  switch (status) {
    case AccountStatus::kActive: return "active";
    case AccountStatus::kSuspended: return "suspended";
    case AccountStatus::kClosed: return "closed";
  }
  return "active";
}

std::optional<AccountStatus> ParseAccountStatus(absl::string_view name) {
  if (name == "active") return AccountStatus::kActive;
  if (name == "suspended") return AccountStatus::kSuspended;
  if (name == "closed") return AccountStatus::kClosed;
  return std::nullopt;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

bool CredentialsMatch(const Account& account, absl::string_view token) {
  bool match = ConstantTimeEquals(account.auth_token, token);
  return match && !token.empty() && account.status == AccountStatus::kActive;
}

}  // namespace dialtone::rest_gateway
