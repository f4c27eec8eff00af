// Runs a TwiML program on a call as a pure state machine.
#pragma once

#include <vector>

#include "calls/execution_state.h"
#include "calls/executor_commands.h"
#include "calls/executor_events.h"

namespace dialtone::call_router {

struct ExecutorConfig {
  // Documents fetched in a row without playing, collecting, recording,
  // dialling or pausing: past this the call ends (a Redirect loop).
  int max_documents_without_media = 20;
};

struct StepResult {
  ExecutionState state;
  std::vector<ExecutorCommand> commands;
  bool event_ignored = false;  // stale, duplicate or after the end
};

// Step(state, event) -> (state, commands), with Twilio's semantics: verbs
// run in order; Gather/Record/Dial with an action, and Redirect, replace the
// document with the action's response; a Gather without input falls
// through; Reject first never answers and Pause first delays answering;
// reaching the end hangs up; a failed fetch ends the call. Time only enters
// through events (TimerFired...), so tests drive it without sleeping.
// Each awaited command carries an operation id; replies with another id are
// ignored, so late events from a replaced document cannot act.
// Example:
//   CallExecutor executor;
//   StepResult r = executor.Step({}, CallStarted{"https://app/voice"});
//   // r.commands == {FetchDocumentCommand{1, "https://app/voice", POST}}
//   r = executor.Step(r.state, DocumentFetched{1, ParseTwiml(...)});
// Pure, any thread; stateless itself, so one instance serves every call.
class CallExecutor {
 public:
  explicit CallExecutor(ExecutorConfig config = {}) : config_(config) {}

  StepResult Step(ExecutionState state, ExecutorEvent event) const;

 private:
  ExecutorConfig config_;
};

}  // namespace dialtone::call_router
