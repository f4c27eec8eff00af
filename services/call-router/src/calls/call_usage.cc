// CallUsageFor.
#include "calls/call_usage.h"

namespace dialtone::call_router {

std::optional<CallUsage> CallUsageFor(const std::string& call_sid, const std::string& direction,
                                      int64_t duration_seconds, bool answered) {
  if (!answered) return std::nullopt;
  CallUsage u;
  u.event_id = call_sid + ":call";
  u.category = direction == "inbound" ? "calls-inbound" : "calls-outbound";
  int64_t seconds = duration_seconds < 0 ? 0 : duration_seconds;
  // An answered call bills at least one minute, then every started minute.
  u.minutes = seconds == 0 ? 1 : (seconds + 59) / 60;
  return u;
}

}  // namespace dialtone::call_router
