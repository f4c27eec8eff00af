// JSON-lines logger on top of spdlog's thread-safe stderr sink.
#include "dialtone/log/log.h"

#include <cmath>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace dialtone::log {
namespace {

struct State {
  std::mutex mu;
  std::string service = "dialtone";
  Level min_level = Level::kInfo;
  std::shared_ptr<spdlog::logger> logger;
};

State& GetState() {
  static State* state = new State();  // never destroyed: logging works during static teardown
  return *state;
}

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

}  // namespace

Value::Value(double v) {
  json_ = std::isfinite(v) ? absl::StrFormat("%.6g", v) : Quote(absl::StrCat(v));
}

std::string Value::Quote(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string FormatLine(absl::string_view time, Level level, absl::string_view service,
                       absl::string_view message, Fields fields) {
  std::string line =
      absl::StrCat("{\"ts\":", Value::Quote(time), ",\"level\":\"", LevelName(level),
                   "\",\"service\":", Value::Quote(service), ",\"msg\":", Value::Quote(message));
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",", Value::Quote(key), ":", value.json());
  }
  line.push_back('}');
  return line;
}

void Init(absl::string_view service, absl::string_view level) {
  State& st = GetState();
  std::lock_guard lock(st.mu);
  st.service = std::string(service);
  if (level == "debug")
    st.min_level = Level::kDebug;
  else if (level == "warn")
    st.min_level = Level::kWarn;
  else if (level == "error")
    st.min_level = Level::kError;
  else
    st.min_level = Level::kInfo;
  if (!st.logger) {
    st.logger = spdlog::stderr_logger_mt(absl::StrCat("dialtone-", service));
    st.logger->set_pattern("%v");
    st.logger->set_level(spdlog::level::trace);
    st.logger->flush_on(spdlog::level::trace);
  }
}

void Write(Level level, absl::string_view message, Fields fields) {
  State& st = GetState();
  std::shared_ptr<spdlog::logger> logger;
  std::string service;
  {
    std::lock_guard lock(st.mu);
    if (level < st.min_level) return;
    if (!st.logger) {
      st.logger = spdlog::stderr_logger_mt("dialtone");
      st.logger->set_pattern("%v");
    }
    logger = st.logger;
    service = st.service;
  }
  std::string ts = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  logger->info(FormatLine(ts, level, service, message, fields));
}

}  // namespace dialtone::log
