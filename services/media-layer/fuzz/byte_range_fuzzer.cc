// libFuzzer target on the Range header (ParseRange, what MediaHttp serves a media or recording
// download by). The first byte picks the mode, the next eight the body's size (little-endian; a
// small one when bit 1 of the mode is set). Text mode (bit 0 clear): the rest is the header, and
// the result must describe bytes inside the body. Number mode (bit 0 set): the next sixteen
// bytes are two positions written as "bytes=A-B" (bits 2 and 3 leave A or B out), and the result
// must be exactly what RFC 9110 section 14 says. Built by CMakeLists.txt here with clang; run by
// run_range_fuzzer.sh (ctest: media_layer_range_fuzz).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "domain/byte_range.h"

namespace {

using dialtone::media_layer::ByteRange;
using dialtone::media_layer::ParseRange;
using dialtone::media_layer::RangeResult;

[[noreturn]] void Violation(const char* what, const std::string& header, uint64_t size) {
  std::fprintf(stderr, "invariant broken: %s [%s] size %llu\n", what, header.c_str(),
               static_cast<unsigned long long>(size));
  std::abort();
}

uint64_t Take64(std::string_view* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8 && !in->empty(); ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(in->front())) << (8 * i);
    in->remove_prefix(1);
  }
  return v;
}

// RFC 9110 section 14.1.2 and 14.4 for one range written "bytes=A-B" (A or B absent).
RangeResult Expected(std::optional<uint64_t> a, std::optional<uint64_t> b, uint64_t size,
                     ByteRange* r) {
  if (!a && !b) return RangeResult::kNone;  // not a range-spec
  if (!a) {                                 // suffix-range: the last B bytes
    if (*b == 0 || size == 0) return RangeResult::kUnsatisfiable;
    *r = {*b >= size ? 0 : size - *b, size - 1};
    return RangeResult::kSatisfiable;
  }
  if (b && *b < *a) return RangeResult::kNone;  // invalid int-range
  if (*a >= size) return RangeResult::kUnsatisfiable;
  *r = {*a, b && *b < size - 1 ? *b : size - 1};
  return RangeResult::kSatisfiable;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t length) {
  std::string_view in(reinterpret_cast<const char*>(data), length);
  if (in.empty()) return 0;
  const auto mode = static_cast<unsigned char>(in.front());
  in.remove_prefix(1);
  uint64_t size = Take64(&in);
  if (mode & 2) size %= 4096;

  std::string header;
  std::optional<uint64_t> a, b;
  if (mode & 1) {
    const uint64_t x = Take64(&in);
    const uint64_t y = Take64(&in);
    if (!(mode & 4)) a = x;
    if (!(mode & 8)) b = y;
    header = "bytes=" + (a ? std::to_string(*a) : "") + "-" + (b ? std::to_string(*b) : "");
  } else {
    header.assign(in);
  }

  ByteRange r{12345, 678};
  const RangeResult result = ParseRange(header, size, &r);
  if (result == RangeResult::kSatisfiable) {
    if (r.first > r.last) Violation("first past last", header, size);
    if (r.last >= size) Violation("last past the end", header, size);
  } else if (r.first != 12345 || r.last != 678) {
    Violation("range written without a satisfiable result", header, size);
  }
  if (mode & 1) {
    ByteRange want{};
    const RangeResult expected = Expected(a, b, size, &want);
    if (result != expected) Violation("result differs from RFC 9110", header, size);
    if (result == RangeResult::kSatisfiable && (r.first != want.first || r.last != want.last)) {
      Violation("range differs from RFC 9110", header, size);
    }
  }
  return 0;
}
