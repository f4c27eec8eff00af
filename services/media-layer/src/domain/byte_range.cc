// Range header parsing.
#include "domain/byte_range.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"

namespace dialtone::media_layer {

RangeResult ParseRange(const std::string& header, uint64_t size, ByteRange* out) {
  absl::string_view v = absl::StripAsciiWhitespace(header);
  if (!absl::ConsumePrefix(&v, "bytes=") || absl::StrContains(v, ',')) return RangeResult::kNone;
  auto dash = v.find('-');
  if (dash == absl::string_view::npos) return RangeResult::kNone;
  absl::string_view a = absl::StripAsciiWhitespace(v.substr(0, dash));
  absl::string_view b = absl::StripAsciiWhitespace(v.substr(dash + 1));
  uint64_t first = 0, last = 0;
  if (a.empty()) {  // suffix: the last N bytes
    uint64_t n = 0;
    if (!absl::SimpleAtoi(b, &n) || n == 0)
      return n == 0 && !b.empty() ? RangeResult::kUnsatisfiable : RangeResult::kNone;
    if (size == 0) return RangeResult::kUnsatisfiable;
    first = n >= size ? 0 : size - n;
    last = size - 1;
  } else {
    if (!absl::SimpleAtoi(a, &first)) return RangeResult::kNone;
    if (b.empty()) {
      last = size == 0 ? 0 : size - 1;
    } else if (!absl::SimpleAtoi(b, &last) || last < first) {
      return RangeResult::kNone;
    }
    if (first >= size) return RangeResult::kUnsatisfiable;
    if (last >= size) last = size - 1;
  }
  *out = {first, last};
  return RangeResult::kSatisfiable;
}

}  // namespace dialtone::media_layer
