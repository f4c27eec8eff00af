// What happens to a call, as the executor hears it from the adapters.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "absl/status/statusor.h"
#include "calls/twiml_names.h"

namespace dialtone::call_router {

// Starts the program: the executor fetches `url` first, or runs `document` when the call came
// with its TwiML inline (the Twiml parameter of the Calls API). `answered` is true for calls
// the REST API placed (already up when TwiML first runs).
struct CallStarted {
  std::string url;
  HttpMethod method = HttpMethod::kPost;
  bool answered = false;
  std::shared_ptr<const Program> document;
};

// The Calls API redirected the live call (Url or Twiml): whatever the call was doing stops,
// and it fetches `url` or runs `document` instead.
struct ApiRedirect {
  std::string url;
  HttpMethod method = HttpMethod::kPost;
  std::shared_ptr<const Program> document;
};

// The result of a FetchDocumentCommand: a parsed program, or the failure
// (after the adapter has tried the fallback URL) that ends the call.
struct DocumentFetched {
  uint64_t operation = 0;
  absl::StatusOr<Program> program;
};

// A PlayCommand or StartTimerCommand completed.
struct PlaybackDone {
  uint64_t operation = 0;
};
struct TimerFired {
  uint64_t operation = 0;
};

enum class GatherEnd { kFinishOnKey, kNumDigits, kTimeout, kSpeech };

// A CollectDigitsCommand completed; `digits` excludes the finishOnKey key.
struct DigitsCollected {
  uint64_t operation = 0;
  std::string digits;
  GatherEnd end = GatherEnd::kTimeout;
  std::string speech_result;
  std::optional<double> confidence;
};

// A RecordCommand completed. An empty `url` (or zero duration) means nothing
// was recorded. `finished_on_key` is the key that stopped it, if any.
struct RecordingDone {
  uint64_t operation = 0;
  std::string url;
  std::string sid;
  int duration_seconds = 0;
  std::string finished_on_key;
};

enum class DialCallStatus { kCompleted, kAnswered, kBusy, kNoAnswer, kFailed, kCanceled };

// Twilio's spelling: "completed", "answered", "busy", "no-answer"...
std::string_view DialCallStatusName(DialCallStatus status);

// A DialCommand ended (the bridge was torn down or never made).
struct DialResult {
  uint64_t operation = 0;
  DialCallStatus status = DialCallStatus::kFailed;
  std::string call_sid;
  int duration_seconds = 0;
  std::string recording_url;
};

// The caller went away. Record and Dial-with-action still expect their
// result event afterwards, to post it to the action URL (response ignored).
struct CallerHungUp {};

// A ConnectStreamCommand's stream is over (the app closed it, or it failed).
struct StreamEnded {
  uint64_t operation = 0;
};

using ExecutorEvent =
    std::variant<CallStarted, DocumentFetched, PlaybackDone, TimerFired, DigitsCollected,
                 RecordingDone, DialResult, CallerHungUp, ApiRedirect, StreamEnded>;

}  // namespace dialtone::call_router
