// OutboundTargetFor.
#include "sip/outbound_target.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/resource_validation.h"
#include "calls/twiml_names.h"

namespace dialtone::call_router {
namespace {

// Abseil here has its own string_view type.
absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool HasSipScheme(std::string_view s) { return absl::StartsWithIgnoreCase(A(s), "sip:"); }

// Characters a SIP URI may carry here: no spaces, angle brackets, quotes or line breaks, so
// nothing a caller sends can add a header to our INVITE.
bool SafeUriChars(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\') return false;
  }
  return true;
}

// "sip:user@host[:port][;params]" with a non-empty host.
bool IsSipUri(std::string_view s) {
  if (!HasSipScheme(s) || !SafeUriChars(s)) return false;
  std::string_view rest = s.substr(4);
  const size_t at = rest.find('@');
  std::string_view host = at == std::string_view::npos ? rest : rest.substr(at + 1);
  if (at == 0) return false;
  host = host.substr(0, host.find_first_of(";?"));
  return !host.empty() && host.front() != ':';
}

bool IsUserName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<OutboundTarget> OutboundTargetFor(std::string_view to, std::string_view from,
                                                 std::string_view trunk,
                                                 std::string_view local_host) {
  if (to.empty()) return TwimlError(kErrorToMissing, "A 'To' phone number is required.");
  if (from.empty()) return TwimlError(kErrorFromMissing, "A 'From' phone number is required.");
  OutboundTarget target;
  target.is_sip = HasSipScheme(to);
  if (target.is_sip) {
    if (!IsSipUri(to)) {
      return TwimlError(kErrorInvalidTo,
                        absl::StrCat("The 'To' SIP URI ", A(to), " is not valid."));
    }
    target.request_uri = std::string(to);
  } else {
    if (!ValidatePhoneNumber(to).ok()) {
      return TwimlError(kErrorInvalidTo,
                        absl::StrCat("The 'To' number ", A(to), " is not a valid phone number."));
    }
    if (trunk.empty()) {
      return absl::FailedPreconditionError(
          "calls to phone numbers need a SIP trunk, and none is configured (sip_trunk)");
    }
    std::string_view host = trunk.substr(HasSipScheme(trunk) ? 4 : 0);
    host = host.substr(0, host.find(';'));
    target.request_uri = absl::StrCat("sip:", A(to), "@", A(host));
    target.proxy = HasSipScheme(trunk) ? std::string(trunk) : absl::StrCat("sip:", A(trunk));
  }
  if (IsSipUri(from)) {
    if (!target.is_sip) {
      return TwimlError(kErrorInvalidFrom,
                        "A call to a phone number needs a phone number as 'From'.");
    }
    target.from_uri = std::string(from);
  } else if (ValidatePhoneNumber(from).ok() || (target.is_sip && IsUserName(from))) {
    target.from_uri = absl::StrCat("sip:", A(from), "@", A(local_host));
  } else {
    return TwimlError(kErrorInvalidFrom,
                      absl::StrCat("The 'From' number ", A(from), " is not a valid phone number."));
  }
  return target;
}

}  // namespace dialtone::call_router
