// A call's live state as one typed value, and Twilio's spelling of it (CallStatus).
#pragma once

#include <string_view>

namespace dialtone::call_router {

// Where a call is, from creation to its end. The first four are live; the rest are final.
//
//   CallState s = CallState::kRinging;
//   params.emplace_back("CallStatus", CallStateText(s));  // "ringing"
enum class CallState {
  kQueued,  // placed through the API, not yet sent
  kRinging,
  kInProgress,  // answered
  kCompleted,
  kBusy,
  kNoAnswer,
  kFailed,
  kCanceled,
};

// Twilio's CallStatus value: "queued", "ringing", "in-progress", "completed", "busy",
// "no-answer", "failed", "canceled".
std::string_view CallStateText(CallState state);

// True for the states a call ends in.
bool IsFinal(CallState state);

// How a refused outgoing INVITE ends its call, as Twilio reports it: 486, 600 and 603 (busy,
// declined) end busy; 408, 480 and 487 (nobody picked up, or our CANCEL) no-answer; anything
// else failed.
CallState StateForRefusal(int sip_status);

}  // namespace dialtone::call_router
