// The fetch policy refuses every inside range, in every spelling an address arrives in, and
// opens only the exceptions it was given.
#include <catch2/catch.hpp>

#include "dialtone/http/fetch_policy.h"

using dialtone::http::FetchPolicy;

namespace {

bool Refused(const FetchPolicy& p, const char* ip, int port = 80) {
  return !p.Refusal(ip, port).empty();
}

}  // namespace

TEST_CASE("By default every inside range is refused, IPv4 and IPv6") {
  auto p = *FetchPolicy::Parse("");
  for (const char* ip :
       {"0.0.0.0", "10.1.2.3", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.255.0.9",
        "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.168.1.1", "192.0.0.8", "198.18.0.1",
        "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "::", "::1", "fc00::1",
        "fd12:3456::1", "fe80::1", "ff02::1",
        // IPv4-mapped and NAT64 addresses are judged as their IPv4
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe"}) {
    INFO(ip);
    CHECK(Refused(p, ip));
  }
  CHECK(p.Refusal("169.254.169.254", 80).find("link-local") != std::string::npos);
  CHECK(p.Refusal("127.0.0.1", 80).find("loopback") != std::string::npos);
}

TEST_CASE("Public addresses pass, next to the refused ranges' edges") {
  auto p = *FetchPolicy::Parse("");
  for (const char* ip :
       {"8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
        "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255",
        "223.255.255.255", "2001:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
    INFO(ip);
    CHECK_FALSE(Refused(p, ip));
  }
}

TEST_CASE("Allowances open CIDR blocks or one address and port, nothing else") {
  auto p = *FetchPolicy::Parse("127.0.0.0/8, ::1, 10.9.0.0/16, 192.168.1.5:8080, [fd00::7]:443");
  CHECK_FALSE(Refused(p, "127.0.0.1"));
  CHECK_FALSE(Refused(p, "::ffff:127.0.0.2"));  // the mapped spelling of an allowed address
  CHECK_FALSE(Refused(p, "::1"));
  CHECK_FALSE(Refused(p, "10.9.200.1"));
  CHECK(Refused(p, "10.10.0.1"));
  CHECK_FALSE(Refused(p, "192.168.1.5", 8080));
  CHECK(Refused(p, "192.168.1.5", 8081));
  CHECK(Refused(p, "192.168.1.6", 8080));
  CHECK_FALSE(Refused(p, "fd00::7", 443));
  CHECK(Refused(p, "fd00::7", 80));
  CHECK(Refused(p, "169.254.169.254"));
}

TEST_CASE("The platform's own ports stay refused inside an allowance") {
  auto p = *FetchPolicy::Parse("127.0.0.0/8", ":50051, :9101, 127.0.0.1:8080");
  CHECK(Refused(p, "127.0.0.1", 50051));
  CHECK(Refused(p, "127.0.0.5", 9101));
  CHECK(Refused(p, "127.0.0.1", 8080));
  CHECK_FALSE(Refused(p, "127.0.0.2", 8080));
  CHECK_FALSE(Refused(p, "127.0.0.1", 8089));
  CHECK(p.Refusal("127.0.0.1", 50051).find("platform's own ports") != std::string::npos);
  CHECK(Refused(p, "8.8.8.8", 50051));  // anywhere: never one of ours to open
}

TEST_CASE("A bad allowance is an error naming it") {
  for (const char* bad :
       {"127.0.0.1/33", "::1/129", "not-an-ip", "10.0.0.0/x", "1.2.3.4:99999", "[::1]", ":0"}) {
    INFO(bad);
    auto p = FetchPolicy::Parse(bad);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().message().find(bad) != std::string::npos);
  }
}

TEST_CASE("A service's tenant policy refuses its own listening addresses inside the allowance") {
  auto p = dialtone::http::TenantFetchPolicy(
      "127.0.0.0/8", {"127.0.0.1:50051", "0.0.0.0:9101", "http://127.0.0.1:8080",
                      "https://api.example.com:443", "media-layer:50052", "[::1]:8081"});
  REQUIRE(p.ok());
  CHECK(Refused(**p, "127.0.0.1", 50051));
  CHECK(Refused(**p, "127.0.0.3", 9101));  // 0.0.0.0: every local address
  CHECK(Refused(**p, "127.0.0.1", 8080));
  CHECK(Refused(**p, "::1", 8081));
  CHECK_FALSE(Refused(**p, "127.0.0.1", 8082));  // a tenant's test server beside them
  CHECK_FALSE(Refused(**p, "8.8.8.8", 443));
  CHECK_FALSE(dialtone::http::TenantFetchPolicy("bad", {}).ok());
}
