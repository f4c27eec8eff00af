// ParseRemoteSdp and LocalSdp.
#include "media/sdp.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace dialtone::call_router {
namespace {

constexpr int kMaxPayloadType = 127;

}  // namespace

absl::StatusOr<RemoteMedia> ParseRemoteSdp(std::string_view text) {
  const absl::string_view sdp(text.data(), text.size());
  std::string session_address;
  std::string media_address;
  bool in_audio = false;
  bool seen_audio = false;
  int port = -1;
  std::vector<int> formats;
  int dtmf = -1;
  std::vector<std::pair<int, std::string>> rtpmaps;
  for (absl::string_view line : absl::StrSplit(sdp, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.size() < 2 || line[1] != '=') continue;
    const char type = line[0];
    const absl::string_view value = line.substr(2);
    if (type == 'm') {
      in_audio = !seen_audio && absl::StartsWith(value, "audio ");
      if (!in_audio) continue;
      seen_audio = true;
      std::vector<absl::string_view> parts = absl::StrSplit(value, ' ', absl::SkipEmpty());
      if (parts.size() < 4 || !absl::SimpleAtoi(parts[1].substr(0, parts[1].find('/')), &port) ||
          port < 0 || port > 65535) {
        return absl::InvalidArgumentError("SDP m=audio line is malformed");
      }
      // RTP payload types are 7 bits (RFC 3550): anything else cannot be the codec or the
      // telephone-event type we send (an invariant of services/call-router/fuzz).
      for (size_t i = 3; i < parts.size(); ++i) {
        int pt = 0;
        if (absl::SimpleAtoi(parts[i], &pt) && pt >= 0 && pt <= kMaxPayloadType) {
          formats.push_back(pt);
        }
      }
    } else if (type == 'c') {
      std::vector<absl::string_view> parts = absl::StrSplit(value, ' ', absl::SkipEmpty());
      if (parts.size() < 3 || parts[0] != "IN") continue;
      std::string address(parts[2].substr(0, parts[2].find('/')));
      if (in_audio)
        media_address = address;
      else if (!seen_audio)
        session_address = address;
    } else if (type == 'a' && in_audio && absl::StartsWith(value, "rtpmap:")) {
      absl::string_view rest = value.substr(7);
      const size_t space = rest.find(' ');
      int pt = 0;
      if (space == absl::string_view::npos || !absl::SimpleAtoi(rest.substr(0, space), &pt))
        continue;
      rtpmaps.emplace_back(pt, absl::AsciiStrToLower(rest.substr(space + 1)));
    }
  }
  if (!seen_audio) return absl::InvalidArgumentError("SDP has no audio stream");
  RemoteMedia media;
  media.address = media_address.empty() ? session_address : media_address;
  media.port = port;
  if (media.address.empty()) return absl::InvalidArgumentError("SDP has no connection address");
  auto name_of = [&](int pt) -> std::string {
    for (const auto& [p, name] : rtpmaps) {
      if (p == pt) return name;
    }
    if (pt == kPayloadPcmu) return "pcmu/8000";
    if (pt == kPayloadPcma) return "pcma/8000";
    return "";
  };
  media.payload_type = -1;
  for (int pt : formats) {
    const std::string name = name_of(pt);
    if (media.payload_type < 0 && (name == "pcmu/8000" || name == "pcma/8000")) {
      media.payload_type = name == "pcmu/8000" ? 0 : 8;
    }
    if (dtmf < 0 && absl::StartsWith(name, "telephone-event/8000")) dtmf = pt;
  }
  if (media.payload_type < 0) {
    return absl::InvalidArgumentError("SDP offers neither PCMU nor PCMA");
  }
  media.dtmf_payload_type = dtmf;
  return media;
}

std::string LocalSdp(const std::string& address, int port, int payload_type, int dtmf_payload_type,
                     uint64_t session_version) {
  std::string formats;
  std::string maps;
  if (payload_type < 0 || payload_type == 0) {
    formats += " 0";
    maps += "a=rtpmap:0 PCMU/8000\r\n";
  }
  if (payload_type < 0 || payload_type == 8) {
    formats += " 8";
    maps += "a=rtpmap:8 PCMA/8000\r\n";
  }
  if (dtmf_payload_type >= 0) {
    absl::StrAppend(&formats, " ", dtmf_payload_type);
    absl::StrAppend(&maps, "a=rtpmap:", dtmf_payload_type,
                    " telephone-event/8000\r\na=fmtp:", dtmf_payload_type, " 0-16\r\n");
  }
  return absl::StrCat("v=0\r\no=Dialtone ", session_version, " ", session_version, " IN IP4 ",
                      address, "\r\ns=Dialtone\r\nc=IN IP4 ", address, "\r\nt=0 0\r\nm=audio ",
                      port, " RTP/AVP", formats, "\r\n", maps, "a=ptime:20\r\na=sendrecv\r\n");
}

}  // namespace dialtone::call_router
