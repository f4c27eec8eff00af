// The parameters of every request to a customer's application (voice URL, actions, status
// callbacks), with Twilio's names, and the numbering of status callbacks. Pure, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dialtone::call_router {

using RequestParams = std::vector<std::pair<std::string, std::string>>;

// What the router knows of a call when it asks the application something.
struct CallFacts {
  std::string call_sid;
  std::string account_sid;
  std::string from;
  std::string to;
  std::string direction = "inbound";  // inbound | outbound-api | outbound-dial
  std::string call_status;            // queued | ringing | in-progress | completed | ...
  std::string parent_call_sid;
  std::string forwarded_from;
  std::string caller_name;
  std::optional<int64_t> duration_seconds;  // known once the call ended
};

// CallSid, AccountSid, From, To, Caller, Called, CallStatus, Direction, ApiVersion, and
// ParentCallSid / ForwardedFrom / CallerName when known.
// Example: VoiceRequestParams({.call_sid = "CA…", .from = "+1555…", .to = "+1555…",
//                              .call_status = "ringing"})
RequestParams VoiceRequestParams(const CallFacts& facts);

enum class CallEvent { kInitiated, kRinging, kAnswered, kCompleted };

// Parses StatusCallbackEvent values ("initiated", "ringing", "answered", "completed"; several
// may share one value separated by spaces, as TwiML writes them). Unknown names are errors.
absl::StatusOr<std::vector<CallEvent>> ParseStatusCallbackEvents(
    const std::vector<std::string>& values);

// The events' names, space-separated, as ParseStatusCallbackEvents reads them back.
// Example: CallEventsText({kRinging, kCompleted}) -> "ringing completed".
std::string CallEventsText(const std::vector<CallEvent>& events);

// Decides which call progress events reach the status callback and numbers them from 0, as
// Twilio's SequenceNumber does. A call that asked for no event gets only "completed".
//
//   StatusCallbackSequencer seq(*ParseStatusCallbackEvents({"ringing answered"}));
//   if (auto params = seq.Next(CallEvent::kRinging, facts, now)) client.SendCallback(...);
class StatusCallbackSequencer {
 public:
  explicit StatusCallbackSequencer(std::vector<CallEvent> requested);

  // The callback's parameters, or nullopt when the call did not ask for `event`.
  std::optional<RequestParams> Next(CallEvent event, const CallFacts& facts, absl::Time now);

 private:
  std::vector<CallEvent> requested_;
  int next_sequence_ = 0;
};

// The "completed" callback of a call another replica ended because its router died, numbered
// after the events the call had already reported (initiated, ringing and, if it was answered,
// answered: those it asked for). nullopt when the call did not ask for "completed".
std::optional<RequestParams> AbandonedCallCallback(const std::vector<CallEvent>& requested,
                                                   const CallFacts& facts, bool answered,
                                                   absl::Time now);

}  // namespace dialtone::call_router
