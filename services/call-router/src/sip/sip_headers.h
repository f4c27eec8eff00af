// What the router reads from a SIP message once sofia-sip has parsed it: an incoming INVITE's
// parties and offer, the caller address a front proxy claims, the digest credentials of an
// INVITE and the answer to a trunk's challenge. Pure functions of the sip_t (which stays the
// caller's), any thread: SipStack calls them on the SIP thread, the SIP fuzzer
// (services/call-router/fuzz) on whatever bytes sofia-sip parsed.
#pragma once

#include <optional>
#include <string>

#include <sofia-sip/sip.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sip/sip_stack.h"

namespace dialtone::call_router {

// The INVITE as a call session sees it. InvalidArgument (the INVITE gets 400) when it has no
// To, From or Call-ID.
absl::StatusOr<SipInvite> ReadInvite(const sip_t* sip);

// The message body (an SDP offer or answer), empty when there is none.
std::string MessageBody(const sip_t* sip);

// The value of the last X-Dialtone-Source header (CallerAddress::kHeader), empty when there is
// none. Points into `sip`.
absl::string_view ClaimedSource(const sip_t* sip);

// The first Authorization header of the Digest scheme, or null.
const msg_auth_t* DigestCredentials(const sip_t* sip);

// What nua_authenticate() wants ("Digest:\"realm\":user:password") to answer the challenge of a
// 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) response; nullopt when `status` is neither
// or the response has no challenge with a scheme and a realm.
std::optional<std::string> ChallengeAnswer(const sip_t* sip, int status,
                                           const std::string& username,
                                           const std::string& password);

}  // namespace dialtone::call_router
