// The SDP of our calls (RFC 4566, offer/answer of RFC 3264) for one audio stream: G.711 PCMU or
// PCMA at 20 ms, and telephone-event (RFC 4733). Pure, any thread.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "media/rtp_wire.h"

namespace dialtone::call_router {

struct RemoteMedia {
  std::string address;         // c= of the media (or the session)
  int port = 0;                // m=audio port; 0 means the stream is refused/disabled
  int payload_type = 0;        // the codec we use: 0 (PCMU) or 8 (PCMA), the first offered
  int dtmf_payload_type = -1;  // telephone-event/8000, -1 when not offered
};

// Reads a remote offer or answer. InvalidArgument when there is no audio stream, no address,
// or neither PCMU nor PCMA among its formats (the call then gets 488).
absl::StatusOr<RemoteMedia> ParseRemoteSdp(std::string_view sdp);

// Our SDP. With `payload_type` < 0 it is an offer of PCMU and PCMA; otherwise an answer naming
// only the chosen codec. telephone-event uses `dtmf_payload_type` (101 in offers).
std::string LocalSdp(const std::string& address, int port, int payload_type, int dtmf_payload_type,
                     uint64_t session_version = 1);

}  // namespace dialtone::call_router
