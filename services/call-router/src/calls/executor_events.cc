// Names of executor event values as Twilio spells them in parameters.
#include "calls/executor_events.h"

namespace dialtone::call_router {

std::string_view DialCallStatusName(DialCallStatus status) {
  switch (status) {
    case DialCallStatus::kCompleted: return "completed";
    case DialCallStatus::kAnswered: return "answered";
    case DialCallStatus::kBusy: return "busy";
    case DialCallStatus::kNoAnswer: return "no-answer";
    case DialCallStatus::kFailed: return "failed";
    case DialCallStatus::kCanceled: return "canceled";
  }
  return "failed";
}

}  // namespace dialtone::call_router
