// HTTP Basic credentials from an Authorization header. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dialtone::rest_gateway {

struct BasicCredentials {
  std::string username;  // Account SID
  std::string password;  // auth token
};

// nullopt for a missing, non-Basic or malformed header (bad base64, no colon).
std::optional<BasicCredentials> ParseBasicAuth(std::string_view header);

// Standard base64 (RFC 4648, with padding) decoding; nullopt on any invalid input.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace dialtone::rest_gateway
