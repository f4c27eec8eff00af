// CallState's Twilio spellings and the SIP refusal mapping.
#include "calls/call_state.h"

namespace dialtone::call_router {

std::string_view CallStateText(CallState state) {
  switch (state) {
    case CallState::kQueued: return "queued";
    case CallState::kRinging: return "ringing";
    case CallState::kInProgress: return "in-progress";
    case CallState::kCompleted: return "completed";
    case CallState::kBusy: return "busy";
    case CallState::kNoAnswer: return "no-answer";
    case CallState::kFailed: return "failed";
    case CallState::kCanceled: return "canceled";
  }
  return "failed";
}

bool IsFinal(CallState state) {
  return state != CallState::kQueued && state != CallState::kRinging &&
         state != CallState::kInProgress;
}

CallState StateForRefusal(int sip_status) {
  if (sip_status == 486 || sip_status == 600 || sip_status == 603) return CallState::kBusy;
  if (sip_status == 408 || sip_status == 480 || sip_status == 487) return CallState::kNoAnswer;
  return CallState::kFailed;
}

}  // namespace dialtone::call_router
