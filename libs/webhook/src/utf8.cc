// Strict UTF-8 decoding for form values and signature ordering.
#include "utf8.h"

namespace dialtone::webhook::internal {

char32_t NextCodePoint(absl::string_view text, std::size_t* pos) {
  const std::size_t start = *pos;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(start);
  *pos = start + 1;
  if (lead < 0x80) return lead;
  std::size_t length;
  char32_t cp;
  char32_t min;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return kInvalidCodePoint;  // a continuation byte or 0xF8..0xFF
  }
  if (start + length > text.size()) return kInvalidCodePoint;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char b = byte(start + i);
    if ((b & 0xC0) != 0x80) return kInvalidCodePoint;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalidCodePoint;
  *pos = start + length;
  return cp;
}

bool IsValidUtf8(absl::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (NextCodePoint(text, &pos) == kInvalidCodePoint) return false;
  }
  return true;
}

}  // namespace dialtone::webhook::internal
