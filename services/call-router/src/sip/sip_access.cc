// SourceAllowList and DigestGuard (MD5 and digest parsing from sofia-sip's auth module).
#include "sip/sip_access.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <random>

#include <sofia-sip/auth_digest.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_md5.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace dialtone::call_router {
namespace {

std::string Md5Hex(const std::string& text) {
  su_md5_t md5;
  su_md5_init(&md5);
  su_md5_update(&md5, text.data(), text.size());
  char hex[33];
  su_md5_hexdigest(&md5, hex);
  return std::string(hex, 32);
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The text of an IPv4 or IPv6 socket address; an IPv4 peer on a dual-stack socket as IPv4.
std::string AddressText(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address == nullptr) return {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    const in6_addr& in6 = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&in6)) {
      inet_ntop(AF_INET, reinterpret_cast<const uint8_t*>(&in6) + 12, text, sizeof text);
    } else {
      inet_ntop(AF_INET6, &in6, text, sizeof text);
    }
  }
  return text;
}

bool IsAddress(const std::string& text) {
  std::array<uint8_t, 16> bytes{};
  return inet_pton(AF_INET, text.c_str(), bytes.data()) == 1 ||
         inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1;
}

std::string Unquoted(const char* value) {
  if (value == nullptr) return {};
  std::string s(value);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

absl::StatusOr<SourceAllowList> SourceAllowList::Parse(const std::string& text) {
  SourceAllowList list;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    std::string address(item.substr(0, item.find('/')));
    Block block;
    if (inet_pton(AF_INET, address.c_str(), block.bytes.data()) == 1) {
      block.family = AF_INET;
      block.prefix = 32;
    } else if (inet_pton(AF_INET6, address.c_str(), block.bytes.data()) == 1) {
      block.family = AF_INET6;
      block.prefix = 128;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("'", item, "' is not an address or CIDR block"));
    }
    if (size_t slash = item.find('/'); slash != absl::string_view::npos) {
      int prefix = -1;
      if (!absl::SimpleAtoi(item.substr(slash + 1), &prefix) || prefix < 0 ||
          prefix > block.prefix) {
        return absl::InvalidArgumentError(absl::StrCat("'", item, "' has a bad prefix length"));
      }
      block.prefix = prefix;
    }
    list.blocks_.push_back(block);
  }
  return list;
}

bool SourceAllowList::Allows(int family, const uint8_t* bytes) const {
  if (blocks_.empty()) return true;
  for (const Block& b : blocks_) {
    if (b.family != family) continue;
    const int whole = b.prefix / 8;
    const int rest = b.prefix % 8;
    if (std::memcmp(b.bytes.data(), bytes, whole) != 0) continue;
    if (rest != 0) {
      const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
      if ((b.bytes[whole] & mask) != (bytes[whole] & mask)) continue;
    }
    return true;
  }
  return false;
}

bool SourceAllowList::Allows(const std::string& address) const {
  std::array<uint8_t, 16> bytes{};
  if (inet_pton(AF_INET, address.c_str(), bytes.data()) == 1) return Allows(AF_INET, bytes.data());
  if (inet_pton(AF_INET6, address.c_str(), bytes.data()) == 1) {
    return Allows(AF_INET6, bytes.data());
  }
  return blocks_.empty();
}

bool SourceAllowList::Allows(const sockaddr* address) const {
  if (blocks_.empty()) return true;
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return Allows(AF_INET, reinterpret_cast<const uint8_t*>(&in->sin_addr));
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    const uint8_t* bytes = reinterpret_cast<const uint8_t*>(&in6->sin6_addr);
    // An IPv4 peer on a dual-stack socket (::ffff:a.b.c.d) is judged as IPv4.
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) return Allows(AF_INET, bytes + 12);
    return Allows(AF_INET6, bytes);
  }
  return false;
}

absl::StatusOr<CallerAddress> CallerAddress::Parse(const std::string& trusted_proxies) {
  auto proxies = SourceAllowList::Parse(trusted_proxies);
  if (!proxies.ok()) return proxies.status();
  CallerAddress caller;
  caller.proxies_ = *std::move(proxies);
  return caller;
}

std::string CallerAddress::Of(const sockaddr* network_source, absl::string_view header) const {
  // An empty SourceAllowList allows everyone; an empty proxy list must trust no one.
  if (proxies_.allows_all() || !proxies_.Allows(network_source)) {
    return AddressText(network_source);
  }
  std::string claimed(absl::StripAsciiWhitespace(header));
  return IsAddress(claimed) ? claimed : AddressText(network_source);
}

DigestGuard::DigestGuard(std::string realm, std::string username, std::string password)
    : realm_(std::move(realm)), username_(std::move(username)), password_(std::move(password)) {
  std::random_device random;
  for (int i = 0; i < 4; ++i) absl::StrAppend(&secret_, absl::Hex(random(), absl::kZeroPad8));
}

std::string DigestGuard::NonceAt(int64_t unix_seconds) const {
  const std::string stamp = absl::StrCat(absl::Hex(unix_seconds));
  return absl::StrCat(stamp, ".", Md5Hex(absl::StrCat(secret_, ":", stamp, ":", realm_)));
}

std::string DigestGuard::Challenge(absl::Time now) const {
  return absl::StrCat("Digest realm=\"", realm_, "\", nonce=\"", NonceAt(absl::ToUnixSeconds(now)),
                      "\", algorithm=MD5, qop=\"auth\"");
}

bool DigestGuard::Verify(const char* const* params, const char* method, absl::Time now) const {
  if (params == nullptr) return false;
  auto* home = static_cast<su_home_t*>(su_home_new(sizeof(su_home_t)));
  auth_response_t ar = {};
  ar.ar_size = sizeof ar;
  bool ok = auth_digest_response_get(home, &ar, params) >= 0 && ar.ar_username != nullptr &&
            ar.ar_nonce != nullptr && ar.ar_response != nullptr && ar.ar_uri != nullptr;
  if (ok) ok = Unquoted(ar.ar_username) == username_ && Unquoted(ar.ar_realm) == realm_;
  if (ok) {  // our nonce, made in the last five minutes
    const std::string nonce = Unquoted(ar.ar_nonce);
    int64_t stamp = 0;
    const size_t dot = nonce.find('.');
    ok = dot != std::string::npos &&
         absl::SimpleHexAtoi(absl::string_view(nonce).substr(0, dot), &stamp) &&
         ConstantTimeEquals(nonce, NonceAt(stamp)) && absl::ToUnixSeconds(now) - stamp <= 300 &&
         stamp <= absl::ToUnixSeconds(now) + 5;
  }
  if (ok) {
    auth_hexmd5_t ha1 = {};
    auth_hexmd5_t expected = {};
    auth_digest_ha1(ha1, username_.c_str(), realm_.c_str(), password_.c_str());
    ok = auth_digest_response(&ar, expected, ha1, method, nullptr, 0) == 0 &&
         ConstantTimeEquals(Unquoted(ar.ar_response), std::string(expected, 32));
  }
  su_home_unref(home);
  return ok;
}

}  // namespace dialtone::call_router
