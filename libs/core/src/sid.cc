// SID generation and validation.
#include "dialtone/core/sid.h"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <stdexcept>

#include "absl/strings/str_cat.h"

namespace dialtone::core {
namespace {

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

void FillRandom(unsigned char* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    ssize_t got = getrandom(out + done, n - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      // No entropy source is a broken machine, not a peer's input: stop loudly.
      throw std::runtime_error("getrandom failed");
    }
    done += static_cast<std::size_t>(got);
  }
}

}  // namespace

std::string RandomHex(std::size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string raw(bytes, '\0');
  FillRandom(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  std::string hex;
  hex.reserve(bytes * 2);
  for (unsigned char c : raw) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  return hex;
}

std::string NewSid(absl::string_view prefix) { return absl::StrCat(prefix, RandomHex(16)); }

absl::Status ValidateSid(absl::string_view sid, absl::string_view prefix) {
  if (sid.size() != kSidLength) {
    return absl::InvalidArgumentError(absl::StrCat("SID must be 34 characters, got ", sid.size()));
  }
  if (!prefix.empty() && sid.substr(0, 2) != prefix) {
    return absl::InvalidArgumentError(absl::StrCat("SID must start with ", prefix));
  }
  if (!IsUpper(sid[0]) || !IsUpper(sid[1])) {
    return absl::InvalidArgumentError("SID must start with two uppercase letters");
  }
  for (char c : sid.substr(2)) {
    if (!IsLowerHex(c)) {
      return absl::InvalidArgumentError("SID must end with 32 lowercase hex digits");
    }
  }
  return absl::OkStatus();
}

}  // namespace dialtone::core
