// FormEncode / FormDecode: application/x-www-form-urlencoded.
#include "dialtone/webhook/form_encoding.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "utf8.h"

namespace dialtone::webhook {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes one name or value; `what` names it in the error ("parameter 3 name").
absl::StatusOr<std::string> DecodeComponent(absl::string_view text, absl::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      const int hi = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError(absl::StrCat("form ", what, ": '%' at offset ", i,
                                                       " is not followed by two hex digits"));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
  }
  if (!internal::IsValidUtf8(out)) {
    return absl::InvalidArgumentError(absl::StrCat("form ", what, " is not valid UTF-8"));
  }
  return out;
}

}  // namespace

std::string FormEncodeComponent(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string FormEncode(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    absl::StrAppend(&out, FormEncodeComponent(name), "=", FormEncodeComponent(value));
  }
  return out;
}

absl::StatusOr<Params> FormDecode(absl::string_view body) {
  Params out;
  for (absl::string_view piece : absl::StrSplit(body, '&', absl::SkipEmpty())) {
    const std::size_t eq = piece.find('=');
    const std::size_t n = out.size() + 1;
    auto name = DecodeComponent(piece.substr(0, eq), absl::StrCat("parameter ", n, " name"));
    if (!name.ok()) return name.status();
    absl::string_view raw_value =
        eq == absl::string_view::npos ? absl::string_view() : piece.substr(eq + 1);
    auto value = DecodeComponent(raw_value, absl::StrCat("value of parameter \"", *name, "\""));
    if (!value.ok()) return value.status();
    out.emplace_back(*std::move(name), *std::move(value));
  }
  return out;
}

}  // namespace dialtone::webhook
