// What the executor asks the adapters to do on a call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "calls/twiml_names.h"

namespace dialtone::call_router {

enum class MediaKind { kAudioUrl, kSpeech, kDigits, kSilence };

// One media request for the media layer: a URL to play, text to speak, DTMF
// digits to send, or silence; played `loop` times.
struct MediaRequest {
  MediaKind kind = MediaKind::kAudioUrl;
  std::string url;
  std::string text;
  std::string voice;
  std::string language;
  std::string digits;
  int silence_seconds = 0;
  int loop = 1;
};

// The media a verb or a Gather prompt plays: one mapping, shared by the executor's commands and
// the session's prefetch (whose cache hits need the two to agree). Pure.
MediaRequest MediaFor(const Say& say);
MediaRequest MediaFor(const Play& play);
MediaRequest MediaFor(const Pause& pause);
// True for media the media layer makes (speech, audio URLs); digits and silence are made here.
bool NeedsMediaLayer(const MediaRequest& media);

// Answer the call (SIP 200 OK) before the media that follows.
struct AnswerCommand {};

// Play one media request; reply with PlaybackDone.
struct PlayCommand {
  uint64_t operation = 0;
  MediaRequest media;
};

// Speech recognition settings, present only when <Gather input> asks for it.
struct SpeechRecognition {
  std::string language;
  std::string hints;
  std::string timeout;  // "", "auto" or seconds
  int max_speech_time = 60;
  std::string model;
  bool profanity_filter = true;
  std::string partial_result_callback;
  HttpMethod partial_result_callback_method = HttpMethod::kPost;
};

// Play the prompts in order while collecting input; with barge_in the first
// key stops them. The timeout starts after the last prompt. Reply with
// DigitsCollected.
struct CollectDigitsCommand {
  uint64_t operation = 0;
  std::vector<MediaRequest> prompts;
  bool dtmf = true;
  int timeout_seconds = 5;
  std::string finish_on_key;
  std::optional<int> num_digits;
  bool barge_in = true;
  std::optional<SpeechRecognition> speech;
};

// Record the caller with the verb's options; reply with RecordingDone.
struct RecordCommand {
  uint64_t operation = 0;
  Record options;
};

// Dial the verb's nouns with its options; reply with DialResult.
struct DialCommand {
  uint64_t operation = 0;
  Dial options;
};

// Request a document with the standard voice parameters plus `parameters`;
// reply with DocumentFetched, unless `response_ignored` (the caller has hung
// up: post the parameters, discard the answer, expect nothing).
struct FetchDocumentCommand {
  uint64_t operation = 0;
  std::string url;
  HttpMethod method = HttpMethod::kPost;
  std::vector<std::pair<std::string, std::string>> parameters;
  bool response_ignored = false;
};

// Wait (a <Pause>); reply with TimerFired.
struct StartTimerCommand {
  uint64_t operation = 0;
  int seconds = 0;
};

// End the call. `error` is OK for a normal end, else why (e.g. the fetch
// failure with its Twilio code) for the call's notifications.
struct HangupCommand {
  absl::Status error;
};

// Refuse the unanswered call (SIP 603 for rejected, 486 for busy).
struct RejectCommand {
  RejectReason reason = RejectReason::kRejected;
};

// <Connect><Stream>: run a bidirectional media stream; reply with StreamEnded once it is over.
struct ConnectStreamCommand {
  uint64_t operation = 0;
  StreamNoun stream;
};

// <Start><Stream>: start a forked (listen-only) stream; no reply, the document goes on.
struct StartStreamCommand {
  StreamNoun stream;
};

// <Stop><Stream>: stop the forked stream named `name` (every forked stream when empty).
struct StopStreamCommand {
  std::string name;
};

using ExecutorCommand =
    std::variant<AnswerCommand, PlayCommand, CollectDigitsCommand, RecordCommand, DialCommand,
                 FetchDocumentCommand, StartTimerCommand, HangupCommand, RejectCommand,
                 ConnectStreamCommand, StartStreamCommand, StopStreamCommand>;

}  // namespace dialtone::call_router
