// Which RTP sources a call leg takes: the SDP's address, the latch, NAT mode.
#include "media/rtp_source_check.h"

#include <catch2/catch.hpp>

namespace dialtone::call_router {
namespace {

constexpr uint32_t kCaller = 0xc0000201;    // 192.0.2.1, the SDP's address
constexpr uint32_t kAttacker = 0xc6336401;  // 198.51.100.1

using V = RtpSourceVerdict;

TEST_CASE("Strict mode: the first packet from the SDP's IP latches, on any port", "[rtp_source]") {
  const RtpSourceRule rule{.nat = false, .sdp_ip = kCaller};
  CHECK(JudgeRtpSource(rule, std::nullopt, {kCaller, 4000}) == V::kLatch);
  CHECK(JudgeRtpSource(rule, std::nullopt, {kCaller, 31337}) == V::kLatch);
}

TEST_CASE("Strict mode: another IP is dropped even before anything latched", "[rtp_source]") {
  const RtpSourceRule rule{.nat = false, .sdp_ip = kCaller};
  CHECK(JudgeRtpSource(rule, std::nullopt, {kAttacker, 4000}) == V::kDrop);
  CHECK(JudgeRtpSource(rule, std::nullopt, {kCaller + 1, 4000}) == V::kDrop);
}

TEST_CASE("NAT mode: the first source latches whatever the SDP says", "[rtp_source]") {
  const RtpSourceRule rule{.nat = true, .sdp_ip = kCaller};
  CHECK(JudgeRtpSource(rule, std::nullopt, {kAttacker, 4000}) == V::kLatch);
}

TEST_CASE("Without an SDP address the first source latches", "[rtp_source]") {
  const RtpSourceRule rule{.nat = false, .sdp_ip = std::nullopt};
  CHECK(JudgeRtpSource(rule, std::nullopt, {kAttacker, 4000}) == V::kLatch);
}

TEST_CASE("Once latched only that address and port are taken, in either mode", "[rtp_source]") {
  const RtpSource latched{kCaller, 4000};
  for (bool nat : {false, true}) {
    const RtpSourceRule rule{.nat = nat, .sdp_ip = kCaller};
    CHECK(JudgeRtpSource(rule, latched, {kCaller, 4000}) == V::kAccept);
    CHECK(JudgeRtpSource(rule, latched, {kCaller, 4002}) == V::kDrop);  // same IP, other port
    CHECK(JudgeRtpSource(rule, latched, {kAttacker, 4000}) == V::kDrop);
    // Nothing moves it: not even many packets from another source (the verdict has no state).
    for (int i = 0; i < 100; ++i)
      CHECK(JudgeRtpSource(rule, latched, {kAttacker, 5000}) == V::kDrop);
    CHECK(JudgeRtpSource(rule, latched, {kCaller, 4000}) == V::kAccept);
  }
  const RtpSourceRule no_sdp{.nat = false, .sdp_ip = std::nullopt};
  CHECK(JudgeRtpSource(no_sdp, latched, {kAttacker, 4000}) == V::kDrop);
}

TEST_CASE("A latch from before the SDP holds only when it is from the SDP's IP", "[rtp_source]") {
  CHECK(LatchHolds({.nat = false, .sdp_ip = kCaller}, {kCaller, 9}));
  CHECK_FALSE(LatchHolds({.nat = false, .sdp_ip = kCaller}, {kAttacker, 9}));
  CHECK(LatchHolds({.nat = true, .sdp_ip = kCaller}, {kAttacker, 9}));
  CHECK(LatchHolds({.nat = false, .sdp_ip = std::nullopt}, {kAttacker, 9}));
}

TEST_CASE("SDP addresses: only dotted IPv4 unicast is checkable", "[rtp_source]") {
  CHECK(SdpIpv4("192.0.2.1") == kCaller);
  CHECK(SdpIpv4("127.0.0.1") == 0x7f000001u);
  CHECK_FALSE(SdpIpv4("0.0.0.0"));  // RFC 2543 hold
  CHECK_FALSE(SdpIpv4("pbx.example.com"));
  CHECK_FALSE(SdpIpv4("2001:db8::1"));
  CHECK_FALSE(SdpIpv4("0177.0.0.1"));  // octal spelling
  CHECK_FALSE(SdpIpv4("127.1"));
  CHECK_FALSE(SdpIpv4(""));
}

}  // namespace
}  // namespace dialtone::call_router
