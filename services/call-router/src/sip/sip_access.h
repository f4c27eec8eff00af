// Who may place calls into the router: a source address allow-list, and digest credentials
// (RFC 3261 section 22, RFC 2617) for a trunk that must authenticate its INVITEs.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace dialtone::call_router {

// Comma-separated addresses and CIDR blocks, IPv4 or IPv6: "127.0.0.0/8, 10.1.2.3, ::1".
// Empty allows everyone. Thread-safe once built.
//
//   auto list = SourceAllowList::Parse("10.0.0.0/8");
//   list->Allows("10.2.3.4");  // true
class SourceAllowList {
 public:
  static absl::StatusOr<SourceAllowList> Parse(const std::string& text);
  bool Allows(const std::string& address) const;
  bool Allows(const sockaddr* address) const;
  bool allows_all() const { return blocks_.empty(); }

 private:
  struct Block {
    int family = AF_INET;
    std::array<uint8_t, 16> bytes{};
    int prefix = 0;
  };
  bool Allows(int family, const uint8_t* bytes) const;
  std::vector<Block> blocks_;
};

// The address an INVITE's caller really has. Behind a SIP proxy (Kamailio, deploy/kamailio) every
// INVITE arrives from the proxy, which writes the caller's address in X-Dialtone-Source; that
// header counts only when the INVITE's network source is one of the trusted proxies, so that a
// caller cannot pick its own address. Empty list: nobody is trusted, the header is ignored.
//
//   auto caller = CallerAddress::Parse("10.0.0.5");
//   caller->Of(from_10_0_0_5, "198.51.100.7");  // "198.51.100.7"
//   caller->Of(from_elsewhere, "198.51.100.7"); // the sender's own address
class CallerAddress {
 public:
  static constexpr char kHeader[] = "X-Dialtone-Source";

  static absl::StatusOr<CallerAddress> Parse(const std::string& trusted_proxies);
  // `header`: X-Dialtone-Source's value, or empty. A trusted proxy's INVITE without a valid
  // address there is judged by the proxy's own address.
  std::string Of(const sockaddr* network_source, absl::string_view header) const;

 private:
  SourceAllowList proxies_;
};

// Challenges and checks digest credentials for one user. Nonces carry their time and an HMAC-like
// MD5 over a per-process secret, so nothing is stored; they are good for five minutes.
//
//   DigestGuard guard("dialtone", "trunk", "s3cret");
//   respond 401 with WWW-Authenticate: guard.Challenge(absl::Now());
//   guard.Verify(authorization_params, "INVITE", absl::Now());
class DigestGuard {
 public:
  DigestGuard(std::string realm, std::string username, std::string password);
  // The WWW-Authenticate value: Digest realm="…", nonce="…", algorithm=MD5, qop="auth".
  std::string Challenge(absl::Time now) const;
  // `params`: the Authorization header's parameters (NULL-terminated, sofia-sip's msg_param_t
  // list). True when they answer one of our fresh nonces with the right password.
  bool Verify(const char* const* params, const char* method, absl::Time now) const;

 private:
  std::string NonceAt(int64_t unix_seconds) const;

  std::string realm_;
  std::string username_;
  std::string password_;
  std::string secret_;
};

}  // namespace dialtone::call_router
