// Which packets a call leg's RTP port takes (issue 21): only the far end the SDP names, and once
// one source is latched (symmetric RTP), only that source. Pure, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dialtone::call_router {

// Where a packet came from: IPv4 address and UDP port, host byte order.
struct RtpSource {
  uint32_t ip = 0;
  uint16_t port = 0;
  friend bool operator==(const RtpSource&, const RtpSource&) = default;
};

// What a leg knows about its far end.
struct RtpSourceRule {
  // NAT mode (DIALTONE_RTP_NAT): the first source latches whatever the SDP says, for callers
  // whose SDP names a private address behind a NAT.
  bool nat = false;
  // The SDP's connection address, when it gave a usable IPv4 address. Unset (no SDP yet, or an
  // address we cannot check: a host name, IPv6, 0.0.0.0): the first source latches.
  std::optional<uint32_t> sdp_ip;
};

enum class RtpSourceVerdict {
  kLatch,   // the first acceptable source: take it and answer it from now on
  kAccept,  // from the latched source
  kDrop,    // anyone else: neither heard nor answered, only counted
};

// The verdict on a packet from `from`, given the rule and the source latched so far (if any).
// Latched: only that exact address and port, so a later packet never moves the latch. Not yet
// latched: any source in NAT mode or when the SDP gave no address, otherwise only the SDP's IP
// (any port: the far end's NAT or a media server may send from another port than it named).
//
//   JudgeRtpSource({.sdp_ip = ip_a}, std::nullopt, {ip_b, 4000}) == RtpSourceVerdict::kDrop
RtpSourceVerdict JudgeRtpSource(const RtpSourceRule& rule, const std::optional<RtpSource>& latched,
                                const RtpSource& from);

// Whether a latched source still stands after the SDP changed (an answer that came after early
// packets): in NAT mode always, otherwise when it is from the SDP's IP (or the SDP gave none).
bool LatchHolds(const RtpSourceRule& rule, const RtpSource& latched);

// The SDP connection address as an IPv4 unicast address (host order), or nullopt for anything
// else: host names, IPv6, 0.0.0.0 (RFC 2543 hold), malformed text.
std::optional<uint32_t> SdpIpv4(std::string_view address);

}  // namespace dialtone::call_router
