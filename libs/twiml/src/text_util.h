// Small std::string_view helpers. Debian builds Abseil with its own
// absl::string_view type, so absl's string functions do not take
// std::string_view; these do, and AsAbsl() bridges to absl::StrCat.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace dialtone::twiml {

inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Without leading and trailing ASCII whitespace.
std::string_view TrimAscii(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
std::string ToLowerAscii(std::string_view s);
std::string Join(std::initializer_list<std::string_view> parts, std::string_view separator);
std::string Join(const std::vector<std::string_view>& parts, std::string_view separator);
// The words of `s`, split on spaces and commas, empty words dropped.
std::vector<std::string_view> SplitWords(std::string_view s);
// Printable ASCII kept, quotes and backslashes escaped, other bytes as \xHH:
// safe to put an untrusted value in a log line or an error message.
std::string EscapeForMessage(std::string_view s);

}  // namespace dialtone::twiml
