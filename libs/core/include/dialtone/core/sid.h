// Twilio-style resource identifiers: a two-letter prefix and 32 lowercase hex digits.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace dialtone::core {

// Well-known SID prefixes.
inline constexpr absl::string_view kAccountPrefix = "AC";
inline constexpr absl::string_view kCallPrefix = "CA";
inline constexpr absl::string_view kRecordingPrefix = "RE";
inline constexpr absl::string_view kApplicationPrefix = "AP";
inline constexpr absl::string_view kPhoneNumberPrefix = "PN";
inline constexpr absl::string_view kUsageTriggerPrefix = "UT";
inline constexpr absl::string_view kMediaPrefix = "ME";
inline constexpr absl::string_view kStreamPrefix = "MZ";  // a call's media stream

inline constexpr std::size_t kSidLength = 34;

// Makes a new SID with `prefix` (two uppercase letters) and 128 random bits from the OS CSPRNG.
// Thread-safe. Example: NewSid(kCallPrefix) -> "CA3f9c...".
std::string NewSid(absl::string_view prefix);

// OK when `sid` is `prefix` followed by 32 lowercase hex digits; InvalidArgument otherwise.
// An empty `prefix` accepts any two uppercase letters.
absl::Status ValidateSid(absl::string_view sid, absl::string_view prefix = {});

inline bool IsSid(absl::string_view sid, absl::string_view prefix = {}) {
  return ValidateSid(sid, prefix).ok();
}

// Random bytes as lowercase hex (2 * bytes characters), e.g. for auth tokens.
std::string RandomHex(std::size_t bytes);

}  // namespace dialtone::core
