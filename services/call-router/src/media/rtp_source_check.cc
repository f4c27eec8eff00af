// JudgeRtpSource, LatchHolds and SdpIpv4.
#include "media/rtp_source_check.h"

#include <arpa/inet.h>

#include <string>

namespace dialtone::call_router {

RtpSourceVerdict JudgeRtpSource(const RtpSourceRule& rule, const std::optional<RtpSource>& latched,
                                const RtpSource& from) {
  if (latched) return from == *latched ? RtpSourceVerdict::kAccept : RtpSourceVerdict::kDrop;
  if (!rule.nat && rule.sdp_ip && from.ip != *rule.sdp_ip) return RtpSourceVerdict::kDrop;
  return RtpSourceVerdict::kLatch;
}

bool LatchHolds(const RtpSourceRule& rule, const RtpSource& latched) {
  return rule.nat || !rule.sdp_ip || latched.ip == *rule.sdp_ip;
}

std::optional<uint32_t> SdpIpv4(std::string_view address) {
  in_addr addr{};
  // inet_pton takes only the four-part dotted decimal form: no octal, hex or short spellings.
  if (inet_pton(AF_INET, std::string(address).c_str(), &addr) != 1) return std::nullopt;
  const uint32_t ip = ntohl(addr.s_addr);
  if (ip == 0) return std::nullopt;
  return ip;
}

}  // namespace dialtone::call_router
