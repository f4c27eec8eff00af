// RTP, RFC 4733 and RTCP encoding.
#include "media/rtp_wire.h"

namespace dialtone::call_router {
namespace {

void Put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void Put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
uint16_t Get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t Get32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}

}  // namespace

void WriteRtpHeader(const RtpHeader& h, uint8_t* out) {
  out[0] = 0x80;  // version 2, no padding, no extension, no CSRC
  out[1] = static_cast<uint8_t>((h.marker ? 0x80 : 0) | (h.payload_type & 0x7f));
  Put16(out + 2, h.sequence);
  Put32(out + 4, h.timestamp);
  Put32(out + 8, h.ssrc);
}

std::optional<RtpPacketView> ParseRtp(const uint8_t* data, size_t size) {
  if (size < kRtpHeaderSize || (data[0] >> 6) != 2) return std::nullopt;
  RtpPacketView v;
  v.header.marker = (data[1] & 0x80) != 0;
  v.header.payload_type = data[1] & 0x7f;
  v.header.sequence = Get16(data + 2);
  v.header.timestamp = Get32(data + 4);
  v.header.ssrc = Get32(data + 8);
  size_t offset = kRtpHeaderSize + 4 * static_cast<size_t>(data[0] & 0x0f);
  if (offset > size) return std::nullopt;
  if ((data[0] & 0x10) != 0) {  // header extension: 4 bytes, then length words
    if (offset + 4 > size) return std::nullopt;
    offset += 4 + 4 * static_cast<size_t>(Get16(data + offset + 2));
    if (offset > size) return std::nullopt;
  }
  size_t end = size;
  if ((data[0] & 0x20) != 0) {  // padding: the last byte counts it
    const size_t pad = data[size - 1];
    if (pad == 0 || pad > end - offset) return std::nullopt;
    end -= pad;
  }
  v.payload_offset = offset;
  v.payload_size = end - offset;
  return v;
}

bool LooksLikeRtcp(const uint8_t* data, size_t size) {
  return size >= 2 && (data[0] >> 6) == 2 && data[1] >= 200 && data[1] <= 204;
}

void WriteDtmfEvent(const DtmfEvent& e, uint8_t* out) {
  out[0] = static_cast<uint8_t>(e.event);
  out[1] = static_cast<uint8_t>((e.end ? 0x80 : 0) | (e.volume & 0x3f));
  Put16(out + 2, e.duration);
}

std::optional<DtmfEvent> ParseDtmfEvent(const uint8_t* data, size_t size) {
  if (size < kDtmfEventSize) return std::nullopt;
  DtmfEvent e;
  e.event = data[0];
  e.end = (data[1] & 0x80) != 0;
  e.volume = data[1] & 0x3f;
  e.duration = Get16(data + 2);
  return e;
}

int DtmfEventCode(char d) {
  if (d >= '0' && d <= '9') return d - '0';
  if (d == '*') return 10;
  if (d == '#') return 11;
  if (d >= 'A' && d <= 'D') return 12 + (d - 'A');
  if (d >= 'a' && d <= 'd') return 12 + (d - 'a');
  return -1;
}

char DtmfDigit(int event) {
  static constexpr char kDigits[] = "0123456789*#ABCD";
  return event >= 0 && event < 16 ? kDigits[event] : '\0';
}

std::string RtcpSenderReport(uint32_t ssrc, uint64_t ntp_time, uint32_t rtp_timestamp,
                             uint32_t packets, uint32_t octets, const std::string& cname) {
  std::string out(28, '\0');
  auto* p = reinterpret_cast<uint8_t*>(out.data());
  p[0] = 0x80;      // V=2, RC=0
  p[1] = 200;       // SR
  Put16(p + 2, 6);  // length in 32-bit words minus one
  Put32(p + 4, ssrc);
  Put32(p + 8, static_cast<uint32_t>(ntp_time >> 32));
  Put32(p + 12, static_cast<uint32_t>(ntp_time));
  Put32(p + 16, rtp_timestamp);
  Put32(p + 20, packets);
  Put32(p + 24, octets);
  // SDES with one chunk: SSRC, CNAME item, end, padded to a word.
  const size_t name = cname.size() > 255 ? 255 : cname.size();
  size_t chunk = 4 + 2 + name + 1;
  chunk = (chunk + 3) / 4 * 4;
  std::string sdes(4 + chunk, '\0');
  auto* s = reinterpret_cast<uint8_t*>(sdes.data());
  s[0] = 0x81;  // V=2, SC=1
  s[1] = 202;   // SDES
  Put16(s + 2, static_cast<uint16_t>(sdes.size() / 4 - 1));
  Put32(s + 4, ssrc);
  s[8] = 1;  // CNAME
  s[9] = static_cast<uint8_t>(name);
  for (size_t i = 0; i < name; ++i) s[10 + i] = static_cast<uint8_t>(cname[i]);
  return out + sdes;
}

}  // namespace dialtone::call_router
