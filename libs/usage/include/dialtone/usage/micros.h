// Exact decimal amounts (usage, price) as integer micro-units: 6 decimals in an int64.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dialtone::usage {

inline constexpr int64_t kMicrosPerUnit = 1'000'000;

// "12.5" -> 12'500'000. Empty is 0. Accepts digits with an optional '.' and at most 6
// decimals; rejects signs, exponents, spaces, more decimals and values beyond int64.
absl::StatusOr<int64_t> ParseMicros(absl::string_view text);

// 12'500'000 -> "12.5", 3'000'000 -> "3", -1'500'000 -> "-1.5" (no float anywhere).
std::string FormatMicros(int64_t micros);

// Twilio renders prices with a fixed number of decimals: 1'500'000 -> "1.500000".
std::string FormatMicrosFixed(int64_t micros);

}  // namespace dialtone::usage
