// libFuzzer target on the SIP request path: bytes from the network go through sofia-sip's
// parser as nua's transport does, then through what SipStack and the call session do with the
// parsed message: an incoming request's INVITE fields, the caller address and allow-list check,
// digest credentials, the SDP offer; a response's challenge and SDP answer. None of it may
// crash, leak, hang or break the invariants checked below. Built by CMakeLists.txt here with
// clang; run by run_sip_fuzzer.sh (ctest: call_router_sip_fuzz).
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <sofia-sip/msg.h>
#include <sofia-sip/msg_buffer.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "media/sdp.h"
#include "sip/sip_access.h"
#include "sip/sip_headers.h"

namespace dialtone::call_router {
namespace {

// The front proxy this router trusts, and a caller that is not it.
constexpr char kProxy[] = "192.0.2.5";
constexpr char kStranger[] = "203.0.113.9";
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

[[noreturn]] void Violation(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "invariant broken: %s [%.*s]\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

sockaddr_in Ipv4(const char* text) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  inet_pton(AF_INET, text, &in.sin_addr);
  return in;
}

bool IsAddress(const std::string& text) {
  unsigned char bytes[16];
  return inet_pton(AF_INET, text.c_str(), bytes) == 1 ||
         inet_pton(AF_INET6, text.c_str(), bytes) == 1;
}

struct Fixture {
  SourceAllowList allowed = *SourceAllowList::Parse("198.51.100.0/24, 2001:db8::/32");
  CallerAddress caller = *CallerAddress::Parse(kProxy);
  DigestGuard guard{"dialtone", "trunk", "s3cret"};
  std::string nonce;  // a fresh one of `guard`: seeds say NONCE where it goes

  Fixture() {
    const std::string challenge = guard.Challenge(kNow);
    const size_t start = challenge.find("nonce=\"") + 7;
    nonce = challenge.substr(start, challenge.find('"', start) - start);
  }
};

// What the call session and a Dial leg do with a remote SDP, and what we answer.
void CheckSdp(const std::string& sdp) {
  if (sdp.empty()) return;
  const absl::StatusOr<RemoteMedia> media = ParseRemoteSdp(sdp);
  if (!media.ok()) return;
  if (media->address.empty()) Violation("SDP accepted without an address", sdp);
  if (media->port < 0 || media->port > 65535) Violation("SDP port out of range", sdp);
  if (media->payload_type != 0 && media->payload_type != 8) Violation("codec not G.711", sdp);
  if (media->dtmf_payload_type < -1 || media->dtmf_payload_type > 127) {
    Violation("telephone-event payload type is not an RTP payload type", sdp);
  }
  // Our answer names the codec and the telephone-event type the offer chose; it reads back so.
  const std::string answer =
      LocalSdp("192.0.2.1", 40000, media->payload_type, media->dtmf_payload_type);
  const absl::StatusOr<RemoteMedia> again = ParseRemoteSdp(answer);
  if (!again.ok() || again->payload_type != media->payload_type ||
      again->dtmf_payload_type != media->dtmf_payload_type) {
    Violation("our SDP answer does not read back", answer);
  }
}

void CheckRequest(const Fixture& f, const sip_t* sip) {
  const absl::StatusOr<SipInvite> invite = ReadInvite(sip);
  if (!invite.ok()) {
    if (sip->sip_to != nullptr && sip->sip_from != nullptr && sip->sip_call_id != nullptr) {
      Violation("an INVITE with To, From and Call-ID refused");
    }
    return;
  }

  // Admission: the caller's address (a stranger's claim counts for nothing), the allow-list.
  const absl::string_view claimed = ClaimedSource(sip);
  const sockaddr_in proxy = Ipv4(kProxy);
  const sockaddr_in stranger = Ipv4(kStranger);
  const std::string via_proxy = f.caller.Of(reinterpret_cast<const sockaddr*>(&proxy), claimed);
  const std::string direct = f.caller.Of(reinterpret_cast<const sockaddr*>(&stranger), claimed);
  if (direct != kStranger) Violation("a stranger picked its own address", direct);
  if (via_proxy != kProxy &&
      (!IsAddress(via_proxy) || via_proxy != absl::StripAsciiWhitespace(claimed))) {
    Violation("the proxy's claim is not an address", via_proxy);
  }
  (void)f.allowed.Allows(via_proxy);

  if (const msg_auth_t* credentials = DigestCredentials(sip)) {
    if (credentials->au_scheme == nullptr ||
        !absl::EqualsIgnoreCase(credentials->au_scheme, "Digest")) {
      Violation("credentials of another scheme");
    }
    // Without the password nobody passes (the seeds' responses are not right).
    if (f.guard.Verify(credentials->au_params, "INVITE", kNow)) Violation("forged credentials");
  }
  CheckSdp(invite->sdp);
}

void CheckResponse(const sip_t* sip) {
  const int status = sip->sip_status->st_status;
  if (const auto answer = ChallengeAnswer(sip, status, "trunk", "s3cret")) {
    if (status != 401 && status != 407) Violation("a challenge answered for another status");
    if (answer->size() < 15 || answer->substr(answer->size() - 13) != ":trunk:s3cret") {
      Violation("credentials do not end with ours", *answer);
    }
  }
  CheckSdp(MessageBody(sip));
}

}  // namespace
}  // namespace dialtone::call_router

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dialtone::call_router;
  static const Fixture fixture;
  if (size == 0) return 0;
  const std::string bytes = absl::StrReplaceAll(
      absl::string_view(reinterpret_cast<const char*>(data), size), {{"NONCE", fixture.nonce}});

  // As tport hands a datagram to nta: the whole message in one buffer, end of stream.
  msg_t* msg = msg_create(sip_default_mclass(), 0);
  if (msg == nullptr) return 0;
  void* buffer = msg_buf_alloc(msg, bytes.size() + 1);
  if (buffer != nullptr && msg_buf_size(msg) >= bytes.size()) {
    std::memcpy(buffer, bytes.data(), bytes.size());
    msg_buf_commit(msg, bytes.size(), 1);
    const sip_t* sip = msg_extract(msg) > 0 ? sip_object(msg) : nullptr;
    if (sip != nullptr && sip->sip_request != nullptr) CheckRequest(fixture, sip);
    if (sip != nullptr && sip->sip_status != nullptr) CheckResponse(sip);
  }
  msg_destroy(msg);
  return 0;
}
