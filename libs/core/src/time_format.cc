// RFC 2822 / ISO 8601 / date formatting and strict parsing on top of absl::Time.
#include "dialtone/core/time_format.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace dialtone::core {
namespace {

absl::Status BadTime(absl::string_view kind, absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat("not a valid ", kind, ": \"", text, "\""));
}

// absl::ParseTime normalises out-of-range fields (Feb 30 -> Mar 2); a round trip catches that.
bool RoundTrips(absl::Time t, absl::string_view format, absl::string_view text) {
  return absl::FormatTime(format, t, absl::UTCTimeZone()) == text;
}

}  // namespace

std::string FormatRfc2822(absl::Time t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", t, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseRfc2822(absl::string_view text) {
  std::string s(absl::StripAsciiWhitespace(text));
  if (s.size() > 64) return BadTime("RFC 2822 date", text);
  // Drop an optional weekday ("Wed, ").
  if (auto comma = s.find(','); comma != std::string::npos) {
    if (comma != 3) return BadTime("RFC 2822 date", text);
    s = std::string(absl::StripLeadingAsciiWhitespace(s.substr(comma + 1)));
  }
  for (std::string zone : {" GMT", " UT", " UTC", " Z"}) {
    if (s.size() > zone.size() && s.compare(s.size() - zone.size(), zone.size(), zone) == 0) {
      s = absl::StrCat(s.substr(0, s.size() - zone.size()), " +0000");
      break;
    }
  }
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%d %b %Y %H:%M:%S %z", s, absl::UTCTimeZone(), &t, &err)) {
    return BadTime("RFC 2822 date", text);
  }
  // Check the calendar fields against the text, ignoring the zone shift.
  absl::Time local;
  if (!absl::ParseTime("%d %b %Y %H:%M:%S", s.substr(0, s.rfind(' ')), absl::UTCTimeZone(), &local,
                       &err)) {
    return BadTime("RFC 2822 date", text);
  }
  std::string day_part = s.substr(0, s.rfind(' '));
  // "1 Jan ..." -> "01 Jan ..." (StrCat: GCC 12 misreports insert() under -Wrestrict).
  if (day_part.size() == 19) day_part = absl::StrCat("0", day_part);
  if (!RoundTrips(local, "%d %b %Y %H:%M:%S", day_part)) return BadTime("RFC 2822 date", text);
  return t;
}

std::string FormatIso8601(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseIso8601(absl::string_view text) {
  if (text.size() < 20 || text.size() > 40) return BadTime("ISO 8601 time", text);
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, text, absl::UTCTimeZone(), &t, &err)) {
    return BadTime("ISO 8601 time", text);
  }
  absl::Time local;
  if (!absl::ParseTime("%Y-%m-%dT%H:%M:%S", text.substr(0, 19), absl::UTCTimeZone(), &local,
                       &err) ||
      !RoundTrips(local, "%Y-%m-%dT%H:%M:%S", text.substr(0, 19))) {
    return BadTime("ISO 8601 time", text);
  }
  return t;
}

std::string FormatDate(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseDate(absl::string_view text) {
  if (text.size() != 10) return BadTime("date (YYYY-MM-DD)", text);
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &err) ||
      !RoundTrips(t, "%Y-%m-%d", text)) {
    return BadTime("date (YYYY-MM-DD)", text);
  }
  return t;
}

}  // namespace dialtone::core
