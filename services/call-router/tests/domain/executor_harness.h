// Test support: drives a CallExecutor through one call and describes its
// commands as short strings, so scenarios read like call transcripts.
#pragma once

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "calls/call_executor.h"
#include "calls/twiml_names.h"

namespace dialtone::call_router::testing {

inline constexpr char kAppUrl[] = "https://app.example.com/voice";

inline std::string Describe(const ExecutorCommand& command) {
  struct Visitor {
    std::string operator()(const AnswerCommand&) const { return "Answer"; }
    std::string operator()(const PlayCommand& c) const {
      switch (c.media.kind) {
        case MediaKind::kSpeech: return "Say " + c.media.text;
        case MediaKind::kDigits: return "Digits " + c.media.digits;
        case MediaKind::kSilence: return "Silence";
        case MediaKind::kAudioUrl: break;
      }
      return "Play " + c.media.url;
    }
    std::string operator()(const CollectDigitsCommand&) const { return "Collect"; }
    std::string operator()(const RecordCommand&) const { return "Record"; }
    std::string operator()(const DialCommand&) const { return "Dial"; }
    std::string operator()(const FetchDocumentCommand& c) const {
      return std::string(c.response_ignored ? "Post " : "Fetch ") +
             std::string(HttpMethodName(c.method)) + " " + c.url;
    }
    std::string operator()(const StartTimerCommand& c) const {
      return "Timer " + std::to_string(c.seconds);
    }
    std::string operator()(const HangupCommand& c) const {
      return c.error.ok() ? "Hangup" : "Hangup error";
    }
    std::string operator()(const RejectCommand& c) const {
      return c.reason == RejectReason::kBusy ? "Reject busy" : "Reject rejected";
    }
    std::string operator()(const ConnectStreamCommand& c) const {
      return "Connect " + c.stream.url;
    }
    std::string operator()(const StartStreamCommand& c) const { return "Fork " + c.stream.url; }
    std::string operator()(const StopStreamCommand& c) const { return "Unfork " + c.name; }
  };
  return std::visit(Visitor{}, command);
}

using Transcript = std::vector<std::string>;

// One call: each method applies an event and returns the commands it gave.
class CallHarness {
 public:
  explicit CallHarness(ExecutorConfig config = {}) : executor_(config) {}

  Transcript Start(bool answered = false) {
    return Apply(CallStarted{kAppUrl, HttpMethod::kPost, answered});
  }
  // Answers the pending fetch with `twiml`, parsed as if served from `url`.
  Transcript Serve(const std::string& twiml, const std::string& url = kAppUrl) {
    return Apply(DocumentFetched{state_.operation, ParseTwiml(twiml, "text/xml", url)});
  }
  Transcript StartWith(const std::string& twiml, bool answered = false) {
    Start(answered);
    return Serve(twiml);
  }
  Transcript Apply(ExecutorEvent event) {
    StepResult result = executor_.Step(state_, std::move(event));
    state_ = std::move(result.state);
    last_ignored_ = result.event_ignored;
    commands_ = std::move(result.commands);
    Transcript transcript;
    for (const ExecutorCommand& command : commands_) transcript.push_back(Describe(command));
    return transcript;
  }
  Transcript PlaybackDone() { return Apply(call_router::PlaybackDone{state_.operation}); }
  Transcript TimerFired() { return Apply(call_router::TimerFired{state_.operation}); }
  Transcript Digits(std::string digits, GatherEnd end) {
    DigitsCollected event;
    event.operation = state_.operation;
    event.digits = std::move(digits);
    event.end = end;
    return Apply(std::move(event));
  }
  Transcript HangUp() { return Apply(CallerHungUp{}); }
  Transcript StreamEnded() { return Apply(call_router::StreamEnded{state_.operation}); }

  // The last command of a given type, e.g. Last<FetchDocumentCommand>().
  template <typename Command>
  const Command& Last() const {
    for (auto it = commands_.rbegin(); it != commands_.rend(); ++it) {
      if (const auto* command = std::get_if<Command>(&*it)) return *command;
    }
    FAIL("no such command in the last step");
    throw std::logic_error("unreachable");
  }

  const ExecutionState& state() const { return state_; }
  // The account's cap on documents without media, as the session sets it before starting.
  void SetQuietDocumentCap(int cap) { state_.quiet_document_cap = cap; }
  uint64_t operation() const { return state_.operation; }
  bool last_ignored() const { return last_ignored_; }

 private:
  CallExecutor executor_;
  ExecutionState state_;
  std::vector<ExecutorCommand> commands_;
  bool last_ignored_ = false;
};

using Parameters = std::vector<std::pair<std::string, std::string>>;

}  // namespace dialtone::call_router::testing
