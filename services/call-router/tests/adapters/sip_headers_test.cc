// What SipStack reads from a message sofia-sip parsed (sip/sip_headers.h), on messages parsed
// here by sofia-sip's own parser as nua's transport parses a datagram.
#include "sip/sip_headers.h"

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_buffer.h>
#include <sofia-sip/sip_protos.h>
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

namespace dialtone::call_router {
namespace {

// One message parsed from `text`; sip() is null when sofia-sip could not parse it.
class Parsed {
 public:
  explicit Parsed(const std::string& text) : msg_(msg_create(sip_default_mclass(), 0)) {
    void* buffer = msg_buf_alloc(msg_, text.size() + 1);
    std::memcpy(buffer, text.data(), text.size());
    msg_buf_commit(msg_, text.size(), 1);
    if (msg_extract(msg_) > 0) sip_ = sip_object(msg_);
  }
  ~Parsed() { msg_destroy(msg_); }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;
  const sip_t* sip() const { return sip_; }

 private:
  msg_t* msg_;
  const sip_t* sip_ = nullptr;
};

std::string Invite(const std::string& headers, const std::string& body = "") {
  return "INVITE sip:+15005550006@192.0.2.1 SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 192.0.2.20:5061;branch=z9hG4bK-1\r\n"
         "From: \"Alice A\" <sip:+15551234567@192.0.2.20:5061>;tag=1\r\n"
         "To: <sip:+15005550006@192.0.2.1>\r\n"
         "Call-ID: c-1@192.0.2.20\r\n"
         "CSeq: 1 INVITE\r\n" +
         headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST_CASE("An INVITE's parties, Call-ID and offer are read", "[sip_headers]") {
  const std::string sdp = "v=0\r\nc=IN IP4 192.0.2.20\r\nm=audio 6000 RTP/AVP 0\r\n";
  Parsed m(Invite("Content-Type: application/sdp\r\n", sdp));
  REQUIRE(m.sip() != nullptr);
  auto invite = ReadInvite(m.sip());
  REQUIRE(invite.ok());
  CHECK(invite->from_user == "+15551234567");
  CHECK(invite->from_uri == "sip:+15551234567@192.0.2.20");
  CHECK(invite->to_user == "+15005550006");
  CHECK(invite->call_id == "c-1@192.0.2.20");
  CHECK(invite->display_name == "\"Alice A\"");
  CHECK(invite->sdp == sdp);
}

TEST_CASE("A From without a user names the host alone", "[sip_headers]") {
  Parsed m(
      "INVITE sip:bob@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.20;branch=z9hG4bK-2\r\n"
      "From: <sip:192.0.2.20>;tag=1\r\nTo: <sip:bob@192.0.2.1>\r\nCall-ID: c-2\r\n"
      "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
  REQUIRE(m.sip() != nullptr);
  auto invite = ReadInvite(m.sip());
  REQUIRE(invite.ok());
  CHECK(invite->from_user.empty());
  CHECK(invite->from_uri == "sip:192.0.2.20");
  CHECK(invite->sdp.empty());
}

TEST_CASE("An INVITE without a Call-ID is refused", "[sip_headers]") {
  Parsed m(
      "INVITE sip:bob@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.20;branch=z9hG4bK-3\r\n"
      "From: <sip:a@192.0.2.20>;tag=1\r\nTo: <sip:bob@192.0.2.1>\r\n"
      "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
  REQUIRE(m.sip() != nullptr);
  CHECK(absl::IsInvalidArgument(ReadInvite(m.sip()).status()));
  CHECK(absl::IsInvalidArgument(ReadInvite(nullptr).status()));
}

TEST_CASE("The last X-Dialtone-Source counts, in any case", "[sip_headers]") {
  Parsed none(Invite(""));
  REQUIRE(none.sip() != nullptr);
  CHECK(ClaimedSource(none.sip()).empty());
  Parsed two(Invite("X-Dialtone-Source: 198.51.100.7\r\nx-dialtone-source: 198.51.100.8\r\n"));
  REQUIRE(two.sip() != nullptr);
  CHECK(ClaimedSource(two.sip()) == "198.51.100.8");
}

TEST_CASE("Digest credentials are found among other schemes", "[sip_headers]") {
  Parsed basic(Invite("Authorization: Basic dHJ1bms6czNjcmV0\r\n"));
  REQUIRE(basic.sip() != nullptr);
  CHECK(DigestCredentials(basic.sip()) == nullptr);
  Parsed both(
      Invite("Authorization: Basic dHJ1bms6czNjcmV0\r\n"
             "Authorization: digest username=\"trunk\", realm=\"dialtone\"\r\n"));
  REQUIRE(both.sip() != nullptr);
  const msg_auth_t* credentials = DigestCredentials(both.sip());
  REQUIRE(credentials != nullptr);
  CHECK(std::string(credentials->au_scheme) == "digest");
}

TEST_CASE("A trunk's 401 or 407 challenge is answered with our credentials", "[sip_headers]") {
  const std::string head =
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-9\r\nFrom: <sip:a@192.0.2.1>;tag=1\r\n"
      "To: <sip:b@192.0.2.30>;tag=2\r\nCall-ID: out-1\r\nCSeq: 1 INVITE\r\n";
  Parsed www("SIP/2.0 401 Unauthorized\r\n" + head +
             "WWW-Authenticate: Digest realm=\"trunk.example.com\", nonce=\"4f\"\r\n"
             "Content-Length: 0\r\n\r\n");
  REQUIRE(www.sip() != nullptr);
  CHECK(ChallengeAnswer(www.sip(), 401, "u", "p") == "Digest:\"trunk.example.com\":u:p");
  CHECK_FALSE(ChallengeAnswer(www.sip(), 407, "u", "p").has_value());  // no Proxy-Authenticate
  CHECK_FALSE(ChallengeAnswer(www.sip(), 403, "u", "p").has_value());

  Parsed proxy("SIP/2.0 407 Proxy Authentication Required\r\n" + head +
               "Proxy-Authenticate: Digest realm=\"edge\", nonce=\"5e\"\r\n"
               "Content-Length: 0\r\n\r\n");
  REQUIRE(proxy.sip() != nullptr);
  CHECK(ChallengeAnswer(proxy.sip(), 407, "u", "p") == "Digest:\"edge\":u:p");

  Parsed no_realm("SIP/2.0 401 Unauthorized\r\n" + head +
                  "WWW-Authenticate: Digest nonce=\"4f\"\r\nContent-Length: 0\r\n\r\n");
  REQUIRE(no_realm.sip() != nullptr);
  CHECK_FALSE(ChallengeAnswer(no_realm.sip(), 401, "u", "p").has_value());
}

}  // namespace
}  // namespace dialtone::call_router
