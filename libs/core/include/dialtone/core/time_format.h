// Date and time formats of the Twilio API: RFC 2822 on resources, ISO 8601 and plain dates in
// filters and usage records. Always UTC.
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dialtone::core {

// "Wed, 25 Nov 2026 19:21:07 +0000", as Twilio renders date_created and friends.
std::string FormatRfc2822(absl::Time t);
// Accepts RFC 2822 with a numeric zone or "GMT"/"UT"; the weekday is optional.
absl::StatusOr<absl::Time> ParseRfc2822(absl::string_view text);

// "2026-11-25T19:21:07Z" (fractions dropped).
std::string FormatIso8601(absl::Time t);
// Accepts "YYYY-MM-DDTHH:MM:SS" with "Z" or "+hh:mm", optional fractions.
absl::StatusOr<absl::Time> ParseIso8601(absl::string_view text);

// "2026-11-25", the UTC calendar day of `t`.
std::string FormatDate(absl::Time t);
// Midnight UTC at the start of "YYYY-MM-DD"; rejects impossible dates such as 2026-02-30.
absl::StatusOr<absl::Time> ParseDate(absl::string_view text);

}  // namespace dialtone::core
