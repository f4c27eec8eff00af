// Structured logs: one JSON object per line on stderr, with time (UTC), level, service, message
// and key/value fields. Thread-safe.
//
//   dialtone::log::Init("call-router", "info");
//   dialtone::log::Info("call answered", {{"call_sid", sid}, {"ms", 120}});
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace dialtone::log {

// A field value rendered as JSON: strings quoted and escaped, numbers and booleans bare.
class Value {
 public:
  Value(absl::string_view s) : json_(Quote(s)) {}
  Value(const std::string& s) : json_(Quote(s)) {}
  Value(const char* s) : json_(Quote(s)) {}
  Value(bool b) : json_(b ? "true" : "false") {}
  Value(int v) : json_(std::to_string(v)) {}
  Value(long v) : json_(std::to_string(v)) {}
  Value(long long v) : json_(std::to_string(v)) {}
  Value(unsigned v) : json_(std::to_string(v)) {}
  Value(unsigned long v) : json_(std::to_string(v)) {}
  Value(unsigned long long v) : json_(std::to_string(v)) {}
  Value(double v);
  Value(const absl::Status& s) : json_(Quote(s.ToString())) {}

  const std::string& json() const { return json_; }
  static std::string Quote(absl::string_view s);

 private:
  std::string json_;
};

using Fields = std::initializer_list<std::pair<absl::string_view, Value>>;

enum class Level { kDebug, kInfo, kWarn, kError };

// Sets the service name and minimum level ("debug", "info", "warn", "error"). Call once at start.
void Init(absl::string_view service, absl::string_view level);

void Write(Level level, absl::string_view message, Fields fields);
inline void Debug(absl::string_view m, Fields f = {}) { Write(Level::kDebug, m, f); }
inline void Info(absl::string_view m, Fields f = {}) { Write(Level::kInfo, m, f); }
inline void Warn(absl::string_view m, Fields f = {}) { Write(Level::kWarn, m, f); }
inline void Error(absl::string_view m, Fields f = {}) { Write(Level::kError, m, f); }

// The JSON object (without newline) that Write would print; pure, for tests.
std::string FormatLine(absl::string_view time, Level level, absl::string_view service,
                       absl::string_view message, Fields fields);

}  // namespace dialtone::log
