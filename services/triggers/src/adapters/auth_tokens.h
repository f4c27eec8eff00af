// The auth token that signs an account's callbacks: rest-gateway owns accounts, so production
// asks its Accounts.GetAccount (cached briefly); tests may supply one fixed token instead.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/rpc/tls_config.h"

namespace dialtone::triggers {

// Thread-safe.
class AuthTokens {
 public:
  virtual ~AuthTokens() = default;
  virtual absl::StatusOr<std::string> TokenFor(const std::string& account_sid) = 0;
};

// Accounts.GetAccount on rest-gateway (`tls` off: plaintext); answers are cached for `ttl` so
// that a rotated token is used within `ttl`.
std::unique_ptr<AuthTokens> MakeGatewayAuthTokens(const std::string& gateway_addr,
                                                  const rpc::TlsConfig& tls, absl::Duration ttl);
// The same token for every account. Tests only (config test_auth_token).
std::unique_ptr<AuthTokens> MakeFixedAuthToken(std::string token);

}  // namespace dialtone::triggers
