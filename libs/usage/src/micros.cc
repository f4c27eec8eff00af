// Decimal string <-> micro-units, by hand: floats would round.
#include "dialtone/usage/micros.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace dialtone::usage {
namespace {

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a valid amount: ", why));
}

}  // namespace

absl::StatusOr<int64_t> ParseMicros(absl::string_view text) {
  if (text.empty()) return 0;
  size_t dot = text.find('.');
  absl::string_view whole = text.substr(0, dot);
  absl::string_view frac =
      dot == absl::string_view::npos ? absl::string_view() : text.substr(dot + 1);
  if (whole.empty() && frac.empty()) return Bad(text, "no digits");
  if (dot != absl::string_view::npos && frac.empty()) return Bad(text, "no digits after '.'");
  if (frac.size() > 6) return Bad(text, "more than 6 decimals");
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t units = 0;
  for (char ch : whole) {
    if (ch < '0' || ch > '9') return Bad(text, "only digits and one '.' are allowed");
    if (units > (kMax / kMicrosPerUnit - 9) / 10) return Bad(text, "too large");
    units = units * 10 + (ch - '0');
  }
  int64_t micros = 0;
  int64_t scale = kMicrosPerUnit / 10;
  for (char ch : frac) {
    if (ch < '0' || ch > '9') return Bad(text, "only digits and one '.' are allowed");
    micros += (ch - '0') * scale;
    scale /= 10;
  }
  return units * kMicrosPerUnit + micros;
}

std::string FormatMicros(int64_t micros) {
  std::string out = FormatMicrosFixed(micros);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::string FormatMicrosFixed(int64_t micros) {
  bool negative = micros < 0;
  // Work in unsigned so INT64_MIN does not overflow.
  uint64_t abs =
      negative ? uint64_t(0) - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  std::string frac = std::to_string(abs % kMicrosPerUnit);
  frac.insert(0, 6 - frac.size(), '0');
  return absl::StrCat(negative ? "-" : "", abs / kMicrosPerUnit, ".", frac);
}

}  // namespace dialtone::usage
