// The executor's working object (internal to domain): applies one event
// to one ExecutionState; the event handlers and the verb starts are in
// executor_stepper.cc and verb_starts.cc.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "calls/call_executor.h"

namespace dialtone::call_router {

// Applies one event to one state, collecting the commands it produces.
// CallExecutor::Step makes one per event; internal to domain.
// Example: Stepper stepper(config, state); std::visit(stepper, event);
// Pure, any thread.
class Stepper {
 public:
  Stepper(const ExecutorConfig& config, ExecutionState state) : config_(config) {
    result_.state = std::move(state);
  }

  StepResult Release() && { return std::move(result_); }

  using Parameters = std::vector<std::pair<std::string, std::string>>;

  void operator()(CallStarted& event);
  void operator()(DocumentFetched& event);
  void operator()(const PlaybackDone& event) { Resume(Awaiting::kPlayback, event.operation); }
  void operator()(const TimerFired& event) { Resume(Awaiting::kTimer, event.operation); }
  void operator()(const DigitsCollected& event);
  void operator()(const RecordingDone& event);
  void operator()(const DialResult& event);
  void operator()(const CallerHungUp& event);
  void operator()(const ApiRedirect& event);
  void operator()(const StreamEnded& event);

  // Each returns true when the verb awaits a reply or ended the call.
  bool Start(const Say& say);
  bool Start(const Play& play);
  bool Start(const Pause& pause);
  bool Start(const Gather& gather);
  bool Start(const Record& record);
  bool Start(const Dial& dial);
  bool Start(const Hangup& hangup);
  bool Start(const Redirect& redirect);
  bool Start(const Reject& reject);
  bool Start(const Enqueue& enqueue);
  bool Start(const Leave& leave) { return false; }  // only means something in a queue
  bool Start(const Connect& connect);
  bool Start(const twiml::Start& start);
  bool Start(const Stop& stop);

 private:
  ExecutionState& state() { return result_.state; }
  template <typename Command>
  void Emit(Command command) {
    result_.commands.emplace_back(std::move(command));
  }

  bool Expecting(Awaiting what, uint64_t operation) const;
  template <typename VerbType>
  const VerbType& CurrentVerb() const;
  void Resume(Awaiting what, uint64_t operation);
  void Advance();
  uint64_t Await(Awaiting what);
  void EnsureAnswered();
  void Fetch(const std::string& url, HttpMethod method, Parameters parameters);
  void PostAfterHangup(const std::string& url, HttpMethod method, Parameters parameters);
  void End(absl::Status error);
  void RunDocument(std::shared_ptr<const Program> program);
  void Ignore() { result_.event_ignored = true; }

  const ExecutorConfig& config_;
  StepResult result_;
};

}  // namespace dialtone::call_router
