// HTTP Range requests (RFC 9110 §14) over a body of known size: one range only. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dialtone::media_layer {

struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
};

enum class RangeResult { kNone, kSatisfiable, kUnsatisfiable };

// `header` is the Range value ("bytes=0-99", "bytes=100-", "bytes=-500"). kNone for an absent,
// malformed or multi-range header (served whole, as RFC 9110 allows); kUnsatisfiable when the
// range starts past the end (416).
RangeResult ParseRange(const std::string& header, uint64_t size, ByteRange* out);

}  // namespace dialtone::media_layer
