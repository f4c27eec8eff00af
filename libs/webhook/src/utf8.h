// Internal to dialtone_webhook: strict UTF-8 decoding (RFC 3629), one code point at a time.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace dialtone::webhook::internal {

// Returned by NextCodePoint for a byte that does not start a well-formed sequence.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point starting at text[*pos] (which must be < text.size()) and moves *pos
// past it. Overlong forms, surrogates, values above U+10FFFF and truncated sequences give
// kInvalidCodePoint and move *pos by one byte.
char32_t NextCodePoint(absl::string_view text, std::size_t* pos);

bool IsValidUtf8(absl::string_view text);

}  // namespace dialtone::webhook::internal
