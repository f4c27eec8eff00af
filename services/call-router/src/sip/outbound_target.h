// Where an outbound call goes: the To and From of a Calls API request turned into the SIP
// request we send, with Twilio's error codes for values that cannot be called. Pure.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace dialtone::call_router {

inline constexpr int kErrorToMissing = 21201;    // "No 'To' number is specified"
inline constexpr int kErrorInvalidTo = 21211;    // "Invalid 'To' Phone Number"
inline constexpr int kErrorInvalidFrom = 21212;  // "Invalid 'From' Phone Number"
inline constexpr int kErrorFromMissing = 21213;  // "No 'From' number is specified"

struct OutboundTarget {
  std::string request_uri;  // what the INVITE is addressed to
  std::string from_uri;     // our From header
  std::string proxy;        // the trunk for phone numbers; empty for SIP URIs
  bool is_sip = false;      // To was a SIP URI
};

// `to`: a SIP URI ("sip:alice@10.0.0.5:5070", optional ";transport=tcp") goes there directly;
// an E.164 number goes to `trunk` ("sip:trunk.example.com:5060"), and needs one (FailedPrecondition
// otherwise). `from`: an E.164 number or, for SIP callees, a SIP URI or a plain user name.
// `local_host` ("127.0.0.1:5060") completes From URIs.
// Example: OutboundTargetFor("+15551230000", "+15557650000", "sip:10.0.0.1", "192.0.2.1:5060")
//   -> {request_uri "sip:+15551230000@10.0.0.1", from_uri "sip:+15557650000@192.0.2.1:5060",
//       proxy "sip:10.0.0.1"}
absl::StatusOr<OutboundTarget> OutboundTargetFor(std::string_view to, std::string_view from,
                                                 std::string_view trunk,
                                                 std::string_view local_host);

}  // namespace dialtone::call_router
