// Which addresses a tenant's URL may make the platform connect to (issue 21): a voice URL, a
// callback, a <Play> file. Checked on the address a connection is about to use (after DNS, on
// every redirect hop), so a name that resolves inside, or re-resolves there later, is refused
// the same. Pure; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sockaddr;

namespace dialtone::http {

// Refused by default: unspecified, loopback, RFC 1918 private, CGNAT (100.64/10), link-local
// (169.254/16, with the cloud metadata address; fe80::/10), unique local (fc00::/7), multicast,
// reserved and broadcast; IPv4-mapped and NAT64 IPv6 addresses are judged as their IPv4.
// `allow` opens exceptions: CIDR blocks ("127.0.0.0/8", "::1/128", "10.1.2.3") or one address and
// port ("127.0.0.1:8089", "[::1]:8089"), comma-separated. `deny` names address:port pairs or bare
// ports (":50051") refused even inside an allowance: the platform's own service ports.
//
//   auto policy = FetchPolicy::Parse("127.0.0.0/8", ":50051,:9101");
//   policy->Refusal("127.0.0.1", 8089);   // "" (allowed)
//   policy->Refusal("127.0.0.1", 50051);  // "127.0.0.1:50051 is one of the platform's ports"
//   policy->Refusal("10.0.0.7", 80);      // "10.0.0.7 is a private address (10.0.0.0/8)"
class FetchPolicy {
 public:
  // InvalidArgument naming the entry that does not parse.
  static absl::StatusOr<FetchPolicy> Parse(absl::string_view allow, absl::string_view deny = "");

  // "" when the address may be reached, else why not (for logs and error messages).
  std::string Refusal(absl::string_view ip, int port) const;
  std::string Refusal(const struct sockaddr* address) const;

 private:
  struct Block {
    std::array<uint8_t, 16> net{};  // IPv6; IPv4 as ::ffff:a.b.c.d
    int prefix = 0;                 // of the 128 bits
    int port = 0;                   // 0: any
  };
  static bool Contains(const Block& block, const std::array<uint8_t, 16>& ip, int port);
  std::vector<Block> allow_;
  std::vector<Block> deny_;
};

// The policy for tenants' URLs in a service: `allow` (DIALTONE_FETCH_ALLOW) opens exceptions, and
// the platform's own listening addresses (`own`: "host:port" or URLs, e.g. the service's gRPC and
// metrics addresses, its peers', the public API URL) stay refused; a 0.0.0.0 or [::] host stands
// for loopback, host names are skipped (they are not in the default-open space anyway).
absl::StatusOr<std::shared_ptr<const FetchPolicy>> TenantFetchPolicy(
    absl::string_view allow, const std::vector<std::string>& own);

// For a service's config loader: "" when `allow` parses, else why not.
std::string CheckFetchAllow(absl::string_view allow);

}  // namespace dialtone::http
