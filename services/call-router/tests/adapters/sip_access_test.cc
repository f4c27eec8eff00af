// SourceAllowList matching and DigestGuard against responses computed here from RFC 2617's
// formulas (MD5 of HA1:nonce:nc:cnonce:qop:HA2).
#include "sip/sip_access.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <sofia-sip/su_md5.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace dialtone::call_router {
namespace {

TEST_CASE("An empty allow-list lets everyone in", "[sip_access]") {
  auto list = SourceAllowList::Parse("");
  REQUIRE(list.ok());
  CHECK(list->allows_all());
  CHECK(list->Allows("203.0.113.9"));
}

TEST_CASE("CIDR blocks and single addresses, IPv4 and IPv6", "[sip_access]") {
  auto list = SourceAllowList::Parse(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32, 172.16.0.0/12");
  REQUIRE(list.ok());
  CHECK(list->Allows("10.255.1.2"));
  CHECK_FALSE(list->Allows("11.0.0.1"));
  CHECK(list->Allows("192.0.2.7"));
  CHECK_FALSE(list->Allows("192.0.2.8"));
  CHECK(list->Allows("172.31.255.255"));
  CHECK_FALSE(list->Allows("172.32.0.0"));
  CHECK(list->Allows("2001:db8:1::5"));
  CHECK_FALSE(list->Allows("2001:db9::5"));
  CHECK_FALSE(list->Allows("not an address"));
}

TEST_CASE("Bad allow-list entries are named", "[sip_access]") {
  CHECK_FALSE(SourceAllowList::Parse("10.0.0.0/33").ok());
  CHECK_FALSE(SourceAllowList::Parse("10.0.0/8").ok());
  CHECK_FALSE(SourceAllowList::Parse("example.com").ok());
  CHECK(std::string(SourceAllowList::Parse("1.2.3.4, bogus").status().message()).find("bogus") !=
        std::string::npos);
}

sockaddr_in Ipv4(const char* text) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  inet_pton(AF_INET, text, &in.sin_addr);
  return in;
}

const sockaddr* Sa(const sockaddr_in& in) { return reinterpret_cast<const sockaddr*>(&in); }

TEST_CASE("A trusted proxy's X-Dialtone-Source is the caller's address", "[sip_access]") {
  auto caller = CallerAddress::Parse("10.0.0.5, 192.0.2.0/24");
  REQUIRE(caller.ok());
  CHECK(caller->Of(Sa(Ipv4("10.0.0.5")), "198.51.100.7") == "198.51.100.7");
  CHECK(caller->Of(Sa(Ipv4("192.0.2.200")), " 2001:db8::9 ") == "2001:db8::9");
}

TEST_CASE("X-Dialtone-Source from anyone but a trusted proxy is ignored", "[sip_access]") {
  auto caller = CallerAddress::Parse("10.0.0.5");
  REQUIRE(caller.ok());
  CHECK(caller->Of(Sa(Ipv4("10.0.0.6")), "10.0.0.1") == "10.0.0.6");
  auto nobody = CallerAddress::Parse("");
  REQUIRE(nobody.ok());
  CHECK(nobody->Of(Sa(Ipv4("203.0.113.9")), "10.0.0.1") == "203.0.113.9");
}

TEST_CASE("A trusted proxy without a valid X-Dialtone-Source is judged itself", "[sip_access]") {
  auto caller = CallerAddress::Parse("10.0.0.5");
  REQUIRE(caller.ok());
  CHECK(caller->Of(Sa(Ipv4("10.0.0.5")), "") == "10.0.0.5");
  CHECK(caller->Of(Sa(Ipv4("10.0.0.5")), "10.0.0.1, 10.0.0.2") == "10.0.0.5");
  CHECK(caller->Of(nullptr, "10.0.0.1") == "");
}

TEST_CASE("An IPv4 peer on a dual-stack socket is named as IPv4", "[sip_access]") {
  auto caller = CallerAddress::Parse("");
  REQUIRE(caller.ok());
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:192.0.2.1", &in6.sin6_addr);
  CHECK(caller->Of(reinterpret_cast<const sockaddr*>(&in6), "") == "192.0.2.1");
}

TEST_CASE("Bad trusted-proxy entries are refused", "[sip_access]") {
  CHECK_FALSE(CallerAddress::Parse("kamailio.local").ok());
}

std::string Md5(const std::string& s) {
  su_md5_t md5;
  su_md5_init(&md5);
  su_md5_update(&md5, s.data(), s.size());
  char hex[33];
  su_md5_hexdigest(&md5, hex);
  return std::string(hex, 32);
}

// The nonce value of a challenge: Digest realm="…", nonce="…", …
std::string NonceOf(const std::string& challenge) {
  const size_t at = challenge.find("nonce=\"") + 7;
  return challenge.substr(at, challenge.find('"', at) - at);
}

// A client's Authorization parameters, as sofia-sip hands them to the guard.
struct Credentials {
  std::vector<std::string> storage;
  std::vector<const char*> params;
  Credentials(const std::string& user, const std::string& password, const std::string& nonce,
              const std::string& realm = "dialtone") {
    const std::string uri = "sip:+15005550006@127.0.0.1";
    const std::string ha1 = Md5(absl::StrCat(user, ":", realm, ":", password));
    const std::string ha2 = Md5("INVITE:" + uri);
    const std::string response =
        Md5(absl::StrCat(ha1, ":", nonce, ":00000001:0a4f113b:auth:", ha2));
    storage = {"username=\"" + user + "\"",
               "realm=\"" + realm + "\"",
               "nonce=\"" + nonce + "\"",
               "uri=\"" + uri + "\"",
               "response=\"" + response + "\"",
               "algorithm=MD5",
               "qop=auth",
               "nc=00000001",
               "cnonce=\"0a4f113b\""};
    for (const auto& s : storage) params.push_back(s.c_str());
    params.push_back(nullptr);
  }
};

TEST_CASE("Digest: the right password on a fresh nonce passes", "[sip_access]") {
  DigestGuard guard("dialtone", "trunk", "s3cret");
  const absl::Time now = absl::Now();
  Credentials good("trunk", "s3cret", NonceOf(guard.Challenge(now)));
  CHECK(guard.Verify(good.params.data(), "INVITE", now + absl::Seconds(1)));
}

TEST_CASE("Digest: wrong password, user, realm, method, forged or stale nonce fail",
          "[sip_access]") {
  DigestGuard guard("dialtone", "trunk", "s3cret");
  const absl::Time now = absl::Now();
  const std::string nonce = NonceOf(guard.Challenge(now));
  CHECK_FALSE(guard.Verify(Credentials("trunk", "wrong", nonce).params.data(), "INVITE", now));
  CHECK_FALSE(guard.Verify(Credentials("other", "s3cret", nonce).params.data(), "INVITE", now));
  CHECK_FALSE(
      guard.Verify(Credentials("trunk", "s3cret", nonce, "evil").params.data(), "INVITE", now));
  CHECK_FALSE(guard.Verify(Credentials("trunk", "s3cret", nonce).params.data(), "BYE", now));
  // A nonce of another process (another secret) or one made up.
  DigestGuard other("dialtone", "trunk", "s3cret");
  CHECK_FALSE(guard.Verify(
      Credentials("trunk", "s3cret", NonceOf(other.Challenge(now))).params.data(), "INVITE", now));
  CHECK_FALSE(
      guard.Verify(Credentials("trunk", "s3cret", "12345.abc").params.data(), "INVITE", now));
  CHECK_FALSE(guard.Verify(Credentials("trunk", "s3cret", nonce).params.data(), "INVITE",
                           now + absl::Minutes(6)));
  const char* none[] = {nullptr};
  CHECK_FALSE(guard.Verify(none, "INVITE", now));
  CHECK_FALSE(guard.Verify(nullptr, "INVITE", now));
}

}  // namespace
}  // namespace dialtone::call_router
