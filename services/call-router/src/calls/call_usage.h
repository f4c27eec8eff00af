// The usage a finished call bills, as Twilio counts it: one call in calls-inbound or
// calls-outbound (both roll up into calls), and its minutes rounded up. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dialtone::call_router {

struct CallUsage {
  std::string event_id;  // "<CallSid>:call": one event per call, so a replay never double counts
  std::string category;  // calls-inbound | calls-outbound
  int64_t count = 1;
  int64_t minutes = 0;  // billed minutes: ceil(duration / 60)
};

// nullopt for a call that was never answered (busy, no-answer, canceled, failed, rejected):
// Twilio bills none of those.
// Example: CallUsageFor("CA…", "inbound", 61, true) -> {category calls-inbound, minutes 2}.
std::optional<CallUsage> CallUsageFor(const std::string& call_sid, const std::string& direction,
                                      int64_t duration_seconds, bool answered);

}  // namespace dialtone::call_router
