// RTP (RFC 3550) headers, RFC 4733 telephone-events and RTCP sender reports, as bytes on the
// wire. Pure, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace dialtone::call_router {

inline constexpr size_t kRtpHeaderSize = 12;
inline constexpr int kPayloadPcmu = 0;
inline constexpr int kPayloadPcma = 8;
inline constexpr int kSamplesPerFrame = 160;  // 20 ms at 8 kHz

struct RtpHeader {
  bool marker = false;
  int payload_type = 0;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
};

// Writes the 12-byte header into `out` (at least kRtpHeaderSize bytes).
void WriteRtpHeader(const RtpHeader& header, uint8_t* out);

// A received packet: its header and where the payload is inside the datagram (after CSRCs and
// the header extension, before padding). nullopt for anything that is not RTP version 2 or does
// not add up.
struct RtpPacketView {
  RtpHeader header;
  size_t payload_offset = 0;
  size_t payload_size = 0;
};
std::optional<RtpPacketView> ParseRtp(const uint8_t* data, size_t size);

// True for RTCP (payload types 200-204 in the second byte), which may share the RTP port.
bool LooksLikeRtcp(const uint8_t* data, size_t size);

// RFC 4733 section 2.3: one named event.
struct DtmfEvent {
  int event = 0;  // 0-9, 10 = '*', 11 = '#', 12-15 = A-D
  bool end = false;
  int volume = 10;        // -dBm0, 0..63
  uint16_t duration = 0;  // in timestamp units
};
inline constexpr size_t kDtmfEventSize = 4;
void WriteDtmfEvent(const DtmfEvent& event, uint8_t* out);
std::optional<DtmfEvent> ParseDtmfEvent(const uint8_t* data, size_t size);
// '0'..'9', '*', '#', 'A'..'D' <-> event codes; -1 / '\0' when there is none.
int DtmfEventCode(char digit);
char DtmfDigit(int event);

// A minimal RTCP compound packet: a sender report (no report blocks) and an SDES CNAME.
// `ntp_time` is NTP-format seconds<<32 | fraction.
std::string RtcpSenderReport(uint32_t ssrc, uint64_t ntp_time, uint32_t rtp_timestamp,
                             uint32_t packets, uint32_t octets, const std::string& cname);

}  // namespace dialtone::call_router
