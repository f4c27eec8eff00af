// Where a call's TwiML program is: the value CallExecutor::Step transforms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "calls/twiml_names.h"

namespace dialtone::call_router {

// Which reply the executor waits for.
enum class Awaiting { kNothing, kDocument, kPlayback, kTimer, kInput, kRecording, kDial, kStream };

// A plain value: the adapter keeps one per call and replaces it with each
// StepResult. Programs are shared, so copying a state is cheap.
// Pure, any thread (one call's states are stepped one at a time).
struct ExecutionState {
  bool started = false;
  bool ended = false;
  bool answered = false;
  bool caller_hung_up = false;
  Awaiting awaiting = Awaiting::kNothing;
  uint64_t operation = 0;  // id of the awaited reply; ids only grow
  std::shared_ptr<const Program> program;
  size_t next_verb = 0;             // the awaited reply belongs to verbs[next_verb - 1]
  int documents_without_media = 0;  // guards against Redirect loops
  // The account's cap on documents_without_media (0: none); unset: the executor's default.
  std::optional<int> quiet_document_cap;
};

}  // namespace dialtone::call_router
