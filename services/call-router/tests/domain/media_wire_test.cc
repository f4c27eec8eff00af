// RTP/RFC 4733/RTCP bytes and SDP offer/answer for the audio path.
#include <catch2/catch.hpp>

#include <vector>

#include "media/rtp_wire.h"
#include "media/sdp.h"

namespace dialtone::call_router {
namespace {

TEST_CASE("An RTP header round-trips, marker and all", "[rtp]") {
  uint8_t buf[kRtpHeaderSize + 4] = {};
  WriteRtpHeader({.marker = true,
                  .payload_type = 8,
                  .sequence = 65535,
                  .timestamp = 0xdeadbeef,
                  .ssrc = 0x01020304},
                 buf);
  CHECK(buf[0] == 0x80);
  CHECK(buf[1] == (0x80 | 8));
  auto v = ParseRtp(buf, sizeof buf);
  REQUIRE(v.has_value());
  CHECK(v->header.marker);
  CHECK(v->header.payload_type == 8);
  CHECK(v->header.sequence == 65535);
  CHECK(v->header.timestamp == 0xdeadbeef);
  CHECK(v->header.ssrc == 0x01020304);
  CHECK(v->payload_offset == kRtpHeaderSize);
  CHECK(v->payload_size == 4);
}

TEST_CASE("RTP with CSRCs, an extension and padding finds its payload", "[rtp]") {
  // V=2 P=1 X=1 CC=1, PT 0; 1 CSRC; extension of 1 word; payload 3 bytes; 2 padding bytes.
  std::vector<uint8_t> p = {0xb1, 0x00, 0,    1, 0, 0, 0, 160, 0, 0, 0, 7,  // header
                            0,    0,    0,    9,                            // CSRC
                            0xbe, 0xde, 0,    1, 1, 2, 3, 4,                // extension
                            0xaa, 0xbb, 0xcc, 0, 2};                        // payload + padding
  auto v = ParseRtp(p.data(), p.size());
  REQUIRE(v.has_value());
  CHECK(v->payload_offset == 24);
  CHECK(v->payload_size == 3);
  CHECK(p[v->payload_offset] == 0xaa);
}

TEST_CASE("Garbage is not RTP", "[rtp]") {
  std::vector<uint8_t> short_packet = {0x80, 0, 0};
  CHECK_FALSE(ParseRtp(short_packet.data(), short_packet.size()).has_value());
  std::vector<uint8_t> v1(20, 0x40);
  CHECK_FALSE(ParseRtp(v1.data(), v1.size()).has_value());
  std::vector<uint8_t> bad_csrc = {0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK_FALSE(ParseRtp(bad_csrc.data(), bad_csrc.size()).has_value());
  std::vector<uint8_t> bad_pad = {0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 40};
  CHECK_FALSE(ParseRtp(bad_pad.data(), bad_pad.size()).has_value());
  std::vector<uint8_t> rtcp = {0x80, 200, 0, 6};
  CHECK(LooksLikeRtcp(rtcp.data(), rtcp.size()));
}

TEST_CASE("RFC 4733 events round-trip and map to digits", "[rtp]") {
  uint8_t buf[kDtmfEventSize];
  WriteDtmfEvent({.event = 11, .end = true, .volume = 10, .duration = 800}, buf);
  auto e = ParseDtmfEvent(buf, sizeof buf);
  REQUIRE(e.has_value());
  CHECK(e->event == 11);
  CHECK(e->end);
  CHECK(e->volume == 10);
  CHECK(e->duration == 800);
  CHECK(DtmfDigit(11) == '#');
  CHECK(DtmfDigit(10) == '*');
  CHECK(DtmfDigit(7) == '7');
  CHECK(DtmfDigit(16) == '\0');
  CHECK(DtmfEventCode('#') == 11);
  CHECK(DtmfEventCode('w') == -1);
}

TEST_CASE("An RTCP sender report is a well-formed compound packet", "[rtp]") {
  std::string sr =
      RtcpSenderReport(0x11223344, 0x0102030405060708ULL, 16000, 100, 16000, "dialtone");
  REQUIRE(sr.size() % 4 == 0);
  const auto* p = reinterpret_cast<const uint8_t*>(sr.data());
  CHECK(p[1] == 200);
  CHECK(((p[2] << 8 | p[3]) + 1) * 4 == 28);
  CHECK(p[28 + 1] == 202);
  CHECK(((p[30] << 8 | p[31]) + 1) * 4 == static_cast<int>(sr.size()) - 28);
}

constexpr char kSippOffer[] =
    "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\nm=audio 6000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n";

TEST_CASE("SDP: SIPp's offer gives PCMU, its address and port, and telephone-event", "[sdp]") {
  auto m = ParseRemoteSdp(kSippOffer);
  REQUIRE(m.ok());
  CHECK(m->address == "127.0.0.1");
  CHECK(m->port == 6000);
  CHECK(m->payload_type == 0);
  CHECK(m->dtmf_payload_type == 101);
}

TEST_CASE("SDP: the first G.711 offered wins; media-level c= beats the session's", "[sdp]") {
  auto m = ParseRemoteSdp(
      "v=0\nc=IN IP4 192.0.2.1\nm=video 5000 RTP/AVP 96\nc=IN IP4 192.0.2.9\n"
      "m=audio 7078 RTP/AVP 18 8 0 96\nc=IN IP4 198.51.100.7\na=rtpmap:96 telephone-event/8000\n");
  REQUIRE(m.ok());
  CHECK(m->address == "198.51.100.7");
  CHECK(m->port == 7078);
  CHECK(m->payload_type == 8);
  CHECK(m->dtmf_payload_type == 96);
}

TEST_CASE("SDP without audio, address or G.711 is refused", "[sdp]") {
  CHECK_FALSE(ParseRemoteSdp("v=0\r\nc=IN IP4 1.2.3.4\r\nm=video 5000 RTP/AVP 96\r\n").ok());
  CHECK_FALSE(ParseRemoteSdp("v=0\r\nm=audio 5000 RTP/AVP 0\r\n").ok());
  CHECK_FALSE(ParseRemoteSdp("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 5000 RTP/AVP 18 9\r\n").ok());
  CHECK_FALSE(ParseRemoteSdp("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n").ok());
  CHECK_FALSE(ParseRemoteSdp("").ok());
}

TEST_CASE("SDP: formats that are not 7-bit RTP payload types are ignored", "[sdp]") {
  // telephone-event offered on 300, -2 or 2^31 is not a type we could send: no DTMF.
  for (const char* pt : {"300", "-2", "2147483648", "128"}) {
    const std::string offer = std::string("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 6000 RTP/AVP 0 ") +
                              pt + "\r\na=rtpmap:" + pt + " telephone-event/8000\r\n";
    auto m = ParseRemoteSdp(offer);
    REQUIRE(m.ok());
    CHECK(m->payload_type == 0);
    CHECK(m->dtmf_payload_type == -1);
  }
  // PCMA mapped on 264 (264 & 0x7f == 8) is not PCMA: no G.711 left.
  CHECK_FALSE(ParseRemoteSdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 6000 RTP/AVP 264\r\n"
                             "a=rtpmap:264 PCMA/8000\r\n")
                  .ok());
  auto edge = ParseRemoteSdp(
      "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 6000 RTP/AVP 8 127\r\na=rtpmap:127 "
      "telephone-event/8000\r\n");
  REQUIRE(edge.ok());
  CHECK(edge->dtmf_payload_type == 127);
}

TEST_CASE("SDP: our answer names one codec; our offer both", "[sdp]") {
  std::string answer = LocalSdp("192.0.2.5", 20002, 8, 101);
  CHECK(answer.find("m=audio 20002 RTP/AVP 8 101\r\n") != std::string::npos);
  CHECK(answer.find("c=IN IP4 192.0.2.5\r\n") != std::string::npos);
  CHECK(answer.find("a=rtpmap:0") == std::string::npos);
  std::string offer = LocalSdp("192.0.2.5", 20004, -1, 101);
  CHECK(offer.find("m=audio 20004 RTP/AVP 0 8 101\r\n") != std::string::npos);
  auto parsed = ParseRemoteSdp(offer);
  REQUIRE(parsed.ok());
  CHECK(parsed->payload_type == 0);
  CHECK(parsed->dtmf_payload_type == 101);
}

}  // namespace
}  // namespace dialtone::call_router
