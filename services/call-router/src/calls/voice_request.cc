// Voice request parameters and status callback sequencing.
#include "calls/voice_request.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace dialtone::call_router {

RequestParams VoiceRequestParams(const CallFacts& f) {
  RequestParams p = {
      {"CallSid", f.call_sid},
      {"AccountSid", f.account_sid},
      {"From", f.from},
      {"To", f.to},
      {"Caller", f.from},
      {"Called", f.to},
      {"CallStatus", f.call_status},
      {"Direction", f.direction},
      {"ApiVersion", "2010-04-01"},
  };
  if (!f.parent_call_sid.empty()) p.emplace_back("ParentCallSid", f.parent_call_sid);
  if (!f.forwarded_from.empty()) p.emplace_back("ForwardedFrom", f.forwarded_from);
  if (!f.caller_name.empty()) p.emplace_back("CallerName", f.caller_name);
  return p;
}

absl::StatusOr<std::vector<CallEvent>> ParseStatusCallbackEvents(
    const std::vector<std::string>& values) {
  std::vector<CallEvent> out;
  for (const std::string& value : values) {
    for (absl::string_view word : absl::StrSplit(value, ' ', absl::SkipEmpty())) {
      CallEvent e;
      if (word == "initiated")
        e = CallEvent::kInitiated;
      else if (word == "ringing")
        e = CallEvent::kRinging;
      else if (word == "answered")
        e = CallEvent::kAnswered;
      else if (word == "completed")
        e = CallEvent::kCompleted;
      else
        return absl::InvalidArgumentError(
            absl::StrCat("unknown StatusCallbackEvent \"", word, "\""));
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    }
  }
  return out;
}

StatusCallbackSequencer::StatusCallbackSequencer(std::vector<CallEvent> requested)
    : requested_(std::move(requested)) {
  if (requested_.empty()) requested_.push_back(CallEvent::kCompleted);
}

std::optional<RequestParams> StatusCallbackSequencer::Next(CallEvent event, const CallFacts& facts,
                                                           absl::Time now) {
  if (std::find(requested_.begin(), requested_.end(), event) == requested_.end()) {
    return std::nullopt;
  }
  RequestParams p = VoiceRequestParams(facts);
  p.emplace_back("CallbackSource", "call-progress-events");
  p.emplace_back("Timestamp",
                 absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()));
  p.emplace_back("SequenceNumber", std::to_string(next_sequence_++));
  if (event == CallEvent::kCompleted && facts.duration_seconds) {
    p.emplace_back("CallDuration", std::to_string(*facts.duration_seconds));
  }
  return p;
}

std::string CallEventsText(const std::vector<CallEvent>& events) {
  std::vector<absl::string_view> names;
  for (CallEvent e : events) {
    switch (e) {
      case CallEvent::kInitiated: names.push_back("initiated"); break;
      case CallEvent::kRinging: names.push_back("ringing"); break;
      case CallEvent::kAnswered: names.push_back("answered"); break;
      case CallEvent::kCompleted: names.push_back("completed"); break;
    }
  }
  return absl::StrJoin(names, " ");
}

std::optional<RequestParams> AbandonedCallCallback(const std::vector<CallEvent>& requested,
                                                   const CallFacts& facts, bool answered,
                                                   absl::Time now) {
  StatusCallbackSequencer seq(requested);
  // Only the numbering matters here: what was sent before counts, whatever it said.
  for (CallEvent before : {CallEvent::kInitiated, CallEvent::kRinging, CallEvent::kAnswered}) {
    if (before == CallEvent::kAnswered && !answered) break;
    (void)seq.Next(before, facts, now);
  }
  return seq.Next(CallEvent::kCompleted, facts, now);
}

}  // namespace dialtone::call_router
