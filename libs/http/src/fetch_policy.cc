// FetchPolicy: IPv6-wide blocks (IPv4 mapped), refused ranges, allowances and denied ports.
#include "dialtone/http/fetch_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace dialtone::http {
namespace {

using Ip = std::array<uint8_t, 16>;

std::optional<Ip> ParseIp(absl::string_view text) {
  std::string s(text);
  Ip ip{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    ip[10] = ip[11] = 0xff;
    std::memcpy(ip.data() + 12, &v4, 4);
    return ip;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(ip.data(), &v6, 16);
    return ip;
  }
  return std::nullopt;
}

bool IsMappedV4(const Ip& ip) {
  for (int i = 0; i < 10; ++i) {
    if (ip[i] != 0) return false;
  }
  return ip[10] == 0xff && ip[11] == 0xff;
}

// NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits: judged as that address.
Ip Normalized(Ip ip) {
  static const uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(ip.data(), kNat64, 12) == 0) {
    std::memset(ip.data(), 0, 10);
    ip[10] = ip[11] = 0xff;
  }
  return ip;
}

std::string Text(const Ip& ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (IsMappedV4(ip)) {
    inet_ntop(AF_INET, ip.data() + 12, buf, sizeof(buf));
  } else {
    inet_ntop(AF_INET6, ip.data(), buf, sizeof(buf));
  }
  return buf;
}

struct Range {
  const char* cidr;
  const char* what;
};

// Refused unless allowed.
constexpr Range kRefused[] = {
    {"0.0.0.0/8", "an unspecified address"},
    {"10.0.0.0/8", "a private address"},
    {"100.64.0.0/10", "a carrier-grade NAT address"},
    {"127.0.0.0/8", "a loopback address"},
    {"169.254.0.0/16", "a link-local address (cloud metadata)"},
    {"172.16.0.0/12", "a private address"},
    {"192.0.0.0/24", "an IETF protocol address"},
    {"192.168.0.0/16", "a private address"},
    {"198.18.0.0/15", "a benchmarking address"},
    {"224.0.0.0/4", "a multicast address"},
    {"240.0.0.0/4", "a reserved or broadcast address"},
    {"::/128", "an unspecified address"},
    {"::1/128", "a loopback address"},
    {"fc00::/7", "a unique local address"},
    {"fe80::/10", "a link-local address"},
    {"ff00::/8", "a multicast address"},
};

}  // namespace

bool FetchPolicy::Contains(const Block& block, const Ip& ip, int port) {
  if (block.port != 0 && block.port != port) return false;
  int bits = block.prefix;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((ip[i] & mask) != (block.net[i] & mask)) return false;
  }
  return true;
}

namespace {

// "a.b.c.d/n", "v6/n", an address alone, "a.b.c.d:port", "[v6]:port" or ":port".
absl::StatusOr<std::pair<std::optional<Ip>, std::pair<int, int>>> ParseEntry(
    absl::string_view entry) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat("bad address \"", entry, "\""));
  };
  int port = 0;
  absl::string_view host = entry;
  if (absl::ConsumePrefix(&host, "[")) {
    const auto close = host.find(']');
    if (close == absl::string_view::npos) return bad();
    absl::string_view rest = host.substr(close + 1);
    host = host.substr(0, close);
    if (!absl::ConsumePrefix(&rest, ":") || !absl::SimpleAtoi(rest, &port)) return bad();
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    const auto colon = host.find(':');
    if (!absl::SimpleAtoi(host.substr(colon + 1), &port)) return bad();
    host = host.substr(0, colon);
  }
  if (port < 0 || port > 65535) return bad();
  if (host.empty()) {
    if (port == 0) return bad();
    return std::make_pair(std::optional<Ip>(), std::make_pair(0, port));
  }
  int prefix = -1;
  if (const auto slash = host.find('/'); slash != absl::string_view::npos) {
    if (!absl::SimpleAtoi(host.substr(slash + 1), &prefix)) return bad();
    host = host.substr(0, slash);
  }
  auto ip = ParseIp(host);
  if (!ip) return bad();
  const bool v4 = IsMappedV4(*ip);
  if (prefix < 0) prefix = v4 ? 32 : 128;
  if (prefix > (v4 ? 32 : 128)) return bad();
  return std::make_pair(std::optional<Ip>(*ip), std::make_pair(v4 ? prefix + 96 : prefix, port));
}

}  // namespace

absl::StatusOr<FetchPolicy> FetchPolicy::Parse(absl::string_view allow, absl::string_view deny) {
  FetchPolicy policy;
  for (auto [text, list] : {std::pair{allow, &policy.allow_}, std::pair{deny, &policy.deny_}}) {
    for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
      auto parsed = ParseEntry(absl::StripAsciiWhitespace(entry));
      if (!parsed.ok()) return parsed.status();
      Block b;
      if (parsed->first) {
        b.net = *parsed->first;
        b.prefix = parsed->second.first;
      }
      b.port = parsed->second.second;
      list->push_back(b);
    }
  }
  return policy;
}

std::string FetchPolicy::Refusal(absl::string_view ip_text, int port) const {
  auto ip = ParseIp(ip_text);
  if (!ip) return absl::StrCat(ip_text, " is not an IP address");
  const Ip addr = Normalized(*ip);
  for (const Block& b : deny_) {
    if (Contains(b, addr, port)) {
      return absl::StrCat(Text(addr), ":", port, " is one of the platform's own ports");
    }
  }
  for (const Block& b : allow_) {
    if (Contains(b, addr, port)) return "";
  }
  for (const Range& r : kRefused) {
    auto block = ParseEntry(r.cidr);
    Block b{.net = *block->first, .prefix = block->second.first};
    if (Contains(b, addr, port)) {
      return absl::StrCat(Text(addr), " is ", r.what, " (", r.cidr,
                          "; DIALTONE_FETCH_ALLOW makes exceptions)");
    }
  }
  return "";
}

std::string FetchPolicy::Refusal(const struct sockaddr* address) const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof(buf));
    return Refusal(buf, ntohs(in->sin_port));
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof(buf));
    return Refusal(buf, ntohs(in6->sin6_port));
  }
  return "only IP addresses may be reached";
}

std::string CheckFetchAllow(absl::string_view allow) {
  auto policy = FetchPolicy::Parse(allow);
  return policy.ok() ? std::string() : std::string(policy.status().message());
}

absl::StatusOr<std::shared_ptr<const FetchPolicy>> TenantFetchPolicy(
    absl::string_view allow, const std::vector<std::string>& own) {
  std::vector<std::string> deny;
  for (absl::string_view a : own) {
    absl::ConsumePrefix(&a, "http://") || absl::ConsumePrefix(&a, "https://");
    a = a.substr(0, a.find('/'));
    const auto colon = a.rfind(':');
    if (colon == absl::string_view::npos) continue;
    absl::string_view host = a.substr(0, colon);
    const absl::string_view port = a.substr(colon + 1);
    absl::ConsumePrefix(&host, "[");
    absl::ConsumeSuffix(&host, "]");
    if (host == "0.0.0.0" || host == "::" || host.empty()) {  // every local address
      deny.push_back(absl::StrCat("127.0.0.0/8:", port));
      deny.push_back(absl::StrCat("[::1]:", port));
      continue;
    }
    if (!ParseIp(host)) continue;
    deny.push_back(host.find(':') != absl::string_view::npos ? absl::StrCat("[", host, "]:", port)
                                                             : absl::StrCat(host, ":", port));
  }
  auto policy = FetchPolicy::Parse(allow, absl::StrJoin(deny, ","));
  if (!policy.ok()) return policy.status();
  return std::make_shared<const FetchPolicy>(*std::move(policy));
}

}  // namespace dialtone::http
